/**
 * On a terminal, one line on stderr rewritten at each step: `label: done / total unit, rate unit/s`,
 * ended with a newline when done reaches total. Off a terminal (CI, a pipe), undefined: nothing is printed.
 */
export function progressLine(label: string, unit: string): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  const started = Date.now();
  return (done, total) => {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    const end = done >= total ? '\n' : '';
    process.stderr.write(`\r${label}: ${done} / ${total} ${unit}, ${Math.round(done / seconds)} ${unit}/s${end}`);
  };
}
