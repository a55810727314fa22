import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';

/** A bcrypt hash as ChimeStack stores them ($2a$; $2b$ and $2y$ are the same algorithm), any cost. */
const BCRYPT = /^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/;
/** ChimeStack's bcrypt cost: every check takes at least as long as one at this cost. */
const BCRYPT_COST = 10;
/** The floor is this percentile of the latest SAMPLES checks (argon2id, and bcrypt at BCRYPT_COST). */
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
 * floor: the 90th percentile of the latest checks, argon2id ones and bcrypt ones at cost 10 (the
 * first sample is a bcrypt hash at cost 10, measured at start). Both kinds feed the floor because
 * either can be the slower one: bcrypt is CPU on the event loop, argon2 runs on worker threads and
 * slows down first when the cores are busy. Nearly every failure then ends at the same floor. A successful
 * check is not padded: its timing tells nothing to anyone but the holder of the password, and
 * logins stay as fast as argon2 allows. The padding is a timer, not CPU: it costs the server
 * nothing under a burst of failed logins.
 */
@Injectable()
export class Passwords {
  /** Checked against when the user does not exist, so that a wrong name costs what a wrong password costs. */
  private readonly decoy = hash('decoy password that matches nothing');
  /** Milliseconds checks took lately, the first measured by hashing once with bcrypt at BCRYPT_COST. */
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
    const bcryptHash = passwordHash === undefined ? null : BCRYPT.exec(passwordHash);
    let matches = false;
    const ms = await measure(async () => {
      if (passwordHash === undefined) await verify(await this.decoy, password);
      // $2y$ (PHP's name) is $2b$: bcryptjs knows the algorithm by the latter.
      else if (bcryptHash) matches = await bcrypt.compare(password, passwordHash.replace(/^\$2y\$/, '$2b$'));
      else matches = await verify(passwordHash, password);
    });
    // A cheaper bcrypt check's fixed overheads would not scale: only those at BCRYPT_COST tell the floor.
    if (!bcryptHash || Number(bcryptHash[1]) === BCRYPT_COST) {
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
