import { changedFields } from './changes';

describe('changedFields', () => {
  it('keeps only the fields whose values differ', () => {
    expect(changedFields({ a: 1, b: 'x', c: true }, { a: 1, b: 'y', c: undefined })).toEqual({ b: 'y' });
  });

  it('returns nothing for an empty request', () => {
    expect(changedFields({ a: 1 }, {})).toEqual({});
  });
});
