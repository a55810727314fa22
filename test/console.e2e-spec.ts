import { randomUUID } from 'node:crypto';
import { Role } from '@chime/contracts';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import {
  browserTestsSkipReason,
  CHROMIUM,
  ensureConsoleBuilt,
  screenshotPath,
  shown,
  shownWithText,
  until,
} from './support/browser';
import { Agent } from '../apps/agent/src/agent';
import { SimDriver } from '../apps/agent/src/sim-driver';
import { eventually } from './support/eventually';
import { SampleResourceModule } from './support/sample-resource.module';
import { startTestServer, TestServer } from './support/test-server';
import { ADMIN, bearer, createUser, login, TestUser } from './support/users';
import { STANDARD_QOS } from './support/volume-spec';

/**
 * The web console in a real browser (headless chromium) against the real server: the flows of
 * issue 12, and a screenshot of every screen under test-output/console/.
 */
const skipReason = browserTestsSkipReason();
if (skipReason) console.warn(`console browser tests skipped: ${skipReason}`);
const describeInBrowser = skipReason ? describe.skip : describe;

/** Rows the sample extension module starts with: a list the console must page on the server. */
const SEEDED_SPECS = 1000;

const JOIN_TOKEN = 'console-join-token-0123456789';
const GIB = 1024 ** 3;

/**
 * A compute node's agent as the tests drive it: the real agent protocol over HTTP (enrol, then a
 * heartbeat every 300 ms while beating), so the monitor sees it as it would a real one.
 */
class TestNode {
  readonly uuid = randomUUID();
  private credential = '';
  private beating?: { stop: boolean; done: Promise<void> };
  /** A problem the agent reports in its heartbeats (monitor state error); '' when healthy. */
  problem = '';

  constructor(
    private readonly server: TestServer,
    readonly facts: { name: string; manage_ip: string; rack_name?: string; physical_vcpus: number; physical_memory: number },
  ) {}

  async enrol(): Promise<void> {
    const res = await this.server.http.post('/v1/agent/enrol').send({ join_token: JOIN_TOKEN, uuid: this.uuid, ...this.facts });
    expect(res.status).toBe(200);
    this.credential = res.body.result.agent.credential as string;
  }

  beat() {
    const usage = { domains: 0, active_domains: 0, used_vcpus: 0, used_memory: 0, active_used_vcpus: 0, active_used_memory: 0 };
    return this.server.http
      .post('/v1/agent/heartbeat')
      .set(bearer(this.credential))
      .send({ ...this.facts, ...usage, error: this.problem });
  }

