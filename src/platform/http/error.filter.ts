import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Injectable, Logger } from '@nestjs/common';
import { HTTP_STATUS_OF, type ErrorStatus, type FailureEnvelope } from '@chime/contracts';
import { StreamVersionConflictError } from '@chime/event-log';
import type { Response } from 'express';
import { classifyDatabaseError, loggableDatabaseError } from '../database/database-errors';
import { DomainError, ResourceExhaustedError } from '../errors/domain-error';
import { RequestAudit } from './request-audit';
import { originOf, type ChimeRequest } from './request-context';

interface ApiFailure {
  status: ErrorStatus;
  message: string;
}

/** HTTP errors raised by Nest or Express themselves, by their status code. */
const HTTP_ERRORS: Record<number, ErrorStatus> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  405: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
};

/**
 * Turns every failure into `{requestId, error:{code,message,status}}` (API.md §1.1). Only errors
 * this filter recognises keep their message; anything else is logged with its stack and leaves as
 * a bare INTERNAL, so no stack trace, SQL or secret reaches a client.
 */
@Catch()
@Injectable()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  constructor(private readonly audit: RequestAudit) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const req = host.switchToHttp().getRequest<ChimeRequest>();
    const res = host.switchToHttp().getResponse<Response>();
    try {
      await this.respond(exception, req, res);
    } catch (failure) {
      // The filter is the last line: whatever went wrong in it, the client still gets an answer
      // and the process goes on.
      this.logger.error({ reqId: req.id, err: failure, original: loggableDatabaseError(exception) }, 'error filter failed');
      respondInternal(req, res);
    }
  }

  private async respond(exception: unknown, req: ChimeRequest, res: Response): Promise<void> {
    const failure = this.describe(exception, req);
    const code = HTTP_STATUS_OF[failure.status];
    if (res.headersSent) {
      res.end();
      return;
    }
    const error = { code, message: failure.message, status: failure.status };
    await this.audit.failed(originOf(req), exception, error);
    if (exception instanceof ResourceExhaustedError) res.setHeader('Retry-After', String(exception.retryAfterSeconds));
    const body: FailureEnvelope = { requestId: String(req.id), error };
    res.status(code).json(body);
  }

  private describe(exception: unknown, req: ChimeRequest): ApiFailure {
    if (exception instanceof DomainError) return { status: exception.status, message: exception.message };
    if (exception instanceof HttpException) {
      const status = HTTP_ERRORS[exception.getStatus()];
      if (status === 'NOT_FOUND') return { status, message: `no route for ${req.method} ${req.path}` };
      if (status) return { status, message: messageOf(exception) };
    }
    const dbError = classifyDatabaseError(exception);
    if (dbError) {
      if (dbError.status === 'UNAVAILABLE')
        this.logger.warn({ reqId: req.id, err: loggableDatabaseError(exception) }, 'database unavailable');
      return { status: dbError.status, message: dbError.message };
    }
    if (exception instanceof StreamVersionConflictError) {
      return { status: 'FAILED_PRECONDITION', message: 'the resource was changed concurrently; try again' };
    }
    this.logger.error({ reqId: req.id, err: loggableDatabaseError(exception) }, 'unexpected error');
    return { status: 'INTERNAL', message: 'internal error' };
  }
}

function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : String(message ?? exception.message);
}

/** A bare 500 envelope written without anything that could fail again. */
function respondInternal(req: ChimeRequest, res: Response): void {
  try {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body: FailureEnvelope = {
      requestId: String(req.id),
      error: { code: 500, message: 'internal error', status: 'INTERNAL' },
    };
    res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
  } catch {
    res.destroy();
  }
}
