import type pino from 'pino';

const LEVELS: Record<number, { label: string; color: string }> = {
  10: { label: 'TRACE', color: '\x1b[90m' },
  20: { label: 'DEBUG', color: '\x1b[36m' },
  30: { label: 'INFO ', color: '\x1b[32m' },
  40: { label: 'WARN ', color: '\x1b[33m' },
  50: { label: 'ERROR', color: '\x1b[31m' },
  60: { label: 'FATAL', color: '\x1b[1;31m' },
};
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/** Fields every line has, or that the prefix and the request summary already show. */
const SHOWN = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'reqId', 'context', 'err']);
const REQUEST_LINE = new Set(['req', 'res', 'responseTime']);

interface Line {
  level?: number;
  time?: number;
  msg?: string;
  reqId?: string;
  context?: string;
  err?: { stack?: string; message?: string };
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  [key: string]: unknown;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function clock(time: number): string {
  const t = new Date(time);
  return `${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}.${pad(t.getMilliseconds(), 3)}`;
}

function compact(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/**
 * One JSON line as pino wrote it (secrets already redacted), as a line for people:
 * `14:03:07.412 INFO  <request id> request completed GET /v1/az 200 3ms`, then any other field as
 * `key=value`, then an error's stack indented below. Colours only for a real terminal.
 */
export function formatLine(json: string, colors = false): string {
  let line: Line;
  try {
    line = JSON.parse(json) as Line;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const level = LEVELS[line.level ?? 30] ?? { label: String(line.level).padEnd(5), color: '' };
  const parts = [
    colors ? `${DIM}${clock(line.time ?? Date.now())}${RESET}` : clock(line.time ?? Date.now()),
    colors ? `${level.color}${level.label}${RESET}` : level.label,
  ];
  if (line.reqId) parts.push(colors ? `${DIM}${line.reqId}${RESET}` : line.reqId);
  if (line.context) parts.push(`${line.context}:`);
  if (line.msg !== undefined) parts.push(line.msg);
  const isRequestLine = line.req !== undefined && line.res !== undefined;
  if (isRequestLine) {
    parts.push(`${line.req?.method ?? ''} ${line.req?.url ?? ''} ${line.res?.statusCode ?? ''} ${line.responseTime ?? '?'}ms`);
  }
  for (const [key, value] of Object.entries(line)) {
    if (SHOWN.has(key) || (isRequestLine && REQUEST_LINE.has(key))) continue;
    parts.push(`${key}=${compact(value)}`);
  }
  let text = parts.join(' ');
  const err = line.err;
  if (err) {
    const detail = err.stack ?? err.message ?? compact(err);
    text += `\n${detail.replace(/^/gm, '    ')}`;
  }
  return `${text}\n`;
}

/**
 * A pino destination that writes readable lines into `destination` (the same asynchronous one the
 * JSON lines go to). Pino serialises and redacts first, so both formats show exactly the same data.
 */
export function terminalLines(destination: pino.DestinationStream, colors: boolean): pino.DestinationStream {
  const target = destination as pino.DestinationStream & { flush?: (cb?: (err?: Error) => void) => void; flushSync?: () => void };
  return {
    write: (json: string) => target.write(formatLine(json, colors)),
    ...(target.flush ? { flush: (cb?: (err?: Error) => void) => target.flush?.(cb) } : {}),
    ...(target.flushSync ? { flushSync: () => target.flushSync?.() } : {}),
  } as pino.DestinationStream;
}
