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
