import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * An agent's credential: 32 random bytes, base64url. It is shown once, at enrolment; the server
 * keeps its SHA-256 only (a fast hash is enough for a secret of 256 random bits: nothing to guess).
 */
export function issueCredential(): { credential: string; hash: string } {
  const credential = randomBytes(32).toString('base64url');
  return { credential, hash: hashCredential(credential) };
}

export function hashCredential(credential: string): string {
  return createHash('sha256').update(credential).digest('hex');
}

/** Whether the join token given is the server's, in time that does not depend on where they differ. */
export function joinTokenMatches(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
