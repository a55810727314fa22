import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { AgentState } from './agent';

/**
 * The agent's state on disk: its node's uuid (kept for the node's life, like /etc/machine-id), its
 * credential (a secret: the file is written 0600) and its watch's cursor. Written whole to a
 * temporary file, then renamed, so a crash never leaves half a file. No file: a new node.
 */
export function loadState(path: string): AgentState {
  if (!existsSync(path)) return { uuid: randomUUID(), cursor: 0 };
  let saved: Partial<AgentState>;
  try {
    saved = JSON.parse(readFileSync(path, 'utf8')) as Partial<AgentState>;
  } catch (error) {
    throw new Error(`${path} is not an agent state file: ${(error as Error).message}`, { cause: error });
  }
  const cursor = saved.cursor ?? 0;
  if (typeof saved.uuid !== 'string' || !saved.uuid) throw new Error(`${path} holds no node uuid`);
  if (!Number.isSafeInteger(cursor) || cursor < 0) throw new Error(`${path}: the cursor must be a whole number ≥ 0`);
  if (saved.credential !== undefined && typeof saved.credential !== 'string')
    throw new Error(`${path}: the credential must be a string`);
  return { uuid: saved.uuid, credential: saved.credential, cursor };
}

export function saveState(path: string, state: AgentState): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}
