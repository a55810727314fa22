import bcrypt from 'bcryptjs';
import { isBcryptHash, Passwords } from './passwords';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timeOf(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

describe('Passwords', () => {
  const passwords = new Passwords();

  it.each(['$2a$', '$2b$', '$2y$'])('verifies a bcrypt hash written as %s, at any cost', async (prefix) => {
    for (const cost of [4, 10]) {
      const stored = bcrypt.hashSync('old secret', cost).replace(/^\$2b\$/, prefix);
      expect(isBcryptHash(stored)).toBe(true);
      expect(await passwords.verify(stored, 'old secret')).toBe(true);
      expect(await passwords.verify(stored, 'old secreT')).toBe(false);
      expect(passwords.needsRehash(stored)).toBe(true);
    }
  });

  it('hashes with argon2id, which needs no re-hash; a missing user never matches', async () => {
    const stored = await passwords.hash('new secret');
    expect(stored).toMatch(/^\$argon2id\$/);
    expect(isBcryptHash(stored)).toBe(false);
    expect(passwords.needsRehash(stored)).toBe(false);
    expect(await passwords.verify(stored, 'new secret')).toBe(true);
    expect(await passwords.verify(undefined, 'new secret')).toBe(false);
  });

  it('takes as long for a wrong password whether the hash is argon2id, bcrypt (imported) or there is no user', async () => {
    const argon2 = await passwords.hash('secret');
    const imported = bcrypt.hashSync('secret', 10).replace(/^\$2b\$/, '$2a$');
    const rounds = 15;
    const within = (ratio: number) => ratio > 0.8 && ratio < 1.25;
    // A burst of load elsewhere on a 2-core CI machine (the other test worker, the database) can
    // slow the CPU-bound bcrypt check for a whole attempt; the padding catches up within the next
    // one. So up to three attempts, each of 15 interleaved rounds (a burst hits all three alike),
    // and the claim is that one of them has the three medians together.
    const attempts: { argon2: number; bcrypt: number; none: number }[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const times = { argon2: [] as number[], bcrypt: [] as number[], none: [] as number[] };
      for (let i = 0; i < rounds; i++) {
        times.argon2.push(await timeOf(() => passwords.verify(argon2, 'wrong')));
        times.bcrypt.push(await timeOf(() => passwords.verify(imported, 'wrong')));
        times.none.push(await timeOf(() => passwords.verify(undefined, 'wrong')));
      }
      const medians = { argon2: median(times.argon2), bcrypt: median(times.bcrypt), none: median(times.none) };
      attempts.push(medians);
      process.stderr.write(
        `password check, median of ${rounds} wrong passwords: argon2id ${medians.argon2.toFixed(1)} ms, ` +
          `bcrypt cost 10 ${medians.bcrypt.toFixed(1)} ms, no such user ${medians.none.toFixed(1)} ms\n`,
      );
      if (within(medians.argon2 / medians.bcrypt) && within(medians.none / medians.bcrypt)) break;
    }
    const last = attempts[attempts.length - 1];
    expect({ argon2: within(last.argon2 / last.bcrypt), none: within(last.none / last.bcrypt), attempts }).toMatchObject({
      argon2: true,
      none: true,
    });
  });
});
