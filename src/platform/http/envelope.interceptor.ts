import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { SuccessEnvelope } from '@chime/contracts';
import { map, Observable } from 'rxjs';
import { RAW_RESPONSE } from './raw-response.decorator';
import type { ChimeRequest } from './request-context';

/** Wraps every successful result as `{requestId, result}` (API.md §1.1). */
@Injectable()
export class EnvelopeInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const raw = this.reflector.getAllAndOverride<boolean>(RAW_RESPONSE, [context.getHandler(), context.getClass()]);
    if (raw) return next.handle();
    const requestId = String(context.switchToHttp().getRequest<ChimeRequest>().id);
    return next.handle().pipe(map((result): SuccessEnvelope<unknown> => ({ requestId, result: result ?? null })));
  }
}
