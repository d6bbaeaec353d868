// Transforms through a running gateway, against real upstreams on loopback: v1 served from
// v2's (and v3's) upstream with path, query, header, status and body rewrites; bodies that
// do not fit, with each behaviour; the size cap; and answers that stream through untouched.
import t, { type Test } from 'tap';
import { request } from 'undici';
import { configDir, orderFiles, problemsOf } from '../helpers/config-dir.js';
import { startGateway } from '../helpers/gateway.js';
import { jsonUpstream, type Responder, AUTH } from '../shadow/helpers.js';

const NOW = () => Date.parse('2026-11-23T12:00:00Z');

const v2Order = { id: 1, total: { amount: 42.5, currency: 'EUR' }, state: 'PAID', lines: [{ sku: 'a', price: { amount: 1, currency: 'EUR' } }] };
const v1Order = { id: 1, total_cents: 4250, state: 'paid', items: [{ sku: 'a', price_cents: 100 }] };

const cents = (field: string) => ({ convert: { field, forward: '{ "amount": $ / 100, "currency": "EUR" }', backward: '$round(amount * 100)' } });

/** orders v1 -> v2: money as {amount, currency}, items are lines, states upper case. */
function v1Transform(extra: Record<string, unknown> = {}) {
  const body = [
    { rename: { from: 'total_cents', to: 'total' } },
    cents('total'),
    {
      convert: {
        field: 'state',
        mapping: [
          { from: 'new', to: 'NEW' },
          { from: 'paid', to: 'PAID' },
        ],
      },
    },
    { rename: { from: 'items', to: 'lines', optional: true } },
    { rename: { from: 'lines[*].price_cents', to: 'price' } },
    cents('lines[*].price'),
  ];
  return {
    to: 'v2',
    path: [{ from: '/orders/:id/items', to: '/orders/:id/lines' }],
    query: [{ rename: { from: 'per_page', to: 'limit', optional: true } }],
    headers: {
      request: [{ rename: { from: 'X-Client-Ref', to: 'x-request-ref', optional: true } }],
      response: [{ rename: { from: 'x-legacy-id', to: 'x-order-id', optional: true } }],
    },
    status: [{ from: 200, to: 201 }],
    request: body,
    response: body,
    ...extra,
  };
}

async function setup(t: Test, respond: Responder, transform: Record<string, unknown> = v1Transform()) {
  const v2 = await jsonUpstream(t, 'v2', respond);
  const files = orderFiles({ v1: v2.url, v2: v2.url });
  (files['versions/v1.yaml'] as Record<string, unknown>).transform = transform;
  files['routes/orders.yaml'] = { name: 'orders', prefix: '/orders', versions: { v1: { upstream: { via: 'v2' } }, v2: { upstream: v2.url } } };
  const dir = configDir(files);
  t.teardown(() => dir.remove());
  const gw = await startGateway(t, { dir: dir.dir, clock: NOW });
  return { v2, ...gw };
}

t.test('a v1 GET is served by the v2 upstream, and the answer comes back in v1 shape', async (t) => {
  const s = await setup(t, () => ({ status: 201, body: v2Order, headers: { 'x-order-id': '1', etag: '"v2"' } }));
  const res = await request(`${s.url}/v1/orders/1/items?per_page=5&sort=asc`, { headers: { 'x-client-ref': 'abc' } });
  t.equal(res.statusCode, 200, 'status 201 is mapped back to 200');
  t.same(await res.body.json(), v1Order);
  t.equal(res.headers['x-legacy-id'], '1', 'response header renamed back');
  t.equal(res.headers['x-order-id'], undefined);
  t.equal(res.headers.etag, undefined, "the upstream's validator does not describe the new body");
  t.ok(res.headers.deprecation, "v1's lifecycle headers are kept");
  const got = s.v2.received[0];
  t.equal(got.url, '/orders/1/lines?limit=5&sort=asc', 'path and query rewritten');
  t.equal(got.headers['x-request-ref'], 'abc', 'request header renamed');
  t.equal(got.headers['x-client-ref'], undefined);
  t.equal(got.headers['accept-encoding'], undefined, 'a body to transform is asked for unencoded');
});

