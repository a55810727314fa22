import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Client, Notification } from 'pg';
import { AppConfig } from '../config/app-config';

/** The shortest time between two notifications on one channel from this process (see notify()). */
const NOTIFY_INTERVAL_MS = 25;

/** What a listener hears on its channel. */
export interface ChannelListener {
  /** A notification from another server process (never this process's own). */
  message(payload: string): void;
  /**
   * Notifications may have been missed: the listening connection was lost, or it is back after a
   * loss. The listener should act as if anything could have changed.
   */
  gap(): void;
}

/**
 * One PostgreSQL connection per process that LISTENs on behalf of the whole server, and sends the
 * notifications that are not part of a transaction (see notify()). Channels are registered with
 * listen(). Should the connection be lost, every listener hears of the gap, and the connection is
 * opened again with back-off (the listeners hear of the gap again once it is back).
 *
 * The embedded database has one process only (its directory is locked): there is no one to tell
 * and nothing to hear, so there is no connection and listen() and notify() do nothing.
 */
@Injectable()
export class DatabaseNotifications implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseNotifications.name);
  private readonly listeners = new Map<string, Set<ChannelListener>>();
  private readonly sending = new Map<string, 'sending' | 'again'>();
  private client: Client | undefined;
  private connected = false;
  private stopped = false;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  /** Whether there are other processes to hear from (a PostgreSQL server, not the embedded database). */
  get shared(): boolean {
    return Boolean(this.config.DATABASE_URL);
  }

  async onModuleInit(): Promise<void> {
    if (this.shared) await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** Listens on `channel` (a plain identifier); returns the function that stops listening. */
  listen(channel: string, listener: ChannelListener): () => void {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      if (this.connected) void this.client?.query(`LISTEN ${channel}`).catch(() => undefined);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /**
   * Tells the other processes on `channel`, outside any transaction: for news of a commit that has
   * happened already. Calls made while one is on its way, or within NOTIFY_INTERVAL_MS of it,
   * collapse into one more after it: under load, a notification (itself a small committed
   * transaction) goes out every NOTIFY_INTERVAL_MS at most, and none is lost. Nothing is sent while
   * disconnected (the listeners elsewhere have their own safety net).
   *
   * (A NOTIFY inside the writing transaction would be delivered with its commit, but PostgreSQL
   * serialises the commits of every transaction that notifies, their WAL flush included, on one
   * lock: every command would queue behind the others' commits.)
   */
  notify(channel: string): void {
    if (!this.shared || this.stopped) return;
    if (this.sending.has(channel)) {
      this.sending.set(channel, 'again');
      return;
    }
    this.sending.set(channel, 'sending');
    const send = async (): Promise<void> => {
      const started = Date.now();
      try {
        if (this.connected) await this.client?.query('SELECT pg_notify($1, $2)', [channel, '']);
      } catch {
        // The connection is lost: its handler reconnects; the listeners poll meanwhile.
      }
      if (this.sending.get(channel) === 'again' && !this.stopped) {
        this.sending.set(channel, 'sending');
        const wait = started + NOTIFY_INTERVAL_MS - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        return send();
      }
      this.sending.delete(channel);
    };
    void send();
  }

  /** One channel as a signal without payload: send() notifies, subscribe() hears messages and gaps alike. */
  channel(name: string): { send(): void; subscribe(wake: () => void): () => void } {
    return {
      send: () => this.notify(name),
      subscribe: (wake) => this.listen(name, { message: wake, gap: wake }),
    };
  }

  private gap(): void {
    for (const set of this.listeners.values()) for (const listener of set) call(() => listener.gap(), this.logger);
  }

  private async connect(attempt = 0): Promise<void> {
    if (this.stopped) return;
    const client = new Client({
      connectionString: this.config.DATABASE_URL,
      application_name: 'chime-server-listener',
      keepAlive: true,
    });
    const lost = () => {
      if (this.client !== client) return;
      this.client = undefined;
      this.connected = false;
      client.end().catch(() => undefined);
      if (this.stopped) return;
      this.gap();
      const delay = Math.min(30_000, 500 * 2 ** Math.min(attempt, 6));
      setTimeout(() => void this.connect(attempt + 1), delay).unref();
    };
    this.client = client;
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (message: Notification) => {
      // A process hears its own notifications too; it has told its own listeners already.
      if (message.processId === (client as unknown as { processID: number }).processID) return;
      for (const listener of this.listeners.get(message.channel) ?? []) {
        call(() => listener.message(message.payload ?? ''), this.logger);
      }
    });
    try {
      await client.connect();
      for (const channel of this.listeners.keys()) await client.query(`LISTEN ${channel}`);
      this.connected = true;
      // What was sent while this process was not listening reached no one here.
      if (attempt > 0) this.gap();
      attempt = 0;
    } catch (error) {
      this.logger.warn(`cannot listen for notifications yet: ${(error as Error).message}`);
      lost();
    }
  }
}

function call(fn: () => void, logger: Logger): void {
  try {
    fn();
  } catch (error) {
    logger.error(`a notification listener failed: ${(error as Error).message}`);
  }
}
