import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { Transform } from 'node:stream';

/**
 * A TCP relay in front of a real server, for tests that need that server to "go down" and come
 * back while the process under test keeps running:
 * - `cut()` resets every relayed connection and refuses new ones (a database that stopped);
 * - `drop()` keeps every connection open but silently discards all bytes both ways, and accepts new
 *   connections without ever answering them (packets dropped on the way, not refused): only the
 *   client's own timeouts can end a wait;
 * - `restore()` relays again. Bytes discarded while dropping are lost for good, so a connection that
 *   carried traffic meanwhile is out of step, as after a real loss; connections accepted while
 *   dropping stay unanswered.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private mode: 'relay' | 'cut' | 'drop' = 'relay';

  private constructor(private readonly server: Server) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server);
    server.on('connection', (client) => {
      if (proxy.mode === 'cut') {
        client.resetAndDestroy();
        return;
      }
      proxy.track(client);
      if (proxy.mode === 'drop') {
        client.on('error', () => undefined);
        client.resume(); // read and discard, never connected upstream
        return;
      }
      const upstream = createConnection(target);
      proxy.track(upstream);
      for (const [from, to] of [
        [client, upstream],
        [upstream, client],
      ]) {
        from.pipe(proxy.unlessDropping()).pipe(to);
        // An error on one side (e.g. the reset we cause) ends the other side too.
        from.on('error', () => to.destroy());
        from.on('close', () => to.destroy());
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  cut(): void {
    this.mode = 'cut';
    for (const socket of this.sockets) socket.resetAndDestroy();
  }

  drop(): void {
    this.mode = 'drop';
  }

  restore(): void {
    this.mode = 'relay';
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  /** Passes bytes on while relaying; swallows them while dropping. */
  private unlessDropping(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _encoding, done) => (this.mode === 'drop' ? done() : done(null, chunk)),
    });
  }
}
