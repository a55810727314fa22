import { originOf, redactedInput, type ChimeRequest } from './request-context';

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

describe('originOf', () => {
  const request = (body: unknown) =>
    ({ id: 'r-1', method: 'POST', originalUrl: '/v1/az?x=1', ip: '10.0.0.7', body }) as unknown as ChimeRequest;

  it("is the request's event metadata: id, method, path without the query, address, redacted body, user", () => {
    const req = request({ name: 'a', password: 'hunter2' });
    const origin = originOf(req);
    expect({ ...origin }).toEqual({
      request_id: 'r-1',
      method: 'POST',
      path: '/v1/az',
      ip: '10.0.0.7',
      input: '{"name":"a","password":"***"}',
      user_uuid: null,
      user_name: null,
    });
    expect(JSON.parse(JSON.stringify(origin))).toEqual({ ...origin });
  });

  it('names the user the token guard set, even after the origin was made, and is made once per request', () => {
    const req = request(undefined);
    const origin = originOf(req);
    req.actor = { uuid: 'u-1', name: 'alice', role: 1 };
    expect(originOf(req)).toBe(origin);
    expect(origin).toMatchObject({ user_uuid: 'u-1', user_name: 'alice', input: '' });
  });
});
