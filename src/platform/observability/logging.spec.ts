import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import type { Request, Response } from 'express';
import { createRootLogger, readableLogs, requestTelemetry } from './logging';
import type { Metrics } from './metrics';

type Format = 'auto' | 'json' | 'pretty';

/** A logger writing into memory; whether stdout is a terminal is said, not looked up. */
function capture(format: Format = 'json', isTTY = false) {
  const out: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out.push(chunk.toString());
      done();
    },
  });
  const logger = createRootLogger({ LOG_LEVEL: 'info', LOG_FORMAT: format }, stream, { isTTY, colors: false });
  const flushed = () => new Promise((resolve) => setImmediate(resolve));
  return { out, logger, flushed, lines: () => out.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

const reqId = 'b6f1c7a2-0d3e-4f5a-9b8c-7d6e5f4a3b2c';
const READABLE = /^\d\d:\d\d:\d\d\.\d{3} INFO {2}/;

describe('createRootLogger', () => {
  it('names a request only when the line says which (the server keeps no async context to find it by)', async () => {
    const { lines, logger, flushed } = capture();
    logger.warn({ reqId, detail: 1 }, 'about a request');
    logger.info('about none');
    await flushed();
    expect(lines()).toEqual([
      expect.objectContaining({ msg: 'about a request', detail: 1, reqId }),
      expect.not.objectContaining({ reqId: expect.anything() }),
    ]);
  });

  it.each<[Format, boolean, 'json' | 'readable']>([
    ['auto', false, 'json'],
    ['auto', true, 'readable'],
    ['json', true, 'json'],
    ['pretty', false, 'readable'],
  ])('LOG_FORMAT=%s with a terminal: %s writes %s lines', async (format, isTTY, expected) => {
    expect(readableLogs(format, isTTY)).toBe(expected === 'readable');
    const { out, logger, flushed } = capture(format, isTTY);
    logger.info({ reqId, count: 2 }, 'hello');
    await flushed();
    if (expected === 'json') {
      expect(JSON.parse(out[0])).toEqual(expect.objectContaining({ level: 30, msg: 'hello', count: 2, reqId }));
    } else {
      expect(out[0]).toMatch(READABLE);
      expect(out[0]).toMatch(/ b6f1c7a2-0d3e-4f5a-9b8c-7d6e5f4a3b2c hello count=2\n$/);
    }
  });

  it.each<Format>(['json', 'pretty'])('never writes a secret (LOG_FORMAT=%s)', async (format) => {
    const { out, logger, flushed } = capture(format);
    logger.warn(
      {
        password: 'p-secret-1',
        vnc_password: 'p-secret-2',
        token: 'p-secret-3',
        join_token: 'p-secret-4',
        credential: 'p-secret-5',
        credentials: { user: 'p-secret-6' },
        secrets: { root_password: 'p-secret-7' },
        authorization: 'Bearer p-secret-8',
        err: Object.assign(new Error('insert failed'), { parameters: ['p-secret-12'] }),
      },
      'careful',
    );
    await flushed();
    const text = out.join('');
    expect(text).toContain('careful');
    expect(text).toContain('***');
    expect(text).not.toMatch(/p-secret/);
  });
});

describe('requestTelemetry', () => {
  it('writes one line per request, with any secret in the query replaced', async () => {
    const { lines, logger, flushed } = capture('json');
    const metrics = { observe: jest.fn() } as unknown as Metrics;
    const res = Object.assign(new EventEmitter(), { statusCode: 200, writableFinished: true });
    const req = {
      id: reqId,
      method: 'GET',
      baseUrl: '',
      originalUrl: '/v1/vm?token=q-secret-1&x=1&join_token=q-secret-2&vnc_password=q-secret-3&Access_Token=q-secret-4',
      socket: { remoteAddress: '127.0.0.1' },
    };
    requestTelemetry(metrics, logger)(req as unknown as Request, res as unknown as Response);
    // As a sent response does: 'finish', then 'close'.
    res.emit('finish');
    res.emit('close');
    await flushed();
    const [line] = lines();
    expect(line).toEqual(expect.objectContaining({ msg: 'request completed', reqId, res: { statusCode: 200 } }));
    expect((line.req as { url: string }).url).toBe('/v1/vm?token=***&x=1&join_token=***&vnc_password=***&Access_Token=***');
  });
});
