import { formatLine } from './terminal-lines';

const time = new Date(2026, 0, 2, 3, 4, 5, 6).getTime(); // local time: 03:04:05.006
const reqId = 'b6f1c7a2-0d3e-4f5a-9b8c-7d6e5f4a3b2c';
const json = (fields: object) => JSON.stringify({ level: 30, time, pid: 1, hostname: 'h', ...fields });

describe('formatLine', () => {
  it('shows a request line as time, level, request id, message, then method, path, status and duration', () => {
    const line = json({
      reqId,
      req: { id: reqId, method: 'GET', url: '/v1/az?page=2', remoteAddress: '127.0.0.1' },
      res: { statusCode: 200 },
      responseTime: 3,
      msg: 'request completed',
    });
    expect(formatLine(line)).toBe(`03:04:05.006 INFO  ${reqId} request completed GET /v1/az?page=2 200 3ms\n`);
  });

  it('names the logger context, shows other fields as key=value and an error stack indented below', () => {
    const line = json({
      level: 50,
      context: 'ErrorFilter',
      msg: 'unexpected error',
      failures: 3,
      note: 'two words',
      err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at f (a.ts:1:1)' },
    });
    expect(formatLine(line)).toBe(
      '03:04:05.006 ERROR ErrorFilter: unexpected error failures=3 note="two words"\n' +
        '    Error: boom\n' +
        '        at f (a.ts:1:1)\n',
    );
  });

  it('leaves out the request id when the line has none', () => {
    expect(formatLine(json({ level: 40, msg: 'database unavailable' }))).toBe('03:04:05.006 WARN  database unavailable\n');
  });

  it('colours the level and dims time and request id only when asked (a real terminal)', () => {
    const coloured = formatLine(json({ level: 40, reqId, msg: 'slow' }), true);
    expect(coloured).toBe(`\x1b[2m03:04:05.006\x1b[0m \x1b[33mWARN \x1b[0m \x1b[2m${reqId}\x1b[0m slow\n`);
    expect(formatLine(json({ msg: 'plain' }), false)).not.toContain('\x1b[');
  });

  it('passes a line that is not JSON through unchanged', () => {
    expect(formatLine('not json')).toBe('not json\n');
  });
});
