// Shadow comparison through a running gateway, against real upstreams on loopback: what
// counts as a difference, under which path, and what is cancelled as noise.
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { AUTH, getAndSettle, jsonUpstream, shadowGateway, shadowReport } from './helpers.js';

const order = (extra: Record<string, unknown> = {}) => ({
  id: 1,
  total: 4250,
  currency: 'EUR',
  items: [
    { sku: 'a', n: 1 },
    { sku: 'b', n: 2 },
  ],
  ...extra,
});

t.test('identical upstreams give 0 mismatches', async (t) => {
  const primary = await jsonUpstream(t, 'primary', () => ({ body: order() }));
  const candidate = await jsonUpstream(t, 'candidate', () => ({ body: order() }));
  const secondary = await jsonUpstream(t, 'secondary', () => ({ body: order() }));
  const s = await shadowGateway(t, primary.url, { upstream: candidate.url, secondary: secondary.url });
  const r = await getAndSettle(s, 5);
  t.match(r, { route: 'orders', version: 'v2', compared: 5, matched: 5, mismatched: 0, errors: 0, skipped: {}, fields: {}, samples: [] });
  t.equal(candidate.received.length, 5);
  t.equal(secondary.received.length, 5);
  t.equal(candidate.received[0].headers['sundial-shadow'], '1', 'mirrors are marked');
  t.equal(candidate.received[0].url, '/orders/1', 'same path as the primary got');
  t.equal(primary.received[0].headers['sundial-shadow'], undefined, 'the primary request is not marked');
  t.equal(candidate.received[0].headers['x-forwarded-for'], primary.received[0].headers['x-forwarded-for'], 'same forwarded headers');
});

t.test('a changed field is counted under its path, with samples', async (t) => {
  const primary = await jsonUpstream(t, 'primary', () => ({ body: order() }));
  const candidate = await jsonUpstream(t, 'candidate', () => ({
    body: order({
      total: 4251,
      items: [
        { sku: 'a', n: 1 },
        { sku: 'b', n: 3 },
      ],
    }),
  }));
  const s = await shadowGateway(t, primary.url, { upstream: candidate.url });
  const r = await getAndSettle(s, 3, '/v2/orders/1?expand=items');
  t.match(r, { compared: 3, matched: 0, mismatched: 3 });
  t.same(r.fields, {
    'body.items.1.n': { differences: 3, noise: 0, real: true },
    'body.total': { differences: 3, noise: 0, real: true },
  });
  t.equal(r.samples.length, 3);
  t.same(r.samples[0].request, 'GET /v2/orders/1?expand=items');
  t.same(r.samples[0].differences, [
    { field: 'body.total', primary: '4250', candidate: '4251' },
    { field: 'body.items.1.n', primary: '2', candidate: '3' },
  ]);

  const metrics = await request(`${s.adminUrl}/metrics`, { headers: AUTH }).then((res) => res.body.text());
  t.match(metrics, /sundial_shadow_comparisons_total\{route="orders",version="v2",result="mismatched"\} 3/);

  const reset = await request(`${s.adminUrl}/admin/shadow`, { method: 'DELETE', headers: AUTH });
  t.equal(reset.statusCode, 200);
  await reset.body.dump();
  t.match(await shadowReport(s.adminUrl), { compared: 0, mismatched: 0, fields: {}, samples: [] }, 'DELETE resets the report');
  const unauthorised = await request(`${s.adminUrl}/admin/shadow`);
  t.equal(unauthorised.statusCode, 401, 'the report is behind the admin token');
  await unauthorised.body.dump();
});

