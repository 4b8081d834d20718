// The uPlot wrapper: one chart per metric key, one series per run, data downsampled by the server
// to about one point per pixel. Dragging zooms and fetches the finer range; double-click resets.

import uPlot from '../vendor/uplot/uPlot.esm.js';
import {get, seg} from './api.js';
import {h, s} from './dom.js';

export const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#db2777', '#65a30d',
  '#4f46e5', '#b45309', '#0f766e', '#be123c'];

/** Exponential moving average with TensorBoard's debiasing, so the first points are not pulled to 0. */
export function ema(values, weight) {
  if (!weight) return values;
  let last = 0;
  let n = 0;
  return values.map((v) => {
    if (v == null || !Number.isFinite(v)) return v;
    last = last * weight + (1 - weight) * v;
    n++;
    return last / (1 - Math.pow(weight, n));
  });
}

/** The sum of the finite values of these series: a fingerprint of what is drawn, for tests. */
function total(series) {
  return series.reduce((sum, ys) => ys.reduce((acc, v) => (Number.isFinite(v) ? acc + v : acc), sum), 0);
}

/**
 * The runs' points on one x axis, a row for each point: uPlot.join keeps one row per distinct x, so
 * a second point at the same x (a spike logged at a step already used, points logged in the same
 * millisecond) was dropped when two runs were overlaid. Other runs' cells of a row are undefined
 * (not there), so their lines go on past it; a null stays a gap of its own run.
 */
export function joinKeepingEveryPoint(tables) {
  const rows = [];
  tables.forEach(([xs, ys], t) => xs.forEach((x, i) => rows.push([x, t, ys[i]])));
  rows.sort((a, b) => a[0] - b[0] || a[1] - b[1]); // stable: a run's points at one x keep their order
  return [rows.map((r) => r[0]), ...tables.map((_, t) => rows.map((r) => (r[1] === t ? r[2] : undefined)))];
}

function metricPath(runId, key) {
  return 'runs/' + seg(runId) + '/metrics/' + key.split('/').map(seg).join('/');
}

/** A series' points: the API's columns, fetched for [min, max] of x ('step' or 'time'). */
export function fetchSeries(runId, key, x, min, max, points) {
  return get(metricPath(runId, key), {x, min, max, points});
}

/**
 * A chart of `key` for `runs` ([{id, name, start}]); options {x: step|time|relative, log, smooth}.
 * Returns {el, load(), refresh(), setOptions(opts), destroy()}. The element's data- attributes say
 * what is drawn (series labels, points, whether downsampled, how many fetches, x mode, whether the
 * y scale is log, the sums of the raw and of the drawn values), for tests and scripts.
 */
