import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { EventStore } from '@chime/event-log';
import { DatabaseNotifications } from '../../platform/database/notifications';
import type { Actor } from '../../platform/http/request-context';
import { TokenRevoked } from './identity.events';
import { TOKEN_STREAM } from './token.entity';

/** A valid token's session: who it is and when it ends. */
export interface Session {
  tokenId: string;
  /** SHA-256 of the token, as revocations name it (see forget()). */
  tokenHash: string;
  actor: Actor;
  createdAt: Date;
  expiresAt: Date;
}

/** Whose sessions a revocation concerns: one token's, or all of a user's. */
export type RevocationTarget = { tokenHash: string } | { userUuid: string };

/** What may have changed: the sessions of a revocation target, or any session (notifications may have been missed). */
export type SessionChange = RevocationTarget | { all: true };

/** Why a session no longer works. */
export type SessionEnd = 'token_revoked' | 'token_expired' | 'password_changed' | 'user_deleted';

/** A session as the database has it now: still valid (its actor's name and role may have changed), or ended. */
export type SessionState = { session: Session } | { ended: SessionEnd };

const END_OF_REVOCATION: Record<TokenRevoked['data']['reason'], SessionEnd> = {
  logout: 'token_revoked',
  password_changed: 'password_changed',
  user_deleted: 'user_deleted',
};

/** How long a validated token is trusted from memory before it is checked in the database again. */
const CACHE_TTL_MS = 30_000;
const CACHE_MAX = 50_000;
/** Channel on which every server process hears of revocations, see forget(). */
export const REVOCATION_CHANNEL = 'chime_session_revoked';

const TOKEN_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function hashToken(token: string): string {
  return createHash('sha256').update(token.toLowerCase()).digest('hex');
}

interface CachedSession {
  session: Session;
  hash: string;
  checkedAt: number;
}

/**
 * Resolves bearer tokens to sessions without a database round trip per request: a validated token
 * is kept in memory for up to 30 s (never past its expiry).
 *
 * Revocation (logout, password change, user deleted or changed) takes effect at once: the command
 * calls forget() after its commit, which drops the entries on this process, and within its
 * transaction it sends `NOTIFY chime_session_revoked` (delivered only if it commits); every other
 * process LISTENs (through the server's one listening connection, DatabaseNotifications) and drops
 * the same entries. Should a process lose its listening connection, it empties its cache (and again
 * once it listens again); the 30 s bound limits what a missed notification could cost. The embedded
 * database is single-process (its data directory is locked), so it needs no listener.
 *
 * Long-lived requests (event streams) watch() for these changes and check() their session again.
 */
