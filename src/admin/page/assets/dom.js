// Building the page's elements. Every value becomes a text node or an attribute value:
// nothing here parses HTML, so a consumer id or a path sent by a client shows as the text it is.
const SVG_NS = 'http://www.w3.org/2000/svg';

function build(el, attrs, children) {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** An HTML element: h('td', { class: 'num' }, 'text', otherElement). */
export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element, the same way. */
export function s(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

export function table(headers, rows, attrs = {}) {
  return h(
    'table',
    attrs,
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        headers.map((x) => h('th', { scope: 'col' }, x)),
      ),
    ),
    h(
      'tbody',
      null,
      rows.map((cells) =>
        h(
          'tr',
          null,
          cells.map((c) => (c instanceof Node && c.nodeName === 'TD' ? c : h('td', null, c))),
        ),
      ),
    ),
  );
}

export const num = (x) => h('td', { class: 'num' }, x);

export function dl(pairs) {
  return h(
    'dl',
    { class: 'facts' },
    pairs.filter(([, v]) => v !== undefined && v !== null && v !== '').map(([k, v]) => [h('dt', null, k), h('dd', null, v)]),
  );
}

export const n = (x) => (typeof x === 'number' ? x.toLocaleString('en-US') : '-');
export const pct = (x) => (x === null || x === undefined ? '-' : `${(x * 100).toFixed(x === 0 ? 0 : 2)}%`);
export const ms = (seconds) => (seconds === null || seconds === undefined ? '-' : `${(seconds * 1000).toFixed(seconds < 0.01 ? 2 : 0)} ms`);
export const when = (iso) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-');

/** Replaces a container's content. */
export function fill(container, ...children) {
  container.replaceChildren(...children.flat(Infinity).filter((c) => c !== undefined && c !== null && c !== false));
  container.dataset.state = 'loaded';
}

export function note(text, cls = 'hint') {
  return h('p', { class: cls }, text);
}

/** An admin answer that is not OK (problem+json) as one line of text. */
export function describe(answer) {
  const d = answer.data;
  if (d && typeof d === 'object' && 'title' in d) return `${answer.status} ${d.title}: ${d.detail ?? ''}`;
  return `${answer.status}`;
}
