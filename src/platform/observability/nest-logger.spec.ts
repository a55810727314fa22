import { Writable } from 'node:stream';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { createRootLogger } from './logging';
import { NestLogger } from './nest-logger';

/** Nest's `Logger` writing through a NestLogger over a root logger that writes JSON into memory. */
function capture(level = 'trace') {
  const out: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out.push(chunk.toString());
      done();
    },
  });
  const root = createRootLogger({ LOG_LEVEL: level, LOG_FORMAT: 'json' }, stream, { isTTY: false, colors: false });
  Logger.overrideLogger(new NestLogger(root));
  const lines = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    return out.map((line) => JSON.parse(line) as Record<string, unknown>);
  };
  return { lines };
}

describe('NestLogger', () => {
  afterEach(() => Logger.overrideLogger(new ConsoleLogger()));

  it("writes each of Nest's levels at the matching pino level, with the context as a field", async () => {
    const { lines } = capture();
    const logger = new Logger('Images');
    logger.verbose('v');
    logger.debug('d');
    logger.log('l');
    logger.warn('w');
    logger.error('e');
    logger.fatal('f');
    expect((await lines()).map(({ level, msg, context }) => ({ level, msg, context }))).toEqual([
      { level: 10, msg: 'v', context: 'Images' },
      { level: 20, msg: 'd', context: 'Images' },
      { level: 30, msg: 'l', context: 'Images' },
      { level: 40, msg: 'w', context: 'Images' },
      { level: 50, msg: 'e', context: 'Images' },
      { level: 60, msg: 'f', context: 'Images' },
    ]);
  });

  it("leaves out what the root logger's level leaves out", async () => {
    const { lines } = capture('info');
    const logger = new Logger('Images');
    logger.debug('hidden');
    logger.verbose('hidden');
    logger.log('shown');
    expect((await lines()).map((line) => line.msg)).toEqual(['shown']);
  });

  it('has no context field when the logger has none (a static call)', async () => {
    const { lines } = capture();
    Logger.log('plain');
    const [line] = await lines();
    expect(line.msg).toBe('plain');
    expect(line).not.toHaveProperty('context');
  });

  it('merges an object message into the fields, the text after it as the message', async () => {
    const { lines } = capture();
    new Logger('Events').warn({ position: 7, failures: 2 }, 'event handler failed');
    expect((await lines())[0]).toEqual(
      expect.objectContaining({ level: 40, msg: 'event handler failed', context: 'Events', position: 7, failures: 2 }),
    );
  });

  it('formats further arguments into the message', async () => {
    const { lines } = capture();
    new Logger('Hosts').log('%d hosts in %s', 3, 'zone-a');
    expect((await lines())[0]).toEqual(expect.objectContaining({ msg: '3 hosts in zone-a', context: 'Hosts' }));
  });

  it('logs an Error as `err` with its stack, its message as the message', async () => {
    const { lines } = capture();
    const error = new Error('disk on fire');
    new Logger('ExceptionsHandler').error(error);
    const [line] = await lines();
    expect(line).toEqual(expect.objectContaining({ level: 50, msg: 'disk on fire', context: 'ExceptionsHandler' }));
    expect(line.err).toEqual(expect.objectContaining({ type: 'Error', message: 'disk on fire', stack: error.stack }));
  });

  it('logs `{ err }` with a message (how the server logs failures) with the stack', async () => {
    const { lines } = capture();
    const error = new TypeError('bad');
    new Logger('ErrorFilter').error({ err: error }, 'unexpected error');
    const [line] = await lines();
    expect(line).toEqual(expect.objectContaining({ msg: 'unexpected error', context: 'ErrorFilter' }));
    expect(line.err).toEqual(expect.objectContaining({ type: 'TypeError', message: 'bad', stack: error.stack }));
  });

  it('logs error(message, stack, context) as an `err` carrying that stack', async () => {
    const { lines } = capture();
    const stack = 'Error: boom\n    at handler (/srv/app.js:1:2)\n    at next (/srv/router.js:3:4)';
    new Logger('ExceptionHandler').error('boom', stack);
    const [line] = await lines();
    expect(line).toEqual(expect.objectContaining({ level: 50, msg: 'boom', context: 'ExceptionHandler' }));
    expect(line.err).toEqual(expect.objectContaining({ message: 'boom', stack }));
  });

  it('keeps a second string that is no stack as a format argument, not an error', async () => {
    const { lines } = capture();
    Logger.error('failed: %s', 'reason', 'Ctx');
    const [line] = await lines();
    expect(line).toEqual(expect.objectContaining({ msg: 'failed: reason', context: 'Ctx' }));
    expect(line).not.toHaveProperty('err');
  });

  it('redacts secret fields of an object message', async () => {
    const { lines } = capture();
    new Logger('Identity').warn({ password: 'hunter2', user: 'admin' }, 'login');
    expect((await lines())[0]).toEqual(expect.objectContaining({ password: '***', user: 'admin' }));
  });
});
