import { redactedInput } from './request-context';

describe('redactedInput', () => {
  it('replaces every password and token value, at any depth', () => {
    const input = redactedInput({ user_name: 'a', password: 'hunter2', nested: { token: 't', list: [{ password: 'p' }] } });
    expect(JSON.parse(input)).toEqual({ user_name: 'a', password: '***', nested: { token: '***', list: [{ password: '***' }] } });
    expect(input).not.toMatch(/hunter2|"t"|"p"/);
  });

  it('replaces the value of any key ending in _token or _password (a join token), and only those', () => {
    const input = redactedInput({ join_token: 'secret-join', old_password: 'x', tokens: 3, token_count: 2, name: 'n' });
    expect(JSON.parse(input)).toEqual({ join_token: '***', old_password: '***', tokens: 3, token_count: 2, name: 'n' });
  });

  it('is empty without a body', () => {
    expect(redactedInput(undefined)).toBe('');
    expect(redactedInput({})).toBe('');
  });

  it('keeps other values as they are', () => {
    expect(redactedInput({ name: 'c1', type: 1 })).toBe('{"name":"c1","type":1}');
  });
});