@Injectable()
export class Sessions {
  private readonly logger = new Logger(Sessions.name);
  private readonly cache = new Map<string, CachedSession>();
  private readonly watchers = new Set<(change: SessionChange) => void>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventStore,
    notifications: DatabaseNotifications,
  ) {
    notifications.listen(REVOCATION_CHANNEL, {
      message: (payload) => {
        try {
          this.forget(JSON.parse(payload || '{}'));
        } catch {
          this.gap();
        }
      },
      gap: () => this.gap(),
    });
  }

  /**
   * What memory knows of a token without the database: its session, or undefined when the token is
   * malformed or its cached session has expired; `null` when only the database can tell (resolve).
   * Synchronous, so that the token guard's usual case (a token seen in the last 30 s) makes no promise.
   */
  known(token: string, now = Date.now()): Session | undefined | null {
    if (!TOKEN_SHAPE.test(token)) return undefined;
    const cached = this.cache.get(hashToken(token));
    if (!cached || cached.checkedAt <= now - CACHE_TTL_MS) return null;
    return cached.session.expiresAt.getTime() > now ? cached.session : undefined;
  }

  /** The session of a token, or undefined when the token is malformed, unknown, expired or revoked. */
  resolve(token: string, now = new Date()): Promise<Session | undefined> {
    const known = this.known(token, now.getTime());
    return known !== null ? Promise.resolve(known) : this.lookUp(token, now);
  }

  /**
   * The database's answer for a token that `known` could not tell (it returned null), remembered
   * for the next 30 s; undefined when the token is unknown, expired or revoked.
   */
  async lookUp(token: string, now = new Date()): Promise<Session | undefined> {
    const hash = hashToken(token);
    const rows: { id: string; created_at: Date; expires_at: Date; uuid: string; name: string; role: number }[] =
      await this.dataSource.query(
        `SELECT t.id, t.created_at, t.expires_at, u.uuid, u.name, u.role
           FROM tokens t JOIN users u ON u.uuid = t.user_uuid
          WHERE t.hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2`,
        [hash, now],
      );
    if (rows.length === 0) {
      this.cache.delete(hash);
      return undefined;
    }
    const row = rows[0];
    const session: Session = {
      tokenId: row.id,
      tokenHash: hash,
      actor: { uuid: row.uuid, name: row.name, role: row.role },
      createdAt: row.created_at,
      expiresAt: row.expires_at,
    };
    this.remember(hash, session, now.getTime());
    return session;
  }

  /**
   * Within a command's transaction: tell every process to drop the cached sessions of these
   * tokens, or all sessions of a user (whose name or role changed, or who is gone).
   */
  async announceRevocation(manager: EntityManager, target: RevocationTarget): Promise<void> {
    await manager.query('SELECT pg_notify($1, $2)', [REVOCATION_CHANNEL, JSON.stringify(target)]);
  }

  /** After the commit: drop the cached sessions on this process at once, and tell the watchers. */
  forget(target: RevocationTarget): void {
    if ('tokenHash' in target) {
      this.cache.delete(target.tokenHash);
    } else {
      for (const [hash, entry] of this.cache) {
        if (entry.session.actor.uuid === target.userUuid) this.cache.delete(hash);
      }
    }
    this.tell(target);
  }

  /**
   * Calls `watcher` after every change that may concern a session: a revocation on any process, or
   * `{all: true}` when this process may have missed some (its listening connection was lost).
   * Returns the function that stops watching.
   */
  watch(watcher: (change: SessionChange) => void): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  /** Whether a change concerns a session. */
  static concerns(change: SessionChange, session: Session): boolean {
    if ('all' in change) return true;
    if ('tokenHash' in change) return change.tokenHash === session.tokenHash;
    return change.userUuid === session.actor.uuid;
  }

  /**
   * The session as the database has it now (never from the cache), or why it ended. A revoked
   * token's reason is in its TokenRevoked event; the row itself may be gone (user deleted, swept).
   */
  async check(session: Session, now = new Date()): Promise<SessionState> {
    const rows: { expires_at: Date; revoked_at: Date | null; uuid: string | null; name: string; role: number }[] =
      await this.dataSource.query(
        `SELECT t.expires_at, t.revoked_at, u.uuid, u.name, u.role
           FROM tokens t LEFT JOIN users u ON u.uuid = t.user_uuid
          WHERE t.id = $1`,
        [session.tokenId],
      );
    const row = rows[0];
    if (row?.uuid && !row.revoked_at && row.expires_at > now) {
      return { session: { ...session, actor: { uuid: row.uuid, name: row.name, role: row.role }, expiresAt: row.expires_at } };
    }
    const revoked = (await this.events.readStream(TOKEN_STREAM, session.tokenId)).find((e) => e.type === TokenRevoked.type);
    if (revoked) return { ended: END_OF_REVOCATION[(revoked.data as TokenRevoked['data']).reason] ?? 'token_revoked' };
    if ((row?.expires_at ?? session.expiresAt) <= now) return { ended: 'token_expired' };
    return { ended: 'token_revoked' };
  }

  private tell(change: SessionChange): void {
    for (const watcher of this.watchers) {
      try {
        watcher(change);
      } catch (error) {
        // forget() runs after a command's commit: a watcher must not turn its success into a failure.
        this.logger.error(`a session watcher failed: ${(error as Error).message}`);
      }
    }
  }

  private remember(hash: string, session: Session, now: number): void {
    this.cache.delete(hash);
    this.cache.set(hash, { session, hash, checkedAt: now });
    if (this.cache.size > CACHE_MAX) this.cache.delete(this.cache.keys().next().value as string);
  }

  /** Revocations may have been missed: nothing cached is trusted, every watcher checks again. */
  private gap(): void {
    this.cache.clear();
    this.tell({ all: true });
  }
}