t.test('status and compared headers are fields too', async (t) => {
  const primary = await jsonUpstream(t, 'primary', () => ({ body: order(), headers: { 'cache-control': 'max-age=60', etag: '"1"' } }));
  const candidate = await jsonUpstream(t, 'candidate', () => ({
    status: 201,
    body: order(),
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', etag: '"2"' },
  }));
  const s = await shadowGateway(t, primary.url, { upstream: candidate.url, compare: { headers: ['Cache-Control'] } });
  const r = await getAndSettle(s, 1);
  t.same(Object.keys(r.fields).sort(), ['headers.cache-control', 'headers.content-type', 'status'], 'etag is not in the allowlist');
});

t.test('ignored paths do not count', async (t) => {
  const noisy = () =>
    order({
      meta: { requestId: randomUUID() },
      items: [
        { sku: 'a', updatedAt: Date.now() + Math.random() },
        { sku: 'b', updatedAt: Math.random() },
      ],
    });
  const primary = await jsonUpstream(t, 'primary', () => ({ body: noisy(), headers: { date: String(Math.random()) } }));
  const candidate = await jsonUpstream(t, 'candidate', () => ({ body: noisy(), headers: { date: String(Math.random()) } }));
  const s = await shadowGateway(t, primary.url, {
    upstream: candidate.url,
    compare: { headers: ['date'], ignore: ['headers.Date', 'body.meta.requestId', 'body.items.*.updatedAt'] },
  });
  const r = await getAndSettle(s, 4);
  t.match(r, { compared: 4, matched: 4, mismatched: 0, fields: {} });
});

t.test('a random field is noise with a secondary, and a difference without one', async (t) => {
  const random = () => ({ body: order({ generatedAt: new Date(Date.now() + Math.floor(Math.random() * 1e9)).toISOString(), traceId: randomUUID() }) });
  const primary = await jsonUpstream(t, 'primary', random);
  const candidate = await jsonUpstream(t, 'candidate', random);
  const secondary = await jsonUpstream(t, 'secondary', random);

  await t.test('with a secondary: cancelled', async (t) => {
    const s = await shadowGateway(t, primary.url, { upstream: candidate.url, secondary: secondary.url });
    const r = await getAndSettle(s, 10);
    t.match(r, { compared: 10, matched: 10, mismatched: 0, samples: [] });
    t.same(r.fields, {
      'body.generatedAt': { differences: 10, noise: 10, real: false },
      'body.traceId': { differences: 10, noise: 10, real: false },
    });
  });

  await t.test('without a secondary: reported', async (t) => {
    const s = await shadowGateway(t, primary.url, { upstream: candidate.url });
    const r = await getAndSettle(s, 10);
    t.match(r, { compared: 10, matched: 0, mismatched: 10 });
    t.same(r.fields, {
      'body.generatedAt': { differences: 10, noise: 0, real: true },
      'body.traceId': { differences: 10, noise: 0, real: true },
    });
  });

  await t.test('with a secondary, a real regression still stands out among the noise', async (t) => {
    const regressed = await jsonUpstream(t, 'regressed', () => ({ body: { ...random().body, total: '42.50' } }));
    const s = await shadowGateway(t, primary.url, { upstream: regressed.url, secondary: secondary.url });
    const r = await getAndSettle(s, 10);
    t.match(r, { compared: 10, mismatched: 10 });
    t.match(r.fields['body.total'], { differences: 10, noise: 0, real: true });
    t.match(r.fields['body.traceId'], { real: false });
    t.same(r.samples[0].differences, [{ field: 'body.total', primary: '4250', candidate: '"42.50"', secondary: '4250' }], 'noise is left out of samples');
  });
});

