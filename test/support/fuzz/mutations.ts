import fc from 'fast-check';
import type { ApiOperation } from './api-operations';
import type { RequestPlan } from './request-plan';
import { isObject, isRef, urlText, Value } from './values';

/** A change to a valid request: `apply` edits the plan, `label` says what it did, `kind` what sort of change. */
export interface Mutation {
  kind: string;
  label: string;
  apply(plan: RequestPlan): void;
}

type Place = { in: 'body'; key: string } | { in: 'query' | 'path' | 'header'; name: string };

const ODD_NUMBERS = [
  '1e309',
  '-1e309',
  '-1',
  '0',
  '-0',
  '1.5',
  '1e-400',
  '2147483648',
  '4294967296',
  '9223372036854775808',
  '-9223372036854775809',
  '99999999999999999999',
  '123456789012345678901234567890',
];
const INVALID_UUIDS = [
  '',
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
  'a0eebc999c0b4ef8bb6d6bb9bd380a11',
  '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}',
  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11x',
  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1',
  'urn:uuid:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
  '-1',
  '99999999999999999999',
  '1e309',
  'null',
  ' ',
  '..',
  "' OR 1=1 --",
];
const WRONG_TYPES: Value[] = [
  0,
  -1,
  1.5,
  true,
  false,
  'x',
  '',
  { array: [] },
  { object: [] },
  { array: [1, 'a'] },
  { object: [['a', 1]] },
];
const WRONG_QUERY_TEXTS = ['abc', '1.5', '', '1e3', '0x10', ' 1', '+1', 'true', '\uff11', 'NaN', 'Infinity'];
const LONE_SURROGATES = ['"\\ud800x"', '"\\udfff"', '"a\\ud83d"', '"\\udc00\\ud800"', '"\\ud83d\\ude00"'];
const BAD_URL_BYTES = ['%ED%A0%80', '%C0%80', '%FF', '%F4%90%80%80', '%', '%zz', '%E0%A4%A', '%%'];
const MALFORMED_JSON = [
  '',
  '{',
  '{"a":1',
  '{"a":1}}',
  '{"a":1} x',
  'null',
  '[]',
  '"x"',
  '1',
  'true',
  '\uFEFF{}',
  "{'a':1}",
  '{"a":1,}',
  '{a:1}',
  'NaN',
  '{"a":NaN}',
  '{"a":Infinity}',
  '{"a":undefined}',
  '{"a":0x10}',
  '{"a":01}',
  '{"a":"\\x"}',
  '{"a":"\\u12"}',
  '{"a":"\n"}',
  '{"name":"a","name":"b"}',
  '[[[[[[[[[[',
];
const ODD_CONTENT_TYPES: [string | undefined, RequestPlan['encoding']][] = [
  ['text/plain', 'json'],
  ['text/plain; charset=utf-8', 'json'],
  ['application/x-www-form-urlencoded', 'form'],
  ['application/x-www-form-urlencoded', 'json'],
  ['multipart/form-data; boundary=fuzz', 'multipart'],
  [undefined, 'json'],
  ['application/json; charset=UTF-8', 'json'],
  ['application/json;charset="utf-8"', 'json'],
  ['APPLICATION/JSON', 'json'],
  ['application/json; charset=latin1', 'json'],
  ['application/json; charset=utf-16', 'json'],
  ['application/json; charset=', 'json'],
  ['application/json; foo=bar', 'json'],
  ['application/json, text/plain', 'json'],
  ['application/*', 'json'],
  ['*/*', 'json'],
  ['application/vnd.api+json', 'json'],
  ['application/jsonx', 'json'],
  [';;;', 'json'],
  ['application/xml', 'json'],
];
const PROTO_MEMBERS: [string, Value][] = [
  ['__proto__', { object: [['role', 3]] }],
  ['__proto__', null],
  ['constructor', { object: [['prototype', { object: [['polluted', 1]] }]] }],
  ['prototype', 1],
  ['__proto__', { object: [['isAdmin', true]] }],
];
const PROTO_QUERY: [string, string][] = [
  ['__proto__[role]', '3'],
  ['constructor[prototype][polluted]', '1'],
  ['__proto__', 'x'],
  ['hasOwnProperty', 'x'],
];
const UNKNOWN_KEYS = ['uuid', 'created_at', 'state', 'version', 'id', 'password_hash', 'extra', 'a.b', 'A', ''];

