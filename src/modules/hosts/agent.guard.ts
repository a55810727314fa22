import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UnauthenticatedError } from '../../platform/errors/domain-error';
import type { ChimeRequest } from '../../platform/http/request-context';
import { hashCredential } from './agent-credentials';
import { CLIENT_ROWS } from './host.store';
import type { Origin } from '@chime/event-log';

/** The node whose agent is calling. */
export interface AgentCaller {
  clientUuid: string;
  name: string;
}

const callers = new WeakMap<object, AgentCaller>();
const BEARER = /^Bearer ([A-Za-z0-9_-]{1,128})$/i;

/**
 * Authenticates the agent routes by the agent's credential (`Authorization: Bearer <credential>`).
 * Every request looks the hash up in the database, with no cache: a revoked credential (deleteHost,
 * re-enrolment) stops working at once on every server process.
 */
@Injectable()
export class AgentGuard implements CanActivate {
  constructor(private readonly dataSource: DataSource) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<ChimeRequest>();
    const header = req.headers.authorization;
    if (!header) throw new UnauthenticatedError('missing Authorization header; expected "Bearer <agent credential>"');
    const match = BEARER.exec(header.trim());
    if (!match) throw new UnauthenticatedError('malformed Authorization header; expected "Bearer <agent credential>"');
    const client = await CLIENT_ROWS.findOne(this.dataSource.manager, { credentialHash: hashCredential(match[1]) });
    if (!client) throw new UnauthenticatedError('the agent credential is not valid: unknown or revoked; enrol again');
    callers.set(req, { clientUuid: client.uuid, name: client.name });
    return true;
  }
}

/** The node the AgentGuard let the request in for. */
export const CurrentAgent = createParamDecorator((_: unknown, context: ExecutionContext): AgentCaller => {
  const caller = callers.get(context.switchToHttp().getRequest<ChimeRequest>());
  if (!caller) throw new UnauthenticatedError('agent authentication required');
  return caller;
});

/** The origin of what an agent's request causes: the request, with the node (its name) where a user would stand. */
export const agentOrigin = (origin: Origin, nodeName: string): Origin => ({
  ...origin,
  user_uuid: null,
  user_name: `agent:${nodeName}`,
});
