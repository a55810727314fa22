import { checkLimit, ImportedIds, ImportReport, settleNames, sourceEnabled, sourceTime, type ImportContext } from './importer';

function contextWith(renamed: string[] = []): ImportContext {
  return {
    source: { select: () => Promise.reject(new Error('no source')) },
    report: new ImportReport(),
    ids: new ImportedIds(),
    startedAt: new Date('2026-01-01T00:00:00Z'),
    isRenamed: (row) => renamed.includes(`${row.table}:${row.uuid}`),
  };
}

const at = (day: number) => new Date(Date.UTC(2024, 5, day));

describe('settleNames', () => {
  it('keeps the oldest name of a scope and numbers the others in (created_at, uuid) order, regardless of case', () => {
    const context = contextWith();
    const rows = [
      { uuid: 'c', name: 'web', createdAt: at(6), az: 'a1' },
      { uuid: 'b', name: 'WEB', createdAt: at(5), az: 'a1' },
      { uuid: 'a', name: 'web', createdAt: at(5), az: 'a1' },
      { uuid: 'd', name: 'web', createdAt: at(1), az: 'a2' },
      { uuid: 'e', name: 'web-2', createdAt: at(7), az: 'a1' },
    ];
    const names = settleNames(context, 't_cluster', rows, (row) => row.az);
    expect(Object.fromEntries(names)).toEqual({ a: 'web', b: 'WEB-2', c: 'web-3', d: 'web', e: 'web-2-2' });
    expect(context.report.renamed.map((row) => `${row.uuid}:${row.to}`)).toEqual(['b:WEB-2', 'c:web-3', 'e:web-2-2']);
  });

  it('gives a --rename rule precedence: its name is taken before any automatic suffix', () => {
    // The rule's name is in the row as read (MysqlSource applies the rules).
    const context = contextWith(['t_az:b']);
    const names = settleNames(context, 't_az', [
      { uuid: 'a', name: 'web', createdAt: at(1) },
      { uuid: 'b', name: 'web-2', createdAt: at(2) },
      { uuid: 'c', name: 'web', createdAt: at(3) },
    ]);
    expect(Object.fromEntries(names)).toEqual({ a: 'web', b: 'web-2', c: 'web-3' });
    expect(context.report.renamed).toEqual([
      { table: 't_az', uuid: 'c', from: 'web', to: 'web-3', why: 'name already used in its scope' },
    ]);
  });
});

describe('sourceEnabled', () => {
  it('maps available to enabled, unavailable and suspended to disabled, skips deleted rows and refuses other states', () => {
    const context = contextWith();
    const row = (uuid: string) => ({ table: 't_az', uuid, kind: 'az' });
    expect([1, 0, 2].map((state, i) => sourceEnabled(context, row(`r${i}`), state))).toEqual([1, 0, 0]);
    expect(sourceEnabled(context, row('deleted'), 4)).toBeUndefined();
    expect(sourceEnabled(context, row('odd'), 3)).toBeUndefined();
    expect(context.report.skipped).toEqual([{ table: 't_az', uuid: 'deleted', reason: 'deleted in ChimeStack (state 4)' }]);
    expect(context.report.problems).toEqual([{ table: 't_az', uuid: 'odd', message: 'unknown state 3' }]);
    // A row under the deleted one is skipped with it; a row under an unknown one is a problem.
    expect(context.ids.parent(context, { table: 't_cluster', uuid: 'c1' }, 'az', 'DELETED')).toBeUndefined();
    expect(context.ids.parent(context, { table: 't_cluster', uuid: 'c2' }, 'az', 'nowhere')).toBeUndefined();
    expect(context.report.skipped[1]).toEqual({ table: 't_cluster', uuid: 'c1', reason: 'its az deleted is skipped' });
    expect(context.report.problems[1]).toEqual({
      table: 't_cluster',
      uuid: 'c2',
      message: 'refers to az nowhere, which is not imported',
    });
  });
});

describe('sourceTime', () => {
  it('reads MySQL times as UTC, and takes the run start for NULL and zero dates', () => {
    const context = contextWith();
    expect(sourceTime('2024-06-04 21:27:28', context).toISOString()).toBe('2024-06-04T21:27:28.000Z');
    expect(sourceTime('2024-06-04 21:27:28.250', context).toISOString()).toBe('2024-06-04T21:27:28.250Z');
    expect(sourceTime(null, context)).toBe(context.startedAt);
    expect(sourceTime('0000-00-00 00:00:00', context)).toBe(context.startedAt);
  });
});

describe('checkLimit', () => {
  it('names each parent that would hold more rows than this server allows', () => {
    const context = contextWith();
    checkLimit(context, 't_az', ['a', 'b', 'a', 'a', 'b'], 2, 'clusters in one AZ');
    expect(context.report.problems).toEqual([
      { table: 't_az', uuid: 'a', message: '3 clusters in one AZ, this server holds at most 2' },
    ]);
  });
});
