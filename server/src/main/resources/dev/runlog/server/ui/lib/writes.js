// The forms that change things, shown only when the server allows writes (GET /api/session).
// Each posts JSON with the CSRF header and shows the API's answer, a refusal included.

import {post, seg} from './api.js';
import {h} from './dom.js';

function outcome() {
  return h('span', {class: 'outcome', role: 'status'});
}

/** Runs a write; on success calls done(), on failure shows the message (and any failed gates). */
async function submit(out, request, done) {
  // An earlier form's refusal goes: left beside this one's answer, it read as this one's too.
  for (const other of document.querySelectorAll('.outcome.error')) {
    if (other !== out) {
      other.className = 'outcome';
      other.replaceChildren();
    }
  }
  out.textContent = 'Saving…';
  out.className = 'outcome';
  try {
    await request();
    out.textContent = 'Saved.';
    done();
  } catch (e) {
    out.className = 'outcome error';
    out.replaceChildren(e.message);
    for (const f of e.body && Array.isArray(e.body.failures) ? e.body.failures : []) {
      out.append(h('div', {class: 'gate failed'}, '✗ ' + f.gate + ': actual ' + f.actual + ', required ' + f.required));
    }
  }
}

const runPath = (runId, rest) => 'runs/' + seg(runId) + '/' + rest;
const modelPath = (name, rest) => 'models/' + seg(name) + '/' + rest;

export function addTagForm(runId, done) {
  const key = h('input', {name: 'key', placeholder: 'key', required: true});
  const value = h('input', {name: 'value', placeholder: 'value'});
  const out = outcome();
  return h('form', {class: 'inline-form', dataset: {form: 'add-tag'}, onsubmit: (e) => {
    e.preventDefault();
    submit(out, () => post(runPath(runId, 'tags'), {key: key.value, value: value.value}), done);
  }}, key, value, h('button', {type: 'submit'}, 'Add tag'), out);
}

export function removeTagButton(runId, key, done) {
  const out = outcome();
  return h('span', null, h('button', {type: 'button', class: 'small', title: 'Remove tag ' + key, onclick: () =>
    submit(out, () => post(runPath(runId, 'tags/delete'), {key}), done)}, 'remove'), out);
}

export function noteForm(runId, text, done) {
  const area = h('textarea', {name: 'note', rows: 4, value: text || ''});
  const out = outcome();
  return h('form', {class: 'note-form', dataset: {form: 'note'}, onsubmit: (e) => {
    e.preventDefault();
    submit(out, () => post(runPath(runId, 'note'), {text: area.value}), done);
  }}, area, h('div', null, h('button', {type: 'submit'}, 'Save note'), out));
}

/** Stage change through the registry's gates: one gate expression a line, as Gates.parse reads them. */
export function stageForm(name, version, done) {
  const stage = h('select', {name: 'stage'}, ['Staging', 'Production', 'Archived', 'None'].map((s) => h('option', {value: s}, s)));
  const archive = h('input', {type: 'checkbox', name: 'archive_existing'});
  const comment = h('input', {name: 'comment', placeholder: 'why'});
  const gates = h('textarea', {name: 'gates', rows: 2, placeholder: 'metrics.accuracy >= 0.9 (one gate a line)'});
  const beats = h('input', {name: 'beats_current', placeholder: 'beats current on metric (optional)'});
  const out = outcome();
  return h('form', {class: 'stage-form', dataset: {form: 'stage', version}, onsubmit: (e) => {
    e.preventDefault();
    const gateList = gates.value.split('\n').map((g) => g.trim()).filter(Boolean);
    const beatsKey = beats.value.trim() || null;
    submit(out, () => post(modelPath(name, 'versions/' + version + '/stage'), {
      stage: stage.value, archive_existing: archive.checked, comment: comment.value,
      gates: gateList, beats_current: beatsKey,
    }), done);
  }}, stage, h('label', null, archive, ' archive existing'), comment, gates, beats, h('button', {type: 'submit'}, 'Change stage'), out);
}

export function aliasForm(name, versions, done) {
  const alias = h('input', {name: 'alias', placeholder: 'alias', required: true});
  const version = h('select', {name: 'version'}, versions.map((v) => h('option', {value: v.version}, 'v' + v.version)));
  const out = outcome();
  return h('form', {class: 'inline-form', dataset: {form: 'alias'}, onsubmit: (e) => {
    e.preventDefault();
    submit(out, () => post(modelPath(name, 'aliases'), {alias: alias.value, version: Number(version.value)}), done);
  }}, alias, version, h('button', {type: 'submit'}, 'Set alias'), out);
}

export function deleteAliasButton(name, alias, done) {
  const out = outcome();
  return h('span', null, h('button', {type: 'button', class: 'small', title: 'Delete alias ' + alias, onclick: () =>
    submit(out, () => post(modelPath(name, 'aliases/delete'), {alias}), done)}, '×'), out);
}
