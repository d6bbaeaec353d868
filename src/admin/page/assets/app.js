// The admin page: a login form, then six panels refreshed every few seconds from the admin
// API. The token lives in sessionStorage (this tab only, gone when it closes) and travels
// only in the Authorization header of fetch calls to this origin.
import { describe, fill, h, note } from './dom.js';
import { renderVersions } from './versions.js';
import { renderTraffic } from './traffic.js';
import { renderConsumers } from './consumers.js';
import { renderCanaries } from './canaries.js';
import { renderShadow } from './shadow.js';
import { renderConfig } from './config.js';

const TOKEN_KEY = 'sundial-admin-token';
const REFRESH_MS = 5000;
const $ = (id) => document.getElementById(id);

class Unauthorized extends Error {}

let token = sessionStorage.getItem(TOKEN_KEY);
let timer;

/** One admin call; the answer's status and parsed body. A 401 ends the session. */
export async function api(path, { method = 'GET', body } = {}) {
  const headers = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
    credentials: 'omit',
    redirect: 'error',
  });
  const text = await res.text();
  let data;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = text;
  }
  if (res.status === 401) throw new Unauthorized('The admin API refused the token.');
  return { ok: res.ok, status: res.status, data };
}

const panels = [
  ['versions', renderVersions],
  ['traffic', renderTraffic],
  ['consumers', renderConsumers],
  ['canaries', renderCanaries],
  ['shadow', renderShadow],
  ['config', renderConfig],
];
const lastShown = new Map();

async function refreshPanel(name, render) {
  const container = document.querySelector(`[data-panel="${name}"]`);
  try {
    const view = await render(api);
    // Unchanged data is not drawn again, so focus and typed values stay where they are.
    const key = JSON.stringify(view.data);
    if (lastShown.get(name) === key) return;
    lastShown.set(name, key);
    const focused = document.activeElement?.dataset?.focus;
    fill(container, view.nodes);
    if (focused) container.querySelector(`[data-focus="${CSS.escape(focused)}"]`)?.focus();
  } catch (err) {
    if (err instanceof Unauthorized) throw err;
    lastShown.delete(name);
    fill(container, note(`Cannot load: ${err.message}`, 'problem'));
  }
}

export async function refreshAll() {
  try {
    await Promise.all(panels.map(([name, render]) => refreshPanel(name, render)));
    $('status').textContent = `Updated ${new Date().toLocaleTimeString()}`;
  } catch (err) {
    if (err instanceof Unauthorized) return logout(err.message);
    $('status').textContent = `Update failed: ${err.message}`;
  }
}

function showPanels() {
  $('login').hidden = true;
  $('panels').hidden = false;
  $('nav').hidden = false;
  $('logout').hidden = !token;
  clearInterval(timer);
  timer = setInterval(refreshAll, REFRESH_MS);
  return refreshAll();
}

function logout(message = '') {
  clearInterval(timer);
  token = null;
  sessionStorage.removeItem(TOKEN_KEY);
  lastShown.clear();
  for (const c of document.querySelectorAll('[data-panel]')) {
    c.replaceChildren();
    delete c.dataset.state;
  }
  $('panels').hidden = true;
  $('nav').hidden = true;
  $('logout').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
  $('token').focus();
}

async function login(event) {
  event.preventDefault();
  const input = $('token');
  token = input.value.trim();
  input.value = '';
  if (!token) return;
  try {
    const probe = await api('admin/config');
    if (!probe.ok) throw new Error(describe(probe));
  } catch (err) {
    token = null;
    $('login-error').textContent = err instanceof Unauthorized ? 'That is not the admin token.' : `Cannot reach the admin API: ${err.message}`;
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  $('login-error').textContent = '';
  await showPanels();
  $('main').focus();
}

async function reload() {
  const button = $('reload');
  button.disabled = true;
  const out = $('reload-answer');
  out.textContent = 'Reloading…';
  try {
    const answer = await api('admin/reload', { method: 'POST' });
    const problems = answer.data?.problems ?? [];
    out.replaceChildren(
      answer.ok ? `Reload: ${answer.data.result}` : `Reload refused: ${describe(answer)}`,
      ...(problems.length
        ? [
            h(
              'ul',
              null,
              problems.map((p) => h('li', null, p)),
            ),
          ]
        : []),
    );
    out.className = answer.ok ? 'answer ok' : 'answer problem';
    lastShown.delete('config');
    await refreshAll();
  } catch (err) {
    if (err instanceof Unauthorized) return logout(err.message);
    out.textContent = `Reload failed: ${err.message}`;
  } finally {
    button.disabled = false;
  }
}

async function start() {
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', () => logout('Logged out.'));
  $('reload').addEventListener('click', reload);
  document.addEventListener('sundial:changed', () => void refreshAll());
  // A gateway without a token (loopback only) needs no login; otherwise ask for it.
  try {
    const probe = await api('admin/config');
    if (probe.ok) return await showPanels();
  } catch (err) {
    if (!(err instanceof Unauthorized)) $('login-error').textContent = `Cannot reach the admin API: ${err.message}`;
  }
  logout($('login-error').textContent || (token ? 'The stored token was refused.' : ''));
}

void start();
