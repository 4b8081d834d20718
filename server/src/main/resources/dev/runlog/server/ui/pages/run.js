// #/runs/{id}?keys=&x=&log=&smooth=&art= : one run, everything it logged.

import {get, getSession, seg} from '../lib/api.js';
import {add, badge, h, s, section, stageBadge, statusBadge, table} from '../lib/dom.js';
import {bytes, duration, num, parentId, source, time, user} from '../lib/format.js';
import {fetchSeries, sparkline} from '../lib/chart.js';
import {addTagForm, noteForm, removeTagButton} from '../lib/writes.js';
import {artifactBrowser} from './artifacts.js';
import {chartPanel, followRunning} from './charts.js';

const NOTE = 'mlflow.note.content';
const SPARKLINES = 50;
const SPARK_POINTS = 60;

const isSystem = (key) => key.startsWith('mlflow.') || key.startsWith('runlog.');
const sorted = (obj) => Object.entries(obj || {}).sort(([a], [b]) => a.localeCompare(b));

function info(run) {
  const parent = parentId(run);
  const rows = [
    ['Run id', h('span', {class: 'id'}, run.id)],
    ['Experiment', h('a', {href: '#/experiments/' + encodeURIComponent(run.experiment_id)}, run.experiment_id)],
    ['Status', statusBadge(run.status)],
    ['Start', time(run.start_time)],
    ['End', time(run.end_time)],
    ['Duration', duration(run.start_time, run.end_time)],
    ['User', user(run)],
    ['Source', source(run)],
    parent ? ['Parent run', h('a', {href: '#/runs/' + parent}, parent)] : null,
    run.lifecycle_stage !== 'ACTIVE' ? ['Lifecycle', badge(run.lifecycle_stage, 'deleted')] : null,
    ['Artifacts', h('span', {class: 'id'}, run.artifact_uri)],
  ].filter(Boolean);
  return h('dl', {class: 'info'}, rows.map(([k, v]) => [h('dt', null, k), h('dd', {dataset: {field: k}}, v)]));
}

function metricsTable(run) {
  const entries = sorted(run.metrics);
  if (entries.length === 0) return null;
  return table(['Metric', 'Latest', 'Step', 'Trend'], entries.map(([k, m], i) => {
    const spark = h('td', {class: 'spark-cell'});
    if (i < SPARKLINES) {
      fetchSeries(run.id, k, 'step', null, null, SPARK_POINTS)
        .then((p) => spark.append(sparkline(p.value))).catch(() => {});
    }
    return h('tr', {dataset: {metric: k}}, h('td', null, k), h('td', {class: 'num'}, num(m.value)), h('td', {class: 'num'}, m.step), spark);
  }), {class: 'grid kv metrics'});
}

/** Live values in place: the sparklines (one request each) are drawn again only when keys appear. */
function updateMetrics(box, run) {
  const rows = box.querySelectorAll('tr[data-metric]');
  if (rows.length !== Object.keys(run.metrics).length) {
    box.replaceChildren(metricsTable(run) || '');
    return;
  }
  for (const row of rows) {
    const m = run.metrics[row.dataset.metric];
    if (!m) return box.replaceChildren(metricsTable(run) || '');
    row.children[1].textContent = num(m.value);
    row.children[2].textContent = m.step;
  }
}

function histogram(hist) {
  const counts = hist && hist.counts ? hist.counts : [];
  const w = 120;
  const hgt = 24;
  const max = Math.max(1, ...counts);
  const bar = counts.length ? w / counts.length : w;
  return s('svg', {class: 'hist', width: w, height: hgt, viewBox: `0 0 ${w} ${hgt}`, role: 'img',
    'aria-label': 'histogram of ' + counts.length + ' bins'},
  counts.map((c, i) => s('rect', {x: (i * bar + 0.5).toFixed(1), width: Math.max(1, bar - 1).toFixed(1),
    y: (hgt - (c / max) * hgt).toFixed(1), height: ((c / max) * hgt).toFixed(1)},
  s('title', null, (hist.edges ? num(hist.edges[i]) + ' – ' + num(hist.edges[i + 1]) + ': ' : '') + c))));
}

function datasets(run) {
  return (run.inputs || []).map((d) => h('div', {class: 'dataset', dataset: {dataset: d.name}},
    h('h3', null, d.name, ' ', badge(d.context || 'input'), ' ', h('span', {class: 'muted'}, (d.row_count ?? '?') + ' rows')),
    h('div', {class: 'muted small'}, 'digest ', h('span', {class: 'id'}, d.digest), ' · source ', d.source),
    table(['Column', 'Type', 'Count', 'Missing', 'Min', 'Max', 'Mean', 'Std', 'Histogram'], (d.schema || []).map((c) => {
      const p = (d.columns || {})[c.name] || {};
      return [c.name, c.type, num(p.count), num(p.missing), num(p.min), num(p.max), num(p.mean), num(p.std),
        p.histogram ? histogram(p.histogram) : ''];
    }), {class: 'grid profile'})));
}

function signature(fields) {
  return table(['Name', 'Type', 'Shape'], (fields || []).map((f) => [f.name ?? '', f.type, f.shape ? JSON.stringify(f.shape) : '']),
    {class: 'grid kv'});
}

