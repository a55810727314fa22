import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandTree, type OpenApiDocument, pascalCase } from './command-tree';

const FIXTURE: OpenApiDocument = JSON.parse(readFileSync(join(__dirname, '__fixtures__/openapi.json'), 'utf8'));

describe('commandTree', () => {
  const tree = commandTree(FIXTURE);

  it('makes a category of each tag and a command of each operationId, in document order', () => {
    expect([...tree.keys()]).toEqual(['user', 'cluster', 'az']);
    expect([...tree.get('user')!.keys()]).toEqual(['listUser', 'createUser', 'getUser', 'updateUserDefault']);
  });

  it('takes path and query flags from the parameters and body flags from the referenced schema', () => {
    const command = tree.get('cluster')!.get('createCluster')!;
    expect(command).toMatchObject({ method: 'POST', path: '/v1/az/{AzUuid}/cluster', queryParams: [] });
    expect(command.pathParams).toEqual([{ name: 'AzUuid', required: true, description: undefined, schema: { type: 'string' } }]);
    expect(command.body).toEqual({
      requestName: 'createClusterRequest',
      required: true,
      fields: [
        { name: 'name', flag: 'Name', required: true, schema: { type: 'string', minLength: 1, maxLength: 64 } },
        { name: 'hypervisor_type', flag: 'HypervisorType', required: false, schema: { type: 'string', default: 'kvm' } },
        { name: 'type', flag: 'Type', required: false, schema: { type: 'integer', enum: [0, 1, 2], default: 0 } },
      ],
    });
    expect(tree.get('az')!.get('disableAz')!.body).toBeUndefined();
  });

  it.each([
    ['hypervisor_type', 'HypervisorType'],
    ['name', 'Name'],
    ['clusters_uuid', 'ClustersUuid'],
    ['nick_name', 'NickName'],
  ])('names the body field %s --…Request.%s', (field, flag) => {
    expect(pascalCase(field)).toBe(flag);
  });
});
