import { Agent, ClientRequest, request as httpRequest } from 'node:http';
import type { RequestPlan } from './request-plan';
import { isObject, jsonPieces, Piece, piecesExpression, piecesText, urlText, Value } from './values';

/** A request exactly as it goes on the wire (the body as pieces, see `Piece`). */
export interface HttpRequest {
  method: string;
  target: string;
  headers: Record<string, string>;
  body?: Piece[];
}

export type HttpOutcome =
  | { kind: 'response'; status: number; headers: Record<string, string | string[] | undefined>; text: string }
  /** The server closed the connection or did not answer in time: in production, a dead or stuck process. */
  | { kind: 'no-response'; reason: string };

/**
 * The bytes of a resolved plan; `tokens` are the fixture's, by role; `schemeTokens` the valid
 * credentials of other security schemes (an agent's), used where a role's token would go.
 */
export function toHttpRequest(
  plan: RequestPlan,
  tokens: string[],
  revokedToken: string,
  schemeTokens: Record<string, string[]> = {},
): HttpRequest {
  const target =
    plan.operation.path.replace(/\{(\w+)\}/g, (_, name: string) => urlText(plan.pathParams[name] ?? '')) +
    (plan.query.length ? `?${plan.query.map(([k, v]) => `${queryKey(k)}=${urlText(v)}`).join('&')}` : '');
  const headers: Record<string, string> = {};
  const auth = plan.auth;
  const own = plan.operation.securedBy === undefined ? undefined : schemeTokens[plan.operation.securedBy];
  if (auth.kind === 'role') headers.Authorization = `Bearer ${own?.length ? own[auth.role % own.length] : tokens[auth.role]}`;
  if (auth.kind === 'unknown') headers.Authorization = `Bearer ${auth.token}`;
  if (auth.kind === 'revoked') headers.Authorization = `Bearer ${revokedToken}`;
  if (auth.kind === 'header') headers.Authorization = auth.value.replaceAll('{token}', tokens[0]);
  for (const [name, value] of plan.headers) headers[name] = headerText(value);
  if (plan.contentType !== undefined) headers['Content-Type'] = plan.contentType;
  return { method: plan.operation.method, target, headers, body: plan.body === undefined ? undefined : bodyPieces(plan) };
}

/** Brackets stay literal so that `a[b]=1` reaches the query parser as nesting. */
const queryKey = (key: string) => urlText(key).replaceAll('%5B', '[').replaceAll('%5D', ']');

/** Header values can only be printable ASCII; anything else becomes `?`. */
function headerText(value: Value): string {
  const text =
    typeof value === 'string'
      ? value
      : value !== null && typeof value === 'object' && 'raw' in value
        ? value.raw
        : urlText(value);
  return text.replace(/[^\t\x20-\x7e]/g, '?');
}

function bodyPieces(plan: RequestPlan): Piece[] {
  const body = plan.body!;
  if (plan.encoding === 'json' || !isObject(body)) return jsonPieces(body);
  if (plan.encoding === 'form') {
    return body.object.flatMap(([k, v], i): Piece[] => [...(i ? ['&'] : []), `${urlText(k)}=`, ...formValue(v)]);
  }
  return [
    ...body.object.flatMap(([k, v]): Piece[] => [
      `--fuzz\r\nContent-Disposition: form-data; name=${JSON.stringify(k)}\r\n\r\n`,
      ...formValue(v),
      '\r\n',
    ]),
    '--fuzz--\r\n',
  ];
}

const formValue = (v: Value): Piece[] => (typeof v === 'string' ? [urlText(v)] : jsonPieces(v));

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/**
 * Sends one request and reads the whole answer; an event stream is cut after its headers, since it
 * never ends. Never hangs: no answer within `timeoutMs` is an outcome of its own.
 */
export function send(baseUrl: string, req: HttpRequest, timeoutMs: number): Promise<HttpOutcome> {
  const url = new URL(baseUrl);
  const body = req.body === undefined ? undefined : Buffer.from(piecesText(req.body), 'utf8');
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (outcome: HttpOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    let client: ClientRequest;
    try {
      client = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          method: req.method,
          path: req.target,
          agent,
          headers: { ...req.headers, ...(body ? { 'Content-Length': String(body.length) } : {}) },
        },
        (res) => {
          if (String(res.headers['content-type']).startsWith('text/event-stream')) {
            done({ kind: 'response', status: res.statusCode ?? 0, headers: res.headers, text: '' });
            res.destroy();
            return;
          }
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            done({
              kind: 'response',
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', (error) => done({ kind: 'no-response', reason: `response broken off: ${error.message}` }));
        },
      );
    } catch (error) {
      // The generator made a request that cannot be written: its bug, not the server's.
      reject(new Error(`cannot send ${req.method} ${req.target}: ${(error as Error).message}`));
      return;
    }
    const timer = setTimeout(() => {
      done({ kind: 'no-response', reason: `no answer within ${timeoutMs} ms` });
      client.destroy();
    }, timeoutMs);
    client.on('error', (error) => done({ kind: 'no-response', reason: `connection failed: ${error.message}` }));
    client.end(body);
  });
}

export function closeConnections(): void {
  agent.destroy();
}

/** A shell command that sends the same request (tokens by role, so that it reads in a report). */
export function curlCommand(req: HttpRequest, baseUrl: string, tokens: string[]): string {
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const parts = [`curl -sS -X ${req.method} ${quote(baseUrl + req.target)}`];
  for (const [name, value] of Object.entries(req.headers)) {
    const role = tokens.findIndex((t) => value.includes(t));
    parts.push(`-H ${quote(`${name}: ${role >= 0 ? value.replace(tokens[role], `<token of role ${role}>`) : value}`)}`);
  }
  if (req.body) {
    const text = piecesText(req.body);
    parts.push(
      text.length <= 400 && ![...text].some((c) => c < ' ') && req.body.every((p) => typeof p === 'string')
        ? `--data-binary ${quote(text)}`
        : `--data-binary @<(node -e ${quote(`process.stdout.write(${piecesExpression(req.body)})`)})`,
    );
  }
  return parts.join(' ');
}
