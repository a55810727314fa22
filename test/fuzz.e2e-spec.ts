import fc from 'fast-check';
import { ApiOperation, apiOperations } from './support/fuzz/api-operations';
import { createFixture, FuzzFixture } from './support/fuzz/fixture';
import { responseViolations, StateWatch } from './support/fuzz/invariants';
import { closeConnections, curlCommand, HttpOutcome, send, toHttpRequest } from './support/fuzz/raw-http';
import { requestPlans } from './support/fuzz/request-plan';
import { startTestServer, TestServer } from './support/test-server';

/**
 * A seeded generative fuzz run over every operation of the served OpenAPI document: mostly valid
 * requests built from the schemas, the rest mutated (deep nesting, NUL, lone surrogates, nulls,
 * wrong types, odd content types and numbers, unknown and `__proto__` keys, bad tokens …). Every
 * answer must be a JSON envelope with an allowed status, and a rejected request must leave the
 * state as it was. Reproduce a run with FUZZ_SEED (and FUZZ_RUNS, the number of requests).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_501);
const RUNS = Number(process.env.FUZZ_RUNS ?? 5000);
const JOIN_TOKEN = 'fuzz-join-token-0123456789';
const REPRODUCE = `FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} npx jest test/fuzz.e2e-spec.ts`;
/** A request unanswered this long means a dead or stuck server; the run stops there. */
const REQUEST_TIMEOUT_MS = 10_000;
/** Kinds of failure reported with their first request; the others are only counted. */
const DETAILED_FAILURES = 20;

/** One violation after one sort of mutation: how often, on which operations, the first request. */
interface FailureClass {
  count: number;
  operations: Set<string>;
  example: string;
}

