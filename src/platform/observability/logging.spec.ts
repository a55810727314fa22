import { Writable } from 'node:stream';
import { RequestContext } from '../http/request-context';
import { createRootLogger } from './logging';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createRootLogger({ LOG_LEVEL: 'info' }, stream) };
}

const context = { requestId: 'b6f1c7a2-0d3e-4f5a-9b8c-7d6e5f4a3b2c', ip: '127.0.0.1', method: 'GET', path: '/v1/az', input: '' };

describe('createRootLogger', () => {
  it('writes the request id into every line written while the request is handled', async () => {
    const { lines, logger } = capture();
    RequestContext.run(context, () => logger.warn({ detail: 1 }, 'inside'));
    logger.info('outside');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual([
      expect.objectContaining({ msg: 'inside', detail: 1, reqId: context.requestId }),
      expect.not.objectContaining({ reqId: expect.anything() }),
    ]);
  });

  it('keeps a request id the line names itself (one key, not two)', async () => {
    const { lines, logger } = capture();
    RequestContext.run(context, () => logger.info({ reqId: 'other' }, 'explicit'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines[0].reqId).toBe('other');
  });
});
