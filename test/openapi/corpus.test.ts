// The diff on a labelled corpus of document pairs, read from files as the CLI reads them
// (the lenient reader): breaking recall at least 95%, false alarms at most 3%, and at most 1%
// of the pairs unreadable.
import t from 'tap';
// This file starts many CLI processes; on a loaded CI machine they take their time.
t.setTimeout(600_000);
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { diffDocuments } from '../../src/openapi/diff.js';
import { readForDiff } from '../../src/openapi/lenient-load.js';
import { CORPUS } from './corpus.js';
import { NOW } from './rule-fixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'sundial-corpus-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

t.test('recall, false alarms and unreadable documents on the labelled corpus', async (t) => {
  let breaking = 0,
    caught = 0,
    safe = 0,
    alarms = 0,
    unreadable = 0;
  const missed: string[] = [];
  const falseAlarms: string[] = [];
  for (const [i, pair] of CORPUS.entries()) {
    const files = [join(tmp, `${i}-old.yaml`), join(tmp, `${i}-new.${i % 2 ? 'json' : 'yaml'}`)];
    writeFileSync(files[0], stringify(pair.old));
    writeFileSync(files[1], i % 2 ? JSON.stringify(pair.new, null, 2) : stringify(pair.new));
    const [a, b] = [await readForDiff(files[0], false), await readForDiff(files[1], false)];
    if (!a.ok || !b.ok) {
      unreadable++;
      t.comment(`unreadable: ${pair.name}: ${JSON.stringify(!a.ok ? a.problems : !b.ok ? b.problems : '')}`);
      continue;
    }
    const said = diffDocuments(a.document, b.document, { now: NOW }).some((c) => c.class === 'breaking');
    if (pair.breaking) {
      breaking++;
      if (said) caught++;
      else missed.push(pair.name);
    } else {
      safe++;
      if (said) {
        alarms++;
        falseAlarms.push(pair.name);
      }
    }
  }
  t.comment(
    `${CORPUS.length} pairs: ${breaking} breaking, ${safe} not; recall ${((caught / breaking) * 100).toFixed(1)}%, false alarms ${((alarms / safe) * 100).toFixed(1)}%, unreadable ${unreadable}`,
  );
  t.ok(CORPUS.length >= 300, `a corpus of ${CORPUS.length} pairs`);
  t.ok(breaking > 100 && safe > 100, 'both labels well represented');
  t.ok(caught / breaking >= 0.95, `breaking recall ≥ 95%; missed: ${missed.join('; ')}`);
  t.ok(alarms / safe <= 0.03, `false alarms ≤ 3%; ${falseAlarms.join('; ')}`);
  t.ok(unreadable / CORPUS.length <= 0.01, 'unreadable ≤ 1%');
});
