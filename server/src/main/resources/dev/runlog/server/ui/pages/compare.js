// #/compare?runs=a,b,c&diff=1&sweep=scatter|parallel&param=&metric= : runs side by side.

import {get, seg} from '../lib/api.js';
import {add, h, s, section, statusBadge} from '../lib/dom.js';
import {list, num} from '../lib/format.js';
import {COLORS} from '../lib/chart.js';
import {chartPanel, followRunning, metricKeys, seriesOf} from './charts.js';

const W = 640;
const H = 320;
const PAD = 48;

const differs = (values) => new Set(values.map((v) => (v === undefined ? '\u0000missing' : String(v)))).size > 1;

/** A value as a number on an axis: numbers as they are; anything else by its rank among the values. */
function axis(values) {
  const numeric = values.every((v) => v != null && v !== '' && Number.isFinite(Number(v)));
  if (numeric) {
    const xs = values.map(Number);
    return {pos: (v) => Number(v), lo: Math.min(...xs), hi: Math.max(...xs), label: num, numeric};
  }
  const cats = [...new Set(values.map(String))].sort();
  return {pos: (v) => cats.indexOf(String(v)), lo: 0, hi: Math.max(1, cats.length - 1), label: (i) => cats[Math.round(i)] ?? '', numeric};
}

const scale = (a, v, from, to) => (a.hi === a.lo ? (from + to) / 2 : from + ((a.pos(v) - a.lo) / (a.hi - a.lo)) * (to - from));

function scatter(runs, param, metric) {
  const pts = runs.filter((r) => r.params[param] !== undefined && r.metrics[metric]);
  if (pts.length === 0) return h('p', {class: 'muted'}, 'No run has both ' + param + ' and ' + metric + '.');
  const ax = axis(pts.map((r) => r.params[param]));
  const ay = axis(pts.map((r) => r.metrics[metric].value));
  return s('svg', {class: 'sweep scatter', width: W, height: H, viewBox: `0 0 ${W} ${H}`, dataset: {points: pts.length}},
    s('line', {x1: PAD, y1: H - PAD, x2: W - 10, y2: H - PAD, class: 'axis'}),
    s('line', {x1: PAD, y1: 10, x2: PAD, y2: H - PAD, class: 'axis'}),
    s('text', {x: W / 2, y: H - 8, 'text-anchor': 'middle'}, param),
    s('text', {x: 12, y: H / 2, transform: `rotate(-90 12 ${H / 2})`, 'text-anchor': 'middle'}, metric),
    s('text', {x: PAD, y: H - PAD + 16, 'text-anchor': 'start', class: 'tick'}, ax.label(ax.lo)),
    s('text', {x: W - 10, y: H - PAD + 16, 'text-anchor': 'end', class: 'tick'}, ax.label(ax.hi)),
    // Inside the plot, from the axis rightwards: before it, a label of ten digits ran off the left edge.
    s('text', {x: PAD + 4, y: H - PAD - 4, 'text-anchor': 'start', class: 'tick'}, ay.label(ay.lo)),
    s('text', {x: PAD + 4, y: 20, 'text-anchor': 'start', class: 'tick'}, ay.label(ay.hi)),
    pts.map((r) => s('circle', {cx: scale(ax, r.params[param], PAD + 8, W - 18).toFixed(1),
      cy: scale(ay, r.metrics[metric].value, H - PAD - 8, 18).toFixed(1), r: 5, dataset: {run: r.id}},
    s('title', null, r.name + ': ' + param + ' = ' + r.params[param] + ', ' + metric + ' = ' + num(r.metrics[metric].value)))));
}

function parallel(runs, params, metric) {
  const keys = [...params.map((p) => ['params', p]), ['metrics', metric]];
  const value = (r, [kind, k]) => (kind === 'params' ? r.params[k] : r.metrics[k] && r.metrics[k].value);
  const axes = keys.map((k) => axis(runs.map((r) => value(r, k)).filter((v) => v !== undefined)));
  const x = (i) => PAD + (keys.length === 1 ? 0 : (i * (W - 2 * PAD)) / (keys.length - 1));
  const m = axes[axes.length - 1];
  const color = (r) => {
    const v = value(r, keys[keys.length - 1]);
    if (v === undefined || m.hi === m.lo) return COLORS[0];
    const t = (v - m.lo) / (m.hi - m.lo);
    return `hsl(${Math.round(220 - 220 * t)} 70% 45%)`;
  };
  return s('svg', {class: 'sweep parallel', width: W, height: H, viewBox: `0 0 ${W} ${H}`, dataset: {axes: keys.length}},
    keys.map((k, i) => [
      s('line', {x1: x(i), y1: 24, x2: x(i), y2: H - 24, class: 'axis'}),
      s('text', {x: x(i), y: 14, 'text-anchor': 'middle'}, k[1]),
      s('text', {x: x(i) + 3, y: H - 10, class: 'tick'}, axes[i].label(axes[i].lo)),
      s('text', {x: x(i) + 3, y: 34, class: 'tick'}, axes[i].label(axes[i].hi))]),
    runs.map((r) => {
      const pts = keys.map((k, i) => (value(r, k) === undefined ? null : x(i).toFixed(1) + ',' + scale(axes[i], value(r, k), H - 24, 24).toFixed(1)));
      return s('polyline', {points: pts.filter(Boolean).join(' '), fill: 'none', stroke: color(r), 'stroke-width': 1.5, dataset: {run: r.id}},
        s('title', null, r.name));
    }));
}

