import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Origin } from '@chime/event-log';
import { originOf, type ChimeRequest } from './request-context';

/**
 * The request as the origin of the command a controller sends (see originOf): every command that
 * changes state carries it, and its unit of work copies it into the events it appends.
 *
 *   createCluster(@RequestOrigin() origin: Origin, …) {
 *     return this.commands.execute(new CreateClusterCommand(origin, …));
 *   }
 */
export const RequestOrigin = createParamDecorator((_: unknown, context: ExecutionContext): Origin =>
  originOf(context.switchToHttp().getRequest<ChimeRequest>()),
);
