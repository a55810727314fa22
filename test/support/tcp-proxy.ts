import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay in front of a real server, for tests that need that server to "go down" and come
 * back while the process under test keeps running: `cut()` resets every relayed connection and
 * every new one (to the client this is a database that stopped), `restore()` relays again.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private isCut = false;

  private constructor(private readonly server: Server) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server);
    server.on('connection', (client) => {
      if (proxy.isCut) {
        client.resetAndDestroy();
        return;
      }
      const upstream = createConnection(target);
      for (const [from, to] of [
        [client, upstream],
        [upstream, client],
      ]) {
        proxy.sockets.add(from);
        from.pipe(to);
        // An error on one side (e.g. the reset we cause) ends the other side too.
        from.on('error', () => to.destroy());
        from.on('close', () => {
          proxy.sockets.delete(from);
          to.destroy();
        });
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  cut(): void {
    this.isCut = true;
    for (const socket of this.sockets) socket.resetAndDestroy();
  }

  restore(): void {
    this.isCut = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
