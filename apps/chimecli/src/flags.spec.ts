import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandTree, type OpenApiDocument } from './command-tree';
import { buildRequest, parseArgs, typedValue } from './flags';
import { UsageError } from './usage-error';

const tree = commandTree(JSON.parse(readFileSync(join(__dirname, '__fixtures__/openapi.json'), 'utf8')) as OpenApiDocument);
const command = (category: string, operation: string) => tree.get(category)!.get(operation)!;
const request = (category: string, operation: string, argv: string[]) =>
  buildRequest(command(category, operation), parseArgs(argv).flags);

describe('parseArgs', () => {
  it('separates words from flags, takes --name value and --name=value, and the output format', () => {
    expect(parseArgs(['user', 'listUser', '--name', 'ad', '--page=2', '-o', 'table'])).toEqual({
      words: ['user', 'listUser'],
      flags: new Map([
        ['name', 'ad'],
        ['page', '2'],
      ]),
      help: false,
      output: 'table',
    });
    expect(parseArgs(['--output=json', 'az', '--help'])).toMatchObject({ words: ['az'], help: true, output: 'json' });
  });

  it('takes the next argument as the value even when it starts with a dash', () => {
    expect(parseArgs(['x', '--Body', '-1']).flags.get('Body')).toBe('-1');
  });

  it.each([
    [['user', 'listUser', '--name'], 'flag --name needs a value'],
    [['--name', 'a', '--name', 'b'], 'flag --name is given twice'],
    [['-o', 'yaml'], '--output must be json or table, not "yaml"'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(new UsageError(message));
  });
});

describe('buildRequest', () => {
  it('maps path flags, query flags and --<operation>Request.<Field> flags with their schema types', () => {
    expect(
      request('cluster', 'createCluster', [
        '--AzUuid',
        'a1',
        '--createClusterRequest.Name',
        'c1',
        '--createClusterRequest.HypervisorType',
        'kvm',
        '--createClusterRequest.Type',
        '1',
      ]),
    ).toEqual({
      params: { path: { AzUuid: 'a1' }, query: {} },
      body: { name: 'c1', hypervisor_type: 'kvm', type: 1 },
    });
    expect(request('user', 'listUser', ['--name', 'ad', '--page', '2', '--role', '0'])).toEqual({
      params: { path: {}, query: { name: 'ad', page: 2, role: 0 } },
      body: undefined,
    });
  });

  it('takes a whole body from --Body, with field flags winning, and accepts the wire name of a field', () => {
    const argv = [
      '--Body',
      '{"name":"u1","nick_name":"x","password":"pw-123456"}',
      '--createUserRequest.nick_name',
      'Ulla',
      '--createUserRequest.Enabled',
      'true',
      '--createUserRequest.Tags',
      '["a"]',
    ];
    expect(request('user', 'createUser', argv).body).toEqual({
      name: 'u1',
      nick_name: 'Ulla',
      password: 'pw-123456',
      enabled: true,
      tags: ['a'],
    });
  });

  it('sends null where the schema allows it', () => {
    expect(request('user', 'updateUserDefault', ['--UserUuid', 'u', '--updateUserDefaultRequest.AzUuid', 'null']).body).toEqual({
      az_uuid: null,
    });
  });

  it('sends an empty body when a required body has no flags, so the server names what is missing', () => {
    expect(request('user', 'createUser', []).body).toEqual({});
    expect(request('az', 'disableAz', ['--AzUuid', 'a']).body).toBeUndefined();
  });

  it.each([
    [
      ['--AzUuid', 'a', '--name', 'c1'],
      'unknown flag --name for cluster createCluster; did you mean --createClusterRequest.Name? (see chimecli cluster createCluster --help)',
    ],
    [
      ['--AzUuid', 'a', '--createClusterRequest.Nmae', 'c1'],
      'unknown flag --createClusterRequest.Nmae for cluster createCluster; did you mean --createClusterRequest.Name?',
    ],
    [
      ['--AzUuid', 'a', '--bogus', '1'],
      'unknown flag --bogus for cluster createCluster (see chimecli cluster createCluster --help)',
    ],
    [['--createClusterRequest.Name', 'c1'], 'cluster createCluster needs --AzUuid'],
    [['--AzUuid', 'a', '--createClusterRequest.Type', 'one'], '--createClusterRequest.Type expects an integer, not "one"'],
    [['--AzUuid', 'a', '--Body', '[1]'], '--Body must be a JSON object'],
    [['--AzUuid', 'a', '--Body', '{name:1}'], '--Body is not valid JSON'],
  ])('refuses %j', (argv, message) => {
    expect(() => request('cluster', 'createCluster', argv)).toThrow(message);
  });
});

describe('typedValue', () => {
  it.each([
    [{ type: 'integer' }, '-3', -3],
    [{ type: 'number' }, '2.5', 2.5],
    [{ type: 'boolean' }, 'false', false],
    [{ type: 'string' }, '007', '007'],
    [{ type: 'string' }, 'null', 'null'],
    [{ type: 'string', nullable: true }, 'null', null],
    [{ type: ['integer', 'null'] }, 'null', null],
    [{ type: 'object' }, '{"a":1}', { a: 1 }],
    [{ enum: [1, 2] }, '2', 2],
    [{}, 'anything', 'anything'],
  ])('%j reads %s as %j', (schema, raw, value) => {
    expect(typedValue('f', raw, schema)).toEqual(value);
  });

  it.each([
    [{ type: 'integer' }, '1.5'],
    [{ type: 'number' }, ''],
    [{ type: 'boolean' }, 'yes'],
    [{ type: 'array' }, '{"a":1}'],
  ])('%j refuses %j', (schema, raw) => {
    expect(() => typedValue('f', raw, schema)).toThrow(UsageError);
  });
});
