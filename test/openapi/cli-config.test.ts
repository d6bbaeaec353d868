// `sundial openapi diff` configured: the lenient reader and --strict, level overrides and the
// ignore file, --fail-on, and the deprecation rules with dates on both sides of an injected
// now (--now), including a version's sunset from versions/*.yaml.
import t from 'tap';
// This file starts many CLI processes; on a loaded CI machine they take their time.
t.setTimeout(600_000);
import { stringify } from 'yaml';
import { doc, openapiCli, type Doc } from './cli-fixture.js';
import { lintViolations, readForDiff } from '../../src/openapi/lenient-load.js';
import { configDir, orderFiles } from '../helpers/config-dir.js';

const { run, write } = openapiCli(t);

const OLD = write(doc());
const NEW = write(
  doc((d) => {
    d.paths['/items'].get.parameters[0].schema.maxLength = 10;
    d.components.schemas.Item.properties.id.type = 'integer';
    delete d.components.schemas.Item.properties.size;
    delete d.paths['/items'].delete;
  }),
);

t.test('the lenient reader: each violation is read with a warning; --strict refuses', async (t) => {
  const cases: [string, (d: Doc) => void, RegExp][] = [
    [
      'an operation without responses',
      (d) => {
        delete d.paths['/items'].delete.responses;
      },
      /an operation has no `responses`/,
    ],
    [
      'empty responses',
      (d) => {
        d.paths['/items'].delete.responses = {};
      },
      /`responses` is empty/,
    ],
    [
      'a response without description',
      (d) => {
        delete d.paths['/items'].get.responses['200'].description;
      },
      /response 200 has no `description`/,
    ],
    [
      'a parameter without schema',
      (d) => {
        delete d.paths['/items'].get.parameters[0].schema;
      },
      /parameter q has neither `schema` nor `content`/,
    ],
    [
      'a path parameter not required',
      (d) => {
        d.paths['/items/{id}'] = { get: { parameters: [{ name: 'id', in: 'path', schema: { type: 'string' } }], responses: { '200': { description: 'OK' } } } };
      },
      /path parameter id is not marked required: true/,
    ],
    [
      'a request body without content',
      (d) => {
        d.paths['/items'].get.requestBody = {};
      },
      /a request body has no `content`/,
    ],
    [
      'info without version',
      (d) => {
        delete d.info.version;
      },
      /`info` has no `version`/,
    ],
    [
      'a bad status code',
      (d) => {
        d.paths['/items'].get.responses['OK'] = { description: 'x' };
      },
      /OK is not a status code/,
    ],
  ];
  const v30 = (change: (d: Doc) => void) =>
    doc((d) => {
      d.openapi = '3.0.3';
      change(d);
    });
  for (const [name, change, message] of cases) {
    t.match(
      lintViolations(v30(change))
        .map((p) => p.message)
        .join('\n'),
      message,
      `${name}: named`,
    );
    const file = write(v30(change));
    const lenient = await readForDiff(file, false);
    t.ok(lenient.ok && lenient.warnings.length > 0, `${name}: read, with a warning`);
    const strict = await readForDiff(file, true);
    t.notOk(strict.ok, `${name}: --strict refuses it`);
  }
  // Through the CLI once: the warning on stderr, and --strict's exit 2 naming the file.
  const file = write(v30(cases[0][1]));
  const lenient = await run(['diff', file, file]);
  t.equal(lenient.code, 0, 'the diff runs');
  t.match(lenient.stderr, /warning: .*paths\.\/items\.delete: an operation has no `responses` \(read anyway; --strict refuses it\)/);
  const strict = await run(['diff', file, file, '--strict']);
  t.equal(strict.code, 2, '--strict refuses it');
  t.ok(strict.stderr.includes(file), 'naming the file');
  t.same(lintViolations(doc()), [], 'a valid 3.1 document has no violations');
  t.same(
    lintViolations(
      doc((d) => {
        delete d.paths['/items'].delete.responses;
      }),
    ),
    [],
    'in 3.1, responses are optional',
  );
});

