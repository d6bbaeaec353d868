// Canaries: where each rollout stands and its last decisions with their figures, and the
// operator's buttons, which call the admin API (with the token) and show its answer.
import { describe, dl, h, ms, n, note, pct, table, when } from './dom.js';

const ACTIONS = ['pause', 'resume', 'promote', 'abort'];

async function act(call, c, action, percent) {
  const out = document.getElementById('canary-answer');
  out.className = 'answer';
  out.textContent = `${action} ${c.canary}…`;
  try {
    const path = `admin/canaries/${encodeURIComponent(c.route)}/${encodeURIComponent(c.version)}/${action}`;
    const answer = await call(path, { method: 'POST', body: action === 'set' ? { percent } : undefined });
    out.className = answer.ok ? 'answer ok' : 'answer problem';
    out.textContent = answer.ok
      ? `${action} ${c.canary}: ${answer.status}, now ${answer.data.status} at ${answer.data.percent}%`
      : `${action} ${c.canary} refused: ${describe(answer)}`;
  } catch (err) {
    out.className = 'answer problem';
    out.textContent = `${action} ${c.canary} failed: ${err.message}`;
  }
  document.dispatchEvent(new Event('sundial:changed'));
}

function arm(f) {
  return f ? `${n(f.requests)} req, ${n(f.errors)} 5xx (${pct(f.requests ? f.errors / f.requests : null)}), p99 ${ms(f.p99)}` : '-';
}

function controls(call, c) {
  const id = `percent-${c.canary}`;
  const input = h('input', { type: 'number', id, min: 0, max: 100, step: 1, value: c.percent, 'data-focus': `${c.canary}:percent` });
  return h(
    'div',
    { class: 'controls', role: 'group', 'aria-label': `Actions on ${c.canary}` },
    ACTIONS.map((a) =>
      h('button', { type: 'button', 'data-action': a, 'data-focus': `${c.canary}:${a}`, onclick: () => act(call, c, a) }, a[0].toUpperCase() + a.slice(1)),
    ),
    h('label', { for: id }, 'Percent'),
    input,
    h(
      'button',
      { type: 'button', 'data-action': 'set', 'data-focus': `${c.canary}:set`, onclick: () => act(call, c, 'set', Number(input.value)) },
      'Set percent',
    ),
  );
}

export async function renderCanaries(api) {
  const answer = await api('admin/canaries');
  if (!answer.ok) throw new Error(`admin/canaries answered ${answer.status}`);
  const list = answer.data.canaries;
  if (!list.length) return { data: list, nodes: [note('No route has a canary.')] };
  const nodes = list.map((c) =>
    h(
      'article',
      { class: 'canary', 'data-canary': c.canary },
      h(
        'h3',
        null,
        c.canary,
        ' ',
        h('span', { class: `badge status-${c.status}`, 'data-status': c.status }, c.status),
        ' ',
        h('span', { class: 'percent' }, `${c.percent}%`),
      ),
      dl([
        ['Flag', `${c.flag} (${c.flagSource})`],
        ['Canary upstream', c.upstream],
        ['Steps', c.steps ? c.steps.map((x) => `${x}%`).join(' → ') : 'none (manual)'],
        ['Interval', c.interval ? `${c.interval / 1000} s` : '-'],
        ['Failed checks in a row', String(c.failedChecks)],
      ]),
      controls(api, c),
      h('h4', null, 'Last decisions'),
      c.history.length
        ? table(
            ['At', 'Action', 'Status', 'Percent', 'Verdict', 'Canary', 'Stable'],
            c.history
              .slice(-8)
              .reverse()
              .map((e) => [
                when(e.at),
                e.action,
                e.status,
                `${e.percent}%`,
                e.verdict ? `${e.verdict.result}: ${e.verdict.reasons.join('; ')}` : (e.reason ?? '-'),
                arm(e.figures?.canary),
                arm(e.figures?.stable),
              ]),
            { class: 'history' },
          )
        : note('No decisions yet.'),
    ),
  );
  return { data: list, nodes };
}
