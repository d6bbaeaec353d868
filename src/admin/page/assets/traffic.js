// Traffic: per route, version and arm, the last minute's request rate, error rate and p99,
// with small charts of the last minutes, from the gateway's own request histogram.
import { h, ms, n, num, pct, s, table } from './dom.js';

function spark(points, pick, label, format) {
  const values = points.map(pick).map((v) => (v === null || v === undefined ? 0 : v));
  const W = 180,
    H = 36;
  const max = Math.max(...values, 0);
  const path = values.map((v, i) => `${values.length === 1 ? W / 2 : (i / (values.length - 1)) * W},${H - 2 - (max > 0 ? (v / max) * (H - 4) : 0)}`).join(' ');
  return s(
    'svg',
    { viewBox: `0 0 ${W} ${H}`, class: 'spark', role: 'img', 'aria-label': `${label}: ${values.length} points, highest ${format(max)}` },
    s('line', { x1: 0, x2: W, y1: H - 2, y2: H - 2, class: 'base' }),
    values.length ? s('polyline', { points: path }) : null,
  );
}

export async function renderTraffic(api) {
  const answer = await api('admin/traffic');
  if (!answer.ok) throw new Error(`admin/traffic answered ${answer.status}`);
  const t = answer.data;
  const nodes = [
    h(
      'p',
      { class: 'hint' },
      `Figures over the last minute; charts over the last ${Math.round(t.windowSeconds / 60)} minutes, one point per ${t.intervalSeconds} s.`,
    ),
  ];
  if (!t.series.length) nodes.push(h('p', null, 'No requests yet.'));
  else {
    nodes.push(
      table(
        ['Route', 'Version', 'Arm', 'Requests (1 min)', 'Rate', 'Errors (5xx)', 'p99', 'Rate, last minutes', 'p99, last minutes'],
        t.series.map((x) => [
          x.route,
          x.version,
          x.arm,
          num(n(x.lastMinute.requests)),
          num(`${x.lastMinute.rate.toFixed(2)}/s`),
          num(pct(x.lastMinute.errorRate)),
          num(ms(x.lastMinute.p99)),
          h(
            'td',
            null,
            spark(
              x.points,
              (p) => p.rate,
              `request rate of ${x.route} ${x.version} ${x.arm}`,
              (v) => `${v.toFixed(2)}/s`,
            ),
          ),
          h(
            'td',
            null,
            spark(x.points, (p) => p.p99, `p99 of ${x.route} ${x.version} ${x.arm}`, ms),
          ),
        ]),
        { class: 'traffic' },
      ),
    );
  }
  return { data: t, nodes };
}
