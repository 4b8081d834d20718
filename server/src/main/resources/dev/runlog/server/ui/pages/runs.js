// #/experiments/{id}?filter=&order=&cols=&size=&page=&sel=&open= : an experiment's runs table.

import {get} from '../lib/api.js';
import {add, h, statusBadge} from '../lib/dom.js';
import {duration, list, num, parentId, source, time, user} from '../lib/format.js';
import {poll} from '../lib/live.js';

const SIZES = [25, 100, 250, 1000];
/** The fixed columns: label, how to show a run, the order_by key (null: not sortable). */
const FIXED = [
  ['Name', null, 'attributes.run_name'],
  ['Status', (r) => statusBadge(r.status), 'attributes.status'],
  ['Start', (r) => time(r.start_time), 'attributes.start_time'],
  ['Duration', (r) => duration(r.start_time, r.end_time), null],
  ['User', (r) => user(r), 'attributes.user_id'],
  ['Source', (r) => h('span', {title: source(r)}, source(r).split(/[/\\]/).pop()), null],
];

/** A column key ("params.lr", "metrics.val/loss") as the search grammar reads it. */
export function orderKey(column) {
  const dot = column.indexOf('.');
  const kind = column.slice(0, dot);
  const key = column.slice(dot + 1);
  return kind + '.' + (/^\w+$/.test(key) ? key : '`' + key + '`');
}

function cellOf(run, column) {
  const dot = column.indexOf('.');
  const kind = column.slice(0, dot);
  const key = column.slice(dot + 1);
  if (kind === 'params') return run.params[key] ?? '';
  const m = run.metrics[key];
  return m ? h('span', {title: 'step ' + m.step}, num(m.value)) : '';
}

