// Config: what is serving (fingerprint, when it was loaded, routes) and the last reload's
// outcome with its problems; the reload button is in index.html, handled by app.js.
import { dl, h, note, table, when } from './dom.js';

export async function renderConfig(api) {
  const [config, last] = await Promise.all([api('admin/config'), api('admin/reload')]);
  if (!config.ok) throw new Error(`admin/config answered ${config.status}`);
  const c = config.data;
  const r = last.ok ? last.data : { result: null };
  const nodes = [
    dl([
      ['Directory', c.dir],
      ['Fingerprint', h('code', { class: 'fingerprint' }, c.fingerprint)],
      ['Loaded at', when(c.loadedAt)],
      ['Versions', c.versions.join(', ')],
    ]),
    table(
      ['Route', 'Prefix', 'Upstreams'],
      c.routes.map((route) => [
        route.name,
        h('td', null, h('code', null, route.prefix)),
        h(
          'td',
          null,
          h(
            'ul',
            { class: 'plain' },
            Object.entries(route.versions).map(([v, u]) => h('li', null, `${v}: ${u}`)),
          ),
        ),
      ]),
      { class: 'routes' },
    ),
    h('h3', null, 'Last reload'),
    r.result === null
      ? note('No reload since the gateway started.')
      : [
          dl([
            ['At', when(r.at)],
            ['Why', r.reason],
            ['Result', h('span', { class: `badge reload-${r.result}` }, r.result)],
            ['Fingerprint', r.fingerprint],
          ]),
          r.problems?.length
            ? [
                h('h4', null, 'Problems'),
                h(
                  'ul',
                  { class: 'problems' },
                  r.problems.map((p) => h('li', null, p)),
                ),
              ]
            : null,
          r.warnings?.length
            ? [
                h('h4', null, 'Warnings'),
                h(
                  'ul',
                  null,
                  r.warnings.map((p) => h('li', null, p)),
                ),
              ]
            : null,
        ],
  ];
  return { data: { c, r }, nodes };
}
