/** The command line itself is wrong (unknown flag, bad value): exit status 2, nothing was sent. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * A hint for a mistyped word: a candidate equal but for case, one whose last `.`-part is the word
 * (`--name` → `--createUserRequest.Name`), or one within a few typos.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const all = [...candidates];
  return (
    all.find((c) => c.toLowerCase() === lower) ??
    all.find((c) => c.split('.').pop()!.toLowerCase() === lower.split('.').pop()!.replace(/_/g, '')) ??
    all
      .map((c) => ({ c, d: distance(c.toLowerCase(), lower) }))
      .filter(({ c, d }) => d <= Math.max(2, Math.floor(c.length / 4)))
      .sort((a, b) => a.d - b.d)[0]?.c
  );
}

/** Levenshtein distance; the words are short flag and operation names. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