t.test('superset accepts an added field and reports a removed one', async (t) => {
  const primary = await jsonUpstream(t, 'primary', () => ({ body: order({ notes: [] }) }));
  const added = await jsonUpstream(t, 'added', () => ({ body: order({ notes: [{ text: 'new' }], discount: { code: 'X', cents: 5 } }) }));
  const removed = await jsonUpstream(t, 'removed', () => {
    const { currency: _, ...rest } = order({ notes: [] });
    return { body: rest };
  });

  const superAdded = await shadowGateway(t, primary.url, { upstream: added.url, compare: { mode: 'superset' } });
  t.match(await getAndSettle(superAdded, 2), { compared: 2, matched: 2, mismatched: 0, fields: {} }, 'superset: added fields are fine');

  const exactAdded = await shadowGateway(t, primary.url, { upstream: added.url, compare: { mode: 'exact' } });
  const exact = await getAndSettle(exactAdded, 2);
  t.match(exact, { compared: 2, mismatched: 2 }, 'exact: added fields are differences');
  t.same(Object.keys(exact.fields).sort(), ['body.discount.cents', 'body.discount.code', 'body.notes', 'body.notes.0.text']);

  const superRemoved = await shadowGateway(t, primary.url, { upstream: removed.url, compare: { mode: 'superset' } });
  const r = await getAndSettle(superRemoved, 2);
  t.match(r, { compared: 2, mismatched: 2 });
  t.same(r.fields, { 'body.currency': { differences: 2, noise: 0, real: true } });
  t.same(r.samples[0].differences, [{ field: 'body.currency', primary: '"EUR"' }], 'absent on the candidate');
});

t.test('array order is honoured in both modes', async (t) => {
  const primary = await jsonUpstream(t, 'primary', () => ({ body: order() }));
  const reversed = await jsonUpstream(t, 'reversed', () => ({
    body: order({
      items: [
        { sku: 'b', n: 2 },
        { sku: 'a', n: 1 },
      ],
    }),
  }));
  for (const mode of ['exact', 'superset']) {
    await t.test(mode, async (t) => {
      const strict = await shadowGateway(t, primary.url, { upstream: reversed.url, compare: { mode, arrayOrder: 'strict' } });
      const r = await getAndSettle(strict, 2);
      t.match(r, { compared: 2, mismatched: 2 }, 'strict: a reordered array differs');
      t.same(Object.keys(r.fields).sort(), ['body.items.0.n', 'body.items.0.sku', 'body.items.1.n', 'body.items.1.sku']);

      const loose = await shadowGateway(t, primary.url, { upstream: reversed.url, compare: { mode, arrayOrder: 'ignore' } });
      t.match(await getAndSettle(loose, 2), { compared: 2, matched: 2, mismatched: 0, fields: {} }, 'ignore: the same elements in another order match');
    });
  }
});

t.test('bodies that are not JSON are compared by bytes', async (t) => {
  const primary = await jsonUpstream(t, 'primary', () => ({ body: 'hello, world', headers: { 'content-type': 'text/plain' } }));
  const same = await jsonUpstream(t, 'same', () => ({ body: 'hello, world', headers: { 'content-type': 'text/plain' } }));
  const other = await jsonUpstream(t, 'other', () => ({ body: 'hello, World', headers: { 'content-type': 'text/plain' } }));
  t.match(await getAndSettle(await shadowGateway(t, primary.url, { upstream: same.url }), 2), { matched: 2, fields: {} });
  const r = await getAndSettle(await shadowGateway(t, primary.url, { upstream: other.url }), 2);
  t.match(r, { mismatched: 2, fields: { body: { differences: 2 } } });
  t.same(r.samples[0].differences, [{ field: 'body', primary: 'hello, world', candidate: 'hello, World' }]);
});

t.test('compressed answers are compared as the JSON inside', async (t) => {
  const { gzipSync } = await import('node:zlib');
  const gz = (o: unknown) => ({ headers: { 'content-encoding': 'gzip' }, body: gzipSync(JSON.stringify(o)) });
  const primary = await jsonUpstream(t, 'primary', () => gz(order()));
  const candidate = await jsonUpstream(t, 'candidate', () => gz(order({ total: 1 })));
  const s = await shadowGateway(t, primary.url, { upstream: candidate.url });
  const r = await getAndSettle(s, 1);
  t.same(Object.keys(r.fields), ['body.total']);
});