function models(run) {
  const boxes = (run.models || []).map((m) => {
    const versions = h('div', {class: 'versions', dataset: {versionsOf: m.uri}});
    return {m, versions, el: h('div', {class: 'model', dataset: {model: m.uri}},
      h('h3', null, m.artifact_path, ' ', badge(m.flavor)),
      h('dl', {class: 'info'},
        [['URI', h('span', {class: 'id'}, m.uri)], ['Created', time(m.creation_time)],
          ['Payload', bytes(m.payload_size) + ' · sha256 ' + (m.payload_sha256 || '').slice(0, 16) + '…'],
          ['Model id', m.model_uuid], ['Runlog', m.runlog_version]]
          .map(([k, v]) => [h('dt', null, k), h('dd', null, v)])),
      m.signature ? h('div', {class: 'signature'}, h('h4', null, 'Signature: inputs'), signature(m.signature.inputs),
        h('h4', null, 'outputs'), signature(m.signature.outputs)) : h('p', {class: 'muted'}, 'No signature.'),
      m.input_example != null ? [h('h4', null, 'Input example'), h('pre', {class: 'file'}, JSON.stringify(m.input_example, null, 2))] : null,
      Object.keys(m.metadata || {}).length ? [h('h4', null, 'Metadata'), h('pre', {class: 'file'}, JSON.stringify(m.metadata, null, 2))] : null,
      Object.keys(m.flavor_config || {}).length ? [h('h4', null, 'Flavor'), h('pre', {class: 'file'}, JSON.stringify(m.flavor_config, null, 2))] : null,
      h('h4', null, 'Registry versions'), versions)};
  });
  if (boxes.length) registryVersions(run, boxes);
  // A descriptor that does not read is shown as such; the rest of the run still is.
  const unreadable = (run.unreadable_models || []).map((u) => h('div', {class: 'model'},
    h('h3', null, u.artifact_path, ' ', badge('unreadable')), h('p', {class: 'muted'}, u.error)));
  return boxes.map((b) => b.el).concat(unreadable);
}

/** The registry versions registered from this run's models: every model's versions, matched by run and source. */
async function registryVersions(run, boxes) {
  try {
    const {models: all} = await get('models');
    const details = await Promise.all(all.map((m) => get('models/' + seg(m.name))));
    const found = details.flatMap((d) => d.versions.filter((v) => v.run_id === run.id).map((v) => ({name: d.name, v})));
    for (const box of boxes) {
      const mine = found.filter(({v}) => v.source === box.m.uri || v.source.endsWith('/' + box.m.artifact_path));
      box.versions.replaceChildren(mine.length === 0 ? h('span', {class: 'muted'}, 'Not registered.')
        : h('ul', {class: 'plain'}, mine.map(({name, v}) => h('li', null,
          h('a', {href: '#/models/' + encodeURIComponent(name)}, name + ' v' + v.version), ' ',
          stageBadge(v.stage), v.aliases.map((a) => [' ', badge('@' + a, 'alias')])))));
    }
  } catch (e) {
    boxes.forEach((b) => b.versions.replaceChildren(h('span', {class: 'muted'}, 'Registry unavailable: ' + e.message)));
  }
}

export async function render(view, ctx, runId) {
  const [run, session] = await Promise.all([get('runs/' + seg(runId)), getSession()]);
  if (!ctx.alive()) return;
  const writes = session.writes;
  const infoBox = h('div', null, info(run));
  const metricsBox = h('div', null, metricsTable(run));
  const note = run.tags[NOTE];
  const tags = sorted(run.tags).filter(([k]) => k !== NOTE);
  const panel = chartPanel(ctx, [run], Object.keys(run.metrics).sort());

  add(view, 
    h('div', {class: 'bar'}, h('h1', {class: 'run-name'}, run.name), statusBadge(run.status),
      h('a', {class: 'button', href: '#/chart?runs=' + run.id}, 'Open chart'),
      h('a', {class: 'button', href: '#/experiments/' + encodeURIComponent(run.experiment_id)}, 'Runs')),
    infoBox,
    section('Note', note ? h('pre', {class: 'note'}, note) : null, writes ? noteForm(run.id, note, ctx.reload) : null),
    h('div', {class: 'columns'},
      section('Parameters', Object.keys(run.params).length
        ? table(['Parameter', 'Value'], sorted(run.params).map(([k, v]) => h('tr', {dataset: {param: k}}, h('td', null, k), h('td', null, v))),
          {class: 'grid kv params'}) : h('p', {class: 'muted'}, 'None.')),
      section('Metrics', metricsBox.firstChild ? metricsBox : h('p', {class: 'muted'}, 'None.'))),
    section('Charts', panel.el),
    section('Tags', table(['Tag', 'Value', writes ? '' : null].filter((x) => x !== null), tags.map(([k, v]) =>
      h('tr', {class: isSystem(k) ? 'system' : null, dataset: {tag: k}}, h('td', null, k), h('td', null, v),
        writes ? h('td', null, removeTagButton(run.id, k, ctx.reload)) : null)), {class: 'grid kv tags'}),
    writes ? addTagForm(run.id, ctx.reload) : null),
    section('Datasets', datasets(run)),
    section('Artifacts', artifactBrowser(ctx, run.id)),
    section('Models', models(run)));

  followRunning(ctx, [run], panel, ([fresh]) => {
    infoBox.replaceChildren(info(fresh));
    updateMetrics(metricsBox, fresh);
    view.querySelector('.bar .status').replaceWith(statusBadge(fresh.status));
  });
}
