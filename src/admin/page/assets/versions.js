// Versions: a timeline of every version's deprecation, brownout windows and sunset with now
// marked, and a table with each version's state, successor and deprecated operations.
import { h, s, table, when } from './dom.js';

const DAY = 86_400_000;
const WIDTH = 960;
const LABEL = 90;
const ROW = 30;

function timeline(doc) {
  const now = Date.parse(doc.now);
  const times = [now];
  for (const v of doc.versions) {
    for (const t of [v.deprecated, v.sunset]) if (t) times.push(Date.parse(t));
    for (const b of v.brownouts) times.push(Date.parse(b.start), Date.parse(b.end));
  }
  let from = Math.min(...times);
  let to = Math.max(...times);
  const margin = Math.max((to - from) * 0.08, 15 * DAY);
  from -= margin;
  to += margin;
  const x = (t) => LABEL + ((t - from) / (to - from)) * (WIDTH - LABEL - 10);
  const height = 30 + doc.versions.length * ROW;
  const ticks = [];
  for (let i = 0; i <= 5; i++) {
    const t = from + ((to - from) * i) / 5;
    ticks.push(
      s(
        'g',
        { class: 'tick' },
        s('line', { x1: x(t), x2: x(t), y1: 18, y2: height }),
        s('text', { x: x(t), y: 12, 'text-anchor': i === 0 ? 'start' : i === 5 ? 'end' : 'middle' }, new Date(t).toISOString().slice(0, 10)),
      ),
    );
  }
  const rows = doc.versions.map((v, i) => {
    const y = 24 + i * ROW;
    const dep = v.deprecated ? Date.parse(v.deprecated) : undefined;
    const sun = v.sunset ? Date.parse(v.sunset) : undefined;
    const activeEnd = dep ?? sun ?? to;
    const parts = [
      s('text', { x: 4, y: y + 15, class: 'label' }, v.id),
      s('rect', { x: LABEL, y, width: Math.max(0, x(activeEnd) - LABEL), height: 20, class: 'seg-active' }, s('title', null, `${v.id}: active`)),
    ];
    if (dep !== undefined) {
      parts.push(
        s(
          'rect',
          { x: x(dep), y, width: Math.max(2, x(sun ?? to) - x(dep)), height: 20, class: 'seg-deprecated' },
          s('title', null, `${v.id}: deprecated from ${when(v.deprecated)}`),
        ),
      );
    }
    if (sun !== undefined) {
      parts.push(
        s(
          'rect',
          { x: x(sun), y, width: Math.max(2, x(to) - x(sun)), height: 20, class: 'seg-sunset' },
          s('title', null, `${v.id}: sunset at ${when(v.sunset)}`),
        ),
      );
    }
    for (const b of v.brownouts) {
      const bx = x(Date.parse(b.start));
      parts.push(
        s(
          'rect',
          { x: bx, y: y - 2, width: Math.max(3, x(Date.parse(b.end)) - bx), height: 24, class: 'seg-brownout' },
          s('title', null, `${v.id}: brownout ${when(b.start)} to ${when(b.end)} (answers ${b.status})`),
        ),
      );
    }
    return s('g', { class: `version state-${v.state}` }, parts);
  });
  const nx = x(now);
  return s(
    'svg',
    {
      viewBox: `0 0 ${WIDTH} ${height + 4}`,
      class: 'timeline',
      role: 'img',
      'aria-label': `Timeline of ${doc.versions.length} versions; the table below has the same dates`,
    },
    ticks,
    rows,
    s('line', { x1: nx, x2: nx, y1: 14, y2: height + 2, class: 'now' }),
    s('text', { x: nx + 4, y: height + 2, class: 'now-label' }, `now ${when(doc.now)}`),
  );
}

function legend() {
  return h(
    'ul',
    { class: 'legend', 'aria-label': 'Legend' },
    ['active', 'deprecated', 'sunset', 'brownout'].map((k) => h('li', null, h('span', { class: `swatch seg-${k}`, 'aria-hidden': 'true' }), k)),
  );
}

function operations(v) {
  if (!v.deprecatedOperations.length) return '-';
  return h(
    'ul',
    { class: 'plain' },
    v.deprecatedOperations.map((o) =>
      h('li', null, h('code', null, o.operation), ` ${o.state}`, o.sunset ? `, sunset ${when(o.sunset)}` : '', o.successor ? `, use ${o.successor}` : ''),
    ),
  );
}

export async function renderVersions(api) {
  const answer = await api('admin/versions');
  if (!answer.ok) throw new Error(`admin/versions answered ${answer.status}`);
  const doc = answer.data;
  // `now` moves every call; the drawing only changes with the minute.
  const data = { ...doc, now: doc.now.slice(0, 16) };
  const rows = doc.versions.map((v) => [
    h('td', null, h('strong', null, v.id), v.id === doc.defaultVersion ? ' (default)' : ''),
    h('td', null, h('span', { class: `badge state-${v.state}` }, v.state)),
    when(v.deprecated),
    v.brownouts.length
      ? h(
          'td',
          null,
          h(
            'ul',
            { class: 'plain' },
            v.brownouts.map((b) => h('li', null, `${when(b.start)} to ${when(b.end)}`, b.active ? ' (now)' : '')),
          ),
        )
      : '-',
    when(v.sunset),
    v.successor ?? '-',
    h('td', null, operations(v)),
  ]);
  return {
    data,
    nodes: [
      timeline(doc),
      legend(),
      table(['Version', 'State', 'Deprecated', 'Brownouts', 'Sunset', 'Successor', 'Deprecated operations'], rows, { class: 'versions' }),
    ],
  };
}