const places = (operation: ApiOperation, plan: RequestPlan, kinds: Place['in'][]): Place[] => [
  ...(kinds.includes('body') && operation.body
    ? [
        ...new Set([
          ...Object.keys(operation.body.properties ?? {}),
          ...(isObject(plan.body ?? null) ? (plan.body as { object: [string, Value][] }).object.map(([k]) => k) : []),
        ]),
      ].map((key): Place => ({ in: 'body', key }))
    : []),
  ...operation.parameters.filter((p) => kinds.includes(p.in)).map((p): Place => ({ in: p.in, name: p.name })),
];

function put(plan: RequestPlan, place: Place, value: Value): void {
  if (place.in === 'path') plan.pathParams[place.name] = value;
  else if (place.in === 'body') setMember(plan, place.key, value);
  else {
    const list = place.in === 'query' ? plan.query : plan.headers;
    const at = list.findIndex(([k]) => k === place.name);
    if (at >= 0) list[at] = [place.name, value];
    else list.push([place.name, value]);
  }
}

function setMember(plan: RequestPlan, key: string, value: Value): void {
  if (!isObject(plan.body ?? null)) plan.body = { object: [] };
  plan.contentType ??= 'application/json';
  const members = (plan.body as { object: [string, Value][] }).object;
  const at = members.findIndex(([k]) => k === key);
  if (at >= 0) members[at] = [key, value];
  else members.push([key, value]);
}

const current = (plan: RequestPlan, place: Place): Value | undefined => {
  if (place.in === 'path') return plan.pathParams[place.name];
  if (place.in === 'body')
    return isObject(plan.body ?? null)
      ? (plan.body as { object: [string, Value][] }).object.find(([k]) => k === place.key)?.[1]
      : undefined;
  return (place.in === 'query' ? plan.query : plan.headers).find(([k]) => k === place.name)?.[1];
};

const describePlace = (place: Place) => (place.in === 'body' ? `body.${place.key}` : `${place.in} ${place.name}`);

/**
 * A mutation that puts a value at one of the places `kinds` of the request, chosen when applied
 * (`pick`); `value` gets the place and the value there now.
 */
function atPlace<T>(
  operation: ApiOperation,
  name: string,
  kinds: Place['in'][],
  choice: fc.Arbitrary<T>,
  value: (choice: T, place: Place, now: Value | undefined) => Value,
): fc.Arbitrary<Mutation> {
  return fc.tuple(fc.nat(), choice).map(([pick, chosen]) => ({
    kind: name,
    label: name,
    apply(plan) {
      const candidates = places(operation, plan, kinds);
      if (candidates.length === 0) return;
      const place = candidates[pick % candidates.length];
      const next = value(chosen, place, current(plan, place));
      this.label = `${name} at ${describePlace(place)}: ${JSON.stringify(next)}`;
      put(plan, place, next);
    },
  }));
}

const replaceBody = (kind: string, label: string, body: Value, contentType = 'application/json'): Mutation => ({
  kind,
  label,
  apply(plan) {
    plan.body = body;
    plan.contentType = contentType;
    plan.encoding = 'json';
  },
});

