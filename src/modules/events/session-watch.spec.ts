import { Role } from '@chime/contracts';
import type { Session, SessionChange, SessionState, Sessions } from '../identity/session.port';
import { watchSession } from './session-watch';

const NOW = new Date('2030-01-01T00:00:00Z').getTime();

const session: Session = {
  tokenId: 'token-1',
  tokenHash: 'hash-1',
  actor: { uuid: 'user-1', name: 'reader', role: Role.ReadOnlyAdmin },
  createdAt: new Date(NOW),
  expiresAt: new Date(NOW + 60_000),
};

/** Sessions as far as watchSession uses them: check() answers what the test says, watch() is driven by the test. */
class FakeSessions {
  readonly watchers = new Set<(change: SessionChange) => void>();
  checks = 0;
  answer: () => Promise<SessionState> = async () => ({ session });

  watch(watcher: (change: SessionChange) => void): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  check(): Promise<SessionState> {
    this.checks++;
    return this.answer();
  }

  tell(change: SessionChange): void {
    for (const watcher of this.watchers) watcher(change);
  }
}

describe('watchSession', () => {
  let sessions: FakeSessions;
  let ends: string[];
  const watch = () => watchSession(sessions as unknown as Sessions, session, Role.ReadOnlyAdmin, (reason) => ends.push(reason));
  const settle = () => jest.advanceTimersByTimeAsync(0);

  beforeEach(() => {
    jest.useFakeTimers({ now: NOW });
    sessions = new FakeSessions();
    ends = [];
  });
  afterEach(() => jest.useRealTimers());

  it('checks once at the start, then on changes that concern the session only', async () => {
    const stop = watch();
    await settle();
    expect(sessions.checks).toBe(1);
    sessions.tell({ tokenHash: 'another' });
    sessions.tell({ userUuid: 'another' });
    await settle();
    expect(sessions.checks).toBe(1);
    sessions.tell({ tokenHash: 'hash-1' });
    await settle();
    sessions.tell({ userUuid: 'user-1' });
    await settle();
    sessions.tell({ all: true });
    await settle();
    expect(sessions.checks).toBe(4);
    expect(ends).toEqual([]);
    stop();
    expect(sessions.watchers.size).toBe(0);
  });

  it('ends once, with the reason the check gives', async () => {
    watch();
    await settle();
    sessions.answer = async () => ({ ended: 'password_changed' });
    sessions.tell({ userUuid: 'user-1' });
    sessions.tell({ all: true });
    await settle();
    sessions.tell({ all: true });
    await settle();
    expect(ends).toEqual(['password_changed']);
    expect(sessions.watchers.size).toBe(0);
  });

  it('ends with permission_revoked when the role falls below the one needed', async () => {
    watch();
    await settle();
    sessions.answer = async () => ({ session: { ...session, actor: { ...session.actor, role: Role.User } } });
    sessions.tell({ userUuid: 'user-1' });
    await settle();
    expect(ends).toEqual(['permission_revoked']);
  });

  it('checks again after a check that a change overtook', async () => {
    let release: () => void = () => undefined;
    sessions.answer = () => new Promise((resolve) => (release = () => resolve({ session })));
    watch();
    sessions.tell({ tokenHash: 'hash-1' }); // arrives while the first check is under way
    expect(sessions.checks).toBe(1);
    sessions.answer = async () => ({ ended: 'token_revoked' });
    release();
    await settle();
    expect(sessions.checks).toBe(2);
    expect(ends).toEqual(['token_revoked']);
  });

  it('checks at the expiry, and again a second after a failed check', async () => {
    watch();
    await settle();
    sessions.answer = async () => {
      throw new Error('database unavailable');
    };
    await jest.advanceTimersByTimeAsync(60_000);
    expect(sessions.checks).toBe(2);
    sessions.answer = async () => ({ ended: 'token_expired' });
    await jest.advanceTimersByTimeAsync(999);
    expect(ends).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(ends).toEqual(['token_expired']);
  });
});
