// Config loading: every kind of error names its file and field path; ${ENV} substitution;
// `sundial check` exit codes and output.
import t from 'tap';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadConfig } from '../src/config/load.js';
import { configDir, orderFiles, problemsOf, type Files } from './helpers/config-dir.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const run = promisify(execFile);

function base(): Files {
  return orderFiles({ v1: 'http://127.0.0.1:7001', v2: 'http://127.0.0.1:7002' });
}

function edit(file: string, change: (doc: Record<string, any>) => void): Files {
  const files = base();
  const doc = structuredClone(files[file]) as Record<string, any>;
  change(doc);
  files[file] = doc;
  return files;
}

t.test('the shipped example config is valid', async (t) => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const cfg = loadConfig(root, { env: { SUNDIAL_ADMIN_TOKEN: 'x' } });
  t.same([...cfg.versions.keys()], ['v1', 'v2']);
  t.equal(cfg.routes[0].name, 'orders');
});

t.test('a valid config loads', async (t) => {
  t.same(problemsOf(base()), []);
});

const cases: [string, Files, string | RegExp][] = [
  [
    'invalid upstream URL',
    edit('routes/orders.yaml', (d) => {
      d.versions.v2.upstream = 'not a url';
    }),
    /^routes\/orders\.yaml: versions\.v2\.upstream: Invalid URL/,
  ],
  [
    'non-http upstream',
    edit('routes/orders.yaml', (d) => {
      d.versions.v1.upstream = 'ftp://x';
    }),
    /^routes\/orders\.yaml: versions\.v1\.upstream: Invalid URL/,
  ],
  [
    'via a version the route does not have',
    edit('routes/orders.yaml', (d) => {
      d.versions.v1.upstream = { via: 'v3' };
    }),
    /^routes\/orders\.yaml: versions\.v1\.upstream\.via: this route has no version "v3" to serve v1 \(it has v1, v2\)/,
  ],
  [
    'via a version that is itself served via another',
    edit('routes/orders.yaml', (d) => {
      d.versions.v1.upstream = { via: 'v2' };
      d.versions.v2.upstream = { via: 'v1' };
    }),
    /^routes\/orders\.yaml: versions\.v1\.upstream\.via: v2 is itself served via v1: name v1 here/,
  ],
  [
    'unknown field',
    edit('config/gateway.yaml', (d) => {
      d.listen.prot = 1;
    }),
    /^config\/gateway\.yaml: listen: Unrecognized key: "prot"/,
  ],
  [
    'bad duration',
    edit('config/gateway.yaml', (d) => {
      d.upstream.timeout = '30 seconds';
    }),
    /^config\/gateway\.yaml: upstream\.timeout: Invalid duration "30 seconds"/,
  ],
  [
    'bad port',
    edit('config/gateway.yaml', (d) => {
      d.listen.port = 70000;
    }),
    /^config\/gateway\.yaml: listen\.port: Expected a port/,
  ],
  [
    'bad source',
    edit('config/gateway.yaml', (d) => {
      d.versioning.sources = ['path', 'cookie'];
    }),
    /^config\/gateway\.yaml: versioning\.sources\[1\]: /,
  ],
  [
    'accept source without a media type',
    edit('config/gateway.yaml', (d) => {
      delete d.versioning.accept;
    }),
    /^config\/gateway\.yaml: versioning\.accept: the accept source is enabled/,
  ],
  [
    'unknown default version',
    edit('config/gateway.yaml', (d) => {
      d.versioning.default = 'v7';
    }),
    /^config\/gateway\.yaml: versioning\.default: version "v7" does not exist/,
  ],
  [
    'admin beyond loopback without a token',
    edit('config/gateway.yaml', (d) => {
      d.admin.host = '0.0.0.0';
      delete d.admin.token;
    }),
    /^config\/gateway\.yaml: admin\.token: /,
  ],
  [
    'instant without a zone',
    edit('versions/v1.yaml', (d) => {
      d.sunset = '2027-06-30T23:59:59';
    }),
    /^versions\/v1\.yaml: sunset: Invalid instant/,
  ],
  [
    'missing successor',
    edit('versions/v1.yaml', (d) => {
      d.successor = 'v3';
    }),
    /^versions\/v1\.yaml: successor: version "v3" does not exist/,
  ],
  [
    'sunset before deprecation',
    edit('versions/v1.yaml', (d) => {
      d.sunset = '2025-01-01T00:00:00Z';
      d.brownouts = [];
    }),
    /^versions\/v1\.yaml: sunset: sunset is before the deprecation date/,
  ],
  [
    'brownout after sunset',
    edit('versions/v1.yaml', (d) => {
      d.brownouts = [{ start: '2027-07-01T00:00:00Z', end: '2027-07-02T00:00:00Z' }];
    }),
    /^versions\/v1\.yaml: brownouts\[0\]\.end: a brownout must end before the sunset/,
  ],
  [
    'brownout ending before it starts',
    edit('versions/v1.yaml', (d) => {
      d.brownouts = [{ start: '2027-05-02T00:00:00Z', end: '2027-05-01T00:00:00Z' }];
    }),
    /^versions\/v1\.yaml: brownouts\[0\]\.end: end must be after start/,
  ],
  [
    'id not matching the file name',
    edit('versions/v2.yaml', (d) => {
      d.id = 'v3';
    }),
    /^versions\/v2\.yaml: id: "v3" does not match the file name/,
  ],
  [
    'alias claimed twice',
    edit('versions/v2.yaml', (d) => {
      d.aliases = ['1'];
    }),
    /^versions\/v2\.yaml: aliases\[0\]: "1" already names version "v1"/,
  ],
  [
    'route naming a version that does not exist',
    edit('routes/orders.yaml', (d) => {
      d.versions.v3 = { upstream: 'http://127.0.0.1:7003' };
    }),
    /^routes\/orders\.yaml: versions\.v3: version "v3" does not exist/,
  ],
  [
    'prefix without a slash',
    edit('routes/orders.yaml', (d) => {
      d.prefix = 'orders';
    }),
    /^routes\/orders\.yaml: prefix: Invalid prefix: must start with \//,
  ],
  [
    'route without versions',
    edit('routes/orders.yaml', (d) => {
      d.versions = {};
    }),
    /^routes\/orders\.yaml: versions: A route needs at least one version/,
  ],
  ['YAML syntax error', { ...base(), 'versions/v2.yaml': 'id: v2\naliases: [1, 2\n' }, /^versions\/v2\.yaml: line \d+, column \d+: /],
  ['top level not a mapping', { ...base(), 'routes/orders.yaml': '- a\n- b\n' }, /^routes\/orders\.yaml: expected a mapping/],
];

