import { startTestServer, TestServer } from './support/test-server';

/** Every operation of API.md, by operationId, with its method, path and CLI category (the tag). */
const OPERATIONS: [string, string, string, string][] = [
  ['login', 'post', '/v1/login', 'user'],
  ['logout', 'post', '/v1/logout', 'user'],
  ['auth', 'post', '/v1/auth', 'user'],
  ['listUser', 'get', '/v1/user', 'user'],
  ['createUser', 'post', '/v1/user', 'user'],
  ['getUser', 'get', '/v1/user/{UserUuid}', 'user'],
  ['updateUser', 'patch', '/v1/user/{UserUuid}', 'user'],
  ['deleteUser', 'delete', '/v1/user/{UserUuid}', 'user'],
  ['getUserDefault', 'get', '/v1/user/{UserUuid}/default', 'user'],
  ['updateUserDefault', 'patch', '/v1/user/{UserUuid}/default', 'user'],
  ['listAz', 'get', '/v1/az', 'az'],
  ['createAz', 'post', '/v1/az', 'az'],
  ['getAz', 'get', '/v1/az/{AzUuid}', 'az'],
  ['updateAz', 'patch', '/v1/az/{AzUuid}', 'az'],
  ['deleteAz', 'delete', '/v1/az/{AzUuid}', 'az'],
  ['enableAz', 'put', '/v1/az/{AzUuid}/enable', 'az'],
  ['disableAz', 'put', '/v1/az/{AzUuid}/disable', 'az'],
  ['listCluster', 'get', '/v1/az/{AzUuid}/cluster', 'cluster'],
  ['createCluster', 'post', '/v1/az/{AzUuid}/cluster', 'cluster'],
  ['getCluster', 'get', '/v1/az/{AzUuid}/cluster/{ClusterUuid}', 'cluster'],
  ['updateCluster', 'patch', '/v1/az/{AzUuid}/cluster/{ClusterUuid}', 'cluster'],
  ['deleteCluster', 'delete', '/v1/az/{AzUuid}/cluster/{ClusterUuid}', 'cluster'],
  ['enableCluster', 'put', '/v1/az/{AzUuid}/cluster/{ClusterUuid}/enable', 'cluster'],
  ['disableCluster', 'put', '/v1/az/{AzUuid}/cluster/{ClusterUuid}/disable', 'cluster'],
  ['listOperationLog', 'get', '/v1/operation_log', 'operation_log'],
  ['getOperationLog', 'get', '/v1/operation_log/{id}', 'operation_log'],
  ['listEvent', 'get', '/v1/event', 'event'],
  ['streamEvent', 'get', '/v1/event/stream', 'event'],
];

interface Operation {
  operationId: string;
  tags: string[];
  responses: Record<string, unknown>;
  parameters?: { name: string; in: string }[];
}

describe('conformance with API.md: the OpenAPI document', () => {
  let server: TestServer;
  let paths: Record<string, Record<string, Operation>>;

  beforeAll(async () => {
    server = await startTestServer();
    paths = (await server.http.get('/v1/openapi.json')).body.paths;
  });
  afterAll(() => server?.close());

  it.each(OPERATIONS)('has %s as %s %s in category %s', (operationId, method, path, tag) => {
    const operation = paths[path]?.[method];
    expect(operation).toBeDefined();
    expect(operation.operationId).toBe(operationId);
    expect(operation.tags).toEqual([tag]);
    for (const name of path.match(/\{(\w+)\}/g) ?? []) {
      expect(operation.parameters?.some((p) => p.in === 'path' && `{${p.name}}` === name)).toBe(true);
    }
  });

  it('answers every success with 200, creates included, and every failure with a status of API.md §1.1', () => {
    const failures = new Set(['400', '401', '403', '404', '413', '429', '500']);
    for (const [path, methods] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const codes = Object.keys(operation.responses);
        expect({ path, method, success: codes.filter((code) => !failures.has(code)) }).toEqual({
          path,
          method,
          success: ['200'],
        });
      }
    }
  });

  it('holds no operation the API does not name', () => {
    const documented = Object.values(paths).flatMap((methods) => Object.values(methods).map((o) => o.operationId));
    const known = new Set([...OPERATIONS.map(([id]) => id), 'listEventSubscription']);
    expect(documented.filter((id) => !known.has(id))).toEqual([]);
  });
});