t.test('a v1 POST body is carried forward into v2 shape', async (t) => {
  const s = await setup(t, (req) => ({ status: 201, body: JSON.parse(req.body.toString()) }));
  const res = await request(`${s.url}/v1/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(v1Order) });
  t.equal(res.statusCode, 200);
  t.same(JSON.parse(s.v2.received[0].body.toString()), v2Order, 'the v2 upstream got a v2 body');
  t.equal(s.v2.received[0].headers['content-length'], String(s.v2.received[0].body.length), 'with its own length');
  t.same(await res.body.json(), v1Order, 'and the echo came back as v1');
});

t.test('answers no lens applies to stream through untouched', async (t) => {
  const problem = { type: 'urn:x', title: 'no such order', status: 404 };
  const s = await setup(t, () => ({ status: 404, body: problem, headers: { etag: '"e"' } }));
  const res = await request(`${s.url}/v1/orders/9`);
  t.equal(res.statusCode, 404);
  t.same(await res.body.json(), problem, 'an error answer is not forced through the lens');
  t.equal(res.headers.etag, '"e"');
  const v2 = await request(`${s.url}/v2/orders/9`);
  t.equal(v2.statusCode, 404, 'v2 clients are untouched');
  await v2.body.dump();
});

t.test('a body that does not fit: 502 problem, counted and naming the step', async (t) => {
  const s = await setup(t, () => ({ status: 201, body: { id: 1, state: 'PAID', lines: [] } }));
  const res = await request(`${s.url}/v1/orders/1`);
  t.equal(res.statusCode, 502);
  t.match(res.headers['content-type'], /application\/problem\+json/);
  const body = (await res.body.json()) as Record<string, unknown>;
  t.match(body, { code: 'SUNDIAL_ERR_TRANSFORM_MISFIT', route: 'orders', version: 'v1', step: 'v1→v2', direction: 'response', at: 'total' });
  t.match(body.detail, /missing/);
  const metrics = await request(`${s.adminUrl}/metrics`, { headers: AUTH }).then((r) => r.body.text());
  t.match(metrics, /sundial_transform_misfits_total\{route="orders",version="v1",step="v1→v2",direction="response",behaviour="502"\} 1/);

  const notJson = await setup(t, () => ({ status: 200, body: 'plain words' }));
  const r2 = await request(`${notJson.url}/v1/orders/1`);
  t.equal(r2.statusCode, 502, 'a body that is not JSON is a misfit too');
  t.match(await r2.body.json(), { detail: /not JSON/ });

  const bad = await setup(t, () => ({ body: v2Order }));
  const r3 = await request(`${bad.url}/v1/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"id": 1, "total_cents": "lots"}',
  });
  t.equal(r3.statusCode, 502, 'a request that does not fit is not sent');
  t.match(await r3.body.json(), { direction: 'request', at: 'total' });
  t.equal(bad.v2.received.length, 0);
});

t.test('onMisfit: passthrough sends the body unchanged, and counts it', async (t) => {
  const odd = { id: 1, note: 'not an order' };
  const s = await setup(t, () => ({ status: 201, body: odd }), v1Transform({ onMisfit: 'passthrough' }));
  const res = await request(`${s.url}/v1/orders/1`);
  t.equal(res.statusCode, 201, 'as the upstream answered');
  t.same(await res.body.json(), odd);
  const metrics = await request(`${s.adminUrl}/metrics`, { headers: AUTH }).then((r) => r.body.text());
  t.match(metrics, /sundial_transform_misfits_total\{[^}]*behaviour="passthrough"\} 1/);
});

t.test('limits: a body past maxBodyBytes is a 502 problem, not a partial transform', async (t) => {
  const big = { ...v2Order, lines: Array.from({ length: 200 }, (_, i) => ({ sku: `s${i}`, price: { amount: 1, currency: 'EUR' } })) };
  const s = await setup(t, () => ({ body: big }), v1Transform({ limits: { maxBodyBytes: '1kb' } }));
  const res = await request(`${s.url}/v1/orders/1`);
  t.equal(res.statusCode, 502);
  t.match(await res.body.json(), { code: 'SUNDIAL_ERR_TRANSFORM_TOO_LARGE', limit: 1024 });
});

