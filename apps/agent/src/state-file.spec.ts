import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadState, saveState } from './state-file';

describe('the agent state file', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'agent-state-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts a new node when there is none, and gives back what was saved, readable by its owner only', () => {
    const path = join(dir, 'agent-state.json');
    const fresh = loadState(path);
    expect(fresh).toEqual({ uuid: expect.stringMatching(/^[0-9a-f-]{36}$/), cursor: 0 });
    expect(loadState(path).uuid).not.toBe(fresh.uuid);

    saveState(path, { ...fresh, credential: 'secret', cursor: 7 });
    saveState(path, { ...fresh, credential: 'secret', cursor: 8 });
    expect(loadState(path)).toEqual({ uuid: fresh.uuid, credential: 'secret', cursor: 8 });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['agent-state.json']); // no temporary file left
  });

  it('refuses a file that is not a state, rather than becoming another node', () => {
    const path = join(dir, 'agent-state.json');
    writeFileSync(path, '{"uuid":');
    expect(() => loadState(path)).toThrow(/is not an agent state file/);
    writeFileSync(path, '{"cursor":3}');
    expect(() => loadState(path)).toThrow(/holds no node uuid/);
    writeFileSync(path, '{"uuid":"a","cursor":-1}');
    expect(() => loadState(path)).toThrow(/cursor must be a whole number/);
  });
});
