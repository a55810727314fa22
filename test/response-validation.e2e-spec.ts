import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { expectResult } from './support/envelope';
import { checkedHttp } from './support/checked-http';
import { ResponseContract, type ObservedResponse, type OpenApiDocument } from './support/response-contract';
import { responseTally } from './support/response-tally';
import { startTestServer, TestServer } from './support/test-server';
import { ADMIN, bearer, login } from './support/users';

/** The checker every e2e response goes through (test/support/checked-http.ts) catches what the document does not describe. */
describe('responses held against the served OpenAPI document', () => {
  let server: TestServer;
  let token: string;
  let document: OpenApiDocument;
  let az: Record<string, unknown>;

  beforeAll(async () => {
    server = await startTestServer();
    token = await login(server, ADMIN.name, ADMIN.password);
    document = (await server.http.get('/v1/openapi.json')).body;
    az = expectResult<{ az: Record<string, unknown> }>(
      await server.http.post('/v1/az').set(bearer(token)).send({ name: 'checked', description: 'd' }),
    ).az;
  });
  afterAll(() => server?.close());

  /** A response as the server would give it: the envelope as JSON, its id in X-Request-Id. */
  function crafted(
    method: string,
    url: string,
    status: number,
    body: object,
    headers: Record<string, string> = {},
  ): ObservedResponse {
    const requestId = randomUUID();
    return {
      method,
      url,
      status,
      headers: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': requestId, ...headers },
      text: JSON.stringify({ requestId, ...body }),
    };
  }
  const getAz = (result: unknown, status = 200) => crafted('GET', `/v1/az/${az.uuid}`, status, { result });
  const failure = (method: string, url: string, code: number, status: string) =>
    crafted(method, url, code, { error: { code, message: 'm', status } });
  const problems = (response: ObservedResponse, contract = server.contract) => contract.check(response).problems;

  it('passes what the document describes, nullable fields and int64 included', () => {
    expect(server.contract.check(getAz({ az }))).toEqual({ against: 'getAz (GET /v1/az/{AzUuid})', problems: [] });
    expect(problems(failure('GET', `/v1/az/${az.uuid}`, 404, 'NOT_FOUND'))).toEqual([]);
    const defaults = { default: { az_uuid: null, clusters_uuid: null } };
    expect(problems(crafted('GET', `/v1/user/${randomUUID()}/default`, 200, { result: defaults }))).toEqual([]);
    expect(problems(crafted('GET', `/v1/user/${randomUUID()}/default/`, 200, { result: defaults }))).toEqual([]);
  });

  it('catches a missing field, an extra field, a wrong type and a wrong format in the result', () => {
    const { state: _state, ...withoutState } = az;
    expect(problems(getAz({ az: withoutState }))).toEqual(["body/result/az must have required property 'state'"]);
    expect(problems(getAz({ az: { ...az, colour: 'red' } }))).toEqual([
      'body/result/az must NOT have additional properties: colour',
    ]);
    expect(problems(getAz({ az: { ...az, state: '1' } }))).toEqual([
      'body/result/az/state must be number',
      'body/result/az/state must be equal to one of the allowed values: [0,1]',
    ]);
    expect(problems(getAz({ az: { ...az, created_at: 'yesterday' } }))).toEqual([
      'body/result/az/created_at must match format "date-time"',
    ]);
    const defaults = { default: { az_uuid: 'nowhere', clusters_uuid: null } };
    expect(problems(crafted('GET', `/v1/user/${randomUUID()}/default`, 200, { result: defaults }))).toEqual([
      'body/result/default/az_uuid must match format "uuid"',
    ]);
    const entry = { id: 1.5, created_at: new Date().toISOString(), method: 'GET', path: '/', input: '', ip: '', user_uuid: null };
    const log = crafted('GET', '/v1/operation_log/1', 200, {
      result: { operation_log: { ...entry, user_name: null, request_id: randomUUID(), outcome: 'success' } },
    });
    expect(problems(log)).toEqual([
      'body/result/operation_log/id must be integer',
      'body/result/operation_log/id must match format "int64"',
    ]);
  });

  it('catches an error status the HTTP status does not carry, and a status the operation does not document', () => {
    expect(problems(failure('POST', '/v1/az', 400, 'NOT_FOUND'))).toEqual([
      'body/error/status must be equal to one of the allowed values: ["INVALID_ARGUMENT","ALREADY_EXISTS","FAILED_PRECONDITION","LIMIT_EXCEEDED"]',
    ]);
    expect(problems(failure('POST', '/v1/az', 418, 'INTERNAL'))).toEqual([
      'status 418 is not documented (documented: 200, 400, 401, 403, 413, 500)',
    ]);
    // listAz has no path parameter: nothing to be found missing.
    expect(problems(failure('GET', '/v1/az', 404, 'NOT_FOUND'))[0]).toMatch(/^status 404 is not documented/);
  });

  it('catches a wrong Content-Type, a request id differing from its header, and a missing required header', () => {
    expect(problems({ ...getAz({ az }), headers: { 'content-type': 'text/html', 'x-request-id': randomUUID() } })).toEqual([
      'Content-Type text/html is not documented (documented: application/json)',
    ]);
    const response = getAz({ az });
    expect(problems({ ...response, headers: { ...response.headers, 'x-request-id': randomUUID() } })[0]).toMatch(
      /^requestId "[-0-9a-f]+" differs from X-Request-Id/,
    );
    expect(problems({ ...response, headers: { 'content-type': 'application/json' } })).toEqual([
      'X-Request-Id header undefined is not a UUID',
    ]);
    const throttled = failure('POST', '/v1/login', 429, 'RESOURCE_EXHAUSTED');
    expect(problems(throttled)).toEqual(['header Retry-After is required but missing']);
    expect(problems({ ...throttled, headers: { ...throttled.headers, 'retry-after': '0' } })).toEqual([
      'header Retry-After must be >= 1',
    ]);
    expect(problems({ ...throttled, headers: { ...throttled.headers, 'retry-after': '3' } })).toEqual([]);
  });

  it('holds a route the document does not have to the generic envelope', () => {
    expect(server.contract.check(failure('GET', '/v1/nowhere?x=1', 404, 'NOT_FOUND'))).toEqual({
      against: 'the generic envelope (GET /v1/nowhere is no operation of the document)',
      problems: [],
    });
    expect(problems(failure('PATCH', '/v1/az', 404, 'NOT_FOUND'))).toEqual([]);
    expect(problems(failure('GET', '/nowhere', 404, 'INVALID_ARGUMENT'))).toEqual([
      'error.status "INVALID_ARGUMENT" is not one of HTTP 404: NOT_FOUND',
    ]);
    expect(problems(crafted('GET', '/v1/probe/db', 200, { result: { one: 1 }, extra: true }))).toEqual([
      'a success envelope has exactly requestId and result, not extra,requestId,result',
    ]);
    expect(problems(failure('GET', '/v1/nowhere', 418, 'INTERNAL'))).toEqual([
      'HTTP 418 is no status of API.md §1.1',
      'error.status "INTERNAL" is not one of HTTP 418: ',
    ]);
    const html = {
      method: 'GET',
      url: '/v1/nowhere',
      status: 404,
      headers: { 'content-type': 'text/html', 'x-request-id': randomUUID() },
    };
    expect(problems({ ...html, text: '<h1>no</h1>' })).toEqual(['Content-Type text/html is not application/json']);
    // The platform's own routes are outside the contract: their request id only.
    expect(problems({ ...html, url: '/metrics', status: 200, text: 'x 1' })).toEqual([]);
    expect(problems({ ...html, method: 'POST', url: '/metrics', status: 404, text: '' })).toEqual([
      'Content-Type text/html is not application/json',
    ]);
    expect(problems({ ...html, url: '/v1/docs/swagger-ui.css', status: 200, headers: { 'content-type': 'text/css' } })).toEqual([
      'X-Request-Id header undefined is not a UUID',
    ]);
  });

  it('holds responses against the document it is given: a mutated copy fails what the real one passes', async () => {
    type Schemas = Record<string, { properties: Record<string, unknown>; required: string[] }>;
    const mutated = structuredClone(document) as OpenApiDocument & { components: { schemas: Schemas } };
    mutated.components.schemas.Az.properties.state = { type: 'string' };
    const strict = new ResponseContract(mutated);
    expect(problems(getAz({ az }), strict)).toEqual(['body/result/az/state must be string']);

    const lenient = structuredClone(document) as typeof mutated;
    lenient.components.schemas.Az.required = lenient.components.schemas.Az.required.filter((name: string) => name !== 'state');
    const { state: _state, ...withoutState } = az;
    expect(problems(getAz({ az: withoutState }), new ResponseContract(lenient))).toEqual([]);

    // Through supertest, as every e2e request goes: the real server's response fails the request.
    // (The deliberate failure is taken off the run's count again: it is no failure of the suite.)
    const tally = { ...responseTally() };
    const http = checkedHttp(request(server.url), strict);
    const refused = http.get(`/v1/az/${az.uuid}`).set(bearer(token));
    await expect(refused).rejects.toThrow(
      new RegExp(
        `The response to GET /v1/az/${az.uuid} is not one the OpenAPI document describes\\.\\n` +
          'Held against: getAz \\(GET /v1/az/\\{AzUuid\\}\\)\\nStatus: 200, Content-Type: application/json.*\\n' +
          'Problems:\\n  - body/result/az/state must be string\\nBody: \\{"requestId"',
      ),
    );
    expect(responseTally()).toEqual({ checked: tally.checked + 1, failed: tally.failed + 1 });
    Object.assign(responseTally(), { failed: tally.failed });
  });

  it('checks the responses of server.http: a real one passes and is counted', async () => {
    const before = responseTally().checked;
    expectResult(await server.http.get(`/v1/az/${az.uuid}`).set(bearer(token)));
    expect(responseTally().checked).toBe(before + 1);
  });
});
