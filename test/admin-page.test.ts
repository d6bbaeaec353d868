// The admin page in a real headless Chromium (Debian's, through playwright-core), against a
// real gateway with real upstreams and traffic: login, every panel filled, the canary
// buttons changing the rollout as the admin API reports it, a hostile consumer id shown as
// text, the reload button, and nothing loading without the token. It takes the README's
// screenshots, into docs/.
import t from 'tap';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { configDir, orderFiles } from './helpers/config-dir.js';
import { manualClock, startGateway } from './helpers/gateway.js';
import { startUpstream } from './helpers/upstream.js';
import { chromiumMissing, launchChromium } from './helpers/browser.js';
import { jsonUpstream, waitForReport } from './shadow/helpers.js';
import { ordersDocV2 } from './openapi/fixtures.js';

const TOKEN = 'test-admin-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));
const HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';

async function adminJson(adminUrl: string, path: string): Promise<any> {
  const res = await request(`${adminUrl}${path}`, { headers: AUTH });
  return res.body.json();
}

if (chromiumMissing && process.env.CI) t.fail('chromium is not installed; .ci/run installs it with apt-get');

t.test('the admin page', { skip: chromiumMissing }, async (t) => {
  // v1 (deprecated, with a brownout and a sunset) is shadowed: the candidate changes the
  // price (a real difference) and every answer carries a fresh request id (noise, which the
  // secondary shows). v2 has a canary at its first step and a deprecated operation.
  let served = 0;
  const answer = (price: number) => () => ({ body: { id: 1, price, requestId: `r-${++served}` } });
  const primary = await jsonUpstream(t, 'primary', answer(10));
  const secondary = await jsonUpstream(t, 'secondary', answer(10));
  const candidate = await jsonUpstream(t, 'candidate', answer(12));
  const stable = await startUpstream('stable');
  const canary = await startUpstream('canary');
  t.teardown(() => Promise.all([stable.close(), canary.close()]));
  const files = orderFiles({ v1: primary.url, v2: stable.url }, { consumers: { header: 'X-Client-Id', topK: 20 } });
  files['versions/v2.yaml'] = { id: 'v2', aliases: ['2'], openapi: 'openapi/v2.yaml' };
  files['openapi/v2.yaml'] = ordersDocV2();
  files['routes/orders.yaml'] = {
    name: 'orders',
    prefix: '/orders',
    versions: {
      v1: { upstream: primary.url, shadow: { upstream: candidate.url, secondary: secondary.url } },
      v2: {
        upstream: stable.url,
        canary: {
          upstream: canary.url,
          flag: 'orders-v2-canary',
          stickiness: { header: 'X-User-Id' },
          rollout: { steps: [10, 50, 100], interval: '1h', threshold: 2, minRequests: 3, maxErrorRate: 0.5, maxP99: '5s', maxP99Ratio: 100 },
        },
      },
    },
  };
  files['config/flags.yaml'] = { flags: { 'orders-v2-canary': { enabled: true, rollout: 0 } } };
  const dir = configDir(files);
  t.teardown(() => dir.remove());
  const { gateway, url, adminUrl } = await startGateway(t, { dir: dir.dir, clock: manualClock('2026-11-23T12:00:00Z') });

  const call = async (path: string, headers: Record<string, string> = {}) => {
    const res = await request(`${url}${path}`, { headers });
    await res.body.dump();
    return res.statusCode;
  };
  for (const [client, n] of [
    ['acme-mobile', 12],
    ['globex-web', 7],
    [HOSTILE, 3],
  ] as const) {
    for (let i = 0; i < n; i++) await call('/v1/orders/1', { 'x-client-id': client });
  }
  await call('/v1/orders/1');
  for (let i = 0; i < 150; i++)
    await call(i % 10 === 9 ? '/v2/orders/status/500' : '/v2/orders/1', { 'x-user-id': `user-${i}`, 'x-client-id': `app-${i % 3}` });
  await call('/v2/orders/1/summary', { 'x-client-id': 'hooli' });
  await waitForReport(adminUrl, (r) => r.compared + r.errors >= 23 && r.inFlight === 0);
  // One analysis interval now, rather than in an hour: a decision with its figures.
  await gateway.rollouts.get('orders/v2')!.tick();
  const before = (await adminJson(adminUrl, '/admin/canaries')).canaries[0];
  t.equal(before.status, 'progressing', 'the canary is progressing');
  t.ok(
    before.history.some((e: any) => e.figures),
    'the controller has a decision with figures',
  );

  const context = await launchChromium(t);
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  const dataAnswers: { url: string; status: number }[] = [];
  page.on('response', (r) => {
    if (new URL(r.url()).pathname.startsWith('/admin/')) dataAnswers.push({ url: r.url(), status: r.status() });
  });

  await t.test('without the token nothing loads', async (t) => {
    const res = await page.goto(`${adminUrl}/`);
    t.equal(res?.status(), 200);
    const csp = res?.headers()['content-security-policy'] ?? '';
    t.match(csp, /default-src 'none'/, 'a strict Content-Security-Policy');
    t.match(csp, /script-src 'self'/);
    t.match(csp, /form-action 'none'/);
    t.match(csp, /frame-ancestors 'none'/);
    t.notMatch(csp, /unsafe-inline|unsafe-eval|https?:/, 'no inline code and nothing from elsewhere');
    await page.locator('#login').waitFor({ state: 'visible' });
    t.equal(await page.locator('#panels').isVisible(), false, 'the panels are hidden');
    t.ok(dataAnswers.length > 0 && dataAnswers.every((a) => a.status === 401), `every data call was refused: ${JSON.stringify(dataAnswers)}`);
    t.equal(await page.locator('[data-panel] > *').count(), 0, 'no panel has content');
    const body = await page.locator('body').innerText();
    t.notMatch(body, /orders|acme|v1/, 'no gateway data in the page');
    const direct = await page.evaluate(async () => (await fetch('/admin/consumers?version=v1')).status);
    t.equal(direct, 401, 'the data endpoints need the token');

    await page.fill('#token', 'not-the-token');
    await page.press('#token', 'Enter');
    await page.locator('#login-error').filter({ hasText: 'not the admin token' }).waitFor();
    t.equal(await page.locator('#panels').isVisible(), false, 'a wrong token shows nothing');
    t.equal(await page.evaluate(() => sessionStorage.length), 0, 'a refused token is not kept');
  });

  await t.test('log in and see every panel filled', async (t) => {
    pageErrors.length = 0; // the refused calls above were logged as failed loads
    await page.fill('#token', TOKEN);
    await page.press('#token', 'Enter');
    for (const name of ['versions', 'traffic', 'consumers', 'canaries', 'shadow', 'config']) {
      await page.locator(`[data-panel="${name}"][data-state="loaded"]`).waitFor();
    }
    t.equal(await page.evaluate(() => sessionStorage.getItem('sundial-admin-token')), TOKEN, 'the token is in sessionStorage');
    t.equal(await page.evaluate(() => document.cookie), '', 'and in no cookie');
    t.notMatch(page.url(), new RegExp(TOKEN), 'nor in the URL');
    t.equal(await page.evaluate(() => localStorage.length), 0, 'nor in localStorage');

    const versions = page.locator('[data-panel="versions"]');
    t.equal(await versions.locator('svg.timeline .seg-brownout').count(), 1, "the timeline shows v1's brownout");
    t.equal(await versions.locator('svg.timeline .now').count(), 1, 'and marks now');
    t.match(await versions.locator('svg.timeline .now-label').textContent(), /now 2026-11-23 12:00/);
    const v1Row = await versions.locator('table.versions tbody tr').first().innerText();
    t.match(
      v1Row,
      /v1[\s\S]*deprecated[\s\S]*2026-01-01[\s\S]*2027-05-01 14:00:00Z to 2027-05-01 15:00:00Z[\s\S]*2027-06-30[\s\S]*v2/,
      'v1: state, deprecation, brownout, sunset, successor',
    );
    t.match(await versions.locator('table.versions tbody tr').nth(1).innerText(), /GET \/orders\/\{id\}\/summary/, "v2's deprecated operation");

    // Route, version, arm, requests, rate, errors, p99 of each row.
    const traffic: string[][] = await page
      .locator('[data-panel="traffic"] table.traffic tbody tr')
      .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].slice(0, 7).map((c) => c.textContent ?? '')));
    const v1 = traffic.filter((r) => r[1] === 'v1');
    t.match(v1, [['orders', 'v1', 'stable', '23', /^\d+\.\d\d\/s$/, '0%', /^[\d.]+ ms$/]], 'v1: requests, rate, error rate and p99 of the last minute');
    const v2 = traffic.filter((r) => r[1] === 'v2');
    t.same(v2.map((r) => r[2]).sort(), ['canary', 'stable'], 'v2 per arm');
    t.equal(
      v2.reduce((sum, r) => sum + Number(r[3]), 0),
      151,
      'every v2 request counted, on one arm or the other',
    );
    t.ok(
      v2.some((r) => /^[1-9][\d.]*%$/.test(r[5])),
      'an error rate above 0 for the 5xx answers',
    );
    t.ok((await page.locator('[data-panel="traffic"] svg.spark polyline').count()) >= 6, 'charts drawn');

    const consumers = page.locator('[data-panel="consumers"]');
    const rows = await consumers.locator('table.consumers').first().locator('tbody tr').allInnerTexts();
    t.match(rows[0], /^1\tacme-mobile\t12\t0\t2026-11-23 12:00:00Z$/, 'the top consumer of v1, with count and last seen');
    t.match(rows[1], /^2\tglobex-web\t7\t/);
    t.match(await consumers.innerText(), /GET \/orders\/\{id\}\/summary[\s\S]*hooli/, "the deprecated operation's consumers");

    const canaries = page.locator('[data-panel="canaries"]');
    t.equal(await canaries.locator('[data-status]').getAttribute('data-status'), before.status);
    t.match(await canaries.innerText(), new RegExp(`${before.percent}%[\\s\\S]*10% → 50% → 100%`), 'percent and steps');
    t.match(await canaries.locator('table.history').innerText(), /(step|hold)[\s\S]*\d+ req, \d+ 5xx/, 'the last decision, with its figures');

    const shadow = page.locator('[data-panel="shadow"]');
    const fields = await shadow.locator('table.fields tbody tr').allInnerTexts();
    t.match(
      fields.find((f) => f.includes('price')),
      /price\t\d+\t0\treal/,
      'price differs for real',
    );
    t.match(
      fields.find((f) => f.includes('requestId')),
      /requestId\t\d+\t\d+\tnoise/,
      'the request id is noise',
    );
    t.match(await shadow.locator('table.pair').first().innerText(), /price\t10\t12\t10/, 'a sample pair side by side: primary, candidate, secondary');

    const config = await adminJson(adminUrl, '/admin/config');
    t.match(
      await page.locator('[data-panel="config"]').innerText(),
      new RegExp(`${config.fingerprint}[\\s\\S]*No reload since`),
      'fingerprint and reload state',
    );
    t.same(pageErrors, [], 'no script errors, and no CSP violation');
    mkdirSync(DOCS, { recursive: true });
    await page.screenshot({ path: `${DOCS}admin-page.png`, fullPage: true });
  });

  await t.test('a hostile consumer id shows as text', async (t) => {
    const cell = page.locator('[data-panel="consumers"] td.id').filter({ hasText: HOSTILE });
    t.equal(await cell.count(), 1, 'the id is shown once, in a cell');
    t.equal(await cell.textContent(), HOSTILE, 'exactly as sent');
    t.equal(await page.evaluate(() => (window as any).__pwned), undefined, 'nothing ran');
    t.equal(await page.locator('[data-panel] script, [data-panel] img').count(), 0, 'no element was made from it');
  });

  await t.test('pause and promote from the page', async (t) => {
    const panel = page.locator('[data-panel="canaries"]');
    // From the keyboard: focus the button, press Enter.
    await panel.locator('button[data-action="pause"]').focus();
    await page.keyboard.press('Enter');
    await page.locator('#canary-answer').filter({ hasText: 'now paused' }).waitFor();
    t.match((await adminJson(adminUrl, '/admin/canaries')).canaries[0], { status: 'paused', percent: before.percent }, 'the API says paused');
    await panel.locator('[data-status="paused"]').waitFor();

    await panel.locator('button[data-action="promote"]').click();
    await page.locator('#canary-answer').filter({ hasText: 'now promoted at 100%' }).waitFor();
    t.match((await adminJson(adminUrl, '/admin/canaries')).canaries[0], { status: 'promoted', percent: 100 }, 'the API says promoted at 100%');
    await panel.locator('[data-status="promoted"]').waitFor();

    await panel.locator('button[data-action="resume"]').click();
    await page.locator('#canary-answer').filter({ hasText: 'refused: 409' }).waitFor();
    t.pass("an action the rollout refuses shows the API's problem");

    await page.fill('[data-panel="canaries"] input[type="number"]', '40');
    await panel.locator('button[data-action="set"]').click();
    await page.locator('#canary-answer').filter({ hasText: 'at 40%' }).waitFor();
    t.match((await adminJson(adminUrl, '/admin/canaries')).canaries[0], { percent: 40 }, 'set percent reaches the API');
    await page.locator('#canaries').screenshot({ path: `${DOCS}admin-page-canaries.png` });
  });

  await t.test('the reload button shows the result and the problems', async (t) => {
    dir.write('versions/v3.yaml', { id: 'v3', deprecated: 'not a date' });
    await page.click('#reload');
    await page.locator('#reload-answer').filter({ hasText: 'Reload refused: 422' }).waitFor();
    t.match(await page.locator('#reload-answer').innerText(), /v3\.yaml/, 'the problem names the file');
    await page.locator('[data-panel="config"] .reload-refused').waitFor();
    t.match(await page.locator('[data-panel="config"] ul.problems').innerText(), /v3\.yaml/, "the last reload's problems");
    rmSync(join(dir.dir, 'versions/v3.yaml'));
  });

  await t.test('log out forgets the token', async (t) => {
    await page.click('#logout');
    await page.locator('#login').waitFor({ state: 'visible' });
    t.equal(await page.evaluate(() => sessionStorage.length), 0);
    t.equal(await page.locator('[data-panel] > *').count(), 0, 'the panels are emptied');
    await page.reload();
    await page.locator('#login').waitFor({ state: 'visible' });
    t.equal(await page.locator('#panels').isVisible(), false, 'a reload asks for the token again');
  });
});
