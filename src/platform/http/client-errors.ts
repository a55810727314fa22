import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorStatus, FailureEnvelope } from '@chime/contracts';

/** Failures of Node's HTTP parser and timers, by error code: status line and envelope status. */
const CLIENT_ERRORS: Record<string, { code: number; reason: string; status: ErrorStatus; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    code: 431,
    reason: 'Request Header Fields Too Large',
    status: 'PAYLOAD_TOO_LARGE',
    message: 'the request headers are too large',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    code: 408,
    reason: 'Request Timeout',
    status: 'DEADLINE_EXCEEDED',
    message: 'the request was not received in time',
  },
};
const MALFORMED = { code: 400, reason: 'Bad Request', status: 'INVALID_ARGUMENT', message: 'malformed HTTP request' } as const;

/**
 * Requests the HTTP parser refuses (bad method, a byte it does not allow, headers over its limit,
 * a request not received in time) never reach Express; Node would answer them with a bare status
 * line. They get the envelope too, then the connection is closed.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    // A socket already answering a request, or gone, cannot take a second status line.
    const answering = (socket as Socket & { _httpMessage?: unknown })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || answering) {
      socket.destroy();
      return;
    }
    const failure = CLIENT_ERRORS[error.code ?? ''] ?? MALFORMED;
    const requestId = randomUUID();
    const body: FailureEnvelope = {
      requestId,
      error: { code: failure.code, message: failure.message, status: failure.status },
    };
    const text = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${failure.code} ${failure.reason}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(text)}\r\n` +
        `X-Request-Id: ${requestId}\r\n` +
        'Connection: close\r\n\r\n' +
        text,
    );
  });
}
