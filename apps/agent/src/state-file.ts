import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { AgentState } from './agent';

/**
 * The agent's state on disk: its node's uuid (kept for the node's life, like /etc/machine-id), its
 * credential (a secret: the file is written 0600) and its watch's cursor. Written whole to a
 * temporary file, then renamed, so a crash never leaves half a file.
 */
export function loadState(path: string): AgentState {
  if (!existsSync(path)) return { uuid: randomUUID(), cursor: 0 };
  const saved = JSON.parse(readFileSync(path, 'utf8')) as Partial<AgentState>;
  if (typeof saved.uuid !== 'string') throw new Error(`${path} holds no node uuid`);
  return { uuid: saved.uuid, credential: saved.credential, cursor: Number(saved.cursor ?? 0) };
}

export function saveState(path: string, state: AgentState): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}
