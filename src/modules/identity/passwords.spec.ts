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
    const times = { argon2: [] as number[], bcrypt: [] as number[], none: [] as number[] };
    // Interleaved, so that a burst of load elsewhere on the machine hits all three alike.
    for (let i = 0; i < rounds; i++) {
      times.argon2.push(await timeOf(() => passwords.verify(argon2, 'wrong')));
      times.bcrypt.push(await timeOf(() => passwords.verify(imported, 'wrong')));
      times.none.push(await timeOf(() => passwords.verify(undefined, 'wrong')));
    }
    const medians = { argon2: median(times.argon2), bcrypt: median(times.bcrypt), none: median(times.none) };
    process.stderr.write(
      `password check, median of ${rounds} wrong passwords: argon2id ${medians.argon2.toFixed(1)} ms, ` +
        `bcrypt cost 10 ${medians.bcrypt.toFixed(1)} ms, no such user ${medians.none.toFixed(1)} ms\n`,
    );
    // Loose bounds: a busy 2-core CI machine makes single checks jitter, not the medians drift apart.
    expect(medians.argon2 / medians.bcrypt).toBeGreaterThan(0.8);
    expect(medians.argon2 / medians.bcrypt).toBeLessThan(1.25);
    expect(medians.none / medians.bcrypt).toBeGreaterThan(0.8);
    expect(medians.none / medians.bcrypt).toBeLessThan(1.25);
  });
});
