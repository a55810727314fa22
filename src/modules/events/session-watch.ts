import type { Role } from '@chime/contracts';
import { Session, Sessions } from '../identity/session.port';
import type { StreamEndReason } from './event-streams';

/** How soon a check that failed (database unavailable) is tried again. */
const RETRY_MS = 1_000;
/** setTimeout's longest delay; a later expiry is reached in several steps. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Checks an open stream's session in the database again whenever it may have ended: after every
 * change that concerns it (a revocation on any server process, or a lost listening connection, see
 * Sessions.watch), at its expiry, and once at the start (a revocation may have come between the
 * token guard's check and this watch). Calls `end` once, with the reason, when the session has
 * ended or its user's role fell below `minRole`. Returns the function that stops watching.
 */
export function watchSession(
  sessions: Sessions,
  session: Session,
  minRole: Role,
  end: (reason: StreamEndReason) => void,
): () => void {
  let stopped = false;
  let checking = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  const checkAfter = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => void check(), Math.min(Math.max(ms, 0), MAX_DELAY_MS));
  };

  const check = async (): Promise<void> => {
    if (stopped) return;
    if (checking) {
      again = true; // a change during a check: its answer may predate the change
      return;
    }
    checking = true;
    again = false;
    let outcome: StreamEndReason | Date | undefined;
    try {
      const state = await sessions.check(session);
      if ('ended' in state) outcome = state.ended;
      else outcome = state.session.actor.role < minRole ? 'permission_revoked' : state.session.expiresAt;
    } catch {
      outcome = undefined; // the database is unavailable for now
    }
    checking = false;
    if (stopped) return;
    if (typeof outcome === 'string') {
      stop();
      end(outcome);
    } else if (again) {
      void check();
    } else {
      checkAfter(outcome ? outcome.getTime() - Date.now() : RETRY_MS);
    }
  };

  const unwatch = sessions.watch((change) => {
    if (Sessions.concerns(change, session)) void check();
  });
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    unwatch();
  };
  void check();
  return stop;
}