export async function render(view, ctx, experimentId) {
  const p = ctx.params;
  const state = {
    filter: p.get('filter') || '',
    order: p.get('order') || '',
    cols: list(p.get('cols')),
    // Any page size from 1 to 1,000 in the URL; the picker offers the usual ones.
    size: Number.isInteger(Number(p.get('size'))) && p.get('size') > 0 ? Math.min(1000, Number(p.get('size'))) : 100,
    page: p.get('page') || '',
    sel: new Set(list(p.get('sel'))),
    open: new Set(list(p.get('open'))),
  };
  const title = h('h1', null, 'Experiment ', h('span', {class: 'id'}, experimentId));

  const input = h('input', {type: 'search', name: 'filter', value: state.filter, spellcheck: 'false',
    autocomplete: 'off', 'data-shortcut': '/', 'aria-label': 'Filter runs',
    placeholder: "metrics.accuracy > 0.9 and params.penalty = 'l2'   (press / to focus)"});
  const form = h('form', {class: 'filter', onsubmit: (e) => {
    e.preventDefault();
    ctx.go({filter: input.value.trim(), page: null});
  }}, input, h('button', {type: 'submit'}, 'Filter'));
  const problem = h('div', {class: 'filter-problem'});
  const tools = h('div', {class: 'tools'});
  const tableBox = h('div', {class: 'table-box'});
  const pager = h('div', {class: 'pager'});
  view.append(h('div', {class: 'bar'}, title), form, problem, tools, tableBox, pager);

  const query = () => ({experiment: experimentId, filter: state.filter, order_by: state.order,
    max_results: state.size, page_token: state.page});
  let page;
  try {
    page = await get('runs', query());
  } catch (e) {
    if (e.code !== 'invalid_filter') throw e;
    const column = e.body.column;
    problem.append(h('div', {class: 'error', role: 'alert', dataset: {column}},
      h('div', null, 'Filter error at column ' + column + ': ' + e.message),
      h('pre', {class: 'caret'}, state.filter + '\n' + ' '.repeat(Math.max(0, column - 1)) + '^')));
    input.focus();
    if (column > 0) input.setSelectionRange(column - 1, column);
    return;
  }
  if (!ctx.alive()) return;
  let runs = page.runs;

  const compareLink = h('a', {class: 'button', dataset: {action: 'compare'}}, 'Compare');
  const chartLink = h('a', {class: 'button', dataset: {action: 'chart'}}, 'Chart');
  const picker = h('details', {class: 'picker'}, h('summary', null, 'Columns'));
  tools.append(h('span', {class: 'count'}), compareLink, chartLink, picker);

  function updateSelection() {
    const ids = [...state.sel];
    ctx.keep({sel: ids});
    const enable = (a, ok, href) => {
      if (ok) a.setAttribute('href', href); else a.removeAttribute('href');
      a.classList.toggle('disabled', !ok);
    };
    enable(compareLink, ids.length >= 2, '#/compare?runs=' + ids.join(','));
    enable(chartLink, ids.length >= 1, '#/chart?runs=' + ids.join(','));
    tools.querySelector('.count').textContent = runs.length + ' runs on this page' + (ids.length ? ', ' + ids.length + ' selected' : '');
  }

  function drawPicker() {
    const params = new Set();
    const metrics = new Set();
    for (const r of runs) {
      Object.keys(r.params).forEach((k) => params.add('params.' + k));
      Object.keys(r.metrics).forEach((k) => metrics.add('metrics.' + k));
    }
    const options = [...[...metrics].sort(), ...[...params].sort()];
    state.cols.forEach((c) => options.includes(c) || options.push(c));
    picker.replaceChildren(h('summary', null, 'Columns (' + state.cols.length + ')'),
      h('div', {class: 'picker-list'}, options.length === 0 ? h('span', {class: 'muted'}, 'no params or metrics yet') : null,
        options.map((c) => h('label', null, h('input', {type: 'checkbox', checked: state.cols.includes(c), dataset: {column: c},
          onchange: (e) => {
            state.cols = e.target.checked ? [...state.cols, c] : state.cols.filter((x) => x !== c);
            ctx.keep({cols: state.cols});
            picker.querySelector('summary').textContent = 'Columns (' + state.cols.length + ')';
            drawTable();
          }}), c))));
  }

  function header(label, key) {
    if (!key) return h('th', null, label);
    const [current, dir] = state.order.split(/\s+(?=(?:ASC|DESC)$)/i);
    const on = current === key;
    const desc = on && /DESC/i.test(dir || '');
    return h('th', {class: ['sortable', on && 'sorted'], dataset: {sort: key}, 'aria-sort': on ? (desc ? 'descending' : 'ascending') : null,
      title: 'Sort by ' + key, onclick: () => ctx.go({order: key + (on && !desc ? ' DESC' : ' ASC'), page: null})},
    label, on ? (desc ? ' ▼' : ' ▲') : '');
  }

  function drawTable() {
    const byId = new Map(runs.map((r) => [r.id, r]));
    const children = new Map();
    const top = [];
    for (const r of runs) {
      const parent = parentId(r);
      if (parent && parent !== r.id && byId.has(parent)) {
        if (!children.has(parent)) children.set(parent, []);
        children.get(parent).push(r);
      } else {
        top.push(r);
      }
    }
    const all = h('input', {type: 'checkbox', 'aria-label': 'Select all', checked: runs.length > 0 && runs.every((r) => state.sel.has(r.id)),
      onchange: (e) => {
        runs.forEach((r) => (e.target.checked ? state.sel.add(r.id) : state.sel.delete(r.id)));
        drawTable();
      }});
    const head = h('tr', null, h('th', {class: 'pick'}, all), FIXED.map(([label, , key]) => header(label, key)),
      state.cols.map((c) => header(c, orderKey(c))));
    const rows = [];
    const row = (r, depth) => {
      const kids = children.get(r.id) || [];
      const open = state.open.has(r.id);
      const expander = kids.length
        ? h('button', {type: 'button', class: 'expander', 'aria-expanded': String(open), dataset: {expand: r.id},
          title: (open ? 'Fold ' : 'Show ') + kids.length + ' child runs', onclick: () => {
            open ? state.open.delete(r.id) : state.open.add(r.id);
            ctx.keep({open: [...state.open]});
            drawTable();
          }}, (open ? '▾ ' : '▸ ') + kids.length)
        : null;
      rows.push(h('tr', {class: [depth && 'child', state.sel.has(r.id) && 'selected'], dataset: {run: r.id, status: r.status}},
        h('td', {class: 'pick'}, h('input', {type: 'checkbox', checked: state.sel.has(r.id), 'aria-label': 'Select ' + r.name,
          onchange: (e) => {
            e.target.checked ? state.sel.add(r.id) : state.sel.delete(r.id);
            e.target.closest('tr').classList.toggle('selected', e.target.checked);
            updateSelection();
          }})),
        h('td', {class: 'name'}, depth ? h('span', {class: 'indent'}, '└ ') : null,
          h('a', {href: '#/runs/' + r.id}, r.name), expander ? ' ' : null, expander),
        FIXED.slice(1).map(([, show]) => h('td', null, show(r))),
        state.cols.map((c) => h('td', {class: c.startsWith('metrics.') ? 'num' : null}, cellOf(r, c)))));
      if (open) kids.forEach((k) => row(k, depth + 1));
    };
    top.forEach((r) => row(r, 0));
    tableBox.replaceChildren(runs.length === 0
      ? h('p', {class: 'muted empty'}, state.filter ? 'No run matches this filter.' : 'No runs.')
      : h('table', {class: 'grid runs'}, h('thead', null, head), h('tbody', null, rows)));
    updateSelection();
  }

  function drawPager() {
    pager.replaceChildren();
    add(pager,
      state.page ? h('button', {type: 'button', onclick: () => ctx.go({page: null})}, '« First page') : null,
      page.next_page_token ? h('button', {type: 'button', dataset: {action: 'next'},
        onclick: () => ctx.go({page: page.next_page_token})}, 'Next page ›') : null,
      h('label', null, 'Page size ', h('select', {onchange: (e) => ctx.go({size: e.target.value, page: null})},
        [...new Set([...SIZES, state.size])].sort((a, b) => a - b)
          .map((n) => h('option', {value: n, selected: n === state.size}, n)))));
  }

  drawPicker();
  drawTable();
  drawPager();
  // When the table first shows its rows, for the benchmarks (and anyone's devtools) to read.
  performance.mark('runlog:runs-table');
  // The experiment's name comes after the rows: listing experiments counts every run of each.
  get('experiments', {view: 'all'}).then(({experiments}) => {
    const e = experiments.find((x) => x.id === experimentId);
    if (e && ctx.alive()) title.replaceChildren('Experiment ', h('span', {class: 'exp-name'}, e.name));
  }).catch(() => {});

  if (runs.some((r) => r.status === 'RUNNING')) {
    poll(ctx, async () => {
      page = await get('runs', query());
      if (!ctx.alive()) return false;
      runs = page.runs;
      drawTable();
      return runs.some((r) => r.status === 'RUNNING');
    });
  }
}
