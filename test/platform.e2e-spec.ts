import { expectError, expectResult, UUID } from './support/envelope';
import { ProbeModule } from './support/probe.module';
import { startTestServer, TestServer } from './support/test-server';

describe('platform: envelope, errors, validation, operations endpoints', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ extensions: [ProbeModule] });
  });
  afterAll(() => server?.close());

  it('wraps a success as {requestId, result}', async () => {
    const res = await server.http.post('/v1/probe').send({ name: 'a', count: 2 });
    expect(expectResult(res)).toEqual({ body: { name: 'a', count: 2 } });
    expect(Object.keys(res.body)).toEqual(['requestId', 'result']);
  });

  it('sends the envelope as UTF-8 JSON with its length in bytes, and only the headers to HEAD', async () => {
    const res = await server.http.post('/v1/probe').send({ name: 'zoné✓' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(JSON.stringify(res.body)));
    expect(expectResult(res)).toEqual({ body: { name: 'zoné✓' } });
    const get = await server.http.get('/v1/probe/list?page=2');
    const head = await server.http.head('/v1/probe/list?page=2');
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    expect(head.text ?? '').toBe('');
  });

  it('answers an unknown route with a 404 envelope', async () => {
    expectError(await server.http.get('/v1/no/such/route'), 404, 'NOT_FOUND');
    expectError(await server.http.delete('/v1/probe'), 404, 'NOT_FOUND');
    expectError(await server.http.get('/nothing-here'), 404, 'NOT_FOUND');
  });

  it('refuses malformed JSON with 400 INVALID_ARGUMENT', async () => {
    const res = await server.http.post('/v1/probe').set('Content-Type', 'application/json').send('{"name": "a",');
    expectError(res, 400, 'INVALID_ARGUMENT');
  });

  it('refuses a body that is not a JSON object', async () => {
    for (const body of ['[1,2]', '"text"', '42', 'null']) {
      const res = await server.http.post('/v1/probe').set('Content-Type', 'application/json').send(body);
      expectError(res, 400, 'INVALID_ARGUMENT');
    }
  });

  it('refuses an unknown body field, naming it', async () => {
    const res = await server.http.post('/v1/probe').send({ name: 'a', colour: 'red' });
    expect(expectError(res, 400, 'INVALID_ARGUMENT')).toContain('unknown field colour');
  });

  it('refuses missing and ill-typed fields without converting them', async () => {
    expectError(await server.http.post('/v1/probe').send({}), 400, 'INVALID_ARGUMENT');
    expectError(await server.http.post('/v1/probe').send({ name: 5 }), 400, 'INVALID_ARGUMENT');
    expectError(await server.http.post('/v1/probe').send({ name: 'a', count: '2' }), 400, 'INVALID_ARGUMENT');
    expectError(await server.http.post('/v1/probe').send({ name: 'a', count: 2.5 }), 400, 'INVALID_ARGUMENT');
    expectError(await server.http.post('/v1/probe').send({ name: 'much too long' }), 400, 'INVALID_ARGUMENT');
  });

  it('refuses a body over 1 MiB with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await server.http.post('/v1/probe').send({ name: 'a', padding: 'x'.repeat(2 * 1024 * 1024) });
    expectError(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('turns an unexpected error into 500 INTERNAL without leaking anything', async () => {
    const res = await server.http.get('/v1/probe/fail');
    expect(expectError(res, 500, 'INTERNAL')).toBe('internal error');
    expect(res.text).not.toMatch(/secret|passwd|ProbeController|at /);
  });

  it('turns a failing SQL statement into 500 INTERNAL without the SQL', async () => {
    const res = await server.http.get('/v1/probe/sql');
    expectError(res, 500, 'INTERNAL');
    expect(res.text).not.toMatch(/hunter2|SELECT|table_that/);
  });

  it('round-trips a valid X-Request-Id and replaces an invalid one', async () => {
    const id = '6d8e8c4e-3b8c-4c9a-9d2a-0c1f2e3d4a5b';
    const ok = await server.http.post('/v1/probe').set('X-Request-Id', id).send({ name: 'a' });
    expect(ok.body.requestId).toBe(id);
    expect(ok.headers['x-request-id']).toBe(id);
    const failed = await server.http.get('/v1/nope').set('X-Request-Id', id.toUpperCase());
    expect(failed.body.requestId).toBe(id);
    const invalid = await server.http.get('/v1/nope').set('X-Request-Id', 'not-a-uuid');
    expect(invalid.body.requestId).toMatch(UUID);
    expect(invalid.body.requestId).not.toBe('not-a-uuid');
  });

  it('gives each request a fresh id', async () => {
    const a = await server.http.get('/v1/nope');
    const b = await server.http.get('/v1/nope');
    expect(a.body.requestId).not.toBe(b.body.requestId);
  });

  it('refuses a path UUID that is not a UUID', async () => {
    expectError(await server.http.get('/v1/probe/uuid/123'), 400, 'INVALID_ARGUMENT');
    const id = '6d8e8c4e-3b8c-4c9a-9d2a-0c1f2e3d4a5b';
    expect(expectResult(await server.http.get(`/v1/probe/uuid/${id}`))).toEqual({ id });
  });

  describe('the shared list query', () => {
    it('applies defaults', async () => {
      const result = expectResult(await server.http.get('/v1/probe/list'));
      expect(result).toEqual({ query: { page: 1, size: 10, sort: 'created_at', order: 'desc' } });
    });

    it('parses integers and keeps filters', async () => {
      const result = expectResult(await server.http.get('/v1/probe/list?page=3&size=1000&sort=name&order=asc&name=x'));
      expect(result).toEqual({ query: { page: 3, size: 1000, sort: 'name', order: 'asc', name: 'x' } });
    });

    it.each([
      ['page=0'],
      ['page=-1'],
      ['page=1.5'],
      ['page=abc'],
      ['page='],
      ['size=1001'],
      ['size=0'],
      ['sort=password'],
      ['order=up'],
      ['unknown=1'],
      ['name=a&name=b'],
    ])('refuses %s with 400', async (qs) => {
      expectError(await server.http.get(`/v1/probe/list?${qs}`), 400, 'INVALID_ARGUMENT');
    });
  });

  describe('around the API', () => {
    it('serves /healthz and /readyz without a token', async () => {
      expect((await server.http.get('/healthz')).body).toEqual({ status: 'ok' });
      const ready = await server.http.get('/readyz');
      expect(ready.status).toBe(200);
      expect(ready.body.details.database.status).toBe('up');
    });

    it('serves the OpenAPI document and the docs page', async () => {
      const doc = await server.http.get('/v1/openapi.json');
      expect(doc.status).toBe(200);
      expect(doc.body.openapi).toMatch(/^3\./);
      const page = await server.http.get('/v1/docs/');
      expect(page.status).toBe(200);
      expect(page.text).toContain('swagger');
    });

    it('serves Prometheus metrics by route and status', async () => {
      await server.http.get('/v1/probe/list');
      const res = await server.http.get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toMatch(/http_requests_total\{method="GET",route="\/v1\/probe\/list",status="200"\} \d+/);
      expect(res.text).toContain('http_request_duration_seconds_bucket');
    });
  });
});
