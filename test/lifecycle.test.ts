// Stage 2, the lifecycle: every state with an injected clock, and header values checked
// byte for byte against RFC 9745 (Deprecation), RFC 8594 (Sunset) and RFC 8288 (Link).
import t from 'tap';
import { request } from 'undici';
import { deprecationHeader, sunsetHeader } from '../src/lifecycle/headers.js';
import { activeBrownout, lifecycleState } from '../src/lifecycle/state.js';
import { orderFiles, testConfigDir } from './helpers/config-dir.js';
import { manualClock, startGateway } from './helpers/gateway.js';
import { startUpstream, versionUpstreams } from './helpers/upstream.js';

const DEPRECATED = Date.parse('2026-01-01T00:00:00Z');
const SUNSET = Date.parse('2027-06-30T23:59:59Z');
const BROWNOUT = { start: Date.parse('2027-05-01T14:00:00Z'), end: Date.parse('2027-05-01T15:00:00Z'), status: 410 };
const version = { deprecatedAt: DEPRECATED, sunsetAt: SUNSET, brownouts: [BROWNOUT] };

// Known answers: 2026-01-01T00:00:00Z is 1767225600 s after the epoch; 2027-06-30 is a Wednesday.
const EXPECTED_DEPRECATION = '@1767225600';
const EXPECTED_SUNSET = 'Wed, 30 Jun 2027 23:59:59 GMT';

t.test('header formats', async (t) => {
  t.equal(deprecationHeader(DEPRECATED), EXPECTED_DEPRECATION, 'RFC 9745: @ and Unix seconds');
  t.equal(deprecationHeader(DEPRECATED + 999), EXPECTED_DEPRECATION, 'sub-second parts are truncated');
  t.equal(sunsetHeader(SUNSET), EXPECTED_SUNSET, 'RFC 8594: IMF-fixdate');
  t.match(sunsetHeader(Date.parse('2030-01-05T03:04:05+02:00')), /^Sat, 05 Jan 2030 01:04:05 GMT$/, 'converted to GMT, two-digit day');
});

t.test('lifecycle states over time', async (t) => {
  t.equal(lifecycleState(version, Date.parse('2025-06-01T00:00:00Z')), 'active');
  t.equal(lifecycleState(version, DEPRECATED - 1), 'active');
  t.equal(lifecycleState(version, DEPRECATED), 'deprecated', 'deprecated from the instant itself');
  t.equal(lifecycleState(version, BROWNOUT.start - 1), 'deprecated');
  t.equal(lifecycleState(version, BROWNOUT.start), 'brownout', 'window start is inclusive');
  t.equal(lifecycleState(version, BROWNOUT.end - 1), 'brownout');
  t.equal(lifecycleState(version, BROWNOUT.end), 'deprecated', 'window end is exclusive');
  t.equal(lifecycleState(version, SUNSET - 1), 'deprecated');
  t.equal(lifecycleState(version, SUNSET), 'sunset');
  t.equal(lifecycleState({ brownouts: [] }, SUNSET), 'active', 'a version without dates stays active');
  t.equal(activeBrownout(version, BROWNOUT.start + 1000), BROWNOUT);
});

