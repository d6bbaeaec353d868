// Stage 1, version resolution: every source, precedence, aliases, conflicts, unknown and
// default versions. Pure tests over a compiled config, then the same through a real gateway.
import t from 'tap';
import { request } from 'undici';
import { loadConfig } from '../src/config/load.js';
import { decide } from '../src/gateway/decide.js';
import { resolveVersion } from '../src/versioning/resolve.js';
import { orderFiles, testConfigDir } from './helpers/config-dir.js';
import { startGateway } from './helpers/gateway.js';
import { versionUpstreams } from './helpers/upstream.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');

function compiled(gateway: Record<string, unknown> = {}) {
  const files = orderFiles({ v1: 'http://127.0.0.1:7001', v2: 'http://127.0.0.1:7002' });
  const g = files['config/gateway.yaml'] as Record<string, Record<string, unknown>>;
  files['config/gateway.yaml'] = { ...g, versioning: { ...g.versioning, ...gateway } };
  const dir = testConfigDir(t, files);
  return loadConfig(dir.dir);
}

const cfg = compiled();
const resolve = (path: string, headers: Record<string, string> = {}, query = '') => resolveVersion(cfg.versioning, { path, query, headers });

t.test('path source: the first segment names the version and is removed', async (t) => {
  t.same(resolve('/v1/orders/1'), { ok: true, version: 'v1', source: 'path', forwardPath: '/orders/1' });
  t.same(resolve('/v2/orders'), { ok: true, version: 'v2', source: 'path', forwardPath: '/orders' });
  t.same(resolve('/v1'), { ok: true, version: 'v1', source: 'path', forwardPath: '/' });
  t.same(resolve('/orders/1'), { ok: true, version: undefined, source: undefined, forwardPath: '/orders/1' }, 'no version in the path');
});

t.test('aliases map to one version id, case-insensitively', async (t) => {
  for (const alias of ['1', 'v1', 'V1', '2024-01-15']) {
    const r = resolve(`/${alias}/orders`);
    t.ok(r.ok && r.version === 'v1', `${alias} is v1`);
  }
  const h = resolve('/orders', { 'api-version': '2' });
  t.ok(h.ok && h.version === 'v2' && h.source === 'header');
});

t.test('header source', async (t) => {
  t.same(resolve('/orders/1', { 'api-version': 'v1' }), { ok: true, version: 'v1', source: 'header', forwardPath: '/orders/1' });
  t.same(resolve('/orders/1', { 'api-version': '  1 ' }), { ok: true, version: 'v1', source: 'header', forwardPath: '/orders/1' }, 'whitespace is trimmed');
  t.match(resolve('/orders/1', { 'api-version': '' }), { ok: false, kind: 'malformed', source: 'header' });
  t.match(resolve('/orders/1', { 'api-version': '1, 2' }), { ok: false, kind: 'conflict' }, 'repeated header naming two versions');
  t.same(
    resolve('/orders/1', { 'api-version': '1, v1' }),
    { ok: true, version: 'v1', source: 'header', forwardPath: '/orders/1' },
    'repeated header naming one version',
  );
});

t.test('accept source: the version parameter of the vendor media type', async (t) => {
  t.same(resolve('/orders', { accept: 'application/vnd.acme+json; version=1' }), { ok: true, version: 'v1', source: 'accept', forwardPath: '/orders' });
  t.same(
    resolve('/orders', { accept: 'text/html, APPLICATION/VND.ACME+JSON;q=0.9;version="2"' }),
    { ok: true, version: 'v2', source: 'accept', forwardPath: '/orders' },
    'quoted, case-insensitive, among other ranges',
  );
  t.same(
    resolve('/orders', { accept: 'application/json; version=1' }),
    { ok: true, version: undefined, source: undefined, forwardPath: '/orders' },
    'other media types are ignored',
  );
  t.match(resolve('/orders', { accept: 'application/vnd.acme+json; version=7' }), { ok: false, kind: 'unknown', source: 'accept', value: '7' });
});

t.test('query source', async (t) => {
  t.same(resolve('/orders', {}, 'a=b&version=1'), { ok: true, version: 'v1', source: 'query', forwardPath: '/orders' });
  t.same(
    resolve('/orders', {}, 'myversion=1&versions=2'),
    { ok: true, version: undefined, source: undefined, forwardPath: '/orders' },
    'only the exact parameter name counts',
  );
  t.same(resolve('/orders', {}, 'version=v%32'), { ok: true, version: 'v2', source: 'query', forwardPath: '/orders' }, 'percent-decoded');
  t.match(resolve('/orders', {}, 'version=%E0%A4%A'), { ok: false, kind: 'malformed', source: 'query' });
  t.match(resolve('/orders', {}, 'version=1&version=2'), { ok: false, kind: 'conflict' });
});

t.test('unknown versions', async (t) => {
  t.match(resolve('/v9/orders'), { ok: false, kind: 'unknown', source: 'path', value: 'v9' }, 'a version-like path segment');
  t.match(resolve('/2020-01-01/orders'), { ok: false, kind: 'unknown', source: 'path' }, 'a date-like path segment');
  t.match(resolve('/orders', { 'api-version': 'nope' }), { ok: false, kind: 'unknown', source: 'header', value: 'nope' });
  t.match(resolve('/orders', {}, 'version=3'), { ok: false, kind: 'unknown', source: 'query', value: '3' });
});

