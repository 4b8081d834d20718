// Builds DOM nodes from data without ever parsing it as HTML: text goes in as text nodes and
// attributes through setAttribute, so a run named "<script>" is shown, never run.

const SVG_NS = 'http://www.w3.org/2000/svg';
const READ_ATTRIBUTES = new Set(['title', 'aria-label', 'alt', 'placeholder']);

function build(el, attrs, children) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (name.startsWith('on')) {
      // Handlers are code, never data: a string here would be an injected attribute.
      if (typeof value !== 'function') throw new Error('handler ' + name + ' must be a function');
      el.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    } else if (name === 'dataset') {
      for (const [k, v] of Object.entries(value)) el.dataset[k] = String(v);
    } else if (name === 'value' || name === 'checked' || name === 'selected' || name === 'disabled') {
      el[name] = value;
    } else {
      // Attributes a person reads (tooltips, screen readers) show bidi controls as text does.
      el.setAttribute(name, value === true ? '' : READ_ATTRIBUTES.has(name) ? visible(String(value)) : String(value));
    }
  }
  add(el, children);
  return el;
}

// Written as \uXXXX, as the CLI writes them: bidirectional controls (overrides, embeddings,
// isolates, marks), which would let a stored name show its characters in another order
// ("report<U+202E>fdp.exe" reads as an .exe's name turned round); invisible characters (U+200B,
// U+2060 to U+2064, U+FEFF, the soft hyphen, U+034F, U+180E), which make two names look alike;
// and control characters but tab and line ends. Letters of right-to-left scripts, ZWJ and ZWNJ
// (which scripts and emoji sequences need) are kept.
const UNSEEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u034F\u061C\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

function visible(text) {
  return text.replace(UNSEEN, (c) => '\\u' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0'));
}

/** Appends children: nodes as they are, anything else as a text node; null, false and undefined skipped. */
export function add(el, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(visible(String(child))));
  }
  return el;
}

/** An HTML element: h('a', {href: '#/'}, 'text', otherNode). */
export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element, for charts drawn without a library. */
export function s(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

/** A table from a header row and rows of cells (each a node, text or [text, attrs]). */
export function table(headers, rows, attrs) {
  return h('table', attrs || {class: 'grid'},
    h('thead', null, h('tr', null, headers.map((c) => (c instanceof Node ? c : h('th', null, c))))),
    h('tbody', null, rows.map((cells) => (cells instanceof Node ? cells : h('tr', null, cells.map(cell))))));
}

function cell(c) {
  if (c instanceof Node && c.nodeName === 'TD') return c;
  return h('td', null, c);
}

/** A section with a heading, or nothing when its body is empty. */
export function section(title, ...body) {
  const content = body.flat(Infinity).filter((b) => b != null && b !== false);
  if (content.length === 0) return null;
  return h('section', {class: 'block'}, h('h2', null, title), content);
}

export function badge(text, kind) {
  return h('span', {class: ['badge', kind && 'badge-' + kind]}, text);
}

/** A version's stage; PRODUCTION (the API's enum name) shown as the registry writes it elsewhere: Production. */
export function stageBadge(stage) {
  const name = String(stage);
  return badge(name.charAt(0) + name.slice(1).toLowerCase(), 'stage-' + name.toLowerCase());
}

export function statusBadge(status) {
  return h('span', {class: ['status', 'status-' + String(status).toLowerCase()], dataset: {status}}, status);
}

/** An error box: the API's message, and its code when there is one. */
export function errorBox(error) {
  return h('div', {class: 'error', role: 'alert'}, error && error.message ? error.message : String(error));
}