/** Every mutation that applies to the operation, weighted so that each kind turns up often. */
export function mutationsFor(operation: ApiOperation): fc.Arbitrary<Mutation> {
  const stringAt = (now: Value | undefined) =>
    typeof now === 'string' ? now : isRef(now ?? null) ? String((now as { fallback: string | number }).fallback) : 'a';
  const depth = fc.oneof(
    fc.integer({ min: 2, max: 64 }),
    fc.integer({ min: 65, max: 5000 }),
    fc.integer({ min: 5001, max: 100_000 }),
    fc.constant(100_000),
  );
  const member = (kind: string, key: string, value: Value): Mutation => ({
    kind,
    label: `member ${JSON.stringify(key)}: ${JSON.stringify(value)}`,
    apply: (plan) => setMember(plan, key, value),
  });
  return fc.oneof(
    atPlace(operation, 'null', ['body'], fc.constant(null), () => null),
    atPlace(operation, 'wrong type', ['body'], fc.constantFrom(...WRONG_TYPES), (v) => v),
    atPlace(operation, 'wrong type', ['query', 'header'], fc.constantFrom(...WRONG_QUERY_TEXTS), (v) => v),
    atPlace(operation, 'odd number', ['body', 'query', 'path', 'header'], fc.constantFrom(...ODD_NUMBERS), (v) => ({ raw: v })),
    atPlace(operation, 'invalid uuid', ['body', 'query', 'path'], fc.constantFrom(...INVALID_UUIDS), (v) => v),
    atPlace(operation, 'NUL', ['body', 'query', 'path'], fc.nat(), (at, place, now) => {
      const text = stringAt(now);
      const cut = at % (text.length + 1);
      return place.in === 'body'
        ? `${text.slice(0, cut)}\u0000${text.slice(cut)}`
        : { raw: `${urlText(text.slice(0, cut))}%00${urlText(text.slice(cut))}` };
    }),
    atPlace(operation, 'lone surrogate', ['body'], fc.constantFrom(...LONE_SURROGATES), (v) => ({ raw: v })),
    atPlace(operation, 'bad URL bytes', ['query', 'path'], fc.constantFrom(...BAD_URL_BYTES), (v, _place, now) => ({
      raw: `${urlText(stringAt(now))}${v}`,
    })),
    atPlace(
      operation,
      'deep nesting',
      ['body'],
      fc.tuple(fc.constantFrom('array' as const, 'object' as const), depth),
      ([nested, d]) => ({ nested, depth: d }),
    ),
    fc
      .tuple(fc.constantFrom('array' as const, 'object' as const), depth)
      .map(([nested, d]) => replaceBody('deep nesting', `body nested ${d} levels (${nested})`, { nested, depth: d })),
    fc
      .constantFrom(...MALFORMED_JSON)
      .map((text) => replaceBody('malformed JSON', `malformed JSON ${JSON.stringify(text)}`, { raw: text })),
    fc
      .constantFrom(1_048_400, 1_048_600, 2_000_000)
      .map((big) => replaceBody('huge body', `body of ${big} bytes`, { object: [['name', { big }]] })),
    fc
      .tuple(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...UNKNOWN_KEYS)), fc.jsonValue({ maxDepth: 2 }))
      .map(([key, value]) => member('unknown member', key, plain(value))),
    fc.constantFrom(...PROTO_MEMBERS).map(([key, value]) => member('__proto__ member', key, value)),
    fc
      .tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 4 }), fc.constantFrom('\u0000', '\ud800', '\udfff'))
      .map(([key, odd]) => member('odd key', key + odd, 1)),
    fc
      .oneof(fc.constantFrom(...PROTO_QUERY), fc.tuple(fc.string({ minLength: 1, maxLength: 10 }), fc.string({ maxLength: 10 })))
      .map(([key, value]): Mutation => ({
        kind: 'unknown query key',
        label: `query key ${JSON.stringify(key)}=${JSON.stringify(value)}`,
        apply: (plan) => void plan.query.push([key, value]),
      })),
    fc.tuple(fc.nat(), fc.nat({ max: 1000 })).map(([pick, d]): Mutation => ({
      kind: 'nested query key',
      label: `query key nested ${d} levels`,
      apply: (plan) =>
        void plan.query.push([
          `${operation.parameters.find((p) => p.in === 'query')?.name ?? 'a'}${'[a]'.repeat(d)}`,
          String(pick),
        ]),
    })),
    fc.nat().map((pick): Mutation => ({
      kind: 'repeated query key',
      label: 'repeated query key',
      apply(plan) {
        const names = operation.parameters.filter((p) => p.in === 'query').map((p) => p.name);
        const name = names.length ? names[pick % names.length] : 'page';
        this.label = `repeated query key ${name}`;
        plan.query.push([name, '1'], [name, '2']);
      },
    })),
    fc.constantFrom(...ODD_CONTENT_TYPES).map(([contentType, encoding]): Mutation => ({
      kind: 'odd Content-Type',
      label: `Content-Type ${contentType ?? '(none)'} as ${encoding}`,
      apply(plan) {
        plan.body ??= { object: [['name', 'fuzz']] };
        plan.contentType = contentType;
        plan.encoding = encoding;
      },
    })),
    fc
      .constantFrom('x', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '', 'a'.repeat(300), 'not a uuid; drop table users')
      .map((id): Mutation => ({
        kind: 'odd X-Request-Id',
        label: `X-Request-Id ${JSON.stringify(id)}`,
        apply: (plan) => put(plan, { in: 'header', name: 'X-Request-Id' }, id),
      })),
  );
}

/** A plain JSON value (from fc.jsonValue) as a Value. */
export function plain(json: unknown): Value {
  if (Array.isArray(json)) return { array: json.map(plain) };
  if (json !== null && typeof json === 'object') return { object: Object.entries(json).map(([k, v]) => [k, plain(v)]) };
  if (typeof json === 'number' && !Number.isFinite(json)) return null;
  return json as Value;
}
