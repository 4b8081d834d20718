// The hash router: every page's state is in the URL after '#', so any view can be shared or reloaded.

import {h, errorBox} from './lib/dom.js';
// Pages load on first use: the runs table never waits for the chart library it does not draw.
const page = (load, name) => async (...args) => (await load())[name](...args);
const ROUTES = [
  [/^\/?$/, page(() => import('./pages/experiments.js'), 'render'), 'experiments'],
  [/^\/experiments\/([^/]+)$/, page(() => import('./pages/runs.js'), 'render'), 'experiments'],
  [/^\/runs\/([^/]+)$/, page(() => import('./pages/run.js'), 'render'), 'experiments'],
  [/^\/chart$/, page(() => import('./pages/charts.js'), 'render'), 'experiments'],
  [/^\/compare$/, page(() => import('./pages/compare.js'), 'render'), 'experiments'],
  [/^\/models$/, page(() => import('./pages/models.js'), 'renderList'), 'models'],
  [/^\/models\/(.+)$/, page(() => import('./pages/models.js'), 'renderModel'), 'models'],
];

let generation = 0;
let leaving = [];

function parse() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const q = hash.indexOf('?');
  return {path: q < 0 ? hash : hash.slice(0, q), params: new URLSearchParams(q < 0 ? '' : hash.slice(q + 1))};
}

function hashOf(path, params) {
  const clean = new URLSearchParams();
  for (const [k, v] of params) if (v != null && v !== '') clean.append(k, v);
  const text = clean.toString();
  return '#' + path + (text ? '?' + text : '');
}

async function route() {
  leaving.forEach((stop) => stop());
  leaving = [];
  const mine = ++generation;
  const {path, params} = parse();
  const main = document.getElementById('main');
  const view = h('div', {class: 'view', dataset: {path}});
  main.replaceChildren(view);
  const ctx = {
    path,
    params,
    alive: () => mine === generation,
    onLeave: (stop) => leaving.push(stop),
    /** Renders the page again from the server (after a write). */
    reload: () => route(),
    /** Goes to another state of this page (a new history entry): the page renders again. */
    go(changes) {
      location.hash = hashOf(path, merge(params, changes));
    },
    /** Records state that the page already shows (selection, smoothing) without rendering again. */
    keep(changes) {
      const next = merge(params, changes);
      for (const k of [...params.keys()]) params.delete(k);
      for (const [k, v] of next) params.append(k, v);
      history.replaceState(null, '', hashOf(path, params));
    },
  };
  for (const a of document.querySelectorAll('[data-nav]')) a.classList.remove('active');
  for (const [pattern, render, nav] of ROUTES) {
    const m = pattern.exec(path);
    if (!m) continue;
    const navLink = document.querySelector(`[data-nav="${nav}"]`);
    if (navLink) navLink.classList.add('active');
    try {
      await render(view, ctx, ...m.slice(1).map(decodeURIComponent));
    } catch (e) {
      if (ctx.alive()) view.append(errorBox(e));
    }
    return;
  }
  view.append(h('h1', null, 'Not found'), h('p', null, 'No page at ', h('code', null, path), '. ',
    h('a', {href: '#/'}, 'Experiments')));
}

function merge(params, changes) {
  const next = new URLSearchParams(params);
  for (const [k, v] of Object.entries(changes)) {
    if (v == null || v === '' || (Array.isArray(v) && v.length === 0)) next.delete(k);
    else next.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  return next;
}

// '/' focuses the page's filter or search box, Escape leaves it: no mouse needed.
document.addEventListener('keydown', (e) => {
  const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement
    || e.target instanceof HTMLSelectElement;
  if (e.key === '/' && !typing) {
    const box = document.querySelector('[data-shortcut="/"]');
    if (box) {
      e.preventDefault();
      box.focus();
    }
  } else if (e.key === 'Escape' && typing) {
    e.target.blur();
  }
});

window.addEventListener('hashchange', route);
route();
