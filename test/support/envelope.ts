import type { Response } from 'supertest';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Asserts a failure envelope with its exact HTTP status and `error.status`, and returns the message. */
export function expectError(res: Response, code: number, status: string): string {
  expect({ code: res.status, body: res.body }).toEqual({
    code,
    body: { requestId: expect.stringMatching(UUID), error: { code, status, message: expect.any(String) } },
  });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.headers['x-request-id']).toBe(res.body.requestId);
  return res.body.error.message as string;
}

/** Asserts a success envelope and returns its result. */
export function expectResult<T = unknown>(res: Response): T {
  expect({ code: res.status, error: res.body?.error }).toEqual({ code: 200, error: undefined });
  expect(res.body.requestId).toMatch(UUID);
  expect(res.headers['x-request-id']).toBe(res.body.requestId);
  return res.body.result as T;
}

export { UUID };
