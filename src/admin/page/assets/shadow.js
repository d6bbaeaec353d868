// Shadow: per route and version, how the candidate compared with the primary, which fields
// differ for real and which are noise, and sample mismatches with the answers side by side.
import { dl, h, n, note, num, pct, table, when } from './dom.js';

const counts = (r) =>
  Object.entries(r)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || '0';

function sample(x, i, open) {
  return h(
    'details',
    { class: 'sample', open },
    h('summary', null, `${when(x.at)} `, h('code', null, x.request), x.more ? ` (+${x.more} more fields)` : ''),
    table(
      ['Field', 'Primary', 'Candidate', 'Secondary'],
      x.differences.map((d) => [
        h('td', null, h('code', null, d.field)),
        h('td', { class: 'value' }, d.primary ?? '(absent)'),
        h('td', { class: 'value' }, d.candidate ?? '(absent)'),
        h('td', { class: 'value' }, d.secondary ?? '-'),
      ]),
      { class: 'pair', 'aria-label': `Sample mismatch ${i + 1}` },
    ),
  );
}

export async function renderShadow(api) {
  const answer = await api('admin/shadow');
  if (!answer.ok) throw new Error(`admin/shadow answered ${answer.status}`);
  const shadows = answer.data.shadows;
  if (!shadows.length) return { data: shadows, nodes: [note('No route version has a shadow configured.')] };
  const nodes = shadows.map((r) => {
    const fields = Object.entries(r.fields);
    const samples = r.samples.slice(-5).reverse();
    return h(
      'article',
      { class: 'shadow', 'data-shadow': `${r.route}/${r.version}` },
      h('h3', null, `${r.route} ${r.version}`),
      dl([
        ['Candidate', r.candidate],
        ['Secondary', r.secondary ?? 'none (no noise cancelling)'],
        ['Since', when(r.since)],
        [
          'Compared',
          `${n(r.compared)}: matched ${n(r.matched)} (${pct(r.compared ? r.matched / r.compared : null)}), mismatched ${n(r.mismatched)} (${pct(r.compared ? r.mismatched / r.compared : null)})`,
        ],
        ['Errors', r.errors ? `${n(r.errors)} (${counts(r.errorKinds)})` : '0'],
        ['Skipped', counts(r.skipped)],
      ]),
      fields.length
        ? table(
            ['Field', 'Differences', 'Noise', 'Verdict'],
            fields.map(([path, f]) => [
              h('td', null, h('code', null, path)),
              num(n(f.differences)),
              num(n(f.noise)),
              h('td', null, h('span', { class: f.real ? 'badge real' : 'badge noise' }, f.real ? 'real' : 'noise')),
            ]),
            { class: 'fields' },
          )
        : note('No field differed.'),
      r.fieldsDropped ? note(`${n(r.fieldsDropped)} differences in fields beyond the report's field limit.`) : null,
      samples.length
        ? [h('h4', null, `Latest mismatches (${samples.length} of ${r.samples.length} kept)`), samples.map((x, i) => sample(x, i, i === 0))]
        : null,
    );
  });
  return { data: shadows, nodes };
}
