import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChimeApiError, ChimeClient, ChimeConnectionError, normalizeEndpoint } from '@chime/client';
import { ClusterType, State } from '@chime/contracts';

interface Seen {
  method: string;
  url: string;
  authorization?: string;
  contentType?: string;
  body: string;
}

/** A stand-in for the server: records each request and answers what the test says. */
async function stubServer(
  answer: (seen: Seen, res: ServerResponse) => void,
): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const entry = {
        method: req.method!,
        url: req.url!,
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body,
      };
      seen.push(entry);
      answer(entry, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const RID = '6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b';

describe('ChimeClient', () => {
  let stub: Awaited<ReturnType<typeof stubServer>>;
  let reply: (seen: Seen, res: ServerResponse) => void;

  beforeEach(async () => {
    reply = (_, res) => json(res, 200, { requestId: RID, result: 'ok' });
    stub = await stubServer((seen, res) => reply(seen, res));
  });
  afterEach(() => new Promise((resolve) => stub.server.close(resolve)));

  it('logs in, then sends the token as a bearer header, and logs out with it', async () => {
    const client = new ChimeClient({ endpoint: stub.url });
    reply = (_, res) =>
      json(res, 200, { requestId: RID, result: { user: { uuid: 'tok-1', user_uuid: 'u', created_at: 'c', expired_at: 'e' } } });
    await client.login('admin', 'secret');
    expect(client.token).toBe('tok-1');
    expect(stub.seen[0]).toMatchObject({
      method: 'POST',
      url: '/v1/login',
      contentType: 'application/json',
      authorization: undefined,
    });
    expect(JSON.parse(stub.seen[0].body)).toEqual({ user_name: 'admin', password: 'secret' });

    reply = (_, res) => json(res, 200, { requestId: RID, result: { elements: [], size: 0, total: 0 } });
    expect(await client.user.listUser({ name: 'ad', page: 2 })).toEqual({ elements: [], size: 0, total: 0 });
    expect(stub.seen[1]).toMatchObject({
      method: 'GET',
      url: '/v1/user?name=ad&page=2',
      authorization: 'Bearer tok-1',
      contentType: undefined,
    });

    reply = (_, res) => json(res, 200, { requestId: RID, result: 'ok' });
    expect(await client.logout()).toBe('ok');
    expect(JSON.parse(stub.seen[2].body)).toEqual({ token: 'tok-1' });
    expect(client.token).toBeUndefined();
  });

  it('fills path parameters, leaves out empty query values, and can return the whole envelope', async () => {
    const client = new ChimeClient({ endpoint: `http://${stub.url}/v1/`, token: 't' });
    const envelope = await client.send(
      { method: 'PATCH', path: '/v1/az/{AzUuid}/cluster/{ClusterUuid}' },
      {
        pathParams: { AzUuid: 'a b', ClusterUuid: 'c/d' },
        query: { name: undefined, state: null, type: 0, flag: false },
        body: { name: 'x' },
      },
    );
    expect(envelope).toEqual({ requestId: RID, result: 'ok' });
    expect(stub.seen[0]).toMatchObject({
      method: 'PATCH',
      url: '/v1/az/a%20b/cluster/c%2Fd?type=0&flag=false',
      body: '{"name":"x"}',
    });
  });

  // Each typed method names its operation (method, path template) and puts each argument where it belongs.
  const AZ = '0b6c7d8e-1f2a-4b3c-8d4e-5f6a7b8c9d0e';
  const CL = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
  it.each<[string, (c: ChimeClient) => Promise<unknown>, string, string, unknown]>([
    [
      'az.listAz',
      (c) => c.az.listAz({ name: 'foo', page: 1, state: State.Enabled }),
      'GET',
      '/v1/az?name=foo&page=1&state=1',
      undefined,
    ],
    [
      'az.createAz',
      (c) => c.az.createAz({ name: 'test-az', description: 'an Az' }),
      'POST',
      '/v1/az',
      { name: 'test-az', description: 'an Az' },
    ],
    ['az.getAz', (c) => c.az.getAz(AZ), 'GET', `/v1/az/${AZ}`, undefined],
    ['az.updateAz', (c) => c.az.updateAz(AZ, { description: 'd' }), 'PATCH', `/v1/az/${AZ}`, { description: 'd' }],
    ['az.deleteAz', (c) => c.az.deleteAz(AZ), 'DELETE', `/v1/az/${AZ}`, undefined],
    ['az.enableAz', (c) => c.az.enableAz(AZ), 'PUT', `/v1/az/${AZ}/enable`, undefined],
    ['az.disableAz', (c) => c.az.disableAz(AZ), 'PUT', `/v1/az/${AZ}/disable`, undefined],
    [
      'cluster.listCluster',
      (c) => c.cluster.listCluster(AZ, { type: ClusterType.HyperConverged, sort: 'name', order: 'asc' }),
      'GET',
      `/v1/az/${AZ}/cluster?type=0&sort=name&order=asc`,
      undefined,
    ],
    [
      'cluster.createCluster',
      (c) => c.cluster.createCluster(AZ, { name: 'c1', type: ClusterType.ComputeOnly, hypervisor_type: 'kvm' }),
      'POST',
      `/v1/az/${AZ}/cluster`,
      { name: 'c1', type: 1, hypervisor_type: 'kvm' },
    ],
    ['cluster.getCluster', (c) => c.cluster.getCluster(AZ, CL), 'GET', `/v1/az/${AZ}/cluster/${CL}`, undefined],
    [
      'cluster.updateCluster',
      (c) => c.cluster.updateCluster(AZ, CL, { arch: 'aarch64' }),
      'PATCH',
      `/v1/az/${AZ}/cluster/${CL}`,
      { arch: 'aarch64' },
    ],
    ['cluster.deleteCluster', (c) => c.cluster.deleteCluster(AZ, CL), 'DELETE', `/v1/az/${AZ}/cluster/${CL}`, undefined],
    ['cluster.enableCluster', (c) => c.cluster.enableCluster(AZ, CL), 'PUT', `/v1/az/${AZ}/cluster/${CL}/enable`, undefined],
    ['cluster.disableCluster', (c) => c.cluster.disableCluster(AZ, CL), 'PUT', `/v1/az/${AZ}/cluster/${CL}/disable`, undefined],
    [
      'operation_log.listOperationLog',
      (c) => c.operation_log.listOperationLog({ method: 'POST', path: '/v1/az', size: 1000 }),
      'GET',
      '/v1/operation_log?method=POST&path=%2Fv1%2Faz&size=1000',
      undefined,
    ],
    ['operation_log.getOperationLog', (c) => c.operation_log.getOperationLog(7), 'GET', '/v1/operation_log/7', undefined],
    [
      'event.listEvent',
      (c) => c.event.listEvent({ after: 0, limit: 5, type: 'AzCreated' }),
      'GET',
      '/v1/event?after=0&limit=5&type=AzCreated',
      undefined,
    ],
  ])('%s', async (_, invoke, method, url, body) => {
    reply = (_seen, res) => json(res, 200, { requestId: RID, result: { answer: 42 } });
    expect(await invoke(new ChimeClient({ endpoint: stub.url, token: 't' }))).toEqual({ answer: 42 });
    expect(stub.seen).toHaveLength(1);
    expect(stub.seen[0]).toMatchObject({ method, url, authorization: 'Bearer t' });
    expect(stub.seen[0].body ? JSON.parse(stub.seen[0].body) : undefined).toEqual(body);
    // A body is sent exactly when the operation takes one; actions (enable, disable) and deletes send none.
    expect(stub.seen[0].contentType).toBe(body === undefined ? undefined : 'application/json');
  });

  it('refuses a cluster call without its AZ, before sending anything', async () => {
    const client = new ChimeClient({ endpoint: stub.url, token: 't' });
    await expect(client.cluster.getCluster('', CL)).rejects.toThrow('missing path parameter AzUuid');
    await expect(client.cluster.disableCluster(AZ, '')).rejects.toThrow('missing path parameter ClusterUuid');
    expect(stub.seen).toHaveLength(0);
  });

  it('refuses to call with a path parameter missing', async () => {
    const client = new ChimeClient({ endpoint: stub.url });
    await expect(client.user.getUser('')).rejects.toThrow('missing path parameter UserUuid');
    expect(stub.seen).toHaveLength(0);
  });

  it('throws the failure envelope as a ChimeApiError', async () => {
    reply = (_, res) => json(res, 404, { requestId: RID, error: { code: 404, message: 'user not found', status: 'NOT_FOUND' } });
    const error = await new ChimeClient({ endpoint: stub.url, token: 't' }).user.getUser('u1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChimeApiError);
    expect(error).toMatchObject({ code: 404, status: 'NOT_FOUND', message: 'user not found', requestId: RID });
    expect((error as ChimeApiError).toEnvelope()).toEqual({
      requestId: RID,
      error: { code: 404, message: 'user not found', status: 'NOT_FOUND' },
    });
  });

  it('says so when the answer is not an envelope (a wrong endpoint)', async () => {
    reply = (_, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<h1>Bad Gateway</h1>');
    };
    const error = await new ChimeClient({ endpoint: stub.url }).call({ method: 'GET', path: '/v1/az' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChimeApiError);
    expect(error).toMatchObject({
      code: 502,
      message: expect.stringContaining('not a ChimeStack API response (HTTP 502, text/html)'),
    });
  });

  it('throws a ChimeConnectionError when nothing listens', async () => {
    const closed = await stubServer(() => undefined);
    await new Promise((resolve) => closed.server.close(resolve));
    const error = await new ChimeClient({ endpoint: closed.url }).login('a', 'b').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChimeConnectionError);
    expect((error as Error).message).toBe(`cannot reach the ChimeStack API at http://${closed.url}: ECONNREFUSED`);
  });

  it('gives up on a server that does not answer', async () => {
    reply = () => undefined; // never answers; the stub's close below ends the socket
    const error = await new ChimeClient({ endpoint: stub.url, timeoutMs: 200 })
      .call({ method: 'GET', path: '/v1/az' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChimeConnectionError);
    expect((error as Error).message).toMatch(/^no answer from the ChimeStack API at .* within 0.2 s$/);
    stub.server.closeAllConnections();
  });
});

describe('normalizeEndpoint', () => {
  it.each([
    ['127.0.0.1:8801', 'http://127.0.0.1:8801'],
    ['  localhost:8801/ ', 'http://localhost:8801'],
    ['https://chime.example.com/', 'https://chime.example.com'],
    ['http://10.0.0.1:8801/v1', 'http://10.0.0.1:8801'],
    ['http://proxy/chime/v1/', 'http://proxy/chime'],
  ])('%s → %s', (given, expected) => {
    expect(normalizeEndpoint(given)).toBe(expected);
  });

  it('refuses what is not an http endpoint', () => {
    expect(() => normalizeEndpoint('ftp://x')).toThrow('only http and https');
    expect(() => normalizeEndpoint('http://')).toThrow('invalid API endpoint');
  });
});