describe(`fuzz: every operation of the OpenAPI document (seed ${SEED}, ${RUNS} requests)`, () => {
  let server: TestServer;
  let operations: ApiOperation[];
  let fixture: FuzzFixture;
  let closed = false;
  const sentPerOperation = new Map<string, Map<number | string, number>>();
  let sent = 0;

  beforeAll(async () => {
    // Node agents may enrol; nothing the monitor does by itself (a node gone silent, a task timed out)
    // happens within a run, so every change of state is a request's.
    server = await startTestServer({
      env: { CHIME_AGENT_JOIN_TOKEN: JOIN_TOKEN, CHIME_HEARTBEAT_MISSES: '100', CHIME_TASK_TIMEOUT: '86400' },
    });
    operations = apiOperations((await server.http.get('/v1/openapi.json').expect(200)).body);
    fixture = await createFixture(server, JOIN_TOKEN);
    for (const operation of operations) sentPerOperation.set(operation.operationId, new Map());
  });

  afterAll(async () => {
    closeConnections();
    if (!closed) await server?.close({ verify: false });
  });

  it('has a state watch that notices a changed row', async () => {
    const watch = await StateWatch.of(server.dataSource);
    const before = await watch.snapshot();
    await server.dataSource.query(`UPDATE availability_zones SET description = description || 'x' WHERE name = 'fuzz-az-0'`);
    expect((await watch.rejectedChanges(before)).violations).toEqual(['a rejected request changed table availability_zones']);
    await server.dataSource.query(`UPDATE availability_zones SET description = left(description, -1) WHERE name = 'fuzz-az-0'`);
    expect((await watch.rejectedChanges(before)).violations).toEqual([]);
  });

  it(
    'answers every request with an allowed status in the envelope, and rejected requests change nothing',
    async () => {
      if (!Number.isSafeInteger(SEED) || !Number.isSafeInteger(RUNS) || RUNS < 1)
        throw new Error('FUZZ_SEED and FUZZ_RUNS must be integers');
      const plans = fc.sample(requestPlans(operations), { seed: SEED, numRuns: RUNS });
      const watch = await StateWatch.of(server.dataSource);
      const failures = new Map<string, FailureClass>();
      let defused = 0;
      let inFlight: string | undefined;
      // If the server takes the whole process down, this is all that will be left to read.
      const onExit = () => inFlight && process.stderr.write(`\nfuzz: the process ended during request ${inFlight}\n`);
      process.once('exit', onExit);
      const started = Date.now();
      let before = await watch.snapshot();
      let stale = false;
      try {
        for (let index = 0; index < plans.length; index++) {
          const plan = fixture.registry.resolve(plans[index]);
          if (fixture.registry.defuse(plan)) defused++;
          const request = toHttpRequest(plan, fixture.tokens, fixture.revokedToken, fixture.schemeTokens);
          if (stale) before = await watch.snapshot();
          const describeRequest = () =>
            `#${index} ${plan.operation.operationId} [${plan.mutations.map((m) => m.label).join('; ') || 'valid'}; auth ${JSON.stringify(plan.auth)}]\n    ${curlCommand(request, server.url, fixture.tokens)}`;
          inFlight = describeRequest();
          const outcome: HttpOutcome = await send(server.url, request, REQUEST_TIMEOUT_MS);
          inFlight = undefined;
          sent++;
          const counts = sentPerOperation.get(plan.operation.operationId)!;
          const key = outcome.kind === 'response' ? outcome.status : 'none';
          counts.set(key, (counts.get(key) ?? 0) + 1);

          const violations = outcome.kind === 'response' ? responseViolations(plan, outcome) : [`no response: ${outcome.reason}`];
          if (outcome.kind === 'response' && outcome.status >= 400) {
            const changes = await watch.rejectedChanges(before);
            violations.push(...changes.violations);
            before = changes.now;
            stale = false;
          } else if (outcome.kind === 'response') {
            fixture.registry.learn(plan, JSON.parse(outcome.text || 'null')?.result);
            stale = true;
          }
          for (const violation of violations) {
            const kinds = [...new Set(plan.mutations.map((m) => m.kind))].sort().join(', ') || 'valid request';
            const key = `${violation.replace(/[0-9a-f-]{36}/g, '<uuid>')} (after: ${kinds})`;
            const known = failures.get(key);
            if (known) {
              known.count++;
              known.operations.add(plan.operation.operationId);
            } else {
              const answer = outcome.kind === 'response' ? `${outcome.status} ${outcome.text.slice(0, 300)}` : outcome.reason;
              const example = `${describeRequest()}\n    → ${answer}\n    ✗ ${violation}`;
              failures.set(key, { count: 1, operations: new Set([plan.operation.operationId]), example });
            }
          }
          if (outcome.kind === 'no-response') break;
        }
      } finally {
        process.removeListener('exit', onExit);
      }
      const seconds = (Date.now() - started) / 1000;
      console.log(
        [
          `fuzz: ${sent} requests in ${seconds.toFixed(1)} s (${(sent / seconds).toFixed(0)} requests/s), seed ${SEED}; ` +
            `${defused} defused to spare the fixture`,
          ...[...sentPerOperation].map(
            ([id, byStatus]) =>
              `  ${id.padEnd(22)} ${String([...byStatus.values()].reduce((a, b) => a + b, 0)).padStart(5)}  ` +
              [...byStatus]
                .sort()
                .map(([s, n]) => `${s}×${n}`)
                .join(' '),
          ),
        ].join('\n'),
      );
      if (failures.size > 0) {
        const classes = [...failures];
        throw new Error(
          [
            `fuzz found ${classes.reduce((n, [, c]) => n + c.count, 0)} violations of ${failures.size} kinds (seed ${SEED}; reproduce: ${REPRODUCE})`,
            ...classes.map(([key, c]) => `  ${String(c.count).padStart(5)}  ${key} on ${[...c.operations].join(', ')}`),
            `the first request of ${Math.min(failures.size, DETAILED_FAILURES)} of them:`,
            ...classes.slice(0, DETAILED_FAILURES).map(([, c]) => `  ${c.example}`),
          ].join('\n'),
        );
      }
    },
    Math.max(15 * 60_000, RUNS * 200),
  );

  it('sent requests to every operation of the document', () => {
    const total = (id: string) => [...sentPerOperation.get(id)!.values()].reduce((a, b) => a + b, 0);
    expect(sent).toBe(RUNS);
    expect(operations.filter((o) => total(o.operationId) === 0).map((o) => o.operationId)).toEqual([]);
  });

  it('is alive and ready afterwards', async () => {
    await server.http.get('/readyz').expect(200);
  });

  it('leaves every table equal to the replay of the event log', async () => {
    closed = true;
    await server.close();
  });
});
