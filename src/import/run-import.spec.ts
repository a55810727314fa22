import type { Importer } from '../platform/import/importer';
import { inDependencyOrder, withoutPassword } from './run-import';

const importer = (name: string, after: string[] = []): Importer => ({
  name,
  after,
  occupied: () => Promise.resolve([]),
  plan: () => Promise.reject(new Error('not planned here')),
});

describe('inDependencyOrder', () => {
  it('puts every importer after those it names, whatever the registration order', () => {
    const ordered = inDependencyOrder([
      importer('networks', ['clusters']),
      importer('identity', ['zones', 'clusters']),
      importer('clusters', ['zones']),
      importer('zones'),
    ]);
    expect(ordered.map((i) => i.name)).toEqual(['zones', 'clusters', 'networks', 'identity']);
  });

  it('refuses a dependency no module declares, and a cycle', () => {
    expect(() => inDependencyOrder([importer('clusters', ['zones'])])).toThrow(
      'importer clusters runs after zones, which no module declares',
    );
    expect(() => inDependencyOrder([importer('a', ['b']), importer('b', ['a'])])).toThrow(
      'importers depend on each other in a cycle through a',
    );
  });
});

describe('withoutPassword', () => {
  it('keeps the user, host and database of the source, never its password', () => {
    expect(withoutPassword('mysql://chime:s3cret@db.example:3306/chime')).toBe('mysql://chime@db.example:3306/chime');
    expect(withoutPassword('not a url')).toBe('(not a URL)');
  });
});
