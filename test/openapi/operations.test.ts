// Per-operation deprecation through a real gateway and upstream: a deprecated operation gets
// its own Deprecation, Sunset and Link headers while its sibling operations get none, and an
// operation past its x-sunset answers 410 naming its successor, without reaching the upstream.
import t from 'tap';
// This file starts many CLI processes; on a loaded CI machine they take their time.
t.setTimeout(600_000);
import { request } from 'undici';
import { deprecationHeader, sunsetHeader } from '../../src/lifecycle/headers.js';
import { OperationMatcher } from '../../src/openapi/matcher.js';
import { configDir, orderFiles } from '../helpers/config-dir.js';
import { manualClock, startGateway } from '../helpers/gateway.js';
import { startUpstream } from '../helpers/upstream.js';
import { ok, ordersDocV2 } from './fixtures.js';

t.test('the matcher: literal segments first, templates, HEAD as GET', async (t) => {
  const m = new OperationMatcher<string>();
  m.add('GET', '/orders/{id}', 'get-order');
  m.add('GET', '/orders/summary', 'summary');
  m.add('GET', '/orders/{orderId}/items/{item}', 'item');
  m.add('GET', '/files/{name}.json', 'file');
  m.add('DELETE', '/orders/{id}', 'delete-order');
  t.match(m.match('GET', '/orders/7'), { value: 'get-order', params: { id: '7' } });
  t.match(m.match('GET', '/orders/7/'), { value: 'get-order' }, 'a trailing slash is not significant');
  t.match(m.match('GET', '/orders/summary'), { value: 'summary', params: {} }, 'a literal segment wins over a template');
  t.same(m.match('GET', '/orders/7/items/3'), { value: 'item', params: { orderId: '7', item: '3' } }, 'each template keeps its own parameter names');
  t.same(m.match('GET', '/files/a%20b.json'), { value: 'file', params: { name: 'a%20b' } });
  t.match(m.match('HEAD', '/orders/7'), { value: 'get-order' }, 'HEAD falls back to GET');
  t.match(m.match('DELETE', '/orders/7'), { value: 'delete-order' });
  t.equal(m.match('POST', '/orders/7'), undefined, 'by method');
  t.equal(m.match('GET', '/orders'), undefined);
  t.equal(m.match('GET', '/orders//items/3'), undefined, 'an empty segment fills no parameter');
  t.equal(m.match('GET', '/orders/7/items'), undefined);
});

