import { renderTable } from './table';

describe('renderTable', () => {
  it('lines up the elements of a list under their field names', () => {
    const result = {
      elements: [
        { uuid: 'a1', name: 'admin', role: 3, avatar: null },
        { uuid: 'b22', name: 'u', role: 0, extra: { x: 1 } },
      ],
      size: 2,
      total: 2,
    };
    expect(renderTable(result)).toBe(
      ['uuid  name   role  avatar  extra', 'a1    admin  3', 'b22   u      0             {"x":1}', ''].join('\n'),
    );
  });

  it('says when more elements match than the page shows', () => {
    expect(renderTable({ elements: [{ id: 1 }], size: 1, total: 3 })).toBe('id\n1\n1 of 3 shown; see --page and --size\n');
    expect(renderTable({ elements: [], size: 0, total: 0 })).toBe('(no elements)\n');
  });

  it('lists the fields of a single resource and prints a scalar as it is', () => {
    expect(renderTable({ user: { uuid: 'a1', name: 'admin', nick_name: 'line\nbreak' } })).toBe(
      'uuid       a1\nname       admin\nnick_name  line break\n',
    );
    expect(renderTable('ok')).toBe('ok\n');
    expect(renderTable(1)).toBe('1\n');
  });
});