for (const [name, files, expected] of cases) {
  t.test(name, async (t) => {
    const problems = problemsOf(files);
    t.ok(
      problems.some((p) => (typeof expected === 'string' ? p === expected : expected.test(p))),
      `reported: ${JSON.stringify(problems)}`,
    );
  });
}

t.test('two routes claiming one prefix', async (t) => {
  const files = base();
  files['routes/orders-copy.yaml'] = { ...(files['routes/orders.yaml'] as object), name: 'orders-copy', prefix: '/orders/' };
  const problems = problemsOf(files);
  t.match(
    problems.join('\n'),
    /routes\/orders\.yaml: prefix: prefix "\/orders" is already claimed by routes\/orders-copy\.yaml|routes\/orders-copy\.yaml: prefix: prefix "\/orders" is already claimed by routes\/orders\.yaml/,
  );
});

t.test('every problem is reported, not just the first', async (t) => {
  const files = edit('routes/orders.yaml', (d) => {
    d.versions.v2.upstream = 'nope';
  });
  (files['versions/v1.yaml'] as Record<string, unknown>).successor = 'v9';
  const problems = problemsOf(files);
  t.equal(problems.length, 2, JSON.stringify(problems));
});

t.test('missing files and folders are named', async (t) => {
  const files = base();
  delete files['config/gateway.yaml'];
  t.match(problemsOf(files).join('\n'), /config\/gateway\.yaml: file not found/);
  const dirProblems = (() => {
    try {
      loadConfig('/nonexistent/sundial');
      return '';
    } catch (err) {
      return (err as Error).message;
    }
  })();
  t.match(dirProblems, /cannot read config directory/);
});

t.test('${ENV} substitution', async (t) => {
  const files = edit('config/gateway.yaml', (d) => {
    d.admin.token = '${ADMIN_TOKEN}';
    d.listen.port = '${PORT:-8181}';
  });
  t.match(problemsOf(files, {}).join('\n'), /config\/gateway\.yaml: admin\.token: environment variable ADMIN_TOKEN is not set/);
  const dir = configDir(files);
  t.teardown(() => dir.remove());
  const cfg = loadConfig(dir.dir, { env: { ADMIN_TOKEN: 's3cret', PORT: '9999' } });
  t.equal(cfg.gateway.admin.token, 's3cret');
  t.equal(cfg.gateway.listen.port, 9999, 'a substituted number is read as a number');
  const withDefault = loadConfig(dir.dir, { env: { ADMIN_TOKEN: 's3cret' } });
  t.equal(withDefault.gateway.listen.port, 8181, '${VAR:-default}');
  // $${...} is a literal, which is then an invalid header name; the error proves no lookup happened.
  t.equal(
    problemsOf(
      edit('config/gateway.yaml', (d) => {
        d.versioning.header = '$${X}';
      }),
    ).length,
    1,
  );
  const substituted = loadConfig(dir.dir, { env: { ADMIN_TOKEN: '${PORT}', PORT: '1' } });
  t.equal(substituted.gateway.admin.token, '${PORT}', 'values are substituted once, not recursively');
});

t.test('sundial check', async (t) => {
  const good = configDir(base());
  const bad = configDir(
    edit('routes/orders.yaml', (d) => {
      d.versions.v2.upstream = 'nope';
    }),
  );
  t.teardown(() => {
    good.remove();
    bad.remove();
  });
  const ok = await run(process.execPath, [CLI, 'check', '--dir', good.dir]);
  t.match(ok.stdout, /^config OK: /);
  t.match(ok.stdout, /v1\s+deprecated/);
  t.match(ok.stdout, /orders \/orders/);
  const failed = await run(process.execPath, [CLI, 'check', '--dir', bad.dir]).then(
    () => null,
    (err) => err,
  );
  t.ok(failed, 'a bad config fails');
  t.equal(failed.code, 1, 'exit code 1');
  t.match(failed.stderr, /routes\/orders\.yaml: versions\.v2\.upstream: Invalid URL/);
  const json = await run(process.execPath, [CLI, 'check', '--dir', bad.dir, '--json']).then(
    () => null,
    (err) => err,
  );
  t.match(JSON.parse(json.stdout), { ok: false, problems: [{ file: 'routes/orders.yaml', path: ['versions', 'v2', 'upstream'] }] });
});
