// #/models and #/models/{name}: the registry, its versions and its audit trail.

import {get, getSession, seg} from '../lib/api.js';
import {add, badge, h, section, stageBadge, table} from '../lib/dom.js';
import {ago, time} from '../lib/format.js';
import {aliasForm, deleteAliasButton, stageForm} from '../lib/writes.js';

const aliasBadge = (alias) => badge('@' + alias, 'alias');

export async function renderList(view, ctx) {
  const {models} = await get('models');
  if (!ctx.alive()) return;
  models.sort((a, b) => b.last_update_time - a.last_update_time);
  add(view, h('div', {class: 'bar'}, h('h1', null, 'Registered models')),
    models.length === 0 ? h('p', {class: 'muted'}, 'No registered models yet.')
      : table(['Name', 'Aliases', 'Updated', 'Created', 'Description'], models.map((m) => h('tr', {dataset: {model: m.name}},
        h('td', null, h('a', {href: '#/models/' + encodeURIComponent(m.name)}, m.name)),
        h('td', null, Object.entries(m.aliases || {}).map(([a, v]) => [aliasBadge(a + ' → v' + v), ' '])),
        h('td', {title: time(m.last_update_time)}, ago(m.last_update_time)),
        h('td', null, time(m.creation_time)),
        h('td', null, m.description || ''))), {class: 'grid models'}));
}

function gates(list) {
  if (!Array.isArray(list) || list.length === 0) return null;
  return h('ul', {class: 'gates'}, list.map((g) => h('li', {class: ['gate', g.passed ? 'passed' : 'failed'], dataset: {gate: g.gate}},
    (g.passed ? '✓ ' : '✗ ') + g.gate, h('span', {class: 'muted'}, ' actual ' + g.actual + (g.required != null && g.required !== '' ? ', required ' + g.required : '')))));
}

function what(e) {
  const v = e.version > 0 ? 'v' + e.version : ''; // 0: an event of the model itself
  const action = String(e.action || '').toLowerCase().replace(/_/g, ' ');
  const move = e.from != null || e.to != null ? [' ', h('span', {class: 'from'}, e.from ?? '∅'), ' → ', h('span', {class: 'to'}, e.to ?? '∅')] : null;
  return [h('strong', null, action), ' ', v, e.alias ? [' ', aliasBadge(e.alias)] : null, move];
}

function timeline(events) {
  if (events.length === 0) return h('p', {class: 'muted'}, 'No events.');
  return h('ol', {class: 'timeline'}, [...events].reverse().map((e) => h('li', {dataset: {sequence: e.sequence, action: e.action}},
    h('div', {class: 'when', title: time(e.time)}, time(e.time)),
    h('div', {class: 'what'}, what(e)),
    h('div', {class: 'who'}, e.user ? 'by ' + e.user : ''),
    e.comment ? h('div', {class: 'why'}, '“', e.comment, '”') : null,
    gates(e.gates))));
}

export async function renderModel(view, ctx, name) {
  const [model, history, session] = await Promise.all([get('models/' + seg(name)), get('models/' + seg(name) + '/history'), getSession()]);
  if (!ctx.alive()) return;
  const writes = session.writes;
  add(view, 
    h('div', {class: 'bar'}, h('h1', null, model.name),
      Object.entries(model.aliases || {}).map(([a, v]) => [aliasBadge(a + ' → v' + v), ' ',
        writes ? deleteAliasButton(model.name, a, ctx.reload) : null])),
    model.description ? h('p', null, model.description) : null,
    section('Versions', table(['Version', 'Stage', 'Aliases', 'Source run', 'Status', 'Created', 'By', 'Description'],
      model.versions.map((v) => h('tr', {dataset: {version: v.version, stage: v.stage}},
        h('td', {class: 'num'}, 'v' + v.version),
        h('td', null, stageBadge(v.stage)),
        h('td', null, (v.aliases || []).map((a) => [aliasBadge(a), ' '])),
        h('td', null, v.run_id ? h('a', {href: '#/runs/' + v.run_id}, v.run_id.slice(0, 8)) : h('span', {class: 'id'}, v.source)),
        h('td', null, v.status),
        h('td', null, time(v.creation_time)),
        h('td', null, v.user_id || ''),
        h('td', null, v.description || ''))), {class: 'grid versions'}),
    writes && model.versions.length ? h('div', {class: 'write-forms'},
      h('h3', null, 'Change a stage'),
      model.versions.map((v) => h('div', {class: 'stage-row'}, h('span', {class: 'num'}, 'v' + v.version + ' '), stageForm(model.name, v.version, ctx.reload))),
      h('h3', null, 'Set an alias'), aliasForm(model.name, model.versions, ctx.reload)) : null),
    section('History', timeline(history.events)));
}