t.test('through a real gateway', async (t) => {
  const v1 = await startUpstream('v1');
  const v2 = await startUpstream('v2');
  t.teardown(() => Promise.all([v1.close(), v2.close()]));
  const files = orderFiles({ v1: v1.url, v2: v2.url });
  files['versions/v2.yaml'] = { id: 'v2', aliases: ['2'], openapi: 'openapi/v2.yaml' };
  files['openapi/v2.yaml'] = ordersDocV2();
  files['versions/v1.yaml'] = { ...(files['versions/v1.yaml'] as object), openapi: 'openapi/v1.json' };
  files['openapi/v1.json'] = JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'Orders', version: '1' },
    paths: {
      '/orders/{id}': { get: { responses: ok } },
      '/orders/{id}/notes': { get: { deprecated: true, 'x-sunset': '2026-06-30T00:00:00Z', responses: ok } },
    },
  });
  const dir = configDir(files);
  t.teardown(() => dir.remove());
  const clock = manualClock('2025-09-01T00:00:00Z');
  const { url } = await startGateway(t, { dir: dir.dir, clock });

  await t.test('the deprecated operation gets its headers', async (t) => {
    const res = await request(`${url}/v2/orders/7/summary`);
    const body = (await res.body.json()) as { name: string; url: string };
    t.equal(res.statusCode, 200);
    t.equal(body.name, 'v2', 'proxied to the upstream');
    t.equal(body.url, '/orders/7/summary');
    t.equal(res.headers.deprecation, deprecationHeader(Date.parse('2025-03-01T00:00:00Z')));
    t.equal(res.headers.sunset, sunsetHeader(Date.parse('2027-01-01T00:00:00Z')));
    t.equal(
      res.headers.link,
      '<https://example.com/deprecations/order-summary>; rel="deprecation", </v2/orders/7>; rel="successor-version"',
      'docs from externalDocs; the successor operation, with the path parameter filled in',
    );
  });

  await t.test('its sibling operations on the same version do not', async (t) => {
    for (const path of ['/v2/orders/7', '/v2/orders', '/v2/orders/search']) {
      const res = await request(`${url}${path}`);
      await res.body.dump();
      t.equal(res.statusCode, 200, path);
      t.equal(res.headers.deprecation, undefined, `${path}: no Deprecation`);
      t.equal(res.headers.sunset, undefined, `${path}: no Sunset`);
      t.equal(res.headers.link, undefined, `${path}: no Link`);
    }
  });

  await t.test('HEAD follows GET; the successor link follows where the version travels', async (t) => {
    const head = await request(`${url}/v2/orders/7/summary`, { method: 'HEAD' });
    await head.body.dump();
    t.ok(head.headers.deprecation);
    const byQuery = await request(`${url}/orders/7/summary?version=2`);
    await byQuery.body.dump();
    t.match(byQuery.headers.link, /<\/orders\/7\?version=v2>; rel="successor-version"$/);
    const withOthers = await request(`${url}/orders/7/summary?expand=items&version=2&lang=de`);
    await withOthers.body.dump();
    t.match(withOthers.headers.link, /<\/orders\/7\?expand=items&version=v2&lang=de>; rel="successor-version"$/, 'the other query parameters are kept');
    const byHeader = await request(`${url}/orders/7/summary`, { headers: { 'api-version': '2' } });
    await byHeader.body.dump();
    t.match(byHeader.headers.link, /<\/v2\/orders\/7>; rel="successor-version"$/);
  });

  await t.test('x-sunset in the past: 410 naming the successor operation, never proxied', async (t) => {
    const before = v2.requests.length;
    const res = await request(`${url}/v2/orders/search`, { method: 'POST', body: '{}' });
    const problem = (await res.body.json()) as Record<string, unknown>;
    t.equal(res.statusCode, 410);
    t.match(res.headers['content-type'], /^application\/problem\+json/);
    t.match(problem, {
      type: 'urn:sundial:problem:operation-sunset',
      status: 410,
      code: 'SUNDIAL_ERR_OPERATION_SUNSET',
      version: 'v2',
      operation: { method: 'POST', path: '/orders/search', operationId: 'searchOrders' },
      sunset: '2025-06-01T00:00:00.000Z',
      successor: { method: 'GET', path: '/orders', operationId: 'listOrders' },
    });
    t.match(problem.detail, /Use GET \/orders \(listOrders\) instead/);
    t.equal(res.headers.sunset, sunsetHeader(Date.parse('2025-06-01T00:00:00Z')));
    t.match(res.headers.link, /<\/v2\/orders>; rel="successor-version"/);
    t.equal(v2.requests.length, before, 'the upstream saw nothing');
  });

  await t.test("operation headers replace the version's; without x-deprecated-at the version's date is used", async (t) => {
    const res = await request(`${url}/v1/orders/7/notes`);
    await res.body.dump();
    t.equal(res.headers.deprecation, deprecationHeader(Date.parse('2026-01-01T00:00:00Z')), "the version's deprecation date");
    t.equal(res.headers.sunset, sunsetHeader(Date.parse('2026-06-30T00:00:00Z')), "the operation's earlier sunset");
    t.match(res.headers.link, /rel="deprecation".*<\/v2\/orders\/7\/notes>; rel="successor-version"/, "no x-successor: the version's successor");
    const sibling = await request(`${url}/v1/orders/7`);
    await sibling.body.dump();
    t.equal(sibling.headers.sunset, sunsetHeader(Date.parse('2027-06-30T23:59:59Z')), "the sibling keeps the version's headers");
    clock.set('2026-07-01T00:00:00Z');
    const gone = await request(`${url}/v1/orders/7/notes`);
    const problem = (await gone.body.json()) as Record<string, unknown>;
    t.equal(gone.statusCode, 410);
    t.match(problem, { code: 'SUNDIAL_ERR_OPERATION_SUNSET', successorVersion: 'v2' });
    const still = await request(`${url}/v1/orders/7`);
    await still.body.dump();
    t.equal(still.statusCode, 200, 'the rest of the version still serves');
  });
});

t.test('saving an OpenAPI document reloads the gateway', async (t) => {
  const up = await startUpstream('v2');
  t.teardown(() => up.close());
  const doc = (deprecated: boolean) =>
    JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'Orders', version: '2' },
      paths: { '/orders/{id}': { get: deprecated ? { deprecated, 'x-deprecated-at': '2026-02-01T00:00:00Z', responses: ok } : { responses: ok } } },
    });
  const files = orderFiles({ v1: up.url, v2: up.url }, { reload: { watch: true, debounce: '50ms' } });
  files['versions/v2.yaml'] = { id: 'v2', aliases: ['2'], openapi: 'docs/v2.json' };
  files['docs/v2.json'] = doc(false);
  const dir = configDir(files);
  t.teardown(() => dir.remove());
  const { url, gateway } = await startGateway(t, { dir: dir.dir });
  const first = await request(`${url}/v2/orders/1`);
  await first.body.dump();
  t.equal(first.headers.deprecation, undefined);
  const before = gateway.current.fingerprint;
  dir.write('docs/v2.json', doc(true));
  for (let i = 0; i < 1500 && gateway.current.fingerprint === before; i++) await new Promise((r) => setTimeout(r, 20));
  const after = await request(`${url}/v2/orders/1`);
  await after.body.dump();
  t.equal(after.headers.deprecation, deprecationHeader(Date.parse('2026-02-01T00:00:00Z')), 'the operation is deprecated without a manual reload');
});
