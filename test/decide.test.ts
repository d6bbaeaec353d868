// decide(), the whole verdict of the request path, table-driven and without a server: one
// compiled config (loaded from real files), an injected clock and flag source, and one row
// per branch: what the client is answered, or where it is proxied and which response
// headers are added.
import t from 'tap';
import { loadConfig } from '../src/config/load.js';
import type { FlagSource } from '../src/canary/flags/flag-source.js';
import { decide, type Decision, type GatewayRequest } from '../src/gateway/decide.js';
import { deprecationHeader, sunsetHeader } from '../src/lifecycle/headers.js';
import { configDir, orderFiles } from './helpers/config-dir.js';
import { ordersDocV2 } from './openapi/fixtures.js';

const files = orderFiles({ v1: 'http://v1.internal:7001', v2: 'http://v2.internal:7002/base' });
files['routes/orders.yaml'] = {
  name: 'orders',
  prefix: '/orders',
  methods: ['GET', 'POST'],
  versions: {
    v1: { upstream: 'http://v1.internal:7001' },
    v2: {
      upstream: 'http://v2.internal:7002/base',
      canary: { upstream: 'http://canary.internal:7003', flag: 'orders-canary', stickiness: { header: 'X-User-Id' }, armHeader: true },
    },
  },
};
files['routes/admin.yaml'] = { name: 'reports', prefix: '/reports', versions: { v1: { upstream: 'http://v1.internal:7001' } } };
files['versions/v2.yaml'] = { id: 'v2', aliases: ['2'], openapi: 'openapi/v2.yaml' };
files['openapi/v2.yaml'] = ordersDocV2();
files['config/flags.yaml'] = { flags: { 'orders-canary': { enabled: true, rollout: 50 } } };
const dir = configDir(files);
t.teardown(() => dir.remove());
const cfg = loadConfig(dir.dir, { env: {} });

const noDefault = configDir({
  ...orderFiles({ v1: 'http://v1.internal:7001', v2: 'http://v2.internal:7002' }),
  'config/gateway.yaml': {
    ...(orderFiles({ v1: '', v2: '' })['config/gateway.yaml'] as object),
    versioning: { sources: ['path', 'header'], header: 'Api-Version' },
  },
});
t.teardown(() => noDefault.remove());
const cfgNoDefault = loadConfig(noDefault.dir, { env: {} });

// In the canary exactly when X-User-Id is "in".
const flags: FlagSource = {
  kind: 'local',
  isEnabled: (_flag, ctx) => ctx.userId === 'in',
  state: () => undefined,
  write: async () => {},
  close: async () => {},
};

const NOW = Date.parse('2026-11-23T12:00:00Z');
const V1_DEPRECATION = deprecationHeader(Date.parse('2026-01-01T00:00:00Z'));
const V1_SUNSET = sunsetHeader(Date.parse('2027-06-30T23:59:59Z'));
const V1_LINKS = '<https://example.com/deprecations/v1>; rel="deprecation", <https://example.com/sunset-policy>; rel="sunset"';

const req = (url: string, headers: Record<string, string> = {}, method = 'GET'): GatewayRequest => ({ method, url, headers });
const headerMap = (d: Decision) => {
  const out: Record<string, string> = {};
  for (let i = 0; i < d.headers.length; i += 2) out[d.headers[i]] = d.headers[i + 1];
  return out;
};

interface Row {
  name: string;
  request: GatewayRequest;
  now?: number;
  config?: typeof cfg;
  expect: Record<string, unknown>;
  headers?: Record<string, string | RegExp | undefined>;
}

