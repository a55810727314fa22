import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { parse, stringify } from 'yaml';

/** What `chimecli login` keeps between runs. `api_endpoint` and `token` are ChimeStack's keys. */
export interface ChimeConfig {
  api_endpoint?: string;
  token?: string;
  /** Kept to tell "your session expired" apart from "your token was revoked". */
  user_name?: string;
  expired_at?: string;
}

/** `$XDG_CONFIG_HOME/chimecli/config.yaml`, else `~/.config/chimecli/config.yaml`. */
export function configPath(env: Record<string, string | undefined>): string {
  const xdg = env.XDG_CONFIG_HOME;
  // The XDG spec says a relative value is invalid and must be ignored.
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.config');
  return join(base, 'chimecli', 'config.yaml');
}

export function readConfig(file: string): ChimeConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  let config: unknown;
  try {
    config = parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid YAML (${(error as Error).message}); log in again to rewrite it`, { cause: error });
  }
  return typeof config === 'object' && config !== null ? (config as ChimeConfig) : {};
}

/**
 * Writes the file readable by its owner only, since it holds a bearer token: the directory 0700,
 * the file 0600, written aside and renamed so a crash never leaves half a file.
 */
export function writeConfig(file: string, config: ChimeConfig): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const temporary = `${file}.${process.pid}.tmp`;
  const text = `# chimecli session: holds an API token, keep it private\n${stringify(config)}`;
  writeFileSync(temporary, text, { mode: 0o600 });
  chmodSync(temporary, 0o600); // the mode above is filtered by the umask
  renameSync(temporary, file);
}
