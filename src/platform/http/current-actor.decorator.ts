import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { UnauthenticatedError } from '../errors/domain-error';
import type { Actor, ChimeRequest } from './request-context';

/** The authenticated caller of a non-public route, as set by the global token guard. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<ChimeRequest>().actor;
  if (!actor) throw new UnauthenticatedError('authentication required');
  return actor;
});
