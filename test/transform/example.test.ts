// The worked example of docs/transforms.md, end to end on free ports: shadow verdict,
// canary cut-over to 100%, v1's backend stopped, and every v1 answer as before.
import t from 'tap';
import { runTransformsExample } from '../../examples/transforms/run.js';

t.test('orders v1 served from the v2 backend: verified, cut over, v1 backend stopped', async (t) => {
  const run = await runTransformsExample({ ports: { v1: 0, v2: 0 }, quiet: true });
  t.match(run.verdict, { chain: 'v1→v2', faithful: true, compared: 50, misfits: 0, unfaithful: [] });
  t.same(run.steps, [10, 50, 100], 'the canary went through every step');
  t.equal(run.status, 'promoted');
  t.same(run.wrongAnswers, [], 'no v1 client ever got a different answer');
  t.match(run.afterStop, { ok: 10, total: 10, created: { status: 201, body: { id: 6, total_cents: 1250 } } });
});