t.test('levels, ignore file and --fail-on', async (t) => {
  const levels = write('request-max-length-tightened: warning\nresponse-optional-property-removed: none\n');
  const ignore = write(
    stringify([
      { rule: 'response-type-changed', operation: 'GET /items', reason: 'ids were always numeric strings' },
      { rule: 'operation-removed-before-sunset', path: '/items', reason: 'agreed with the only client' },
    ]),
  );
  const out = await run(['diff', OLD, NEW, '--levels', levels, '--ignore', ignore, '--format', 'json']);
  const report = JSON.parse(out.stdout);
  t.equal(out.code, 0, 'nothing breaking is left');
  t.same(
    report.changes.map((c: any) => [c.kind, c.class]),
    [['request-max-length-tightened', 'warning']],
  );
  t.same(
    report.ignored.map((c: any) => c.reason),
    ['ids were always numeric strings', 'agreed with the only client'],
  );
  t.equal((await run(['diff', OLD, NEW, '--levels', levels, '--ignore', ignore, '--fail-on', 'warning'])).code, 1, '--fail-on warning fails on the warning');

  for (const [file, message] of [
    [write('no-such-rule: info\n'), /no-such-rule: no such rule/],
    [write('operation-removed: fatal\n'), /"fatal" is not breaking, warning, info or none/],
  ] as const) {
    const bad = await run(['diff', OLD, NEW, '--levels', file]);
    t.equal(bad.code, 2);
    t.match(bad.stderr, message);
    t.ok(bad.stderr.includes(file));
  }
  for (const [entry, message] of [
    [{ rule: 'operation-removed', path: '/items' }, /\[0\]\.reason: say why/],
    [{ rule: 'operation-removed', reason: 'x' }, /name the operation/],
    [{ rule: 'nope', path: '/x', reason: 'x' }, /\[0\]\.rule: "nope" is not a rule id/],
  ] as const) {
    const bad = await run(['diff', OLD, NEW, '--ignore', write(stringify([entry]))]);
    t.equal(bad.code, 2);
    t.match(bad.stderr, message);
  }
  t.equal((await run(['diff', OLD, NEW, '--fail-on', 'info'])).code, 2);
});

t.test('deprecation rules against an injected now, and --deprecation-days', async (t) => {
  const sunset = (when: unknown, level?: string) =>
    write(
      doc((d) => {
        if (when === undefined) delete d.paths['/items'].delete['x-sunset'];
        else d.paths['/items'].delete['x-sunset'] = when;
        if (level) d.paths['/items'].delete['x-stability-level'] = level;
      }),
    );
  const kinds = async (args: string[]) => JSON.parse((await run(['diff', ...args, '--format', 'json'])).stdout).changes.map((c: any) => `${c.kind}:${c.class}`);
  t.same(await kinds([OLD, sunset(undefined)]), ['sunset-deleted:breaking']);
  t.same(await kinds([OLD, sunset('2026-12-15T00:00:00Z')]), ['sunset-moved-earlier:breaking']);
  t.same(await kinds([OLD, sunset('soon')]), ['sunset-unreadable:breaking']);
  t.same(await kinds([OLD, sunset('2027-03-01')]), [], 'moved later: fine');

  const fresh = (when: string, level?: string) =>
    write(
      doc((d) => {
        Object.assign(d.paths['/items'].get, { deprecated: true, 'x-sunset': when }, level ? { 'x-stability-level': level } : {});
      }),
    );
  const now = ['--now', '2026-12-01T00:00:00Z'];
  t.same(
    await kinds([OLD, fresh('2027-01-15T00:00:00Z'), ...now, '--deprecation-days', '90']),
    ['operation-deprecated:info', 'sunset-too-soon:breaking'],
    '45 days of notice, 90 asked',
  );
  t.same(await kinds([OLD, fresh('2027-06-01T00:00:00Z'), ...now, '--deprecation-days', '90']), ['operation-deprecated:info'], '182 days of notice');
  // beta on both sides: marked only in the new document, the operation would go down from
  // stable (no x-stability-level), which is breaking by itself.
  const betaOld = write(
    doc((d) => {
      d.paths['/items'].get['x-stability-level'] = 'beta';
    }),
  );
  t.same(
    await kinds([betaOld, fresh('2027-01-15T00:00:00Z', 'beta'), ...now, '--deprecation-days-beta', '30', '--deprecation-days-stable', '180']),
    ['operation-deprecated:info'],
    'beta: 30 days are enough',
  );
  t.same(
    await kinds([OLD, fresh('2027-03-15T00:00:00Z', 'stable'), ...now, '--deprecation-days-beta', '30', '--deprecation-days-stable', '180']),
    ['operation-deprecated:info', 'sunset-too-soon:breaking'],
    'stable: 180 days asked',
  );

  // A deprecation with no date: its removal is allowed with a warning when no minimum notice
  // is asked, and is breaking when one is, since no date can prove the notice.
  const undated = (level?: string) =>
    write(
      doc((d) => {
        delete d.paths['/items'].delete['x-sunset'];
        if (level) d.paths['/items'].delete['x-stability-level'] = level;
      }),
    );
  const gone = write(
    doc((d) => {
      delete d.paths['/items'].delete;
    }),
  );
  t.same(await kinds([undated(), gone, ...now]), ['operation-removed-without-sunset:warning'], 'no sunset, no minimum notice');
  t.same(await kinds([undated(), gone, ...now, '--deprecation-days', '30']), ['operation-removed-before-sunset:breaking'], 'no sunset, 30 days asked');
  t.same(
    await kinds([undated('beta'), gone, ...now, '--deprecation-days-stable', '180']),
    ['operation-removed-without-sunset:warning'],
    'a beta operation, with notice asked of stable ones only',
  );
  const failing = await run(['diff', undated(), gone, ...now, '--fail-on', 'warning']);
  t.equal(failing.code, 1, '--fail-on warning fails on it');
  t.equal((await run(['diff', OLD, NEW, '--deprecation-days', 'many'])).code, 2);
  t.equal((await run(['diff', OLD, NEW, '--now', 'tuesday'])).code, 2);
});