t.test('conflicting sources are a 400 by default, not a guess', async (t) => {
  const r = resolve('/v1/orders', { 'api-version': '2' });
  t.match(r, {
    ok: false,
    kind: 'conflict',
    found: [
      { source: 'path', version: 'v1' },
      { source: 'header', version: 'v2' },
    ],
  });
  t.same(resolve('/v1/orders', { 'api-version': 'v1' }), { ok: true, version: 'v1', source: 'path', forwardPath: '/orders' }, 'agreeing sources are fine');
});

t.test('with onConflict: precedence, the first source in the configured order wins', async (t) => {
  const byHeaderFirst = compiled({ sources: ['header', 'query', 'path'], onConflict: 'precedence' });
  const r = resolveVersion(byHeaderFirst.versioning, { path: '/v1/orders', query: 'version=1', headers: { 'api-version': '2' } });
  t.same(r, { ok: true, version: 'v2', source: 'header', forwardPath: '/orders' });
  const byPathFirst = compiled({ sources: ['path', 'header'], onConflict: 'precedence' });
  const p = resolveVersion(byPathFirst.versioning, { path: '/v1/orders', query: '', headers: { 'api-version': '2' } });
  t.same(p, { ok: true, version: 'v1', source: 'path', forwardPath: '/orders' });
});

t.test('sources left out of the configuration are ignored', async (t) => {
  const headerOnly = compiled({ sources: ['header'] });
  const r = resolveVersion(headerOnly.versioning, { path: '/v1/orders', query: 'version=1', headers: {} });
  t.same(r, { ok: true, version: undefined, source: undefined, forwardPath: '/v1/orders' }, 'the path is not read for a version');
});

t.test('decide: defaults, problems and the forwarded URL', async (t) => {
  const d = decide(cfg, { method: 'GET', url: '/orders/1?x=1', headers: {} }, NOW);
  t.match(d, { kind: 'proxy', source: 'default', version: { id: 'v2' }, target: 'http://127.0.0.1:7002/orders/1?x=1' }, 'no version: the default');
  const p = decide(cfg, { method: 'GET', url: '/v1/orders/1?x=1', headers: {} }, NOW);
  t.match(p, { kind: 'proxy', source: 'path', version: { id: 'v1' }, target: 'http://127.0.0.1:7001/orders/1?x=1' }, 'version segment removed');
  const u = decide(cfg, { method: 'GET', url: '/v9/orders', headers: {} }, NOW);
  t.match(u, { kind: 'reject', problem: { status: 400, code: 'SUNDIAL_ERR_VERSION_UNKNOWN', supportedVersions: ['v1', 'v2'] } });
  const c = decide(cfg, { method: 'GET', url: '/v1/orders', headers: { 'api-version': '2' } }, NOW);
  t.match(c, { kind: 'reject', problem: { status: 400, code: 'SUNDIAL_ERR_VERSION_CONFLICT' } });

  const noDefault = compiled({ default: undefined });
  const n = decide(noDefault, { method: 'GET', url: '/orders', headers: {} }, NOW);
  t.match(n, { kind: 'reject', problem: { status: 400, code: 'SUNDIAL_ERR_VERSION_REQUIRED', supportedVersions: ['v1', 'v2'] } }, 'no version and no default');
});

t.test('through a real gateway', async (t) => {
  const { v1, v2 } = await versionUpstreams(t);
  const dir = testConfigDir(t, orderFiles({ v1: v1.url, v2: v2.url }));
  const { url } = await startGateway(t, { dir: dir.dir, clock: () => NOW });

  const cases: [string, Record<string, string>, string][] = [
    ['/v1/orders/7', {}, 'v1'],
    ['/orders/7', { 'api-version': '1' }, 'v1'],
    ['/orders/7', { accept: 'application/vnd.acme+json; version=1' }, 'v1'],
    ['/orders/7?version=1', {}, 'v1'],
    ['/orders/7', {}, 'v2'],
    ['/2/orders/7', {}, 'v2'],
  ];
  for (const [path, headers, expected] of cases) {
    const res = await request(url + path, { headers });
    const body = (await res.body.json()) as { name: string; url: string };
    t.equal(res.statusCode, 200, `${path} ${JSON.stringify(headers)}`);
    t.equal(body.name, expected, `${path} ${JSON.stringify(headers)} reaches ${expected}`);
    t.equal(body.url.split('?')[0], '/orders/7', 'the upstream sees the path without a version segment');
  }

  const unknown = await request(`${url}/orders/7`, { headers: { 'api-version': 'v3' } });
  t.equal(unknown.statusCode, 400);
  t.match(unknown.headers['content-type'], /^application\/problem\+json/);
  const problem = (await unknown.body.json()) as Record<string, unknown>;
  t.match(problem, { type: 'urn:sundial:problem:unknown-version', status: 400, supportedVersions: ['v1', 'v2'], instance: '/orders/7' });
  t.type(problem.title, 'string');
  t.type(problem.detail, 'string');

  const conflict = await request(`${url}/v1/orders/7?version=2`);
  t.equal(conflict.statusCode, 400);
  t.match(await conflict.body.json(), { code: 'SUNDIAL_ERR_VERSION_CONFLICT' });
  t.equal(v1.requests.length + v2.requests.length, cases.length, 'rejected requests never reach an upstream');
});
