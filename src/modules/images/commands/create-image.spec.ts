import { randomUUID } from 'node:crypto';
import { pickHost } from './create-image';

describe('pickHost', () => {
  it('picks the same host for one image, and spreads images over the hosts', () => {
    const hosts = ['a', 'b', 'c', 'd'];
    const image = randomUUID();
    expect(pickHost(hosts, image)).toBe(pickHost([...hosts], image));
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      const host = pickHost(hosts, randomUUID());
      counts.set(host, (counts.get(host) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(hosts);
    for (const count of counts.values()) expect(count).toBeGreaterThan(800);
    expect(pickHost(['only'], image)).toBe('only');
  });
});
