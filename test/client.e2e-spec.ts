import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ChimeApiError, ChimeClient, type Schema } from '@chime/client';
import { eventually } from './support/eventually';
import { startTestServer, TestServer } from './support/test-server';
import { ADMIN } from './support/users';

const ROOT = join(__dirname, '..');
/** Where `npm run build` writes the client's generated sources (libs/client/tools/generate-client.ts). */
const GENERATED_DIR = join(ROOT, 'libs/client/src/generated');
/** The operation log is filled by a consumer, shortly after the request: how long a test waits for an entry. */
const OPERATION_LOG_WAIT_MS = 10_000;

/**
 * @chime/client against the real server, over real HTTP with Node's own fetch (undici). Its types
 * are generated from the OpenAPI document at build; `npm run typecheck` checks this file, so the
 * `@ts-expect-error` lines below are tested by tsc: each must be a type error.
 */
describe('@chime/client', () => {
  let server: TestServer;
  let endpoint: string;

  beforeAll(async () => {
    server = await startTestServer();
    endpoint = server.url.replace(/^http:\/\//, ''); // as people type it: 127.0.0.1:port
  });
  afterAll(() => server?.close());

  it('is generated from the document the server serves (npm run build writes it)', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'chime-client-generated-'));
    try {
      writeFileSync(join(fresh, 'openapi.json'), (await server.http.get('/v1/openapi.json')).text);
      await promisify(execFile)(process.execPath, [
        '--require',
        join(ROOT, 'test/support/ts-register.js'),
        join(ROOT, 'libs/client/tools/generate-client.ts'),
        join(fresh, 'openapi.json'),
        join(fresh, 'generated'),
      ]);
      const names = readdirSync(join(fresh, 'generated'));
      expect(names.sort()).toEqual(['openapi.ts', 'operations.ts']);
      for (const name of names) {
        const file = join(GENERATED_DIR, name);
        const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
        const stale = current !== readFileSync(join(fresh, 'generated', name), 'utf8');
        expect(stale ? `${file} is stale or missing: run npm run build` : 'up to date').toBe('up to date');
      }
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('creates a cluster, typed end to end from the document (the sample of the README)', async () => {
    const client = new ChimeClient({ endpoint });
    await client.login(ADMIN.name, ADMIN.password);
    const { az } = await client.call('createAz', { body: { name: 'sample-az', description: 'an Az' } });
    const created = await client.call('createCluster', {
      params: { path: { AzUuid: az.uuid } },
      body: { name: 'sample-c1', type: 1 }, // arch and hypervisor_type have defaults, so they may be left out
    });
    const azName: string = created.cluster.az_name;
    const type: 0 | 1 | 2 = created.cluster.type;
    expect({ azName, type }).toEqual({ azName: 'sample-az', type: 1 });
    const cluster: Schema<'Cluster'> = created.cluster;
    expect(cluster).toMatchObject({ az_uuid: az.uuid, arch: 'x86_64', hypervisor_type: 'kvm' });

    // @ts-expect-error: a cluster has no `zone_name`; the document calls it az_name.
    expect(created.cluster.zone_name).toBeUndefined();
    // @ts-expect-error: createCluster is addressed under its AZ, so params.path.AzUuid is required.
    await expect(client.call('createCluster', { body: { name: 'no-az' } })).rejects.toThrow('missing path parameter AzUuid');
    await expect(
      // @ts-expect-error: `type` is 0, 1 or 2 in the document; the server refuses the rest as well.
      client.call('createCluster', { params: { path: { AzUuid: az.uuid } }, body: { name: 'c9', type: 9 } }),
    ).rejects.toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
  });

  it('calls the fetch it is given as a plain function, as a browser requires of window.fetch', async () => {
    const browserLikeFetch = function (this: unknown, request: Request): Promise<Response> {
      if (this !== undefined && this !== globalThis) throw new TypeError("Failed to execute 'fetch': Illegal invocation");
      return fetch(request);
    };
    const client = new ChimeClient({ endpoint, fetch: browserLikeFetch });
    await client.login(ADMIN.name, ADMIN.password);
    expect((await client.auth()).user.name).toBe('admin');
    expect((await client.call('listUser', { params: { query: { name: 'admin' } } })).elements).toEqual([
      expect.objectContaining({ name: 'admin' }),
    ]);
    expect(await client.logout()).toBe('ok');
  });

  it('reaches zones, clusters, the operation log and the event log', async () => {
    const client = new ChimeClient({ endpoint });
    await client.login(ADMIN.name, ADMIN.password);
    const { az } = await client.call('createAz', { body: { name: 'typed-client-az' } });
    const AzUuid = az.uuid;
    const { cluster } = await client.call('createCluster', {
      params: { path: { AzUuid } },
      body: { name: 'typed-c', arch: 'aarch64' },
    });
    expect(await client.call('listCluster', { params: { path: { AzUuid }, query: { arch: 'aarch64' } } })).toEqual({
      elements: [cluster],
      size: 1,
      total: 1,
    });
    expect(await client.call('disableAz', { params: { path: { AzUuid } } })).toEqual({ az: 'ok' });
    expect((await client.call('getAz', { params: { path: { AzUuid } } })).az.state).toBe(0);
    const refused = await client
      .call('createCluster', { params: { path: { AzUuid } }, body: { name: 'late' } })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ChimeApiError);
    expect(refused).toMatchObject({ code: 400, status: 'FAILED_PRECONDITION' });

    // Readers of the log see a commit once every transaction older than it has ended, anywhere on
    // the PostgreSQL server (other test files run beside this one): wait for it, don't assume it.
    const page = await eventually(
      () => client.call('listEvent', { params: { query: { stream_id: AzUuid } } }),
      (p) => p.size === 2,
    );
    expect(page).toEqual({
      elements: [
        expect.objectContaining({ stream_type: 'az', stream_id: AzUuid, version: 1, type: 'AzCreated' }),
        expect.objectContaining({ stream_type: 'az', stream_id: AzUuid, version: 2, type: 'AzDisabled' }),
      ],
      size: 2,
      next: expect.any(Number),
    });
    expect(page.next).toBe(page.elements[1].position);
    expect(page.elements[0].metadata).toMatchObject({ user_name: 'admin', method: 'POST', path: '/v1/az' });
    expect(await client.call('listEvent', { params: { query: { stream_id: AzUuid, after: page.next } } })).toEqual({
      elements: [],
      size: 0,
      next: page.next,
    });

    const entry = await eventually(
      async () =>
        (await client.call('listOperationLog', { params: { query: { method: 'PUT', path: `/v1/az/${AzUuid}/disable` } } }))
          .elements,
      (elements) => elements.length === 1,
      OPERATION_LOG_WAIT_MS,
    );
    expect(await client.call('getOperationLog', { params: { path: { id: entry[0].id } } })).toEqual({
      operation_log: entry[0],
    });

    await client.call('deleteCluster', { params: { path: { AzUuid, ClusterUuid: cluster.uuid } } });
    expect(await client.call('deleteAz', { params: { path: { AzUuid } } })).toBe(1);
    expect(await client.logout()).toBe('ok');
  });
});