t.test('chains: v1 is served by the v3 upstream through v1→v2 and v2→v3, each written once', async (t) => {
  const v3Order = { id: 1, amount: { value: 4250, currency: 'EUR' }, state: 'PAID', lines: [] };
  const v3 = await jsonUpstream(t, 'v3', () => ({ body: v3Order }));
  const files = orderFiles({ v1: v3.url, v2: v3.url });
  (files['versions/v1.yaml'] as Record<string, unknown>).transform = { to: 'v2', response: [{ rename: { from: 'total_cents', to: 'total' } }, cents('total')] };
  files['versions/v2.yaml'] = {
    id: 'v2',
    transform: {
      to: 'v3',
      path: [{ from: '/orders/:id', to: '/orders/:id/summary' }],
      response: [
        { rename: { from: 'total', to: 'amount' } },
        {
          convert: {
            field: 'amount',
            forward: '{ "value": $round(amount * 100), "currency": currency }',
            backward: '{ "amount": value / 100, "currency": currency }',
          },
        },
      ],
    },
  };
  files['versions/v3.yaml'] = { id: 'v3' };
  files['routes/orders.yaml'] = {
    name: 'orders',
    prefix: '/orders',
    versions: { v1: { upstream: { via: 'v3' } }, v2: { upstream: { via: 'v3' } }, v3: { upstream: v3.url } },
  };
  const dir = configDir(files);
  t.teardown(() => dir.remove());
  const gw = await startGateway(t, { dir: dir.dir, clock: NOW });
  const v1 = await request(`${gw.url}/v1/orders/1`);
  t.same(await v1.body.json(), { id: 1, total_cents: 4250, state: 'PAID', lines: [] }, 'v1 through two steps');
  const v2 = await request(`${gw.url}/v2/orders/1`);
  t.same(await v2.body.json(), { id: 1, total: { amount: 42.5, currency: 'EUR' }, state: 'PAID', lines: [] }, 'v2 through one');
  t.same(
    v3.received.map((r) => r.url),
    ['/orders/1/summary', '/orders/1/summary'],
    "v2→v3's path rewrite applies to both",
  );
});

t.test('sundial check refuses transforms that name what does not exist', async (t) => {
  const base = orderFiles({ v1: 'http://127.0.0.1:1', v2: 'http://127.0.0.1:2' });
  const withTransform = (
    transform: unknown,
    route: unknown = { name: 'orders', prefix: '/orders', versions: { v1: { upstream: { via: 'v2' } }, v2: { upstream: 'http://127.0.0.1:2' } } },
  ) => ({
    ...base,
    'versions/v1.yaml': { ...(base['versions/v1.yaml'] as object), transform },
    'routes/orders.yaml': route,
  });
  t.match(problemsOf(withTransform({ to: 'v9' })), [/versions\/v1.yaml: transform.to: version "v9" does not exist/]);
  t.match(problemsOf(withTransform({ to: 'v2', routes: { invoices: {} } })), [/transform.routes.invoices: route "invoices" does not exist/]);
  t.match(problemsOf(withTransform({ to: 'v2', response: [{ rename: { from: 'a..b', to: 'c' } }] })), [
    /transform.response\[0\].rename.from: "a..b" has an empty segment/,
  ]);
  t.match(problemsOf(withTransform({ to: 'v2', response: [{ convert: { field: 'x', forward: '$round(', backward: '$' } }] })), [
    /transform.response\[0\].convert.forward: invalid JSONata/,
  ]);
  t.match(problemsOf(withTransform({ to: 'v2', path: [{ from: '/orders/:id', to: '/orders/:oid' }] })), [/uses :oid, which "\/orders\/:id" does not capture/]);
  t.match(
    problemsOf(
      withTransform({ to: 'v2' }, { name: 'orders', prefix: '/orders', versions: { v1: { upstream: { via: 'v3' } }, v2: { upstream: 'http://127.0.0.1:2' } } }),
    ),
    [/routes\/orders.yaml: versions.v1.upstream.via: this route has no version "v3"/],
  );
  t.match(
    problemsOf({
      ...base,
      'routes/orders.yaml': { name: 'orders', prefix: '/orders', versions: { v1: { upstream: { via: 'v2' } }, v2: { upstream: 'http://127.0.0.1:2' } } },
    }),
    [/versions.v1.upstream.via: v1 has no transform/],
  );
  t.same(problemsOf(withTransform({ to: 'v2', response: [{ rename: { from: 'a', to: 'b' } }] })), [], 'a good one loads');
});
