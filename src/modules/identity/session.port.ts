/**
 * What other modules may know of sessions: the identity module's public surface for them (the
 * event stream ends a stream with its session). Nothing else of identity is theirs to import.
 */
export { Sessions } from './sessions';
export type { Session, SessionChange, SessionEnd, SessionState } from './sessions';
export { CurrentSession } from './token.guard';