export function metricChart(key, runs, options) {
  const opts = {x: 'step', log: false, smooth: 0, ...options};
  const el = h('div', {class: 'chart', dataset: {key, series: JSON.stringify(runs.map((r) => r.name)), fetches: 0}});
  const title = h('div', {class: 'chart-title'}, key);
  const plot = h('div', {class: 'chart-plot'});
  el.append(title, plot);
  let u = null;
  let raw = []; // per run: {xs: chart units, ys}
  let range = null; // the zoomed x range, in chart units; null: everything
  let fetches = 0;
  let seq = 0;

  const apiX = () => (opts.x === 'step' ? 'step' : 'time');
  const toChart = (run, p, i) => (opts.x === 'step' ? p.step[i]
    : opts.x === 'time' ? p.timestamp[i] / 1000 : (p.timestamp[i] - run.start) / 1000);
  const toApi = (run, v) => (opts.x === 'step' ? Math.round(v)
    : Math.round(opts.x === 'time' ? v * 1000 : v * 1000 + run.start));
  const width = () => Math.max(200, Math.round(plot.clientWidth || el.clientWidth || 600));

  async function fetchAll() {
    const mine = ++seq;
    const points = width();
    const replies = await Promise.all(runs.map((run) => {
      const min = range ? Math.floor(toApi(run, range[0])) : null;
      const max = range ? Math.ceil(toApi(run, range[1])) : null;
      return fetchSeries(run.id, key, apiX(), min, max, points)
        .catch(() => ({step: [], timestamp: [], value: [], downsampled: false}));
    }));
    if (mine !== seq) return false; // a newer fetch (zoom, reset) overtook this one
    fetches++;
    raw = replies.map((p, r) => {
      // NaN and ±Infinity (which the API writes as strings) are left out of the line: uPlot scales its
      // y axis to the values it is given, and one infinite value left no axis and no line, for every run drawn.
      const pairs = p.value.map((v, i) => [toChart(runs[r], p, i), Number.isFinite(v) ? v : null]);
      if (opts.x !== 'step') pairs.sort((a, b) => a[0] - b[0]);
      return {xs: pairs.map((q) => q[0]), ys: pairs.map((q) => q[1]), downsampled: p.downsampled};
    });
    return true;
  }

  function data() {
    const tables = raw.map((r) => {
      const ys = ema(r.ys, opts.smooth).map((v) => (opts.log && !(v > 0) ? null : v));
      return [r.xs, ys];
    });
    if (tables.length === 1) return tables[0];
    return joinKeepingEveryPoint(tables);
  }

  function describe(d) {
    const xs = d[0];
    el.dataset.fetches = fetches;
    el.dataset.points = raw.reduce((n, r) => n + r.xs.length, 0);
    el.dataset.downsampled = raw.some((r) => r.downsampled);
    el.dataset.xmin = xs.length ? xs[0] : '';
    el.dataset.xmax = xs.length ? xs[xs.length - 1] : '';
    el.dataset.zoomed = range != null;
    // What the axes and the drawn series are, read off uPlot, beside the raw values: smoothing and
    // the log scale change only the drawing.
    el.dataset.x = opts.x;
    el.dataset.xtime = Boolean(u && u.scales.x.time);
    el.dataset.ylog = Boolean(u && u.scales.y.distr === 3);
    el.dataset.yraw = total(raw.map((r) => r.ys));
    el.dataset.ydrawn = total(u ? u.data.slice(1) : []);
  }

  function create() {
    if (u) u.destroy();
    const d = data();
    u = new uPlot({
      width: width(),
      height: opts.height || 220,
      scales: {x: {time: opts.x === 'time'}, y: {distr: opts.log ? 3 : 1}},
      series: [{label: opts.x === 'step' ? 'step' : opts.x === 'time' ? 'time' : 'seconds'},
        ...runs.map((run, i) => ({label: run.name, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true,
          points: {show: sparse}}))],
      axes: [{}, {size: 60}],
      legend: {live: true},
      cursor: {drag: {x: true, y: false, setScale: true}, bind: {dblclick: () => null}},
      hooks: {
        // The y axis's top as uPlot set it, for tests: none when a value it was given was not finite.
        setScale: [(self, scale) => {
          if (scale === 'y') el.dataset.ymax = Number.isFinite(self.scales.y.max) ? self.scales.y.max : '';
        }],
        setSelect: [(self) => {
          const sel = self.select;
          if (sel.width < 3) return;
          range = [self.posToVal(sel.left, 'x'), self.posToVal(sel.left + sel.width, 'x')];
          zoom();
        }],
      },
    }, d, plot);
    u.over.addEventListener('dblclick', reset);
    describe(d);
  }

  async function zoom() {
    const zoomedTo = range;
    if (!(await fetchAll()) || !u) return;
    const d = data();
    u.setData(d, false);
    u.setScale('x', {min: zoomedTo[0], max: zoomedTo[1]});
    describe(d);
  }

  async function reset() {
    range = null;
    if (!(await fetchAll()) || !u) return;
    const d = data();
    u.setData(d, true);
    describe(d);
  }

  return {
    el,
    async load() {
      await fetchAll();
      create();
    },
    /** Fetches again (new points of a running run), keeping the zoom. */
    async refresh() {
      if (!u) return;
      const keep = range;
      if (!(await fetchAll()) || !u) return;
      const d = data();
      u.setData(d, keep == null);
      if (keep) u.setScale('x', {min: keep[0], max: keep[1]});
      describe(d);
    },
    /** Smoothing and log scale redraw from the points at hand; another x fetches again. */
    async setOptions(next) {
      const refetch = next.x != null && next.x !== opts.x;
      Object.assign(opts, next);
      if (refetch) {
        range = null;
        await fetchAll();
      }
      create();
    },
    destroy() {
      seq++;
      if (u) u.destroy();
      u = null;
    },
  };
}

/**
 * Whether a series is drawn with its points (else as a line only): when it has fewer points than
 * the plot has room for, 8 px apart, so a one-point series is seen. uPlot's own rule measures the
 * x span of all runs' rows, and runs whose only points share one x (a final score, logged once at
 * the last step) have none: their points went undrawn.
 */
function sparse(u, si) {
  const ys = u.data[si];
  const room = u.bbox.width / (8 * (window.devicePixelRatio || 1));
  let n = 0;
  for (let i = 0; i < ys.length && n <= room; i++) if (ys[i] != null) n++;
  return n <= room;
}

/** A small line of a series' shape, for tables: SVG built node by node. */
export function sparkline(values, w = 90, hgt = 18) {
  const finite = values.filter((v) => Number.isFinite(v));
  const svg = s('svg', {class: 'spark', width: w, height: hgt, viewBox: `0 0 ${w} ${hgt}`, 'aria-hidden': 'true'});
  if (finite.length < 2) return svg;
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const pts = [];
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    const x = (i / (values.length - 1)) * (w - 2) + 1;
    const y = hi === lo ? hgt / 2 : hgt - 1 - ((v - lo) / (hi - lo)) * (hgt - 2);
    pts.push(x.toFixed(1) + ',' + y.toFixed(1));
  });
  svg.append(s('polyline', {points: pts.join(' '), fill: 'none', stroke: 'currentColor', 'stroke-width': 1.2}));
  return svg;
}
