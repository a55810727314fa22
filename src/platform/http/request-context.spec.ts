import { redactedInput } from './request-context';

describe('redactedInput', () => {
  it('replaces every password and token value, at any depth', () => {
    const input = redactedInput({ user_name: 'a', password: 'hunter2', nested: { token: 't', list: [{ password: 'p' }] } });
    expect(JSON.parse(input)).toEqual({ user_name: 'a', password: '***', nested: { token: '***', list: [{ password: '***' }] } });
    expect(input).not.toMatch(/hunter2|"t"|"p"/);
  });

  it('is empty without a body', () => {
    expect(redactedInput(undefined)).toBe('');
    expect(redactedInput({})).toBe('');
  });

  it('keeps other values as they are', () => {
    expect(redactedInput({ name: 'c1', type: 1 })).toBe('{"name":"c1","type":1}');
  });
});
