import fc from 'fast-check';
import { apiOperations } from './api-operations';
import { ResourceRegistry } from './fixture';
import { toHttpRequest } from './raw-http';
import { RequestPlan, requestPlans } from './request-plan';
import { isObject, isRef, piecesText, Value } from './values';

/** A small document in the shape @nestjs/swagger serves: a `$ref` body, nested paths, a header. */
const DOCUMENT = {
  paths: {
    '/v1/thing': {
      get: {
        operationId: 'listThing',
        parameters: [{ name: 'page', in: 'query', required: false, schema: { type: 'number', minimum: 1 } }],
      },
      post: {
        operationId: 'createThing',
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateThingDto' } } } },
      },
    },
    '/v1/thing/{ThingUuid}/part/{PartUuid}': {
      patch: {
        operationId: 'updatePart',
        parameters: [
          { name: 'ThingUuid', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'PartUuid', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'last-event-id', in: 'header', required: true, schema: { type: 'string' } },
        ],
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { owner_uuid: { type: 'string', format: 'uuid' }, size: { type: 'number', enum: [1, 2] } },
              },
            },
          },
        },
      },
      delete: {
        operationId: 'deletePart',
        parameters: [
          { name: 'ThingUuid', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'PartUuid', in: 'path', required: true, schema: { type: 'string' } },
        ],
      },
    },
  },
  components: {
    schemas: {
      CreateThingDto: {
        type: 'object',
        properties: { name: { type: 'string', pattern: '^[a-z]{1,8}$' }, count: { type: 'number', minimum: 0, maximum: 5 } },
        required: ['name'],
      },
    },
  },
};

const operations = apiOperations(DOCUMENT);
const sample = (seed: number, numRuns = 400) => fc.sample(requestPlans(operations), { seed, numRuns });
const member = (plan: RequestPlan, key: string): Value | undefined =>
  plan.body !== undefined && isObject(plan.body) ? plan.body.object.find(([k]) => k === key)?.[1] : undefined;

describe('the OpenAPI request generator', () => {
  it('reads every operation with its parameters, the resource each path parameter names, and the resolved body', () => {
    expect(operations.map((o) => `${o.method} ${o.operationId}`)).toEqual([
      'GET listThing',
      'POST createThing',
      'PATCH updatePart',
      'DELETE deletePart',
    ]);
    const update = operations.find((o) => o.operationId === 'updatePart')!;
    expect(update.parameters.map((p) => [p.name, p.in, p.resource])).toEqual([
      ['ThingUuid', 'path', 'thing'],
      ['PartUuid', 'path', 'part'],
      ['last-event-id', 'header', undefined],
    ]);
    expect(operations.find((o) => o.operationId === 'createThing')!.body?.required).toEqual(['name']);
  });

  it('covers every operation, with valid and mutated requests', () => {
    const plans = sample(1);
    for (const operation of operations) {
      const own = plans.filter((p) => p.operation === operation);
      expect({
        id: operation.operationId,
        valid: own.some((p) => !p.mutations.length),
        mutated: own.some((p) => p.mutations.length),
      }).toEqual({
        id: operation.operationId,
        valid: true,
        mutated: true,
      });
    }
  });

  it('builds valid requests from the schema: required fields, types, ranges, patterns, references', () => {
    for (const plan of sample(2).filter((p) => p.mutations.length === 0)) {
      if (plan.operation.operationId === 'createThing') {
        expect(member(plan, 'name')).toMatch(/^[a-z]{1,8}$/);
        const count = member(plan, 'count');
        if (count !== undefined) expect(count).toEqual(expect.any(Number));
        expect(plan.contentType).toMatch(/^application\/json/);
      }
      if (plan.operation.operationId === 'updatePart') {
        expect([plan.pathParams.ThingUuid, plan.pathParams.PartUuid].map((v) => isRef(v) && v.ref)).toEqual(['thing', 'part']);
        const owner = member(plan, 'owner_uuid');
        if (owner !== undefined) expect(isRef(owner) && owner.ref).toBe('owner');
      }
      if (plan.operation.operationId === 'listThing') {
        for (const [name, value] of plan.query) expect([name, Number(value) >= 1]).toEqual(['page', true]);
      }
    }
  });

  it('is reproducible from its seed', () => {
    const wire = (plans: RequestPlan[]) => {
      const registry = new ResourceRegistry();
      registry.add('thing', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
      return plans
        .map((p) => toHttpRequest(registry.resolve(p), ['t0', 't1', 't2', 't3'], 'revoked'))
        .map((r) => ({ ...r, body: r.body && piecesText(r.body) }));
    };
    expect(wire(sample(3, 100))).toEqual(wire(sample(3, 100)));
    expect(wire(sample(3, 100))).not.toEqual(wire(sample(4, 100)));
  });

  it('addresses a nested resource mostly under its own parent, and spares protected resources', () => {
    const registry = new ResourceRegistry();
    const things = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'];
    things.forEach((thing) => registry.add('thing', thing));
    registry.add('part', '33333333-3333-4333-8333-333333333333', { thing: things[1] }, true);
    const updates = sample(5)
      .filter((p) => p.operation.operationId === 'updatePart' && !p.mutations.length)
      .map((p) => registry.resolve(p));
    const underParent = updates.filter(
      (p) => p.pathParams.PartUuid === '33333333-3333-4333-8333-333333333333' && p.pathParams.ThingUuid === things[1],
    );
    expect(underParent.length).toBeGreaterThan(updates.length / 2);

    const deletion = registry.resolve(sample(6).find((p) => p.operation.operationId === 'deletePart' && !p.mutations.length)!);
    deletion.pathParams.PartUuid = '33333333-3333-4333-8333-333333333333';
    expect(registry.defuse(deletion)).toMatch(/instead of a fixture resource/);
    expect(toHttpRequest(deletion, [], '').target).not.toContain('33333333');
  });
});
