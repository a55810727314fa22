import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChimeApiError, ChimeClient, ChimeConnectionError, normalizeEndpoint } from '@chime/client';

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
const AZ = '0b6c7d8e-1f2a-4b3c-8d4e-5f6a7b8c9d0e';
const CL = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';

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
    expect(await client.call('listUser', { params: { query: { name: 'ad', page: 2 } } })).toEqual({
      elements: [],
      size: 0,
      total: 0,
    });
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
    expect(await client.logout()).toBe('ok'); // nothing to revoke: no request
    expect(stub.seen).toHaveLength(3);
    await expect(client.auth()).rejects.toThrow('no token: log in first');
  });

  it('keeps the token of a failed login unchanged', async () => {
    const client = new ChimeClient({ endpoint: stub.url, token: 'old' });
    reply = (_, res) => json(res, 401, { requestId: RID, error: { code: 401, message: 'wrong', status: 'UNAUTHENTICATED' } });
    await expect(client.login('admin', 'nope')).rejects.toMatchObject({ code: 401, status: 'UNAUTHENTICATED' });
    expect(client.token).toBe('old');
  });

  it('asks who the token belongs to', async () => {
    reply = (_, res) => json(res, 200, { requestId: RID, result: { user: { name: 'admin' } } });
    expect(await new ChimeClient({ endpoint: stub.url, token: 't' }).auth()).toEqual({ user: { name: 'admin' } });
    expect(stub.seen[0]).toMatchObject({ method: 'POST', url: '/v1/auth', body: '{"token":"t"}' });
  });

  // Each operationId names its method and path (generated from the document); the request puts each part where it belongs.
  it.each<[string, (c: ChimeClient) => Promise<unknown>, string, string, unknown]>([
    [
      'listAz',
      (c) => c.call('listAz', { params: { query: { name: 'foo', page: 1, state: 1 } } }),
      'GET',
      '/v1/az?name=foo&page=1&state=1',
      undefined,
    ],
    ['createAz', (c) => c.call('createAz', { body: { name: 'test-az' } }), 'POST', '/v1/az', { name: 'test-az' }],
    ['deleteAz', (c) => c.call('deleteAz', { params: { path: { AzUuid: AZ } } }), 'DELETE', `/v1/az/${AZ}`, undefined],
    [
      'createCluster',
      (c) => c.call('createCluster', { params: { path: { AzUuid: AZ } }, body: { name: 'c1', type: 1 } }),
      'POST',
      `/v1/az/${AZ}/cluster`,
      { name: 'c1', type: 1 },
    ],
    [
      'updateCluster',
      (c) => c.call('updateCluster', { params: { path: { AzUuid: AZ, ClusterUuid: CL } }, body: { arch: 'aarch64' } }),
      'PATCH',
      `/v1/az/${AZ}/cluster/${CL}`,
      { arch: 'aarch64' },
    ],
    [
      'enableCluster',
      (c) => c.call('enableCluster', { params: { path: { AzUuid: AZ, ClusterUuid: CL } } }),
      'PUT',
      `/v1/az/${AZ}/cluster/${CL}/enable`,
      undefined,
    ],
    [
      'getOperationLog',
      (c) => c.call('getOperationLog', { params: { path: { id: 7 } } }),
      'GET',
      '/v1/operation_log/7',
      undefined,
    ],
    [
      'listEvent',
      (c) => c.call('listEvent', { params: { query: { after: 0, limit: 5, type: 'AzCreated' } } }),
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

  it('sends an operation given by method and path, encodes path parameters, leaves out empty query values', async () => {
    const client = new ChimeClient({ endpoint: `http://${stub.url}/v1/`, token: 't' });
    const envelope = await client.sendTo(
      { method: 'PATCH', path: '/v1/az/{AzUuid}/cluster/{ClusterUuid}' },
      {
        params: { path: { AzUuid: 'a b', ClusterUuid: 'c/d' }, query: { name: undefined, state: null, type: 0, flag: false } },
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

  it('returns the whole envelope from send()', async () => {
    reply = (_, res) => json(res, 200, { requestId: RID, result: { elements: [], size: 0, total: 0 } });
    expect(await new ChimeClient({ endpoint: stub.url, token: 't' }).send('listAz')).toEqual({
      requestId: RID,
      result: { elements: [], size: 0, total: 0 },
    });
  });

  it('refuses a call with a path parameter missing or empty, before sending anything', async () => {
    const client = new ChimeClient({ endpoint: stub.url, token: 't' });
    await expect(client.call('getCluster', { params: { path: { AzUuid: '', ClusterUuid: CL } } })).rejects.toThrow(
      'missing path parameter AzUuid for /v1/az/{AzUuid}/cluster/{ClusterUuid}',
    );
    await expect(client.sendTo({ method: 'GET', path: '/v1/user/{UserUuid}' })).rejects.toThrow(
      'missing path parameter UserUuid',
    );
    expect(stub.seen).toHaveLength(0);
  });

  it('throws the failure envelope as a ChimeApiError', async () => {
    reply = (_, res) => json(res, 404, { requestId: RID, error: { code: 404, message: 'user not found', status: 'NOT_FOUND' } });
    const error = await new ChimeClient({ endpoint: stub.url, token: 't' })
      .call('getUser', { params: { path: { UserUuid: 'u1' } } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChimeApiError);
    expect(error).toMatchObject({ code: 404, status: 'NOT_FOUND', message: 'user not found', requestId: RID });
    expect((error as ChimeApiError).toEnvelope()).toEqual({
      requestId: RID,
      error: { code: 404, message: 'user not found', status: 'NOT_FOUND' },
    });
  });

  it.each([
    [502, 'text/html', '<h1>Bad Gateway</h1>'],
    [200, 'text/html', '<html>another web server</html>'],
    [200, 'application/json', '{"data":[]}'],
  ])('says so when the answer is not an envelope (a wrong endpoint): HTTP %i, %s', async (status, type, body) => {
    reply = (_, res) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    const error = await new ChimeClient({ endpoint: stub.url }).call('listAz').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChimeApiError);
    expect(error).toMatchObject({
      code: status,
      status: 'INTERNAL',
      message: `the answer from http://${stub.url}/v1/az is not a ChimeStack API response (HTTP ${status}, ${type}); is the endpoint right?`,
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
    const error = await new ChimeClient({ endpoint: stub.url, timeoutMs: 200 }).call('listAz').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChimeConnectionError);
    expect((error as Error).message).toBe(`no answer from the ChimeStack API at http://${stub.url} within 0.2 s`);
    stub.server.closeAllConnections();
  });

  it('gives up on an answer that stops halfway', async () => {
    reply = (_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"requestId":'); // and nothing more
    };
    const error = await new ChimeClient({ endpoint: stub.url, timeoutMs: 200 }).call('listAz').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChimeConnectionError);
    expect((error as Error).message).toMatch(/^no answer from the ChimeStack API at .* within 0.2 s$/);
    stub.server.closeAllConnections();
  });

  it('calls the fetch it is given as a plain function, as browsers require of theirs', async () => {
    // A browser's fetch throws "Illegal invocation" when called as a method of anything but the window.
    const calls: Request[] = [];
    const browserLikeFetch = function (this: unknown, request: Request): Promise<Response> {
      if (this !== undefined && this !== globalThis) throw new TypeError("Failed to execute 'fetch': Illegal invocation");
      calls.push(request);
      return globalThis.fetch(request);
    };
    const client = new ChimeClient({ endpoint: stub.url, fetch: browserLikeFetch });
    reply = (_, res) => json(res, 200, { requestId: RID, result: { user: { uuid: 'tok-2' } } });
    await client.login('admin', 'secret');
    reply = (_, res) => json(res, 200, { requestId: RID, result: { az: 'ok' } });
    expect(await client.call('disableAz', { params: { path: { AzUuid: AZ } } })).toEqual({ az: 'ok' });
    expect(calls.map((r) => `${r.method} ${new URL(r.url).pathname} ${r.headers.get('authorization')}`)).toEqual([
      'POST /v1/login null',
      `PUT /v1/az/${AZ}/disable Bearer tok-2`,
    ]);
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
