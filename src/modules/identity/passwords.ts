import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';

/** A bcrypt hash as ChimeStack stores them ($2a$; $2b$ and $2y$ are the same algorithm), any cost. */
const BCRYPT = /^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/;
/** ChimeStack's bcrypt cost: every check takes at least as long as one at this cost. */
const BCRYPT_COST = 10;
/** The floor is this percentile of the latest SAMPLES bcrypt checks at BCRYPT_COST. */
const PERCENTILE = 0.9;
const SAMPLES = 32;

export function isBcryptHash(passwordHash: string): boolean {
  return BCRYPT.test(passwordHash);
}

/**
 * Passwords are hashed with argon2id (the library's default: 19 MiB, 2 passes). Hashes imported
 * from ChimeStack are bcrypt and are checked as such until the user's first login re-hashes them.
 *
 * A check must not tell who was imported: bcrypt at cost 10 in pure JS takes about 5× what argon2
 * takes here, so every failed check (argon2, bcrypt, unknown user) is padded with a sleep up to a
 * floor: the 90th percentile of the latest bcrypt checks at cost 10 (the first sample is measured
 * at start). Nearly every failure, bcrypt ones included, then ends at the same floor. A successful
 * check is not padded: its timing tells nothing to anyone but the holder of the password, and
 * logins stay as fast as argon2 allows. The padding is a timer, not CPU: it costs the server
 * nothing under a burst of failed logins.
 */
@Injectable()
export class Passwords {
  /** Checked against when the user does not exist, so that a wrong name costs what a wrong password costs. */
  private readonly decoy = hash('decoy password that matches nothing');
  /** Milliseconds bcrypt checks at BCRYPT_COST took lately, the first measured by hashing once at that cost. */
  private readonly samples: Promise<number[]> = measure(() =>
    bcrypt.hash('decoy password that matches nothing', BCRYPT_COST),
  ).then((ms) => [ms]);

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
    if (matches) return true;
    const floor = percentile(await this.samples);
    const remaining = floor - (performance.now() - started);
    if (remaining > 0) await sleep(remaining);
    return false;
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
    // Only checks at BCRYPT_COST tell the floor: a cheaper one's fixed overheads would not scale.
    if (Number(bcryptHash[1]) === BCRYPT_COST) {
      const samples = await this.samples;
      samples.push(ms);
      if (samples.length > SAMPLES) samples.shift();
    }
    return matches;
  }
}

function percentile(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.ceil(PERCENTILE * sorted.length) - 1];
}

async function measure(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}
