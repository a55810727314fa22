import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { consoleDirectory } from '../../src/platform/http/console';

/** Debian's chromium, which CI installs with apt-get (.ci/run); playwright-core drives it headless. */
export const CHROMIUM = '/usr/bin/chromium';

/** Screenshots of the console's screens land here (gitignored). */
export const SCREENSHOT_DIR = join(__dirname, '..', '..', 'test-output', 'console');

/**
 * Why the browser tests cannot run here, or undefined when they can. They run on the embedded
 * database only: the console does nothing database-specific, and one run of them is slow enough.
 */
export function browserTestsSkipReason(): string | undefined {
  if (process.env.DATABASE_URL) return 'the browser tests run on the embedded database only (DATABASE_URL is set)';
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing: install it with \`apt-get install chromium\``;
  return undefined;
}

/** The console as `npm run build` writes it; built here when a test runs before any build. */
export function ensureConsoleBuilt(): void {
  if (existsSync(join(consoleDirectory(), 'index.html'))) return;
  const root = join(__dirname, '..', '..');
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'apps/console/vite.config.mjs'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return join(SCREENSHOT_DIR, `${name}.png`);
}

/** playwright-core has no expect(): these wait the way Playwright's assertions do, and fail with a clear message. */
export async function shown(locator: Locator, timeout?: number): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout });
}

export async function shownWithText(locator: Locator, text: string | RegExp, timeout?: number): Promise<void> {
  await shown(locator.filter({ hasText: text }), timeout);
}

/** Waits until `probe` returns what `done` accepts (a value read from the page, which changes as it renders). */
export async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
