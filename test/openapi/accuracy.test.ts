// The accuracy command (bench/openapi-accuracy.ts) on a tiny labelled corpus of our own: one
// pair caught, one left alone, one false alarm on a label sundial disputes, one miss and one
// unreadable revision; the figures are counted from those, with and without the dispute.
import t from 'tap';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { report, run, score, undisputed } from '../../bench/openapi-accuracy.js';

const DIR = fileURLToPath(new URL('../../../test/openapi/accuracy/', import.meta.url));
const RUN = fileURLToPath(new URL('../../bench/run.js', import.meta.url));

t.test('the figures of a labelled corpus', async (t) => {
  const outcomes = await run(DIR);
  const names = (os: { pair: { name: string } }[]) => os.map((o) => o.pair.name);
  const all = score(outcomes);
  t.match(all, { pairs: 5, breaking: 2, notBreaking: 2, caught: 1, recall: 0.5, falseAlarmRate: 0.5, unreadableRate: 0.2 });
  t.same(names(all.misses), ['description-changed']);
  t.same(names(all.falseAlarms), ['id-write-only']);
  t.same(names(all.unreadable), ['not-openapi']);
  t.match(outcomes.find((o) => o.pair.name === 'query-shorter')?.verdict, { kind: 'read', breaking: true, kinds: ['request-max-length-tightened'] });

  const kept = score(undisputed(outcomes));
  t.match(kept, { pairs: 4, breaking: 2, notBreaking: 1, caught: 1, recall: 0.5, falseAlarmRate: 0, unreadableRate: 0.25 });
  t.same(names(kept.misses), ['description-changed'], 'a miss on a label sundial does not dispute stays');

  const text = report('all pairs', all);
  t.match(text, /breaking recall 50\.00% \(1\/2/);
  t.match(text, /false alarms {4}50\.00% \(1\/2/);
  t.match(text, /unreadable {6}20\.00% \(1\/5/);
  t.match(text, /id-write-only \[response-required-property-became-write-only\]: sundial: response-property-became-write-only/);
  t.match(text, /not-openapi \[api-path-removed-without-deprecation\]: sundial: not-openapi\.yaml: /);
});

t.test('npm run bench -- --openapi DIR prints the figures and fails when a target is missed', async (t) => {
  const out = await promisify(execFile)(process.execPath, [RUN, '--openapi', DIR]).then(
    () => ({ code: 0, stdout: '' }),
    (e: { code: number; stdout: string }) => e,
  );
  t.equal(out.code, 1);
  t.match(out.stdout, /all pairs: 5 pairs \(2 breaking, 2 not, 1 unreadable\)/);
  t.match(out.stdout, /without the misses and false alarms on disputed labels: 4 pairs/);
});