export async function render(view, ctx) {
  const ids = list(ctx.params.get('runs'));
  const runs = await Promise.all(ids.map((id) => get('runs/' + seg(id))));
  if (!ctx.alive()) return;
  const names = seriesOf(runs).map((r) => r.name);
  const onlyDiff = ctx.params.get('diff') === '1';
  const head = h('tr', null, h('th', null, ''), runs.map((r, i) => h('th', null,
    h('a', {href: '#/runs/' + r.id}, names[i]), ' ', statusBadge(r.status))));

  const rowsOf = (keys, valueOf, kind) => keys.map((k) => {
    const values = runs.map((r) => valueOf(r, k));
    const diff = differs(values);
    if (onlyDiff && !diff) return null;
    return h('tr', {class: diff ? 'diff' : null, dataset: {[kind]: k}}, h('th', null, k),
      values.map((v) => h('td', {class: v === undefined ? 'missing' : null}, v === undefined ? '—' : kind === 'metric' ? num(v) : v)));
  });
  const paramKeys = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
  const mKeys = metricKeys(runs);
  const paramRows = rowsOf(paramKeys, (r, k) => r.params[k], 'param');
  const metricRows = rowsOf(mKeys, (r, k) => (r.metrics[k] ? r.metrics[k].value : undefined), 'metric');

  const swept = paramKeys.filter((k) => differs(runs.map((r) => r.params[k])));
  const param = ctx.params.get('param') || swept[0] || paramKeys[0];
  const metric = ctx.params.get('metric') || mKeys[0];
  const sweepKind = ctx.params.get('sweep') === 'parallel' ? 'parallel' : 'scatter';
  const sweepBox = h('div', {class: 'sweep-box'});
  const drawSweep = () => sweepBox.replaceChildren(!metric || !param ? h('p', {class: 'muted'}, 'Needs params and metrics.')
    : sweepKind === 'scatter' ? scatter(runs, param, metric) : parallel(runs, swept.length ? swept : paramKeys, metric));
  drawSweep();
  const select = (name, options, current) => h('select', {name, onchange: (e) => ctx.go({[name]: e.target.value})},
    options.map((o) => h('option', {value: o, selected: o === current}, o)));

  const panel = chartPanel(ctx, runs, mKeys);
  add(view, 
    h('div', {class: 'bar'}, h('h1', null, 'Compare ' + runs.length + ' runs'),
      h('label', null, h('input', {type: 'checkbox', checked: onlyDiff, onchange: (e) => ctx.go({diff: e.target.checked ? '1' : null})}),
        ' only differences')),
    h('div', {class: 'table-box'}, h('table', {class: 'grid compare'}, h('thead', null, head),
      h('tbody', null, h('tr', {class: 'group'}, h('th', {colspan: runs.length + 1}, 'Parameters')), paramRows,
        h('tr', {class: 'group'}, h('th', {colspan: runs.length + 1}, 'Latest metrics')), metricRows))),
    section('Charts', panel.el),
    section('Sweep', h('div', {class: 'chart-controls'},
      h('div', {class: 'seg'}, ['scatter', 'parallel'].map((k) => h('button', {type: 'button', class: k === sweepKind ? 'on' : null,
        onclick: () => ctx.go({sweep: k === 'scatter' ? null : k})}, k === 'scatter' ? 'Scatter' : 'Parallel coordinates'))),
      sweepKind === 'scatter' ? h('label', null, 'param ', select('param', paramKeys, param)) : null,
      h('label', null, 'metric ', select('metric', mKeys, metric))), sweepBox));
  followRunning(ctx, runs, panel, null);
}
