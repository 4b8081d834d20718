// Metric charts: the panel used by the run and compare pages, and the page
// #/chart?runs=a,b&keys=k1,k2&x=step|time|relative&log=1&smooth=0.6

import {get, seg} from '../lib/api.js';
import {h, statusBadge} from '../lib/dom.js';
import {list} from '../lib/format.js';
import {metricChart} from '../lib/chart.js';
import {poll} from '../lib/live.js';

const DEFAULT_KEYS = 6;

/** Series labels: run names, with a short id where two runs share a name. */
export function seriesOf(runs) {
  const seen = new Map();
  runs.forEach((r) => seen.set(r.name, (seen.get(r.name) || 0) + 1));
  return runs.map((r) => ({id: r.id, start: r.start_time, name: seen.get(r.name) > 1 ? r.name + ' (' + r.id.slice(0, 6) + ')' : r.name}));
}

/**
 * Charts of the chosen keys for these runs, with the controls; state (keys, x, log, smooth) read
 * from and kept in the URL. Returns {el, refresh()} (refresh: new points of running runs).
 */
export function chartPanel(ctx, runs, keys) {
  const p = ctx.params;
  // keys=- : the user unticked every key (absent would mean the default ones).
  // By default the training's own metrics first: system/* (CPU, memory) sort first by name, and filled every default chart.
  const preferred = keys.filter((k) => !k.startsWith('system/')).concat(keys.filter((k) => k.startsWith('system/')));
  const chosen = p.has('keys') ? list(p.get('keys')).filter((k) => k !== '-') : preferred.slice(0, DEFAULT_KEYS);
  const opts = {x: ['step', 'time', 'relative'].includes(p.get('x')) ? p.get('x') : 'step',
    log: p.get('log') === '1', smooth: Math.min(0.99, Math.max(0, Number(p.get('smooth')) || 0))};
  const series = seriesOf(runs);
  let charts = [];
  const grid = h('div', {class: 'charts'});
  const smoothValue = h('output', null, opts.smooth.toFixed(2));

  function draw() {
    charts.forEach((c) => c.destroy());
    // A chart's series are the runs that logged its key (all of them while none has yet).
    charts = chosen.map((k) => {
      const having = series.filter((r, i) => k in runs[i].metrics);
      return metricChart(k, having.length ? having : series, opts);
    });
    grid.replaceChildren(...charts.map((c) => c.el));
    if (charts.length === 0) grid.append(h('p', {class: 'muted'}, keys.length ? 'Pick a metric above.' : 'No metrics logged.'));
    charts.forEach((c) => c.load());
  }

  const keyChips = h('div', {class: 'chips'}, keys.map((k) => h('label', {class: 'chip'},
    h('input', {type: 'checkbox', checked: chosen.includes(k), dataset: {key: k}, onchange: (e) => {
      const i = chosen.indexOf(k);
      if (e.target.checked && i < 0) chosen.push(k);
      if (!e.target.checked && i >= 0) chosen.splice(i, 1);
      ctx.keep({keys: chosen.length ? chosen : '-'});
      draw();
    }}), k)));
  const controls = h('div', {class: 'chart-controls'},
    h('label', null, 'x ', h('select', {name: 'x', onchange: (e) => {
      opts.x = e.target.value;
      ctx.keep({x: opts.x === 'step' ? null : opts.x});
      charts.forEach((c) => c.setOptions({x: opts.x}));
    }}, ['step', 'time', 'relative'].map((x) => h('option', {value: x, selected: x === opts.x}, x)))),
    h('label', null, h('input', {type: 'checkbox', name: 'log', checked: opts.log, onchange: (e) => {
      opts.log = e.target.checked;
      ctx.keep({log: opts.log ? '1' : null});
      charts.forEach((c) => c.setOptions({log: opts.log}));
    }}), ' log y'),
    h('label', null, 'smoothing ', h('input', {type: 'range', name: 'smooth', min: 0, max: 0.99, step: 0.01, value: opts.smooth,
      oninput: (e) => {
        opts.smooth = Number(e.target.value);
        smoothValue.textContent = opts.smooth.toFixed(2);
        charts.forEach((c) => c.setOptions({smooth: opts.smooth}));
      },
      onchange: () => ctx.keep({smooth: opts.smooth || null})}), ' ', smoothValue),
    h('span', {class: 'muted hint'}, 'drag to zoom, double-click to reset'));
  const el = h('div', {class: 'chart-panel'}, keyChips, controls, grid);
  draw();
  return {el, refresh: () => Promise.all(charts.map((c) => c.refresh()))};
}

/** Every metric key of these runs, sorted. */
export function metricKeys(runs) {
  return [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort();
}

/** Polls while any of these runs is RUNNING: statuses via onRuns, charts via panel.refresh(). */
export function followRunning(ctx, runs, panel, onRuns) {
  if (!runs.some((r) => r.status === 'RUNNING')) return;
  poll(ctx, async () => {
    const fresh = await Promise.all(runs.map((r) => get('runs/' + seg(r.id))));
    if (!ctx.alive()) return false;
    if (onRuns) onRuns(fresh);
    if (panel) await panel.refresh();
    return fresh.some((r) => r.status === 'RUNNING');
  });
}

export async function render(view, ctx) {
  const ids = list(ctx.params.get('runs'));
  const runs = await Promise.all(ids.map((id) => get('runs/' + seg(id))));
  if (!ctx.alive()) return;
  const statuses = h('div', {class: 'legend-runs'});
  const showRuns = (rs) => statuses.replaceChildren(...rs.map((r) => h('span', {class: 'run-chip'},
    h('a', {href: '#/runs/' + r.id}, r.name), ' ', statusBadge(r.status))));
  showRuns(runs);
  const panel = chartPanel(ctx, runs, metricKeys(runs));
  view.append(h('div', {class: 'bar'}, h('h1', null, 'Charts'), statuses), panel.el);
  followRunning(ctx, runs, panel, showRuns);
}
