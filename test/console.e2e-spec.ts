import { Role } from '@chime/contracts';
import { type Browser, chromium, type Page } from 'playwright-core';
import { browserTestsSkipReason, CHROMIUM, ensureConsoleBuilt, screenshotPath, shown, shownWithText, until } from './support/browser';
import { SampleResourceModule } from './support/sample-resource.module';
import { startTestServer, TestServer } from './support/test-server';
import { ADMIN, bearer, createUser, login, TestUser } from './support/users';

/**
 * The web console in a real browser (headless chromium) against the real server: the flows of
 * issue 12, and a screenshot of every screen under test-output/console/.
 */
const skipReason = browserTestsSkipReason();
if (skipReason) console.warn(`console browser tests skipped: ${skipReason}`);
const describeInBrowser = skipReason ? describe.skip : describe;

describeInBrowser(`the web console in a browser${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let server: TestServer;
  let browser: Browser;
  let adminToken: string;
  let reader: TestUser;

  beforeAll(async () => {
    ensureConsoleBuilt();
    [server, browser] = await Promise.all([
      // An extension module the console knows only from the OpenAPI document.
      startTestServer({ extensions: [SampleResourceModule] }),
      chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] }),
    ]);
    adminToken = await login(server, ADMIN.name, ADMIN.password);
    reader = await createUser(server, adminToken, Role.User, 'reader');
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${server.url}/`);
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
    await until(() => page.getByLabel('Availability zone').inputValue(), (value) => /.+/.test(value));
    await page.getByRole('button', { name: 'New cluster' }).click();
    await dialog(page).getByLabel('Name').fill('cluster-1');
    await dialog(page).getByLabel('Type').selectOption({ label: 'compute only' });
    await dialog(page).getByRole('button', { name: 'Create' }).click();
    await shownWithText(page.getByRole('row').filter({ hasText: 'cluster-1' }), 'compute only');
    await page.screenshot({ path: screenshotPath('clusters') });

    await open(page, 'Availability zones');
    await until(() => row.getByRole('cell').nth(3).textContent(), (text) => text === '1');
    await row.getByRole('button', { name: 'Disable zone-a' }).click();
    await shownWithText(row, 'disabled');

    await open(page, 'Clusters');
    await page.getByRole('button', { name: 'New cluster' }).click();
    await dialog(page).getByLabel('Name').fill('cluster-2');
    await dialog(page).getByRole('button', { name: 'Create' }).click();
    await shownWithText(dialog(page).getByRole('alert'), 'is disabled and accepts no new clusters');
    await dialog(page).getByRole('button', { name: 'Request id' }).click();
    await until(() => dialog(page).locator('.request-id').textContent(), (text) => /^[0-9a-f-]{36}$/.test(text ?? ''));
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
    // The administrator sees the others' entries too, with the same filters.
    await open(admin, 'Operation log');
    await admin.getByLabel('Filter by method').selectOption('POST');
    await shown(admin.getByRole('row').filter({ hasText: 'admin' }).first());
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
    await until(() => page.locator('dl.details').textContent(), (text) => /Cpu8/.test(text ?? ''));
    await page.screenshot({ path: screenshotPath('derived-detail') });
  });

  test('a screenshot of every screen', async () => {
    const page = await newPage();
    await signIn(page, ADMIN.name, ADMIN.password);
    await shown(page.getByRole('heading', { name: 'Event consumers' }));
    await shown(page.getByText(/operation-log: running/));
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
    await page.getByRole('button', { name: /^Details of operation/ }).first().click();
    await shownWithText(page.getByRole('dialog', { name: /^Operation \d+/ }), 'Input');
    await page.screenshot({ path: screenshotPath('operation-log') });
    await page.getByRole('button', { name: 'Close' }).click();
    await open(page, 'Event feed');
    await page.screenshot({ path: screenshotPath('event-feed') });
    await open(page, 'Settings');
    await shown(page.getByText('ends every session'));
    await page.screenshot({ path: screenshotPath('settings'), fullPage: true });
  });
});
