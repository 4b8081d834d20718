// A run's artifacts: directories navigable (the open one kept in the URL as art=), text, JSON and
// CSV previewed as text or a table, images shown; every file downloadable. SVG and HTML are only
// downloaded: the server sends them as attachments, never as pages of this origin.

import {artifactUrl, get, seg} from '../lib/api.js';
import {h} from '../lib/dom.js';
import {bytes} from '../lib/format.js';

const TEXT = ['txt', 'log', 'json', 'csv', 'md', 'yaml', 'yml'];
const PREVIEWED = ['txt', 'log', 'json', 'csv'];
const IMAGES = ['png', 'jpg', 'jpeg', 'gif'];
const PREVIEW_BYTES = 256 * 1024;
const CSV_ROWS = 200;

const ext = (path) => (path.includes('.') ? path.slice(path.lastIndexOf('.') + 1).toLowerCase() : '');

/** Splits CSV text into rows of fields (quotes and doubled quotes understood). */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
      if (rows.length > CSV_ROWS) break;
    } else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

async function preview(runId, entry) {
  const type = ext(entry.path);
  const url = artifactUrl(runId, entry.path);
  if (IMAGES.includes(type)) return h('img', {class: 'artifact-image', src: url, alt: entry.path});
  if (!PREVIEWED.includes(type)) {
    return h('p', {class: 'muted'}, TEXT.includes(type) ? '' : 'No preview for this type; download it.');
  }
  if (entry.size > PREVIEW_BYTES) return h('p', {class: 'muted'}, 'Too large to preview (' + bytes(entry.size) + ').');
  const response = await fetch(url, {credentials: 'same-origin'});
  const text = await response.text();
  if (type === 'csv') {
    const [head, ...rows] = parseCsv(text);
    return h('table', {class: 'grid csv'}, h('thead', null, h('tr', null, (head || []).map((c) => h('th', null, c)))),
      h('tbody', null, rows.slice(0, CSV_ROWS).map((r) => h('tr', null, r.map((c) => h('td', null, c))))));
  }
  if (type === 'json') {
    try {
      return h('pre', {class: 'file'}, JSON.stringify(JSON.parse(text), null, 2));
    } catch (e) {
      return h('pre', {class: 'file'}, text);
    }
  }
  return h('pre', {class: 'file'}, text);
}

/** The browser for `runId`'s artifacts; state in the URL parameter art (a directory or a file). */
export function artifactBrowser(ctx, runId) {
  const box = h('div', {class: 'artifacts'});
  const at = ctx.params.get('art') || '';
  (async () => {
    // A file's directory is listed beside its preview; a directory on its own.
    let dir = at;
    let file = null;
    let listing = await get('runs/' + seg(runId) + '/artifacts', {path: at}).catch(() => null);
    if (at && (!listing || listing.entries.length === 0)) {
      dir = at.includes('/') ? at.slice(0, at.lastIndexOf('/')) : '';
      listing = await get('runs/' + seg(runId) + '/artifacts', {path: dir});
      file = listing.entries.find((e) => e.path === at && !e.is_dir) || null;
    }
    if (!ctx.alive()) return;
    const crumbs = [h('a', {href: '', dataset: {art: ''}, onclick: nav('')}, 'artifacts')];
    let acc = '';
    for (const part of dir.split('/').filter(Boolean)) {
      acc = acc ? acc + '/' + part : part;
      const target = acc;
      crumbs.push(' / ', h('a', {href: '', onclick: nav(target)}, part));
    }
    box.append(h('div', {class: 'crumbs'}, crumbs));
    if (listing.entries.length === 0) {
      box.append(h('p', {class: 'muted'}, 'No artifacts.'));
      return;
    }
    box.append(h('table', {class: 'grid files'}, h('tbody', null, listing.entries.map((e) => {
      const name = e.path.slice(e.path.lastIndexOf('/') + 1);
      return h('tr', {class: e.path === at ? 'selected' : null, dataset: {artifact: e.path}},
        h('td', null, h('a', {href: '', onclick: nav(e.path)}, e.is_dir ? name + '/' : name)),
        h('td', {class: 'num'}, e.is_dir ? '' : bytes(e.size)),
        h('td', null, e.is_dir ? '' : h('a', {href: artifactUrl(runId, e.path), download: name}, 'download')));
    }))));
    if (file) box.append(h('div', {class: 'preview', dataset: {preview: file.path}}, await preview(runId, file)));
  })().catch((e) => box.append(h('div', {class: 'error'}, e.message)));

  function nav(path) {
    return (e) => {
      e.preventDefault();
      ctx.go({art: path || null});
    };
  }
  return box;
}
