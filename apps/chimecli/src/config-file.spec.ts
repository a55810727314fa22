import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configPath, readConfig, writeConfig } from './config-file';

describe('config file', () => {
  let home: string;
  beforeEach(() => (home = mkdtempSync(join(tmpdir(), 'chimecli-'))));
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('lives in ~/.config/chimecli unless XDG_CONFIG_HOME says otherwise', () => {
    expect(configPath({ HOME: '/home/ann' })).toBe('/home/ann/.config/chimecli/config.yaml');
    expect(configPath({ HOME: '/home/ann', XDG_CONFIG_HOME: '/etc/xdg-ann' })).toBe('/etc/xdg-ann/chimecli/config.yaml');
    expect(configPath({ HOME: '/home/ann', XDG_CONFIG_HOME: 'relative' })).toBe('/home/ann/.config/chimecli/config.yaml');
  });

  it('writes YAML that only its owner can read, and reads it back', () => {
    const file = configPath({ HOME: home });
    expect(readConfig(file)).toEqual({});
    writeConfig(file, { api_endpoint: 'http://127.0.0.1:8801', token: 't-1', user_name: undefined });
    expect(readConfig(file)).toEqual({ api_endpoint: 'http://127.0.0.1:8801', token: 't-1' });
    expect(readFileSync(file, 'utf8')).toContain('token: t-1\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, '.config/chimecli')).mode & 0o777).toBe(0o700);
  });

  it('tightens the mode of a file that was readable by others', () => {
    const file = configPath({ HOME: home });
    writeConfig(file, { token: 'a' });
    writeFileSync(file, 'token: b\n', { mode: 0o644 });
    writeConfig(file, { token: 'c' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('names the file when it is not YAML', () => {
    const file = configPath({ HOME: home });
    writeConfig(file, {});
    writeFileSync(file, 'token: [unclosed');
    expect(() => readConfig(file)).toThrow(`${file} is not valid YAML`);
  });
});
