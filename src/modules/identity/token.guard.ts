import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Role } from '@chime/contracts';
import { PermissionDeniedError, UnauthenticatedError } from '../../platform/errors/domain-error';
import { IS_PUBLIC } from '../../platform/http/public.decorator';
import type { ChimeRequest } from '../../platform/http/request-context';
import { MIN_ROLE, ROLE_NAMES } from '../../platform/http/roles';
import { Session, Sessions } from './sessions';

const BEARER = /^Bearer ([^\s]+)$/i;

/** What a route asks of its callers, read from its decorators once per handler. */
interface RouteAccess {
  isPublic: boolean;
  minRole: Role | undefined;
}
const accessOfHandler = new WeakMap<object, RouteAccess>();

/**
 * The session each authenticated request was let in with, on the request under a key only this
 * file has: a WeakMap beside the request cost an ephemeron per request to the garbage collector.
 */
const SESSION = Symbol('session');
type GuardedRequest = ChimeRequest & { [SESSION]?: Session };

/**
 * The session the token guard let the request in with: for handlers that outlive the guard's
 * check (event streams) and must notice when it ends.
 */
export const CurrentSession = createParamDecorator((_: unknown, context: ExecutionContext): Session => {
  const session = context.switchToHttp().getRequest<GuardedRequest>()[SESSION];
  if (!session) throw new UnauthenticatedError('authentication required');
  return session;
});

/**
 * Global guard: every route needs `Authorization: Bearer <token>` unless it is @Public(). A token
 * is only ever read from that header, never from the URL. Sets `req.actor` (and the session, see
 * CurrentSession), then checks @MinRole.
 */
@Injectable()
export class TokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: Sessions,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const access = this.accessOf(context);
    if (access.isPublic) return true;
    const req = context.switchToHttp().getRequest<ChimeRequest>();
    const header = req.headers.authorization;
    if (!header) throw new UnauthenticatedError('missing Authorization header; expected "Bearer <token>"');
    const match = BEARER.exec(header.trim());
    if (!match) throw new UnauthenticatedError('malformed Authorization header; expected "Bearer <token>"');
    // A token seen in the last 30 s is let in without a promise (the usual case); others ask the database.
    const known = this.sessions.known(match[1]);
    if (known !== null) return this.admit(req, known, access.minRole);
    return this.sessions.lookUp(match[1]).then((session) => this.admit(req, session, access.minRole));
  }

  private admit(req: ChimeRequest, session: Session | undefined, minRole: Role | undefined): true {
    if (!session) throw new UnauthenticatedError('the token is not valid: unknown, expired or revoked');
    req.actor = session.actor;
    (req as GuardedRequest)[SESSION] = session;
    if (minRole !== undefined && session.actor.role < minRole) {
      throw new PermissionDeniedError(`this operation needs the role ${ROLE_NAMES[minRole]} or higher`);
    }
    return true;
  }

  private accessOf(context: ExecutionContext): RouteAccess {
    const handler = context.getHandler();
    let access = accessOfHandler.get(handler);
    if (!access) {
      const targets = [handler, context.getClass()];
      access = {
        isPublic: this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) === true,
        minRole: this.reflector.getAllAndOverride<Role | undefined>(MIN_ROLE, targets),
      };
      accessOfHandler.set(handler, access);
    }
    return access;
  }
}