t.test('through a real gateway, moving the clock', async (t) => {
  const { v1, v2 } = await versionUpstreams(t);
  const files = orderFiles({ v1: v1.url, v2: v2.url });
  const dir = testConfigDir(t, files);
  const clock = manualClock('2025-06-01T00:00:00Z');
  const { url } = await startGateway(t, { dir: dir.dir, clock });
  const LINK =
    '<https://example.com/deprecations/v1>; rel="deprecation", <https://example.com/sunset-policy>; rel="sunset", </v2/orders/1>; rel="successor-version"';

  await t.test('before the deprecation date, the coming deprecation is announced', async (t) => {
    const res = await request(`${url}/v1/orders/1`);
    await res.body.dump();
    t.equal(res.statusCode, 200);
    t.equal(res.headers.deprecation, EXPECTED_DEPRECATION, 'a future date, as RFC 9745 allows');
    t.equal(res.headers.sunset, EXPECTED_SUNSET);
  });

  await t.test('deprecated: proxied, with every header byte for byte', async (t) => {
    clock.set('2026-11-23T12:00:00Z');
    const res = await request(`${url}/v1/orders/1`);
    const body = (await res.body.json()) as { name: string };
    t.equal(res.statusCode, 200);
    t.equal(body.name, 'v1');
    t.equal(res.headers.deprecation, EXPECTED_DEPRECATION);
    t.equal(res.headers.sunset, EXPECTED_SUNSET);
    t.equal(res.headers.link, LINK);
    const current = await request(`${url}/v2/orders/1`);
    await current.body.dump();
    t.equal(current.headers.deprecation, undefined, 'the current version gets no Deprecation');
    t.equal(current.headers.sunset, undefined);
    t.equal(current.headers.link, undefined);
  });

  await t.test('the successor link follows where the version travels', async (t) => {
    const byQuery = await request(`${url}/orders/1?a=b&version=1`);
    await byQuery.body.dump();
    t.match(byQuery.headers.link, /<\/orders\/1\?a=b&version=v2>; rel="successor-version"$/);
    const byHeader = await request(`${url}/orders/1`, { headers: { 'api-version': '1' } });
    await byHeader.body.dump();
    t.match(byHeader.headers.link, /<\/v2\/orders\/1>; rel="successor-version"$/, 'path form when path versioning is on');
    const withUpstreamLink = await request(`${url}/v1/orders/1?link=1`);
    await withUpstreamLink.body.dump();
    t.equal(
      withUpstreamLink.headers.link,
      `<https://upstream.example/a>; rel="help", ${LINK.replace('</v2/orders/1>', '</v2/orders/1?link=1>')}`,
      'an upstream Link is kept, with ours appended; the successor keeps the query',
    );
  });

  await t.test('inside a brownout window: 410 with Retry-After, never proxied', async (t) => {
    clock.set('2027-05-01T14:30:00Z');
    const before = v1.requests.length;
    const res = await request(`${url}/v1/orders/1`);
    const problem = (await res.body.json()) as Record<string, unknown>;
    t.equal(res.statusCode, 410);
    t.match(res.headers['content-type'], /^application\/problem\+json/);
    t.equal(res.headers['retry-after'], '1800', 'seconds to the end of the window');
    t.equal(res.headers.sunset, EXPECTED_SUNSET);
    t.match(problem, {
      type: 'urn:sundial:problem:version-brownout',
      status: 410,
      code: 'SUNDIAL_ERR_VERSION_BROWNOUT',
      brownout: { start: '2027-05-01T14:00:00.000Z', end: '2027-05-01T15:00:00.000Z' },
      sunset: '2027-06-30T23:59:59.000Z',
      successor: 'v2',
    });
    t.match(problem.detail, /brownout/);
    t.equal(v1.requests.length, before, 'the upstream saw nothing');
    const other = await request(`${url}/v2/orders/1`);
    await other.body.dump();
    t.equal(other.statusCode, 200, 'other versions are unaffected');
  });

  await t.test('after the window: normal again', async (t) => {
    clock.set('2027-05-01T15:00:00Z');
    const res = await request(`${url}/v1/orders/1`);
    await res.body.dump();
    t.equal(res.statusCode, 200);
  });

  await t.test('after the sunset: 410 naming the successor, never proxied', async (t) => {
    clock.set('2027-07-01T00:00:00Z');
    const before = v1.requests.length;
    const res = await request(`${url}/v1/orders/1`);
    const problem = (await res.body.json()) as Record<string, unknown>;
    t.equal(res.statusCode, 410);
    t.match(res.headers['content-type'], /^application\/problem\+json/);
    t.match(problem, { type: 'urn:sundial:problem:version-sunset', status: 410, successor: 'v2', version: 'v1', sunset: '2027-06-30T23:59:59.000Z' });
    t.match(res.headers.link, /<\/v2\/orders\/1>; rel="successor-version"/);
    t.equal(v1.requests.length, before);
  });
});

t.test('a brownout window can use another status, and sunset can too', async (t) => {
  const up = await startUpstream('v1');
  t.teardown(() => up.close());
  const files = orderFiles({ v1: up.url, v2: up.url });
  files['versions/v1.yaml'] = {
    ...(files['versions/v1.yaml'] as object),
    sunsetStatus: 404,
    brownouts: [{ start: '2027-05-01T14:00:00Z', end: '2027-05-01T15:00:00Z', status: 503 }],
  };
  const dir = testConfigDir(t, files);
  const clock = manualClock('2027-05-01T14:59:59.500Z');
  const { url } = await startGateway(t, { dir: dir.dir, clock });
  const res = await request(`${url}/v1/orders`);
  await res.body.dump();
  t.equal(res.statusCode, 503);
  t.equal(res.headers['retry-after'], '1', 'rounded up, never 0');
  clock.set('2028-01-01T00:00:00Z');
  const gone = await request(`${url}/v1/orders`);
  await gone.body.dump();
  t.equal(gone.statusCode, 404);
});