const rows: Row[] = [
  {
    name: 'an active version is proxied, with no headers added',
    request: req('/v2/orders?x=1'),
    expect: { kind: 'proxy', state: 'active', arm: 'stable', source: 'path', target: 'http://v2.internal:7002/base/orders?x=1' },
    headers: { deprecation: undefined, 'sundial-arm': 'stable' },
  },
  { name: 'the default version when none is named', request: req('/orders/1'), expect: { kind: 'proxy', source: 'default', version: { id: 'v2' } } },
  {
    name: 'a deprecated version: Deprecation, Sunset and Link with the successor',
    request: req('/v1/orders/1?a=b'),
    expect: { kind: 'proxy', state: 'deprecated', version: { id: 'v1' }, target: 'http://v1.internal:7001/orders/1?a=b' },
    headers: { deprecation: V1_DEPRECATION, sunset: V1_SUNSET, link: `${V1_LINKS}, </v2/orders/1?a=b>; rel="successor-version"` },
  },
  {
    name: 'a version named by header, through an alias',
    request: req('/orders/1', { 'api-version': '1' }),
    expect: { kind: 'proxy', source: 'header', version: { id: 'v1' } },
  },
  {
    name: 'before its deprecation date a version is active',
    request: req('/v1/orders/1'),
    now: Date.parse('2025-06-01T00:00:00Z'),
    expect: { kind: 'proxy', state: 'active' },
    headers: { deprecation: V1_DEPRECATION },
  },
  {
    name: 'brownout: 410 with Retry-After to the end of the window',
    request: req('/v1/orders/1'),
    now: Date.parse('2027-05-01T14:30:00Z'),
    expect: {
      kind: 'reject',
      state: 'brownout',
      problem: { status: 410, code: 'SUNDIAL_ERR_VERSION_BROWNOUT', brownout: { end: '2027-05-01T15:00:00.000Z' } },
    },
    headers: { 'retry-after': '1800', deprecation: V1_DEPRECATION },
  },
  {
    name: 'the brownout window ends exclusive',
    request: req('/v1/orders/1'),
    now: Date.parse('2027-05-01T15:00:00Z'),
    expect: { kind: 'proxy', state: 'deprecated' },
  },
  {
    name: 'sunset: 410 naming the successor',
    request: req('/v1/orders/1'),
    now: Date.parse('2027-07-01T00:00:00Z'),
    expect: { kind: 'reject', state: 'sunset', problem: { status: 410, code: 'SUNDIAL_ERR_VERSION_SUNSET', successor: 'v2' } },
    headers: { sunset: V1_SUNSET },
  },
  {
    name: 'an unknown version is a 400 listing the supported ones',
    request: req('/v9/orders'),
    expect: { kind: 'reject', problem: { status: 400, code: 'SUNDIAL_ERR_VERSION_UNKNOWN', supportedVersions: ['v1', 'v2'] } },
  },
  {
    name: 'conflicting sources are a 400',
    request: req('/v1/orders', { 'api-version': 'v2' }),
    expect: { kind: 'reject', problem: { status: 400, code: 'SUNDIAL_ERR_VERSION_CONFLICT' } },
  },
  {
    name: 'a malformed Accept version is a 400',
    request: req('/orders', { accept: 'application/vnd.acme+json; version="' }),
    expect: { kind: 'reject', problem: { status: 400 } },
  },
  {
    name: 'no route for the path: 404',
    request: req('/customers/1'),
    expect: { kind: 'reject', problem: { status: 404, code: 'SUNDIAL_ERR_ROUTE_NOT_FOUND' } },
  },
  {
    name: 'a method the route does not allow: 405 with Allow',
    request: req('/orders/1', {}, 'DELETE'),
    expect: { kind: 'reject', problem: { status: 405, code: 'SUNDIAL_ERR_METHOD_NOT_ALLOWED' } },
    headers: { allow: 'GET, POST, HEAD' },
  },
  {
    name: 'a version the route does not serve: 404 naming the ones it does',
    request: req('/v2/reports'),
    expect: { kind: 'reject', problem: { status: 404, code: 'SUNDIAL_ERR_VERSION_NOT_ROUTED', supportedVersions: ['v1'] } },
  },
  {
    name: 'no version named and no default: 400',
    request: req('/orders/1'),
    config: cfgNoDefault,
    expect: { kind: 'reject', problem: { status: 400, code: 'SUNDIAL_ERR_VERSION_REQUIRED' } },
  },
  {
    name: 'a deprecated operation gets its own headers',
    request: req('/v2/orders/7/summary'),
    expect: { kind: 'proxy', operation: { value: { name: 'GET /orders/{id}/summary' } } },
    headers: { deprecation: deprecationHeader(Date.parse('2025-03-01T00:00:00Z')), sunset: sunsetHeader(Date.parse('2027-01-01T00:00:00Z')) },
  },
  {
    name: 'an operation past its sunset: 410, never proxied',
    request: req('/v2/orders/search', {}, 'POST'),
    expect: { kind: 'reject', problem: { status: 410, code: 'SUNDIAL_ERR_OPERATION_SUNSET' } },
    headers: { sunset: sunsetHeader(Date.parse('2025-06-01T00:00:00Z')) },
  },
  {
    name: 'canary: a user in the rollout goes to the canary upstream, and is told',
    request: req('/v2/orders/1', { 'x-user-id': 'in' }),
    expect: { kind: 'proxy', arm: 'canary', target: 'http://canary.internal:7003/orders/1' },
    headers: { 'sundial-arm': 'canary' },
  },
  {
    name: 'canary: a user outside it stays on stable',
    request: req('/v2/orders/1', { 'x-user-id': 'out' }),
    expect: { kind: 'proxy', arm: 'stable', target: 'http://v2.internal:7002/base/orders/1' },
    headers: { 'sundial-arm': 'stable' },
  },
];

for (const row of rows) {
  t.test(row.name, async (t) => {
    const now = row.now ?? NOW;
    const d = decide(row.config ?? cfg, row.request, now, flags);
    t.match(d, row.expect);
    t.equal(d.now, now, 'the verdict carries the instant it was made for');
    const headers = headerMap(d);
    for (const [name, want] of Object.entries(row.headers ?? {})) {
      if (want === undefined) t.notOk(name in headers, `no ${name}`);
      else if (want instanceof RegExp) t.match(headers[name], want, name);
      else t.equal(headers[name], want, name);
    }
  });
}

t.test('verdicts without per-request headers share one constant array', async (t) => {
  const a = decide(cfgNoDefault, req('/v2/orders/1'), NOW);
  const b = decide(cfgNoDefault, req('/v2/orders/2'), NOW);
  t.equal(a.headers.length, 0);
  t.equal(a.headers, b.headers, 'nothing is built per request');
});
