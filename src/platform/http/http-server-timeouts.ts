import type { Server } from 'node:http';
import type { AppConfig } from '../config/app-config';

/**
 * How often Node looks for connections past their headers or request timeout (its default is 30 s,
 * which would let a slow client stay up to 30 s past its bound).
 */
const CHECK_INTERVAL_MS = 1000;

/**
 * Bounds how long a client may take to send its request, so that slow clients cannot hold
 * connections (Node's defaults: 60 s for the headers, 300 s for the whole request). Both bounds end
 * with the request: responses are never cut, so Server-Sent Event streams stay open, and no socket
 * idle timeout is set for the same reason. Keep-alive stays at Node's default (5 s idle).
 * Must run before the server listens: the check interval is read when it starts listening.
 */
export function applyHttpServerTimeouts(server: Server, config: AppConfig): void {
  server.headersTimeout = config.HTTP_HEADERS_TIMEOUT_MS;
  server.requestTimeout = config.HTTP_REQUEST_TIMEOUT_MS;
  // A createServer option, kept as a property and read at listen (Nest creates the server for us).
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.min(
    CHECK_INTERVAL_MS,
    config.HTTP_HEADERS_TIMEOUT_MS,
  );
}
