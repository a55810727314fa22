import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';

/** A bcrypt hash as ChimeStack stores them ($2a$; $2b$ and $2y$ are the same algorithm), any cost. */
const BCRYPT = /^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/;
/** ChimeStack's bcrypt cost: every check takes at least as long as one at this cost. */
const BCRYPT_COST = 10;
/** Weight of the newest measurement in the running estimate of a bcrypt check at BCRYPT_COST. */
const SMOOTHING = 0.2;

export function isBcryptHash(passwordHash: string): boolean {
  return BCRYPT.test(passwordHash);
}

/**
 * Passwords are hashed with argon2id (the library's default: 19 MiB, 2 passes). Hashes imported
 * from ChimeStack are bcrypt and are checked as such until the user's first login re-hashes them.
 *
 * A check must not tell who was imported: bcrypt at cost 10 in pure JS takes about 5× what argon2
 * takes here, so every check (argon2, bcrypt, unknown user) is padded with a sleep up to the time a
 * bcrypt check at cost 10 takes, measured at start and kept up to date by the bcrypt checks made
 * since. The padding is a timer, not CPU: it costs the server nothing under a burst of logins.
 */
@Injectable()
export class Passwords {
  /** Checked against when the user does not exist, so that a wrong name costs what a wrong password costs. */
  private readonly decoy = hash('decoy password that matches nothing');
  /** Milliseconds a bcrypt check at BCRYPT_COST takes, first measured by hashing once at that cost. */
  private bcryptMs: Promise<number> = measure(() => bcrypt.hash('decoy password that matches nothing', BCRYPT_COST));

  hash(password: string): Promise<string> {
    return hash(password);
  }

  /** True for a hash that should be replaced by an argon2id one at the next successful login. */
  needsRehash(passwordHash: string): boolean {
    return !passwordHash.startsWith('$argon2id$');
  }

  async verify(passwordHash: string | undefined, password: string): Promise<boolean> {
    const started = performance.now();
    const matches = await this.check(passwordHash, password);
    const floor = await this.bcryptMs;
    const remaining = floor - (performance.now() - started);
    if (remaining > 0) await sleep(remaining);
    return matches;
  }

  private async check(passwordHash: string | undefined, password: string): Promise<boolean> {
    if (passwordHash === undefined) {
      await verify(await this.decoy, password);
      return false;
    }
    const bcryptHash = BCRYPT.exec(passwordHash);
    if (!bcryptHash) return verify(passwordHash, password);
    let matches = false;
    // $2y$ (PHP's name) is $2b$: bcryptjs knows the algorithm by the latter.
    const ms = await measure(async () => (matches = await bcrypt.compare(password, passwordHash.replace(/^\$2y\$/, '$2b$'))));
    const atCost = ms / 2 ** (Number(bcryptHash[1]) - BCRYPT_COST);
    this.bcryptMs = this.bcryptMs.then((estimate) => estimate + SMOOTHING * (atCost - estimate));
    return matches;
  }
}

async function measure(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}
