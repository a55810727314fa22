import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { InvalidArgumentError } from '../../platform/errors/domain-error';
import { HEAD } from './event.dto';
import { EventFeed, StreamStart } from './event-feed';

const POSITION = /^\d{1,15}$/;

/** Where each stream request starts, as StreamStartGuard found it. */
const startOfRequest = new WeakMap<object, StreamStart>();

/**
 * Finds where a stream starts, which takes a database read, before the route handler runs. The
 * handler is too late for it: Nest sends an SSE response's headers one macrotask after the
 * handler's Observable is asked for (the global interceptors ask at once), so "no event at that
 * position" found after a round trip would reach the client as `event: error` on a 200 stream
 * instead of a 400. Last-Event-ID (sent by EventSource when it reconnects) wins over `after`.
 * A malformed `after` is left to the validation of EventStreamParams, which refuses it.
 */
@Injectable()
export class StreamStartGuard implements CanActivate {
  constructor(private readonly feed: EventFeed) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const lastEventId = req.headers['last-event-id'];
    const after = req.query.after ?? '0';
    if (lastEventId !== undefined) {
      if (typeof lastEventId !== 'string' || !POSITION.test(lastEventId)) {
        throw new InvalidArgumentError('Last-Event-ID must be an event position');
      }
      startOfRequest.set(req, await this.feed.startAfter(Number(lastEventId)));
    } else if (after === HEAD) {
      startOfRequest.set(req, await this.feed.startAtHead());
    } else if (typeof after === 'string' && POSITION.test(after)) {
      startOfRequest.set(req, await this.feed.startAfter(Number(after)));
    }
    return true;
  }
}

/**
 * The start StreamStartGuard found for the request; undefined when `after` is malformed (the
 * query's validation, which reports it better, runs beside this and refuses the request).
 */
export const CurrentStreamStart = createParamDecorator((_: unknown, context: ExecutionContext): StreamStart | undefined =>
  startOfRequest.get(context.switchToHttp().getRequest<Request>()),
);
