// Consumers: who still calls each deprecated version and each deprecated operation, heaviest
// first, with counts (each at most "±" too high) and when each was last seen.
import { h, n, note, num, table, when } from './dom.js';

function tally(t) {
  if (!t.requests) return note('No requests seen.');
  return [
    table(
      ['#', 'Consumer', 'Requests', '±', 'Last seen'],
      t.consumers.map((c, i) => [num(i + 1), h('td', { class: 'id' }, c.id), num(n(c.requests)), num(n(c.maxOvercount)), when(c.lastSeen)]),
      { class: 'consumers' },
    ),
    t.unidentified ? note(`and ${n(t.unidentified)} request(s) that named no consumer`) : null,
  ];
}

export async function renderConsumers(api) {
  const summary = await api('admin/consumers');
  if (summary.status === 409) return { data: summary.data, nodes: [note(summary.data.detail)] };
  if (!summary.ok) throw new Error(`admin/consumers answered ${summary.status}`);
  const watched = summary.data.versions.filter((v) => v.tracked || v.operations.length);
  const untracked = summary.data.versions.filter((v) => !v.tracked && !v.operations.length).map((v) => v.version);
  const reports = await Promise.all(
    watched.map(async (v) => {
      const r = await api(`admin/consumers?version=${encodeURIComponent(v.version)}&top=10`);
      if (!r.ok) throw new Error(`admin/consumers?version=${v.version} answered ${r.status}`);
      return r.data;
    }),
  );
  const nodes = [];
  for (const r of reports) {
    const dates = [r.deprecated && `deprecated ${when(r.deprecated)}`, r.sunset && `sunset ${when(r.sunset)}`, r.successor && `successor ${r.successor}`]
      .filter(Boolean)
      .join(', ');
    nodes.push(h('h3', null, `${r.version}: ${r.state}`, dates ? ` (${dates})` : ''));
    nodes.push(note(`${n(r.requests)} request(s) since ${when(r.since)}, consumers identified by ${r.identifiedBy}; top 10 of ${r.k} kept.`));
    if (r.tracked) nodes.push(tally(r));
    for (const op of r.operations) {
      nodes.push(
        h(
          'h4',
          null,
          h('code', null, op.operation),
          op.operationId ? ` (${op.operationId})` : '',
          `: deprecated${op.sunset ? `, sunset ${when(op.sunset)}` : ''}`,
        ),
      );
      nodes.push(tally(op));
    }
  }
  if (!reports.length) nodes.push(note('No version is deprecated or has deprecated operations.'));
  if (untracked.length) nodes.push(note(`Not tracked (no deprecation, sunset or deprecated operation): ${untracked.join(', ')}`));
  return { data: reports.map((r) => ({ ...r, since: undefined })), nodes };
}
