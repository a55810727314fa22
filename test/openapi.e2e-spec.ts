import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { startTestServer, TestServer } from './support/test-server';

interface Operation {
  operationId: string;
  summary?: string;
  security?: unknown[];
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown; example?: unknown }> }>;
}
type Document = {
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, unknown>;
    securitySchemes: Record<string, { description?: string; bearerFormat?: string }>;
  };
  tags: { name: string; description: string }[];
  info: { license?: { name: string } };
  servers?: unknown[];
};

interface LintProblem {
  severity: 'error' | 'warn';
  ruleId: string;
  message: string;
  pointer?: string;
}

async function redoclyLint(document: unknown): Promise<LintProblem[]> {
  const run = promisify(execFile)(process.execPath, [join(__dirname, 'support/redocly-lint.mjs')], {
    maxBuffer: 16 * 1024 * 1024,
  });
  run.child.stdin!.end(JSON.stringify(document));
  return JSON.parse((await run).stdout) as LintProblem[];
}

/** The served OpenAPI document is the contract: complete, lint-clean, and in both formats. */
describe('the OpenAPI document', () => {
  let server: TestServer;
  let document: Document;
  const operations = () =>
    Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ path, method, op })),
    );

  beforeAll(async () => {
    server = await startTestServer();
    document = (await server.http.get('/v1/openapi.json').expect(200)).body;
  });
  afterAll(() => server?.close());

  it("passes Redocly's recommended ruleset with no error and no warning", async () => {
    const problems = await redoclyLint(document);
    const errors = problems.filter((p) => p.severity === 'error');
    const warnings = problems.filter((p) => p.severity === 'warn');
    process.stdout.write(
      `Redocly lint (recommended) of /v1/openapi.json: ${errors.length} errors, ${warnings.length} warnings\n`,
    );
    expect(problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.pointer}`)).toEqual([]);
  });

  it('is served as YAML too, the same document', async () => {
    const res = await server.http.get('/v1/openapi.yaml').expect(200);
    expect(parseYaml(res.text)).toEqual(document);
  });

  it('gives every operation a summary, a 200 envelope schema and its error envelopes', () => {
    for (const { path, method, op } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      expect({ where, summary: typeof op.summary }).toEqual({ where, summary: 'string' });
      expect({ where, has200: Object.keys(op.responses['200']?.content ?? {}).length > 0 }).toEqual({ where, has200: true });
      for (const code of ['400', '413', '500'])
        expect({ where, code, ref: op.responses[code]?.$ref }).toEqual({
          where,
          code,
          ref: `#/components/responses/Error${code}`,
        });
    }
  });

  it('marks login, logout, auth and agent enrolment as public, the agent protocol as needing an agent credential, everything else the bearer token', () => {
    const open = operations()
      .filter(({ op }) => Array.isArray(op.security) && op.security.length === 0)
      .map(({ op }) => op.operationId);
    expect(open.sort()).toEqual(['auth', 'enrolAgent', 'login', 'logout']);
    const forAgents = operations()
      .filter(({ op }) => JSON.stringify(op.security) === JSON.stringify([{ agentCredential: [] }]))
      .map(({ op }) => op.operationId);
    expect(forAgents.sort()).toEqual(['agentHeartbeat', 'listAgentTask', 'redeemVncTicket', 'reportAgentTask']);
    for (const { op } of operations()) {
      if (!open.includes(op.operationId) || op.operationId === 'enrolAgent') {
        expect(op.responses['401']?.$ref).toBe('#/components/responses/Error401');
      }
      // Agents have no roles: nothing they may call answers 403.
      expect(op.responses['403'] === undefined).toBe(forAgents.includes(op.operationId) || open.includes(op.operationId));
    }
    expect(document.components.securitySchemes.bearer.bearerFormat).toBe('UUID');
    expect(document.components.securitySchemes.bearer.description).toMatch(/opaque/);
    expect(document.components.securitySchemes.agentCredential).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('describes every tag (= chimecli category; extension modules add theirs), and has a license and a server', () => {
    expect(document.tags.map((t) => t.name)).toEqual(expect.arrayContaining(['az', 'cluster', 'event', 'operation_log', 'user']));
    for (const tag of document.tags) expect(tag.description.length).toBeGreaterThan(tag.name.length);
    expect(document.info.license?.name).toBe('Apache-2.0');
    expect(document.servers?.length).toBeGreaterThan(0);
  });

  it("holds the seed's createCluster request, and its example response fits the schema", () => {
    const op = document.paths['/v1/az/{AzUuid}/cluster'].post;
    const { schema, example } = op.responses['200'].content!['application/json'];
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    for (const [name, component] of Object.entries(document.components.schemas))
      ajv.addSchema(component as object, `#/components/schemas/${name}`);
    const valid = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"#/components/schemas/')));
    expect(valid(example) ? [] : valid.errors).toEqual([]);
  });
});
