/**
 * Polls `probe` until `done` holds for its value, and returns that value; fails after `timeoutMs`
 * with the last value seen. For conditions that settle on their own (a database coming back, other
 * transactions on a shared PostgreSQL server ending), so no test depends on how fast a machine is.
 */
export async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let value: T | undefined;
    let failure: unknown;
    try {
      value = await probe();
      if (done(value)) return value;
    } catch (error) {
      failure = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `condition not reached within ${timeoutMs} ms; last ${failure ? `error: ${String(failure)}` : `value: ${JSON.stringify(value)}`}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