t.test("with --dir, the old version's sunset in versions/*.yaml counts", async (t) => {
  const plain = doc((d) => {
    delete d.paths['/items'].delete.deprecated;
    delete d.paths['/items'].delete['x-sunset'];
  });
  const without = doc((d) => {
    delete d.paths['/items'].delete;
  });
  const files = orderFiles({ v1: 'http://127.0.0.1:1', v2: 'http://127.0.0.1:2' });
  files['versions/v1.yaml'] = { id: 'v1', deprecated: '2026-01-01T00:00:00Z', sunset: '2026-12-31T00:00:00Z', successor: 'v2', openapi: 'openapi/v1.yaml' };
  files['versions/v2.yaml'] = { id: 'v2', openapi: 'openapi/v2.yaml' };
  files['openapi/v1.yaml'] = plain;
  files['openapi/v2.yaml'] = without;
  const dir = configDir(files);
  t.teardown(() => dir.remove());
  const at = async (now: string) =>
    JSON.parse((await run(['diff', '--dir', dir.dir, '--from', 'v1', '--to', 'v2', '--format', 'json', '--now', now])).stdout).changes.map(
      (c: any) => `${c.kind}:${c.class}`,
    );
  t.same(await at('2026-12-01T00:00:00Z'), ['operation-removed-before-sunset:breaking'], "before the version's sunset");
  t.same(await at('2027-01-15T00:00:00Z'), ['operation-removed-after-sunset:info'], 'after it');
  // Without --dir, the same documents know no sunset.
  const lone = await run(['diff', write(plain), write(without), '--format', 'json', '--now', '2027-01-15T00:00:00Z']);
  t.same(
    JSON.parse(lone.stdout).changes.map((c: any) => c.kind),
    ['operation-removed'],
  );
});

t.test("with --dir, a parameter or property may go once the old version's sunset has passed", async (t) => {
  // Neither is deprecated itself: the version's sunset is the notice they had.
  const slimmer = doc((d) => {
    d.paths['/items'].get.parameters.splice(0, 1);
    delete d.components.schemas.Item.properties.size;
  });
  const files = orderFiles({ v1: 'http://127.0.0.1:1', v2: 'http://127.0.0.1:2' });
  files['versions/v1.yaml'] = { id: 'v1', deprecated: '2026-01-01T00:00:00Z', sunset: '2026-12-31T00:00:00Z', successor: 'v2', openapi: 'openapi/v1.yaml' };
  files['versions/v2.yaml'] = { id: 'v2', openapi: 'openapi/v2.yaml' };
  files['openapi/v1.yaml'] = doc();
  files['openapi/v2.yaml'] = slimmer;
  const dir = configDir(files);
  t.teardown(() => dir.remove());
  const at = async (now: string) =>
    JSON.parse((await run(['diff', '--dir', dir.dir, '--from', 'v1', '--to', 'v2', '--format', 'json', '--now', now])).stdout)
      .changes.filter((c: any) => /^(parameter|property|response-.*property|request-.*property)/.test(c.kind))
      .map((c: any) => `${c.kind}:${c.class}`)
      .sort();
  const before = await at('2026-12-01T00:00:00Z');
  t.ok(before.length >= 2, `before the version's sunset, the removals are reported (${before.join(', ')})`);
  t.notOk(
    before.some((k: string) => k.endsWith('-after-sunset:info')),
    'at their usual levels, not as after the sunset',
  );
  const after = await at('2027-01-15T00:00:00Z');
  t.ok(after.includes('parameter-removed-after-sunset:info'), "after it, the parameter's removal is info");
  t.ok(after.includes('property-removed-after-sunset:info'), "and the property's");
  t.notOk(
    after.some((k: string) => !k.endsWith(':info')),
    `nothing of it is a warning or breaking (${after.join(', ')})`,
  );
});
