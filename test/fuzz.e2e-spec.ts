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
const REPRODUCE = `FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} npx jest test/fuzz.e2e-spec.ts`;
/** A request unanswered this long means a dead or stuck server; the run stops there. */
const REQUEST_TIMEOUT_MS = 10_000;
const DETAILED_FAILURES = 20;

interface Failure {
  index: number;
  operationId: string;
  violations: string[];
  detail: string;
}

describe(`fuzz: every operation of the OpenAPI document (seed ${SEED}, ${RUNS} requests)`, () => {
  let server: TestServer;
  let operations: ApiOperation[];
  let fixture: FuzzFixture;
  let closed = false;
  const sentPerOperation = new Map<string, Map<number | string, number>>();
  let sent = 0;

  beforeAll(async () => {
    server = await startTestServer();
    operations = apiOperations((await server.http.get('/v1/openapi.json').expect(200)).body);
    fixture = await createFixture(server);
    for (const operation of operations) sentPerOperation.set(operation.operationId, new Map());
  });

  afterAll(async () => {
    closeConnections();
    if (!closed) await server?.close({ verify: false });
  });

  it('answers every request with an allowed status in the envelope, and rejected requests change nothing', async () => {
    if (!Number.isSafeInteger(SEED) || !Number.isSafeInteger(RUNS) || RUNS < 1) throw new Error('FUZZ_SEED and FUZZ_RUNS must be integers');
    const plans = fc.sample(requestPlans(operations), { seed: SEED, numRuns: RUNS });
    const watch = await StateWatch.of(server.dataSource);
    const failures: Failure[] = [];
    const classes = new Map<string, number>();
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
        const request = toHttpRequest(plan, fixture.tokens, fixture.revokedToken);
        if (stale) before = await watch.snapshot();
        const describeRequest = () =>
          `#${index} ${plan.operation.operationId} [${plan.mutations.join('; ') || 'valid'}; auth ${JSON.stringify(plan.auth)}]\n    ${curlCommand(request, server.url, fixture.tokens)}`;
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
        if (violations.length > 0) {
          for (const v of violations) classes.set(`${plan.operation.operationId}: ${v.replace(/[0-9a-f-]{36}/g, '<uuid>')}`, (classes.get(`${plan.operation.operationId}: ${v.replace(/[0-9a-f-]{36}/g, '<uuid>')}`) ?? 0) + 1);
          if (failures.length < DETAILED_FAILURES) {
            const answer = outcome.kind === 'response' ? `${outcome.status} ${outcome.text.slice(0, 300)}` : outcome.reason;
            failures.push({ index, operationId: plan.operation.operationId, violations, detail: `${describeRequest()}\n    → ${answer}` });
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
        ...[...sentPerOperation].map(([id, byStatus]) =>
          `  ${id.padEnd(22)} ${String([...byStatus.values()].reduce((a, b) => a + b, 0)).padStart(5)}  ` +
            [...byStatus].sort().map(([s, n]) => `${s}×${n}`).join(' '),
        ),
      ].join('\n'),
    );
    if (failures.length > 0) {
      throw new Error(
        [
          `fuzz found ${[...classes.values()].reduce((a, b) => a + b, 0)} violations (seed ${SEED}; reproduce: ${REPRODUCE})`,
          'by operation and kind:',
          ...[...classes].sort(([, a], [, b]) => b - a).map(([c, n]) => `  ${String(n).padStart(5)}  ${c}`),
          `the first ${failures.length}:`,
          ...failures.map((f) => `  ${f.detail}\n    ✗ ${f.violations.join('\n    ✗ ')}`),
        ].join('\n'),
      );
    }
  }, Math.max(15 * 60_000, RUNS * 200));

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
