import { randomBytes } from 'node:crypto';
import type { Role } from '@chime/contracts';
import type { TestServer } from './test-server';

export const ADMIN = { name: 'admin', password: 'admin' };

/** Logs in and returns the bearer token. */
export async function login(server: TestServer, name: string, password: string): Promise<string> {
  const res = await server.http.post('/v1/login').send({ user_name: name, password });
  if (res.status !== 200) throw new Error(`login ${name} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.result.user.uuid as string;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export interface TestUser {
  uuid: string;
  name: string;
  password: string;
  token: string;
}

/** Creates a user with a role (as the super administrator) and logs it in. */
export async function createUser(server: TestServer, adminToken: string, role: Role, prefix = 'u'): Promise<TestUser> {
  const name = `${prefix}${role}_${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(6).toString('hex')}`;
  const res = await server.http.post('/v1/user').set(bearer(adminToken)).send({ name, nick_name: name, password, role });
  if (res.status !== 200) throw new Error(`createUser failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { uuid: res.body.result.user.uuid, name, password, token: await login(server, name, password) };
}

/** Requests as one caller: `as(server, token).post('/v1/az', { name })`. */
export function as(server: TestServer, token: string) {
  return {
    get: (path: string) => server.http.get(path).set(bearer(token)),
    post: (path: string, body?: object) => server.http.post(path).set(bearer(token)).send(body),
    patch: (path: string, body?: object) => server.http.patch(path).set(bearer(token)).send(body),
    put: (path: string, body?: object) => {
      const request = server.http.put(path).set(bearer(token));
      return body === undefined ? request : request.send(body);
    },
    delete: (path: string) => server.http.delete(path).set(bearer(token)),
  };
}

let sequence = 0;

/** A name no other test of the run uses: `prefix-<n>-<random>`. */
export const uniqueName = (prefix: string) => `${prefix}-${++sequence}-${Math.random().toString(36).slice(2, 7)}`;