  startBeating(): void {
    const beating = { stop: false, done: Promise.resolve() };
    beating.done = (async () => {
      while (!beating.stop) {
        const res = await this.beat();
        if (res.status !== 200) throw new Error(`heartbeat answered ${res.status}: ${JSON.stringify(res.body)}`);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    })();
    beating.done.catch(() => undefined); // surfaced by stopBeating
    this.beating = beating;
  }

  /** Stops beating; a heartbeat that failed meanwhile fails the test here. */
  async stopBeating(): Promise<void> {
    const beating = this.beating;
    this.beating = undefined;
    if (!beating) return;
    beating.stop = true;
    await beating.done;
  }

  /** Reports the node's running tasks of `operation` succeeded, as its agent would once applied. */
  async reportTasks(operation: string): Promise<void> {
    const res = await this.server.http.get('/v1/agent/task?state=0').set(bearer(this.credential));
    const tasks = (res.body.result.elements as { uuid: string; operation: string }[]).filter((t) => t.operation === operation);
    expect(tasks).toHaveLength(1);
    for (const task of tasks) {
      const report = await this.server.http.put(`/v1/agent/task/${task.uuid}`).set(bearer(this.credential)).send({ state: 1 });
      expect(report.status).toBe(200);
    }
  }
}

describeInBrowser(`the web console in a browser${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let server: TestServer;
  let browser: Browser;
  let adminToken: string;
  let reader: TestUser;

  beforeAll(async () => {
    ensureConsoleBuilt();
    [server, browser] = await Promise.all([
      // An extension module the console knows only from the OpenAPI document.
      startTestServer({ extensions: [SampleResourceModule.withRows(SEEDED_SPECS)] }),
      chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] }),
    ]);
    adminToken = await login(server, ADMIN.name, ADMIN.password);
    reader = await createUser(server, adminToken, Role.User, 'reader');
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  // Each test's browser contexts end with it: an open tab holds one of the 5 event streams a user may have.
  const contexts: BrowserContext[] = [];
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  async function newPage(url = server.url): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${url}/`);
    return page;
  }

  async function signIn(page: Page, name: string, password: string): Promise<void> {
    await page.getByLabel('User name').fill(name);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await shown(page.getByRole('button', { name: 'Log out' }));
  }

  async function open(page: Page, screen: string): Promise<void> {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: screen, exact: true }).click();
    await shown(page.getByRole('heading', { level: 1, name: screen }));
  }

  const dialog = (page: Page) => page.getByRole('dialog');

  test('serves the page with a strict Content-Security-Policy, / redirects there, /v1 stays JSON', async () => {
    const root = await server.http.get('/');
    expect(root.status).toBe(302);
    expect(root.headers.location).toBe('/console/');
    const page = await server.http.get('/console/availability/deep/link');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    const missingAsset = await server.http.get('/console/assets/nothing.js');
    expect(missingAsset.status).toBe(404);
    const api = await server.http.get('/v1/console');
    expect(api.status).toBe(404);
    expect(api.body.error.status).toBe('NOT_FOUND');
  });

  test('login: the wrong password message, a session, log out', async () => {
    const page = await newPage();
    const violations: string[] = [];
    page.on('console', (message) => message.type() === 'error' && violations.push(message.text()));
    await shown(page.getByRole('heading', { name: 'Sign in to ChimeStack' }));
    await page.screenshot({ path: screenshotPath('login') });
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await shownWithText(page.getByRole('alert'), /user name or password/i);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await shown(page.getByRole('heading', { name: 'Dashboard' }));
    await shown(page.getByRole('status').filter({ hasText: 'Live' }));
    expect(await page.evaluate('[localStorage.length, sessionStorage.length]')).toEqual([0, 1]);
    await page.getByRole('button', { name: 'Log out' }).click();
    await shown(page.getByRole('heading', { name: 'Sign in to ChimeStack' }));
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    // The failed login's 401 is expected; nothing else (no CSP violation, no script error).
    expect(violations.filter((text) => !text.includes('401'))).toEqual([]);
  });

  test('an AZ, a cluster in it; a disabled AZ refuses clusters; an AZ with clusters cannot be deleted', async () => {
    const page = await newPage();
    await signIn(page, ADMIN.name, ADMIN.password);
    await open(page, 'Availability zones');
    await page.getByRole('button', { name: 'New availability zone' }).click();
    await dialog(page).getByLabel('Name').fill('zone-a');
    await dialog(page).getByLabel('Description').fill('first zone');
    await dialog(page).getByRole('button', { name: 'Create' }).click();
    const row = page.getByRole('row').filter({ hasText: 'zone-a' });
    await shownWithText(row, 'enabled');
    await page.screenshot({ path: screenshotPath('availability-zones') });

    await open(page, 'Clusters');
    await until(
      () => page.getByLabel('Availability zone').inputValue(),
      (value) => /.+/.test(value),
    );
    await page.getByRole('button', { name: 'New cluster' }).click();
    await dialog(page).getByLabel('Name').fill('cluster-1');
    await dialog(page).getByLabel('Type').selectOption({ label: 'compute only' });
    await dialog(page).getByRole('button', { name: 'Create' }).click();
    await shownWithText(page.getByRole('row').filter({ hasText: 'cluster-1' }), 'compute only');
    await page.screenshot({ path: screenshotPath('clusters') });

    await open(page, 'Availability zones');
    await until(
      () => row.getByRole('cell').nth(3).textContent(),
      (text) => text === '1',
    );
    await row.getByRole('button', { name: 'Disable zone-a' }).click();
    await shownWithText(row, 'disabled');

    await open(page, 'Clusters');
    await page.getByRole('button', { name: 'New cluster' }).click();
    await dialog(page).getByLabel('Name').fill('cluster-2');
    await dialog(page).getByRole('button', { name: 'Create' }).click();
    await shownWithText(dialog(page).getByRole('alert'), 'is disabled and accepts no new clusters');
    await dialog(page).getByRole('button', { name: 'Request id' }).click();
    await until(
      () => dialog(page).locator('.request-id').textContent(),
      (text) => /^[0-9a-f-]{36}$/.test(text ?? ''),
    );
    await dialog(page).getByRole('button', { name: 'Cancel' }).click();

    await open(page, 'Availability zones');
    await row.getByRole('button', { name: 'Delete zone-a' }).click();
    await dialog(page).getByRole('button', { name: 'Delete' }).click();
    await shownWithText(dialog(page).getByRole('alert'), 'still holds clusters');
    await dialog(page).getByRole('button', { name: 'Cancel' }).click();
    await shown(row);

    await row.getByRole('link', { name: 'zone-a' }).click();
    await shown(page.getByRole('heading', { name: 'Availability zone zone-a' }));
    await page.getByRole('tab', { name: 'History' }).click();
    await shown(page.getByRole('cell', { name: 'AzDisabled' }));
    await page.screenshot({ path: screenshotPath('availability-zone-history') });
  });

  test('a user (role 0) sees no admin actions and only its own operations', async () => {
    const admin = await newPage();
    await signIn(admin, ADMIN.name, ADMIN.password);
    const page = await newPage();
    await signIn(page, reader.name, reader.password);
    await shown(page.getByRole('status').filter({ hasText: 'Auto-refresh' }));
    expect(await page.getByRole('link', { name: 'Event feed' }).count()).toBe(0);
    // Hosts are for administrators (the API answers 403): neither the screen nor a derived page is offered.
    await shown(page.getByRole('link', { name: 'sample spec' })); // the derived pages' links are there
    expect(await page.getByRole('link', { name: /^hosts?$/i }).count()).toBe(0);
    await open(page, 'Availability zones');
    await shown(page.getByRole('row').filter({ hasText: 'zone-a' }));
    expect(await page.getByRole('button', { name: 'New availability zone' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^(Edit|Delete|Disable|Enable) / }).count()).toBe(0);
    await open(page, 'Clusters');
    await shown(page.getByRole('row').filter({ hasText: 'cluster-1' }));
    expect(await page.getByRole('button', { name: 'New cluster' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^(Edit|Delete|Disable|Enable) / }).count()).toBe(0);
    await open(page, 'Users');
    await shown(page.getByRole('cell', { name: reader.name, exact: true }));
    expect(await page.getByRole('button', { name: 'New user' }).count()).toBe(0);

    await open(page, 'Operation log');
    const rows = page.getByRole('row').filter({ has: page.getByRole('button', { name: /^Details of operation/ }) });
    await shown(rows.first());
    expect(new Set(await rows.locator('td:nth-child(3)').allTextContents())).toEqual(new Set([reader.name]));
    // Its drawer shows the entry, not the request's events: role 0 may not read the event log.
    await rows
      .first()
      .getByRole('button', { name: /^Details of operation/ })
      .click();
    await shownWithText(page.getByRole('dialog', { name: /^Operation \d+/ }), 'Input');
    expect(await page.getByRole('heading', { name: 'Events of this request' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Close' }).click();
    // The administrator sees the others' entries too, with the same filters.
    await open(admin, 'Operation log');
    await admin.getByLabel('Filter by method').selectOption('POST');
    await shown(admin.getByRole('row').filter({ hasText: 'admin' }).first());
  });

  test("operation log: filters by outcome, path prefix and time; the drawer lists the request's events; the dashboard lists denied and failed attempts", async () => {
    // A request the role refuses, made by the role-0 user (its own client, as chimecli would).
    const denied = await server.http.post('/v1/az').set(bearer(reader.token)).send({ name: 'not-allowed' });
    expect(denied.status).toBe(403);
    const requestId = denied.body.requestId as string;
    const failedLogin = await server.http.post('/v1/login').send({ user_name: 'no-such-user', password: 'wrong password' });
    expect(failedLogin.status).toBe(401);
    // A change that failed (no name): recorded with its error.
    const failedChange = await server.http.post('/v1/az').set(bearer(adminToken)).send({ description: 'nameless' });
    expect(failedChange.status).toBe(400);

    const page = await newPage();
    await signIn(page, ADMIN.name, ADMIN.password);
    const failures = page.getByRole('list', { name: 'Recent denied and failed attempts' }).getByRole('listitem');
    await shownWithText(failures, new RegExp(`${reader.name} POST /v1/az from .* denied`));
    // A failed login has no user yet: the name it tried.
    await shownWithText(failures, /anonymous as no-such-user POST \/v1\/login from .* failed 401 UNAUTHENTICATED/);
    await shownWithText(failures, /admin POST \/v1\/az from .* failed 400 INVALID_ARGUMENT/);

    await open(page, 'Operation log');
    await page.getByLabel('Filter by outcome').selectOption('denied');
    await page.getByLabel('Filter by path prefix').fill('/v1/az');
    const entry = page.getByRole('row').filter({ hasText: requestId });
    await shownWithText(entry, 'denied');
    // Only denied entries under /v1/az once the filtered page replaced the previous one.
    const outcomesAndPaths = () => page.getByRole('row').locator('td:nth-child(6), td:nth-child(5)').allTextContents();
    const shownCells = await until(outcomesAndPaths, (cells) =>
      cells.every((cell) => cell === 'denied' || cell.startsWith('/v1/az')),
    );
    expect(shownCells.length).toBeGreaterThan(0);
    // The time range (UTC): from a minute ago keeps it; up to a time long past leaves nothing.
    const minuteAgo = new Date(Date.now() - 60_000).toISOString().slice(0, 16);
    await page.getByLabel('From (UTC)').fill(minuteAgo);
    await shown(entry);
    await page.getByLabel('To (UTC)').fill('2001-01-01T00:00');
    await shown(page.getByRole('cell', { name: 'Nothing here.' }));
    await page.getByLabel('To (UTC)').fill('');
    await entry.getByRole('button', { name: /^Details of operation/ }).click();
    const drawer = page.getByRole('dialog', { name: /^Operation \d+/ });
    await shownWithText(drawer, '"name": "not-allowed"');
    const events = drawer.getByRole('table', { name: 'Events of this request' });
    const accessDenied = events.getByRole('row').filter({ hasText: 'AccessDenied' });
    await shownWithText(accessDenied, 'security');
    expect(await events.getByRole('row').count()).toBe(2); // the header and the one event
    await accessDenied.getByText('JSON').click();
    await shownWithText(accessDenied, `"request_id": "${requestId}"`);
    await page.screenshot({ path: screenshotPath('operation-log-denied') });
  });

  test("an administrator sets another user's default AZ and cluster", async () => {
    const page = await newPage();
    await signIn(page, ADMIN.name, ADMIN.password);
    await open(page, 'Users');
    await page.getByLabel('Filter by name').fill(reader.name);
    await page.getByRole('button', { name: `Defaults of ${reader.name}` }).click();
    await dialog(page).getByLabel('Default availability zone').selectOption({ label: 'zone-a' });
    await dialog(page).getByLabel('Default cluster').selectOption({ label: 'cluster-1' });
    await page.screenshot({ path: screenshotPath('users-defaults') });
    await dialog(page).getByRole('button', { name: 'Save' }).click();
    await until(
      () => dialog(page).count(),
      (count) => count === 0,
    );
    const saved = await server.http.get(`/v1/user/${reader.uuid}/default`).set(bearer(adminToken));
    const zones = await server.http.get('/v1/az?name=zone-a').set(bearer(adminToken));
    const zone = zones.body.result.elements[0];
    const clusters = await server.http.get(`/v1/az/${zone.uuid}/cluster?name=cluster-1`).set(bearer(adminToken));
    expect(saved.body.result.default).toEqual({ az_uuid: zone.uuid, clusters_uuid: clusters.body.result.elements[0].uuid });
    // Opened again, the dialog shows them.
    await page.getByRole('button', { name: `Defaults of ${reader.name}` }).click();
    await until(
      () => dialog(page).getByLabel('Default cluster').locator('option:checked').textContent(),
      (text) => text === 'cluster-1',
    );
    expect(await dialog(page).getByLabel('Default availability zone').locator('option:checked').textContent()).toBe('zone-a');
    await dialog(page).getByRole('button', { name: 'Cancel' }).click();
  });

  test('live: an AZ created in one tab appears in another within 2 s; a logout elsewhere signs the tab out', async () => {
    const watcher = await newPage();
    await signIn(watcher, ADMIN.name, ADMIN.password);
    await open(watcher, 'Availability zones');
    await shown(watcher.getByRole('status').filter({ hasText: 'Live' }));
    const actor = await newPage();
    await signIn(actor, ADMIN.name, ADMIN.password);
    await open(actor, 'Availability zones');
    await actor.getByRole('button', { name: 'New availability zone' }).click();
    await dialog(actor).getByLabel('Name').fill('zone-live');
    await dialog(actor).getByRole('button', { name: 'Create' }).click();
    await shown(watcher.getByRole('row').filter({ hasText: 'zone-live' }), 2_000);

    // The watcher's token, logged out by someone else (chimecli, another tab): the stream ends, the tab signs out.
    const token = await watcher.evaluate<string>('sessionStorage.getItem(sessionStorage.key(0))');
    const res = await server.http.post('/v1/logout').set(bearer(adminToken)).send({ token });
    expect(res.status).toBe(200);
    await shown(watcher.getByRole('heading', { name: 'Sign in to ChimeStack' }), 5_000);
    await shownWithText(watcher.getByRole('status'), 'logged out elsewhere');
  });

  test(`a ${SEEDED_SPECS}-row resource is paged on the server: one request a page, each page rendered promptly`, async () => {
    const page = await newPage();
    await signIn(page, ADMIN.name, ADMIN.password);
    const listRequests: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/v1/sample_spec') listRequests.push(request.url());
    });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'sample spec' }).click();
    const pager = page.getByRole('navigation', { name: 'Pages' });
    await shownWithText(pager, `Showing 1 to 10 of ${SEEDED_SPECS}`);
    await shownWithText(pager, 'Page 1 of 100');
    await shown(page.getByRole('cell', { name: 'seed-1000', exact: true }));
    expect(await page.getByRole('row').count()).toBe(11); // the header and one page: the rest stays on the server

    /** Moves with a pager button; returns how many list requests it made and ms from the response to the rows on screen. */
    const move = async (button: string, pageLabel: string, firstRow: string): Promise<{ requests: number; renderMs: number }> => {
      listRequests.length = 0;
      await page.evaluate('performance.clearResourceTimings()');
      // Measured in the page, on its own clock: when the response ended, and when the new page's rows
      // are in the document (a MutationObserver installed by page.evaluate: the console's CSP forbids
      // eval, which waitForFunction's polling uses, and a busy machine makes it poll).
      await page.evaluate(`(() => {
        const shownNow = () =>
          [...document.querySelectorAll('td')].some((cell) => cell.textContent === ${JSON.stringify(firstRow)}) &&
          document.body.innerText.includes(${JSON.stringify(pageLabel)});
        window.__shownAt = undefined;
        const observer = new MutationObserver(() => {
          if (window.__shownAt === undefined && shownNow()) {
            window.__shownAt = performance.now();
            observer.disconnect();
          }
        });
        observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      })()`);
      await pager.getByRole('button', { name: button }).click();
      const shownAt = await eventually(
        () => page.evaluate<number | undefined>('window.__shownAt'),
        (at) => at !== undefined,
      );
      const responseEnd = await page.evaluate<number>(
        `performance.getEntriesByType('resource').filter((e) => e.name.includes('/v1/sample_spec?')).map((e) => e.responseEnd)[0] ?? -1`,
      );
      await page.waitForTimeout(300); // room for any further request to show up
      return { requests: listRequests.length, renderMs: (shownAt as number) - responseEnd };
    };
    const next = await move('Next page', 'Page 2 of 100', 'seed-0990');
    const last = await move('Last page', 'Page 100 of 100', 'seed-0010');
    await shown(page.getByRole('cell', { name: 'seed-0001', exact: true }));
    console.log(
      `paging ${SEEDED_SPECS} rows: next page ${next.renderMs.toFixed(1)} ms, last page ${last.renderMs.toFixed(1)} ms after the response`,
    );
    expect([next.requests, last.requests]).toEqual([1, 1]);
    expect(listRequests[0]).toMatch(/[?&]page=100(&|$)/);
    // The numbers are printed (and reported in the README, measured on an idle machine: tens of ms);
    // the bound here only catches a page that renders all rows or waits on something, since a test
    // must not depend on how busy the machine is.
    for (const { renderMs } of [next, last]) {
      expect(renderMs).toBeGreaterThanOrEqual(0);
      expect(renderMs).toBeLessThan(3000);
    }
  });

  test("an extension module's resource: listed, created and edited through pages derived from the OpenAPI document", async () => {
    const page = await newPage();
    await signIn(page, ADMIN.name, ADMIN.password);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'sample spec' }).click();
    await shown(page.getByRole('heading', { level: 1, name: 'Sample spec' }));
    await page.getByRole('button', { name: 'New sample spec' }).click();
    await dialog(page).getByLabel('Name').fill('spec-1');
    await dialog(page).getByLabel('Cpu').fill('4');
    await dialog(page).getByLabel('Size class').selectOption('large');
    await dialog(page).getByRole('button', { name: 'Create' }).click();
    const row = page.getByRole('row').filter({ hasText: 'spec-1' });
    await shownWithText(row, 'large');
    await page.screenshot({ path: screenshotPath('derived-list') });
    await row.getByRole('link').click();
    await shown(page.getByRole('heading', { name: 'Sample spec spec-1' }));
    await page.getByRole('button', { name: 'Edit' }).click();
    await dialog(page).getByLabel('Cpu').fill('8');
    await dialog(page).getByRole('button', { name: 'Save' }).click();
    await until(
      () => page.locator('dl.details').textContent(),
      (text) => /Cpu8/.test(text ?? ''),
    );
    await page.screenshot({ path: screenshotPath('derived-detail') });
  });

  test("a resource nested under a cluster: the AZ and cluster pickers cascade, start at the user's default, stay in the URL", async () => {
    const created = async (path: string, body: object, field: string): Promise<string> => {
      const res = await server.http.post(path).set(bearer(adminToken)).send(body);
      expect(res.status).toBe(200);
      return res.body.result[field].uuid as string;
    };
    const zone = await created('/v1/az', { name: 'zone-nested' }, 'az');
    const firstCluster = await created(`/v1/az/${zone}/cluster`, { name: 'cluster-n1' }, 'cluster');
    const secondCluster = await created(`/v1/az/${zone}/cluster`, { name: 'cluster-n2' }, 'cluster');
    const admins = await server.http.get(`/v1/user?name=${ADMIN.name}`).set(bearer(adminToken));
    const adminDefault = `/v1/user/${admins.body.result.elements[0].uuid}/default`;
    expect(
      (await server.http.patch(adminDefault).set(bearer(adminToken)).send({ az_uuid: zone, clusters_uuid: firstCluster })).status,
    ).toBe(200);
    try {
      const page = await newPage();
      await signIn(page, ADMIN.name, ADMIN.password);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'sample child' }).click();
      await shown(page.getByRole('heading', { level: 1, name: 'Sample child' }));
      const azPicker = page.getByLabel('AZ', { exact: true });
      const clusterPicker = page.getByLabel('Cluster', { exact: true });
      const picked = (picker: typeof azPicker) => picker.locator('option:checked').textContent();
      // The user's default AZ and cluster, until the user picks others.
      await until(
        () => picked(clusterPicker),
        (text) => text === 'cluster-n1',
      );
      expect(await picked(azPicker)).toBe('zone-nested');
      expect(await clusterPicker.locator('option').allTextContents()).toEqual(['cluster-n1', 'cluster-n2']);
      await clusterPicker.selectOption({ label: 'cluster-n2' });
      await until(
        () => Promise.resolve(page.url()),
        (url) => url.includes(`ClusterUuid=${secondCluster}`) && url.includes(`AzUuid=${zone}`),
      );
      await shown(page.getByRole('cell', { name: 'Nothing here.' }));

      await page.getByRole('button', { name: 'New sample child' }).click();
      await dialog(page).getByLabel('Name').fill('child-1');
      await dialog(page).getByLabel('Weight').fill('3');
      await dialog(page).getByRole('button', { name: 'Create' }).click();
      const row = page.getByRole('row').filter({ hasText: 'child-1' });
      await shownWithText(row, secondCluster);
      await page.screenshot({ path: screenshotPath('derived-nested-list') });
      // A reload keeps the cluster picked; the other cluster has no children.
      await page.reload();
      await shown(row);
      expect(await picked(clusterPicker)).toBe('cluster-n2');
      await clusterPicker.selectOption({ label: 'cluster-n1' });
      await shown(page.getByRole('cell', { name: 'Nothing here.' }));
      await page.goBack();
      await shown(row);

      await row.getByRole('link').click();
      await shown(page.getByRole('heading', { name: 'Sample child child-1' }));
      expect(await clusterPicker.isDisabled()).toBe(true);
      expect(await picked(clusterPicker)).toBe('cluster-n2');
      await page.getByRole('button', { name: 'Edit' }).click();
      await dialog(page).getByLabel('Weight').fill('5');
      await dialog(page).getByRole('button', { name: 'Save' }).click();
      await until(
        () => page.locator('dl.details').textContent(),
        (text) => /Weight5/.test(text ?? ''),
      );
      await page.reload();
      await until(
        () => page.locator('dl.details').textContent(),
        (text) => /Weight5/.test(text ?? ''),
      );
      await page.screenshot({ path: screenshotPath('derived-nested-detail') });
      await page.getByRole('button', { name: 'Delete' }).click();
      await dialog(page).getByRole('button', { name: 'Delete' }).click();
      await shown(page.getByRole('cell', { name: 'Nothing here.' }));
      expect(await picked(clusterPicker)).toBe('cluster-n2');

      // The real network module: a tag listed once, its subnets beneath it, the same pickers.
      const network = await created(
        `/v1/az/${zone}/cluster/${secondCluster}/network`,
        { name: 'net-1', bridge_name: 'br0', interface_name: 'eth0' },
        'network',
      );
      const nav = page.getByRole('navigation', { name: 'Main' });
      expect(await nav.getByRole('link', { name: 'network', exact: true }).count()).toBe(1);
      await nav.getByRole('link', { name: 'subnet', exact: true }).click();
      await until(
        () => picked(clusterPicker),
        (text) => text === 'cluster-n1',
      );
      await shown(page.getByText('There is no network in this cluster yet'));
      await clusterPicker.selectOption({ label: 'cluster-n2' });
      await until(
        () => picked(page.getByLabel('Network', { exact: true })),
        (text) => text === 'net-1',
      );
      await shown(page.getByRole('heading', { level: 1, name: 'Subnet' }));
      await nav.getByRole('link', { name: 'network', exact: true }).click();
      await clusterPicker.selectOption({ label: 'cluster-n2' });
      await shown(page.getByRole('link', { name: network }));
    } finally {
      await server.http.patch(adminDefault).set(bearer(adminToken)).send({ az_uuid: null, clusters_uuid: null });
    }
  });

  test("security groups: a user creates one with rule rows, is told a bad rule's field, edits and deletes it; a read-only administrator only reads", async () => {
    const page = await newPage();
    await signIn(page, reader.name, reader.password);
    await open(page, 'Security groups');
    await page.getByRole('button', { name: 'New security group' }).click();
    await dialog(page).getByLabel('Name', { exact: true }).fill('web-sg');
    await dialog(page).getByRole('button', { name: 'Add ingress rule' }).click();
    await dialog(page).getByLabel('Ingress rule 1 source CIDR').fill('10.1.2.3/8');
    await dialog(page).getByLabel('Ingress rule 1 destination ports').fill('90:80');
    await dialog(page).getByRole('button', { name: 'Add egress rule' }).click();
    await dialog(page).getByLabel('Egress rule 1 protocol').selectOption('all');
    await dialog(page).getByRole('button', { name: 'Create' }).click();
    // The API's refusal names the field; the dialog stays open with what was typed.
    await shownWithText(dialog(page).locator('.error'), 'ingress_rules.0.dport must be a port range');
    await dialog(page).getByLabel('Ingress rule 1 destination ports').fill('22');
    await dialog(page).getByRole('button', { name: 'Create' }).click();
    const row = page.getByRole('row').filter({ hasText: 'web-sg' });
    await shownWithText(row, 'ACCEPT tcp 10.0.0.0/8 → any:22');
    await shownWithText(row, 'ACCEPT all any → any');
    await page.screenshot({ path: screenshotPath('security-groups') });

    await row.getByRole('button', { name: 'Edit web-sg' }).click();
    await dialog(page).getByLabel('Description', { exact: true }).fill('web servers');
    await dialog(page).getByRole('button', { name: 'Remove egress rule 1' }).click();
    await dialog(page).getByLabel('Ingress rule 1 action').selectOption('REJECT');
    await dialog(page).getByRole('button', { name: 'Save' }).click();
    await shownWithText(row, 'web servers');
    await shownWithText(row, 'REJECT tcp 10.0.0.0/8 → any:22');
    expect(await row.getByText('ACCEPT all').count()).toBe(0);

    // A read-only administrator sees everyone's groups and is offered no change.
    const readOnly = await createUser(server, adminToken, Role.ReadOnlyAdmin, 'ro');
    const other = await newPage();
    await signIn(other, readOnly.name, readOnly.password);
    await open(other, 'Security groups');
    await shown(other.getByRole('row').filter({ hasText: 'web-sg' }));
    expect(await other.getByRole('button', { name: 'New security group' }).count()).toBe(0);
    expect(await other.getByRole('button', { name: /^(Edit|Delete) / }).count()).toBe(0);

    await row.getByRole('button', { name: 'Delete web-sg' }).click();
    await dialog(page).getByRole('button', { name: 'Delete' }).click();
    await until(
      () => page.getByRole('row').filter({ hasText: 'web-sg' }).count(),
      (n) => n === 0,
    );
  });

  test('first paint of the console shell on localhost is under 1 s', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${server.url}/console/`);
    await shown(page.getByRole('heading', { name: 'Sign in to ChimeStack' }));
    // page.evaluate, not waitForFunction: the console's CSP forbids the eval its polling uses.
    const firstPaintMs = (await eventually(
      () =>
        page.evaluate<number | undefined>(
          `(performance.getEntriesByName('first-contentful-paint')[0] ?? performance.getEntriesByName('first-paint')[0])?.startTime`,
        ),
      (startTime) => startTime !== undefined,
    )) as number;
    console.log(`console first contentful paint: ${firstPaintMs.toFixed(0)} ms`);
    // Printed above; the target (< 1 s on localhost) is met on an idle machine (README). The bound
    // here is loose so that a busy CI machine cannot fail it.
    expect(firstPaintMs).toBeLessThan(5000);
    await context.close();
  });

  test('too many wrong passwords: the 429 is shown as a countdown from Retry-After', async () => {
    const page = await newPage();
    // A name of its own: its (name, address) pair is throttled, nobody else's.
    await page.getByLabel('User name').fill('throttled-user');
    await page.getByLabel('Password').fill('wrong password');
    const signInButton = page.getByRole('button', { name: 'Sign in' });
    const timer = page.getByRole('timer');
    const secondsLeft = async () => Number(/try again in (\d+) s/.exec((await timer.textContent()) ?? '')?.[1]);
    // 10 free failures, then back-off 1 s, 2 s, …: attempt until a 429 says to wait 2 s or more.
    let waitSeconds = 0;
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= 16 && waitSeconds < 2; attempt++) {
      await until(() => signInButton.isEnabled(), Boolean, 5_000);
      const response = page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/login');
      await signInButton.click();
      statuses.push((await response).status());
      if (statuses.at(-1) === 429) waitSeconds = await until(secondsLeft, (seconds) => seconds > 0);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(waitSeconds).toBeGreaterThanOrEqual(2);
    await shownWithText(page.getByRole('alert'), /too many/i);
    expect(await signInButton.isDisabled()).toBe(true);
    await page.screenshot({ path: screenshotPath('login-throttled') });
    // It counts down, then lets the user try again.
    await until(secondsLeft, (seconds) => seconds > 0 && seconds < waitSeconds, 3_000);
    await until(() => signInButton.isEnabled(), Boolean, (waitSeconds + 1) * 1000);
    expect(await timer.count()).toBe(0);
  });

  test('a screenshot of every screen', async () => {
    const page = await newPage();
    await signIn(page, ADMIN.name, ADMIN.password);
    await shown(page.getByRole('heading', { name: 'Event consumers' }));
    await shown(page.getByText(/operation-log: running/));
    await shown(page.getByRole('status').filter({ hasText: 'Live' }));
    await page.screenshot({ path: screenshotPath('dashboard'), fullPage: true });
    await open(page, 'Users');
    await page.getByRole('button', { name: 'New user' }).click();
    // Only the roles an administrator may grant: the super administrator grants up to administrator.
    expect(await dialog(page).getByLabel('Role').locator('option').allTextContents()).toEqual([
      'user',
      'read-only administrator',
      'administrator',
    ]);
    await page.screenshot({ path: screenshotPath('users-new') });
    await dialog(page).getByRole('button', { name: 'Cancel' }).click();
    await page.screenshot({ path: screenshotPath('users') });
    await open(page, 'Operation log');
    await page
      .getByRole('button', { name: /^Details of operation/ })
      .first()
      .click();
    await shownWithText(page.getByRole('dialog', { name: /^Operation \d+/ }), 'Input');
    await page.screenshot({ path: screenshotPath('operation-log') });
    await page.getByRole('button', { name: 'Close' }).click();
    await open(page, 'Event feed');
    await page.screenshot({ path: screenshotPath('event-feed') });
    await open(page, 'Settings');
    await shown(page.getByText('ends every session'));
    await page.screenshot({ path: screenshotPath('settings'), fullPage: true });
  });

  describe('hosts, on a server that takes agents (join token, 1 s heartbeats, unreachable after 2 missed)', () => {
    let hostsServer: TestServer;
    let hostsAdmin: string;
    let hostsReader: TestUser;
    let hostsCluster: string;

    beforeAll(async () => {
      hostsServer = await startTestServer({
        env: { CHIME_AGENT_JOIN_TOKEN: JOIN_TOKEN, CHIME_HEARTBEAT_INTERVAL: '1', CHIME_HEARTBEAT_MISSES: '2' },
      });
      hostsAdmin = await login(hostsServer, ADMIN.name, ADMIN.password);
      hostsReader = await createUser(hostsServer, hostsAdmin, Role.ReadOnlyAdmin, 'hostreader');
      const az = await hostsServer.http.post('/v1/az').set(bearer(hostsAdmin)).send({ name: 'zone-h' });
      const cluster = await hostsServer.http
        .post(`/v1/az/${az.body.result.az.uuid}/cluster`)
        .set(bearer(hostsAdmin))
        .send({ name: 'cluster-h' });
      hostsCluster = `/v1/az/${az.body.result.az.uuid}/cluster/${cluster.body.result.cluster.uuid}`;
    }, 60_000);

    afterAll(() => hostsServer?.close());

    const cells = (row: Locator) => row.getByRole('cell').allTextContents();
    /** Waits until the row's cells read `expected` from the first column on (undefined: any text). */
    const rowReads = (row: Locator, expected: (string | RegExp | undefined)[], timeoutMs?: number) =>
      until(
        () => cells(row),
        (texts) =>
          expected.every(
            (want, i) => want === undefined || (typeof want === 'string' ? texts[i]?.trim() === want : want.test(texts[i] ?? '')),
          ),
        timeoutMs,
      );

    test('a node enrols, is adopted with its inventory, goes unreachable and back live, is edited, disabled and deleted', async () => {
      const node = new TestNode(hostsServer, {
        name: 'node-e2e',
        manage_ip: '10.20.0.7',
        rack_name: 'rack-7',
        physical_vcpus: 8,
        physical_memory: 16 * GIB,
      });
      await node.enrol();
      node.startBeating();
      // A second node that nobody adopts: the read-only administrator must see it without an Adopt button.
      const idle = new TestNode(hostsServer, {
        name: 'node-idle',
        manage_ip: '10.20.0.8',
        physical_vcpus: 4,
        physical_memory: 8 * GIB,
      });
      await idle.enrol();
      try {
        const page = await newPage(hostsServer.url);
        await signIn(page, ADMIN.name, ADMIN.password);
        await open(page, 'Hosts');
        const waiting = page.getByRole('table', { name: 'Nodes waiting to be adopted', exact: true });
        const waitingRow = waiting.getByRole('row').filter({ hasText: 'node-e2e' });
        await rowReads(waitingRow, ['node-e2e', '10.20.0.7', 'rack-7', '8', '16 GiB', 'reachable', /UTC$/]);

        // Adopt it: 8 CPUs × 2 − 2 reserved = 14 vCPUs; 16 GiB × 1 − 1 GiB = 15 GiB.
        await waitingRow.getByRole('button', { name: 'Adopt node-e2e' }).click();
        await dialog(page).getByLabel('Availability zone').selectOption({ label: 'zone-h' });
        await dialog(page).getByLabel('Cluster', { exact: true }).selectOption({ label: 'cluster-h' });
        await dialog(page).getByLabel('CPU ratio').fill('2');
        await dialog(page).getByLabel('Reserved vCPUs').fill('2');
        await dialog(page).getByLabel('Reserved memory (GiB)').fill('1');
        await shownWithText(dialog(page), 'it will offer 14 vCPUs and 15 GiB to VMs');
        await page.screenshot({ path: screenshotPath('hosts-adopt') });
        await dialog(page).getByRole('button', { name: 'Adopt', exact: true }).click();
        const hosts = page.getByRole('table', { name: 'Hosts', exact: true });
        const hostRow = hosts.getByRole('row').filter({ hasText: 'node-e2e' });
        await rowReads(hostRow, [
          'node-e2e',
          'enabled',
          'reachable',
          '10.20.0.7',
          '0 / 14',
          '0 B / 15 GiB',
          'create running',
          /UTC$/,
        ]);
        await shown(waiting.getByRole('row').filter({ hasText: 'node-idle' }));
        await until(
          () => waitingRow.count(),
          (count) => count === 0,
        );

        // The agent applies the host/create task and reports it: the outcome arrives as an event.
        await node.reportTasks('create');
        await rowReads(hostRow, [undefined, undefined, undefined, undefined, undefined, undefined, 'create succeeded']);
        const summary = page.getByRole('group', { name: 'Cluster summary' });
        await shownWithText(summary, '1 enabled, 0 disabled, 0 suspended');
        await shownWithText(summary, '1 reachable, 0 unreachable, 0 error');
        await page.screenshot({ path: screenshotPath('hosts'), fullPage: true });

        // A read-only administrator reads everything and is offered no change.
        const reader = await newPage(hostsServer.url);
        await signIn(reader, hostsReader.name, hostsReader.password);
        await open(reader, 'Hosts');
        const readerRow = reader
          .getByRole('table', { name: 'Hosts', exact: true })
          .getByRole('row')
          .filter({ hasText: 'node-e2e' });
        await rowReads(readerRow, [
          'node-e2e',
          'enabled',
          'reachable',
          '10.20.0.7',
          '0 / 14',
          '0 B / 15 GiB',
          'create succeeded',
        ]);
        await shown(reader.getByRole('row').filter({ hasText: 'node-idle' }));
        const writeButtons = /^(Adopt|Edit|Enable|Disable|Suspend|Delete) /;
        expect(await reader.getByRole('button', { name: writeButtons }).count()).toBe(0);
        expect(await reader.getByRole('columnheader', { name: 'Actions' }).count()).toBe(0);

        // Heartbeats stop: the monitor marks the node unreachable, and both tabs show it without a reload.
        await node.stopBeating();
        const stoppedAt = Date.now();
        await rowReads(hostRow, [undefined, undefined, 'unreachable'], 8_000);
        const unreachableMs = Date.now() - stoppedAt;
        await rowReads(readerRow, [undefined, undefined, 'unreachable'], 2_000);
        await shownWithText(summary, '0 reachable, 1 unreachable, 0 error');
        node.startBeating();
        const beatAgainAt = Date.now();
        await rowReads(hostRow, [undefined, undefined, 'reachable'], 5_000);
        console.log(
          `hosts: unreachable on screen ${unreachableMs} ms after the last heartbeat, reachable again after ${Date.now() - beatAgainAt} ms`,
        );

        // Its page: the inventory as computed, the task.
        await hostRow.getByRole('link', { name: 'node-e2e' }).click();
        await shown(page.getByRole('heading', { level: 1, name: 'Host node-e2e' }));
        await shownWithText(page.locator('dl.details'), '0 used of 14 (8 physical × 2 − 2 reserved)');
        await shownWithText(page.locator('dl.details'), '0 B used of 15 GiB (16 GiB physical × 1 − 1 GiB reserved)');
        const task = page.getByRole('table', { name: 'Recent tasks' }).getByRole('row').filter({ hasText: 'create' });
        await rowReads(task, ['create', 'succeeded', '']);
        // What other modules keep in the host's cluster: a pool and a network made now follow the event stream.
        const pool = await hostsServer.http
          .post(`${hostsCluster}/storage_pool`)
          .set(bearer(hostsAdmin))
          .send({ name: 'pool-h', physical_size: 100 * GIB, size_ratio: 2, reserved_size: 8 * GIB, description: 'local disks' });
        expect(pool.status).toBe(200);
        const network = await hostsServer.http
          .post(`${hostsCluster}/network`)
          .set(bearer(hostsAdmin))
          .send({ name: 'net-h', bridge_name: 'br100', interface_name: 'ens224', type: 1, vlan_id: 100 });
        expect(network.status).toBe(200);
        await rowReads(page.getByRole('table', { name: 'Storage pools' }).getByRole('row').filter({ hasText: 'pool-h' }), [
          'pool-h',
          'local',
          'available',
          '0 B / 192 GiB',
          '100 GiB × 2 − 8 GiB reserved',
          'local disks',
        ]);
        await rowReads(page.getByRole('table', { name: 'Networks' }).getByRole('row').filter({ hasText: 'net-h' }), [
          'net-h',
          'VLAN',
          '100',
          'br100',
          'ens224',
          '',
        ]);
        // The agent reports a problem: the node is in error, and the page says what the agent said.
        const details = page.locator('dl.details');
        node.problem = 'disk /var is full';
        await shownWithText(details, 'Monitorerror', 5_000);
        await shownWithText(details, 'Problem reporteddisk /var is full');
        await page.screenshot({ path: screenshotPath('host-detail'), fullPage: true });
        node.problem = '';
        await shownWithText(details, 'Monitorreachable', 5_000);
        await page.getByRole('link', { name: '← Hosts' }).click();

        // Edit only the CPU side (the memory reservation stays as it is), then disable.
        await hostRow.getByRole('button', { name: 'Edit node-e2e' }).click();
        await dialog(page).getByLabel('CPU ratio').fill('1');
        await dialog(page).getByLabel('Reserved vCPUs').fill('0');
        await dialog(page).getByRole('button', { name: 'Save' }).click();
        await rowReads(hostRow, ['node-e2e', 'enabled', 'reachable', '10.20.0.7', '0 / 8', '0 B / 15 GiB']);
        await hostRow.getByRole('button', { name: 'Disable node-e2e' }).click();
        await rowReads(hostRow, ['node-e2e', 'disabled']);
        await shownWithText(summary, '0 enabled, 1 disabled, 0 suspended');
        expect(await hostRow.getByRole('button', { name: 'Disable node-e2e' }).count()).toBe(0);

        // Deleted: its agent's credential is revoked, the node waits to be adopted again.
        await node.stopBeating();
        await hostRow.getByRole('button', { name: 'Delete node-e2e' }).click();
        await dialog(page).getByRole('button', { name: 'Delete' }).click();
        await shown(hosts.getByRole('cell', { name: 'Nothing here.' }));
        await shown(waitingRow);
        expect((await node.beat()).status).toBe(401);
      } finally {
        await node.stopBeating();
      }
    });
  });
  describe('storage, volumes and images, with a real agent (apps/agent, sim driver) adopted as a host', () => {
    let storageServer: TestServer;
    let storageAdmin: string;
    let owner: TestUser;
    let storageReader: TestUser;
    let agent: Agent | undefined;

    beforeAll(async () => {
      storageServer = await startTestServer({
        env: { CHIME_AGENT_JOIN_TOKEN: JOIN_TOKEN, CHIME_HEARTBEAT_INTERVAL: '1', CHIME_HEARTBEAT_MISSES: '2' },
      });
      storageAdmin = await login(storageServer, ADMIN.name, ADMIN.password);
      owner = await createUser(storageServer, storageAdmin, Role.User, 'voluser');
      storageReader = await createUser(storageServer, storageAdmin, Role.ReadOnlyAdmin, 'storreader');
      const az = await storageServer.http.post('/v1/az').set(bearer(storageAdmin)).send({ name: 'zone-s' });
      const cluster = await storageServer.http
        .post(`/v1/az/${az.body.result.az.uuid}/cluster`)
        .set(bearer(storageAdmin))
        .send({ name: 'cluster-s' });
      const hosts = `/v1/az/${az.body.result.az.uuid}/cluster/${cluster.body.result.cluster.uuid}/host`;
      agent = new Agent({
        server: storageServer.url,
        joinToken: JOIN_TOKEN,
        driver: new SimDriver({ name: 'node-s1', vcpus: 8, memory: 16 * GIB }),
        watchWait: 20,
      });
      await agent.start();
      expect((await storageServer.http.post(hosts).set(bearer(storageAdmin)).send({ uuid: agent.state.uuid })).status).toBe(200);
      // Its agent applies host/create: the host takes work from then on.
      await eventually(
        async () => (await storageServer.http.get(`${hosts}/${agent!.state.uuid}`).set(bearer(storageAdmin))).body.result.host,
        (host: { last_operation_state: number }) => host.last_operation_state === 1,
      );
    }, 60_000);

    afterAll(async () => {
      await agent?.stop();
      await storageServer?.close();
    });

    const cells = (row: Locator) => row.getByRole('cell').allTextContents();
    const rowReads = (row: Locator, expected: (string | RegExp | undefined)[], timeoutMs?: number) =>
      until(
        () => cells(row),
        (texts) =>
          expected.every(
            (want, i) => want === undefined || (typeof want === 'string' ? texts[i]?.trim() === want : want.test(texts[i] ?? '')),
          ),
        timeoutMs,
      );

    test('an administrator makes a pool and a spec; a user fetches an image, makes a volume of it, snapshots, restores, deletes; a reader changes nothing', async () => {
      const startedAt = Date.now();
      // The administrator: a pool in the cluster, a spec of it, registered there.
      const admin = await newPage(storageServer.url);
      await signIn(admin, ADMIN.name, ADMIN.password);
      await open(admin, 'Storage');
      await admin.getByRole('button', { name: 'New storage pool' }).click();
      await dialog(admin).getByLabel('Name').fill('pool-e2e');
      await dialog(admin).getByLabel('Physical size (GiB)').fill('100');
      await dialog(admin).getByLabel('Size ratio').fill('2');
      await dialog(admin).getByLabel('Reserved (GiB)').fill('8');
      await dialog(admin).getByRole('button', { name: 'Create' }).click();
      const pools = admin.getByRole('table', { name: 'Storage pools' });
      const poolRow = pools.getByRole('row').filter({ hasText: 'pool-e2e' });
      // 100 GiB × 2 − 8 GiB = 192 GiB offered, nothing claimed yet.
      await rowReads(poolRow, ['pool-e2e', 'local', 'available', '0 B / 192 GiB', '100 GiB × 2 − 8 GiB reserved']);

      await admin.getByRole('button', { name: 'New volume spec' }).click();
      await dialog(admin).getByLabel('Name', { exact: true }).fill('standard');
      await dialog(admin).getByLabel('Storage pool').selectOption({ label: 'pool-e2e (cluster cluster-s)' });
      await dialog(admin).getByRole('button', { name: 'Create' }).click();
      const specRow = admin.getByRole('table', { name: 'All volume specs' }).getByRole('row').filter({ hasText: 'standard' });
      await rowReads(specRow, ['standard', 'pool-e2e', '50/GiB, 500–5000', '1 MiB/s per GiB, 10 MiB/s–100 MiB/s', '0']);
      await admin.getByRole('button', { name: 'Register a volume spec' }).click();
      await dialog(admin).getByLabel('Volume spec').selectOption({ label: 'standard (pool pool-e2e)' });
      await dialog(admin).getByRole('button', { name: 'Register' }).click();
      const registered = admin
        .getByRole('table', { name: 'Volume specs of this cluster' })
        .getByRole('row')
        .filter({ hasText: 'standard' });
      await rowReads(registered, ['standard', '50/GiB, 500–5000']);
      await rowReads(specRow, [undefined, undefined, undefined, undefined, '1']);
      await admin.screenshot({ path: screenshotPath('storage'), fullPage: true });

      // The user registers an image of its own: a node fetches it, and the row follows.
      const user = await newPage(storageServer.url);
      await signIn(user, owner.name, owner.password);
      expect(await user.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Storage' }).count()).toBe(0);
      await open(user, 'Images');
      await user.getByRole('button', { name: 'Register image' }).click();
      await dialog(user).getByLabel('Name').fill('cirros');
      await dialog(user).getByLabel('Install URL').fill('file:///images/cirros.qcow2');
      await dialog(user).getByLabel('OS type').fill('Linux');
      await dialog(user).getByRole('button', { name: 'Register' }).click();
      const imageRow = user.getByRole('table', { name: 'Images' }).getByRole('row').filter({ hasText: 'cirros' });
      await rowReads(imageRow, [
        'cirros',
        'available',
        'yours',
        'qcow2',
        'Linux',
        /\d (MiB|GiB)$/,
        'no',
        'file:///images/cirros.qcow2',
      ]);
      // Without the event stream (a user), the summary follows once the fetch has settled.
      await shownWithText(user.getByRole('group', { name: 'Image summary' }), '1 available, 0 being fetched, 0 failed');
      await shown(user.getByRole('table', { name: 'Buckets' }).getByRole('row').filter({ hasText: '(yours)' }));
      await user.screenshot({ path: screenshotPath('images'), fullPage: true });

      // A volume of it, from the form: the spec registered in the cluster, the image among the available ones.
      await open(user, 'Volumes');
      await user.getByRole('button', { name: 'New volume' }).click();
      await dialog(user).getByLabel('Name', { exact: true }).fill('vol-e2e');
      await dialog(user).getByLabel('Size (GiB)').fill('10');
      await dialog(user).getByLabel('Volume spec').selectOption({ label: 'standard' });
      const imageOption = await dialog(user).getByLabel('Image').locator('option', { hasText: 'cirros (qcow2, ' }).textContent();
      await dialog(user).getByLabel('Image').selectOption({ label: imageOption! });
      // A user picks no host (hosts are for administrators to read).
      expect(await dialog(user).getByLabel('Host').count()).toBe(0);
      await shownWithText(dialog(user), 'It will get 500 IOPS and 10 MiB/s.');
      await dialog(user).getByRole('button', { name: 'Create' }).click();
      const volumeRow = user.getByRole('table', { name: 'Volumes' }).getByRole('row').filter({ hasText: 'vol-e2e' });
      await rowReads(volumeRow, ['vol-e2e', 'available', '10 GiB', 'standard', 'node-s1', 'cirros', '0', 'create succeeded']);
      await shownWithText(
        user.getByRole('group', { name: 'Volume summary' }),
        '1 available, 0 in use, 0 being created, 0 failed',
      );
      await user.screenshot({ path: screenshotPath('volumes'), fullPage: true });
      await rowReads(poolRow, [undefined, undefined, undefined, '10 GiB / 192 GiB']);

      // Its page: a snapshot taken, the volume restored from it, the snapshot deleted.
      await volumeRow.getByRole('link', { name: 'vol-e2e' }).click();
      await shown(user.getByRole('heading', { level: 1, name: 'Volume vol-e2e' }));
      await shownWithText(user.locator('dl.details'), '500 IOPS, 10 MiB/s');
      await user.getByRole('button', { name: 'Take snapshot' }).click();
      await dialog(user).getByLabel('Name', { exact: true }).fill('snap-1');
      await dialog(user).getByRole('button', { name: 'Take snapshot' }).click();
      const snapshotRow = user.getByRole('table', { name: 'Snapshots' }).getByRole('row').filter({ hasText: 'snap-1' });
      await rowReads(snapshotRow, ['snap-1', 'available', undefined, 'create succeeded']);
      await user.getByRole('button', { name: 'Restore snap-1' }).click();
      await dialog(user).getByRole('button', { name: 'Restore' }).click();
      const tasks = user.getByRole('table', { name: 'Recent tasks' });
      await rowReads(tasks.getByRole('row').filter({ hasText: 'restore' }), ['restore', 'succeeded', '']);
      await shownWithText(user.locator('dl.details'), /Stateavailable(?!.*Running)/);
      await user.screenshot({ path: screenshotPath('volume-detail'), fullPage: true });
      await user.getByRole('button', { name: 'Delete snap-1' }).click();
      await dialog(user).getByRole('button', { name: 'Delete' }).click();
      await shown(user.getByRole('table', { name: 'Snapshots' }).getByRole('cell', { name: 'Nothing here.' }));
      await user.getByRole('button', { name: 'Rename' }).click();
      await dialog(user).getByLabel('Name', { exact: true }).fill('vol-renamed');
      await dialog(user).getByRole('button', { name: 'Save' }).click();
      await shown(user.getByRole('heading', { level: 1, name: 'Volume vol-renamed' }));

      // A read-only administrator reads all of it and is offered no change.
      const reader = await newPage(storageServer.url);
      await signIn(reader, storageReader.name, storageReader.password);
      const writeButtons = /^(New|Register|Edit|Delete|Unregister|Rename|Take snapshot|Restore)\b/;
      for (const screen of ['Storage', 'Images', 'Volumes']) {
        await open(reader, screen);
        await shown(
          reader
            .getByRole('row')
            .filter({ hasText: screen === 'Images' ? 'cirros' : screen === 'Storage' ? 'pool-e2e' : 'vol-renamed' }),
        );
        expect(await reader.getByRole('button', { name: writeButtons }).count()).toBe(0);
        expect(await reader.getByRole('columnheader', { name: 'Actions' }).count()).toBe(0);
      }
      await reader.getByRole('link', { name: 'vol-renamed' }).click();
      await shown(reader.getByRole('heading', { level: 1, name: 'Volume vol-renamed' }));
      await shown(reader.getByRole('table', { name: 'Recent tasks' }).getByRole('row').filter({ hasText: 'restore' }));
      expect(await reader.getByRole('button', { name: writeButtons }).count()).toBe(0);

      // Deleted (not forced): its agent deletes it, then the page says it is gone and the list is empty.
      await user.getByRole('button', { name: 'Delete', exact: true }).click();
      await shownWithText(dialog(user), 'Deletes it and its snapshots at once');
      expect(await dialog(user).getByLabel('Force (force_del)').isChecked()).toBe(false);
      await dialog(user).getByRole('button', { name: 'Delete' }).click();
      await shown(user.getByRole('heading', { level: 1, name: 'Volume deleted' }));
      await user.getByRole('link', { name: '← Volumes' }).click();
      await shown(user.getByRole('table', { name: 'Volumes' }).getByRole('cell', { name: 'Nothing here.' }));

      // An administrator puts a volume on the host it picks, snapshots it, and deletes it with force_del:
      // volume and snapshot go at once.
      await open(admin, 'Volumes');
      await admin.getByRole('button', { name: 'New volume' }).click();
      await dialog(admin).getByLabel('Name', { exact: true }).fill('vol-admin');
      await dialog(admin).getByLabel('Size (GiB)').fill('1');
      await dialog(admin).getByLabel('Volume spec').selectOption({ label: 'standard' });
      await dialog(admin).getByLabel('Host').selectOption({ label: 'node-s1 (127.0.0.1)' });
      await dialog(admin).getByRole('button', { name: 'Create' }).click();
      const adminRow = admin.getByRole('table', { name: 'Volumes' }).getByRole('row').filter({ hasText: 'vol-admin' });
      await rowReads(adminRow, ['vol-admin', 'available', '1 GiB', 'standard', 'node-s1', '', '0', 'create succeeded']);
      await adminRow.getByRole('link', { name: 'vol-admin' }).click();
      await admin.getByRole('button', { name: 'Take snapshot' }).click();
      await dialog(admin).getByLabel('Name', { exact: true }).fill('snap-a');
      await dialog(admin).getByRole('button', { name: 'Take snapshot' }).click();
      await rowReads(admin.getByRole('table', { name: 'Snapshots' }).getByRole('row').filter({ hasText: 'snap-a' }), [
        'snap-a',
        'available',
      ]);
      await admin.getByRole('button', { name: 'Delete', exact: true }).click();
      await dialog(admin).getByLabel('Force (force_del)').check();
      await dialog(admin).getByRole('button', { name: 'Delete' }).click();
      await shown(admin.getByRole('heading', { level: 1, name: 'Volumes' }));
      await shown(admin.getByRole('table', { name: 'Volumes' }).getByRole('cell', { name: 'Nothing here.' }));

      // The pool still holds the spec: the server refuses to delete it, and the dialog says why.
      await open(admin, 'Storage');
      await poolRow.getByRole('button', { name: 'Delete pool-e2e' }).click();
      await dialog(admin).getByRole('button', { name: 'Delete' }).click();
      await shownWithText(dialog(admin).getByRole('alert'), /still backs 1 volume specification; delete them first/);
      await dialog(admin).getByRole('button', { name: 'Cancel' }).click();
      await rowReads(poolRow, [undefined, undefined, undefined, '0 B / 192 GiB']);

      // Edits send what changed: the ratio (the reservation, shown in GiB, stays as it was), a spec's bound.
      await poolRow.getByRole('button', { name: 'Edit pool-e2e' }).click();
      await dialog(admin).getByLabel('Size ratio').fill('1');
      await dialog(admin).getByLabel('Description').fill('local disks');
      await dialog(admin).getByRole('button', { name: 'Save' }).click();
      await rowReads(poolRow, ['pool-e2e', 'local', 'available', '0 B / 92 GiB', '100 GiB × 1 − 8 GiB reserved', 'local disks']);
      await specRow.getByRole('button', { name: 'Edit standard' }).click();
      await dialog(admin).getByLabel('Maximum IOPS').fill('6000');
      await dialog(admin).getByRole('button', { name: 'Save' }).click();
      await rowReads(specRow, ['standard', 'pool-e2e', '50/GiB, 500–6000']);
      console.log(`storage browser flow: ${Date.now() - startedAt} ms`);
    });
  });

  describe('compute: VMs and NICs, with a real agent (apps/agent, sim driver) adopted as a host', () => {
    let computeServer: TestServer;
    let computeAdmin: string;
    let vmUser: TestUser;
    let vmReader: TestUser;
    let agent: Agent | undefined;
    let hostsPath = '';

    beforeAll(async () => {
      computeServer = await startTestServer({
        env: { CHIME_AGENT_JOIN_TOKEN: JOIN_TOKEN, CHIME_HEARTBEAT_INTERVAL: '1', CHIME_HEARTBEAT_MISSES: '2' },
      });
      computeAdmin = await login(computeServer, ADMIN.name, ADMIN.password);
      vmUser = await createUser(computeServer, computeAdmin, Role.User, 'vmuser');
      vmReader = await createUser(computeServer, computeAdmin, Role.ReadOnlyAdmin, 'vmreader');
      const post = async (path: string, body: object, field: string): Promise<string> => {
        const res = await computeServer.http.post(path).set(bearer(computeAdmin)).send(body);
        expect(res.status).toBe(200);
        return res.body.result[field].uuid as string;
      };
      const az = await post('/v1/az', { name: 'zone-c' }, 'az');
      const cluster = await post(`/v1/az/${az}/cluster`, { name: 'cluster-c' }, 'cluster');
      const path = `/v1/az/${az}/cluster/${cluster}`;
      hostsPath = `${path}/host`;
      agent = new Agent({
        server: computeServer.url,
        joinToken: JOIN_TOKEN,
        driver: new SimDriver({ name: 'node-c1', vcpus: 8, memory: 16 * GIB }),
        watchWait: 20,
      });
      await agent.start();
      expect((await computeServer.http.post(hostsPath).set(bearer(computeAdmin)).send({ uuid: agent.state.uuid })).status).toBe(
        200,
      );
      await eventually(
        async () =>
          (await computeServer.http.get(`${hostsPath}/${agent!.state.uuid}`).set(bearer(computeAdmin))).body.result.host,
        (host: { last_operation_state: number }) => host.last_operation_state === 1,
      );
      // What a VM is made of, as an administrator sets it up: a pool, a volume spec and an instance spec
      // registered in the cluster, a network with a subnet, a public image fetched by the node.
      const pool = await post(`${path}/storage_pool`, { name: 'pool-c', physical_size: 1024 * GIB }, 'storage_pool');
      const volumeSpec = await post(
        '/v1/volume_spec',
        {
          name: 'standard-c',
          storage_pool_uuid: pool,
          ...STANDARD_QOS,
        },
        'volume_spec',
      );
      const instanceSpec = await post('/v1/instance_spec', { name: 'small', vcpus: 2, memory: 4 * GIB }, 'instance_spec');
      for (const [relation, body] of [
        ['volume_spec_relation', { volume_spec_uuid: volumeSpec }],
        ['instance_spec_relation', { instance_spec_uuid: instanceSpec }],
      ] as const) {
        expect((await computeServer.http.post(`${path}/${relation}`).set(bearer(computeAdmin)).send(body)).status).toBe(200);
      }
      const network = await post(`${path}/network`, { name: 'net-c', bridge_name: 'br1', interface_name: 'ens224' }, 'network');
      await post(
        `${path}/network/${network}/subnet`,
        { name: 'sub-c', cidr: '192.168.231.0/24', gateway: '192.168.231.1', reserved_ips: '192.168.231.2-192.168.231.9' },
        'subnet',
      );
      const image = await post('/v1/image/public', { name: 'cirros-c', install_url: 'file:///images/cirros-c.qcow2' }, 'image');
      await eventually(
        async () => (await computeServer.http.get(`/v1/image/${image}`).set(bearer(computeAdmin))).body.result.image,
        (i: { state: number }) => i.state === 1,
      );
    }, 90_000);

    afterAll(async () => {
      await agent?.stop();
      await computeServer?.close();
    });

    const cells = (row: Locator) => row.getByRole('cell').allTextContents();
    const rowReads = (row: Locator, expected: (string | RegExp | undefined)[], timeoutMs?: number) =>
      until(
        () => cells(row),
        (texts) =>
          expected.every(
            (want, i) => want === undefined || (typeof want === 'string' ? texts[i]?.trim() === want : want.test(texts[i] ?? '')),
          ),
        timeoutMs,
      );

    test('a user creates a VM from the form and sees it run, stops and starts it, attaches a NIC; an administrator drains its host; a reader changes nothing', async () => {
      const startedAt = Date.now();
      const user = await newPage(computeServer.url);
      await signIn(user, vmUser.name, vmUser.password);
      await open(user, 'VMs');
      await user.getByRole('button', { name: 'New VM' }).click();
      const form = dialog(user);
      await form.getByLabel('Name', { exact: true }).fill('vm-e2e');
      // The AZ and cluster start at the screen's; the pickers offer what is registered in that cluster.
      await until(
        () => form.getByLabel('Cluster').locator('option:checked').textContent(),
        (text) => text === 'cluster-c',
      );
      await form.getByLabel('Instance spec').selectOption({ label: 'small (2 vCPUs, 4 GiB)' });
      const imageOption = await form.getByLabel('Image').locator('option', { hasText: 'cirros-c (qcow2, ' }).textContent();
      await form.getByLabel('Image').selectOption({ label: imageOption! });
      await form.getByLabel('Root volume spec').selectOption({ label: 'standard-c' });
      await form.getByLabel('Root volume size (GiB)').fill('10');
      await form.getByLabel('Subnet').selectOption({ label: 'net-c / sub-c (192.168.231.0/24)' });
      await form.getByLabel('Password').fill('root-secret-1');
      // A user picks no host (hosts are for administrators to read).
      expect(await form.getByLabel('Host').count()).toBe(0);
      await form.getByRole('button', { name: 'Create' }).click();
      const vmRow = user.getByRole('table', { name: 'VMs' }).getByRole('row').filter({ hasText: 'vm-e2e' });
      // Without the event stream (a user), the list polls while the VM is being created, then shows it running.
      await rowReads(vmRow, ['vm-e2e', 'running', 'node-c1', '2', '4 GiB', /^cirros-c$/, 'create succeeded']);
      await shownWithText(user.getByRole('group', { name: 'VM summary' }), '1 running, 0 stopped, 0 being created, 0 failed');
      await user.screenshot({ path: screenshotPath('vms'), fullPage: true });

      await vmRow.getByRole('button', { name: 'Stop vm-e2e' }).click();
      await rowReads(vmRow, ['vm-e2e', 'stopped', undefined, undefined, undefined, undefined, 'stop succeeded']);
      await vmRow.getByRole('button', { name: 'Start vm-e2e' }).click();
      await rowReads(vmRow, ['vm-e2e', 'running', undefined, undefined, undefined, undefined, 'start succeeded']);

      // A NIC of its own, in the cluster's subnet, then attached to the VM from the VM's page.
      await open(user, 'NICs');
      await user.getByRole('button', { name: 'New NIC' }).click();
      await dialog(user).getByLabel('Name', { exact: true }).fill('nic-e2e');
      await dialog(user).getByLabel('Availability zone').selectOption({ label: 'zone-c' });
      await dialog(user).getByLabel('Cluster').selectOption({ label: 'cluster-c' });
      await dialog(user).getByLabel('Subnet').selectOption({ label: 'net-c / sub-c (192.168.231.0/24)' });
      await dialog(user).getByRole('button', { name: 'Create' }).click();
      const nicRow = user.getByRole('table', { name: 'NICs' }).getByRole('row').filter({ hasText: 'nic-e2e' });
      await rowReads(nicRow, [
        'nic-e2e',
        'available',
        /^192\.168\.231\.\d+ \(192\.168\.231\.0\/24\)$/,
        /^52:54:00:/,
        'sub-c',
        '',
        'no',
      ]);

      await open(user, 'VMs');
      await vmRow.getByRole('link', { name: 'vm-e2e' }).click();
      await shown(user.getByRole('heading', { level: 1, name: 'VM vm-e2e' }));
      await user.getByRole('button', { name: 'Attach NIC' }).click();
      const nicOption = await dialog(user).getByLabel('NIC').locator('option', { hasText: 'nic-e2e (' }).textContent();
      await dialog(user).getByLabel('NIC').selectOption({ label: nicOption! });
      await dialog(user).getByRole('button', { name: 'Attach' }).click();
      const vmNics = user.getByRole('table', { name: 'NICs' });
      await rowReads(vmNics.getByRole('row').filter({ hasText: 'nic-e2e' }), [
        'nic-e2e',
        'in use',
        undefined,
        undefined,
        'sub-c',
        'no',
      ]);
      await shown(vmNics.getByRole('row').filter({ hasText: 'eth0' }));
      await shown(user.getByRole('table', { name: 'Volumes' }).getByRole('row').filter({ hasText: 'vm-e2e-root' }));
      await shown(user.getByRole('table', { name: 'Recent tasks' }).getByRole('row').filter({ hasText: 'attach' }));
      // Its console: where, and a one-time ticket with its expiry.
      await user.getByRole('button', { name: 'Get a console ticket' }).click();
      await shownWithText(user.getByRole('region', { name: 'Console' }), /VNC address127\.0\.0\.1:\d+Ticket\S{20,}Expires.*UTC/);
      await user.screenshot({ path: screenshotPath('vm-detail'), fullPage: true });
      await open(user, 'NICs');
      await rowReads(nicRow, ['nic-e2e', 'in use', undefined, undefined, undefined, 'vm-e2e']);

      // A read-only administrator reads all of it and is offered no change.
      const reader = await newPage(computeServer.url);
      await signIn(reader, vmReader.name, vmReader.password);
      const writeButtons = /^(New|Start|Stop|Migrate|Delete|Rename|Attach|Detach|Drain|Rebuild)\b/;
      for (const screen of ['VMs', 'NICs']) {
        await open(reader, screen);
        await shown(reader.getByRole('row').filter({ hasText: screen === 'VMs' ? 'vm-e2e' : 'nic-e2e' }));
        expect(await reader.getByRole('button', { name: writeButtons }).count()).toBe(0);
        expect(await reader.getByRole('columnheader', { name: 'Actions' }).count()).toBe(0);
      }
      await open(reader, 'VMs');
      await reader.getByRole('link', { name: 'vm-e2e' }).click();
      await shown(reader.getByRole('heading', { level: 1, name: 'VM vm-e2e' }));
      await shown(reader.getByRole('table', { name: 'NICs' }).getByRole('row').filter({ hasText: 'nic-e2e' }));
      expect(await reader.getByRole('button', { name: writeButtons }).count()).toBe(0);
      const [, , , azUuid, , clusterUuid] = hostsPath.split('/');
      await reader.goto(
        `${computeServer.url}/console/host/${agent!.state.uuid}?${new URLSearchParams({ az: azUuid, cluster: clusterUuid })}`,
      );
      await shown(reader.getByRole('heading', { level: 1, name: 'Host node-c1' }));
      await shown(reader.getByRole('table', { name: 'VMs' }).getByRole('row').filter({ hasText: 'vm-e2e' }));
      expect(await reader.getByRole('button', { name: writeButtons }).count()).toBe(0);

      // An administrator drains the host: its VMs stop, and the page follows the move's progress live.
      const admin = await newPage(computeServer.url);
      await signIn(admin, ADMIN.name, ADMIN.password);
      await open(admin, 'Hosts');
      await admin.getByRole('link', { name: 'node-c1' }).click();
      await shown(admin.getByRole('heading', { level: 1, name: 'Host node-c1' }));
      await rowReads(admin.getByRole('table', { name: 'VMs' }).getByRole('row').filter({ hasText: 'vm-e2e' }), [
        'vm-e2e',
        'running',
      ]);
      await admin.getByRole('button', { name: 'Drain' }).click();
      await dialog(admin).getByRole('button', { name: 'Drain' }).click();
      const progress = admin.getByRole('region', { name: 'Move progress' });
      await shownWithText(progress, /Drain\s*succeeded\s*finished .*; 0 of 1 VM\(s\) still running/, 15_000);
      await rowReads(admin.getByRole('table', { name: 'VMs' }).getByRole('row').filter({ hasText: 'vm-e2e' }), [
        'vm-e2e',
        'stopped',
      ]);
      await shown(admin.getByRole('table', { name: 'Recent tasks' }).getByRole('row').filter({ hasText: 'drain' }));
      await admin.screenshot({ path: screenshotPath('host-drained'), fullPage: true });
      // The user's list follows (30 s polling at most; a reload at once).
      await open(user, 'VMs');
      await rowReads(vmRow, ['vm-e2e', 'stopped'], 35_000);
      console.log(`compute browser flow: ${Date.now() - startedAt} ms`);
    }, 120_000);
  });
});
