// #/?view=active|deleted|all : the experiments, busiest first.

import {get} from '../lib/api.js';
import {add, h, table} from '../lib/dom.js';
import {ago, time} from '../lib/format.js';

const VIEWS = [['active', 'Active'], ['deleted', 'Deleted'], ['all', 'All']];

export async function render(view, ctx) {
  const which = ctx.params.get('view') || 'active';
  const {experiments} = await get('experiments', {view: which});
  if (!ctx.alive()) return;
  experiments.sort((a, b) => b.last_activity - a.last_activity);
  add(view, 
    h('div', {class: 'bar'},
      h('h1', null, 'Experiments'),
      h('div', {class: 'seg', role: 'group', 'aria-label': 'Which experiments'},
        VIEWS.map(([v, label]) => h('button', {
          type: 'button', class: v === which ? 'on' : null, dataset: {view: v},
          onclick: () => ctx.go({view: v === 'active' ? null : v}),
        }, label)))),
    experiments.length === 0
      ? h('p', {class: 'muted'}, which === 'active' ? 'No experiments yet: start a run and it appears here.' : 'None.')
      : table(['Name', 'Runs', 'Last activity', 'Created', 'Id'], experiments.map((e) => h('tr', {
        class: e.lifecycle_stage === 'DELETED' ? 'deleted' : null, dataset: {experiment: e.id},
      },
      h('td', null, h('a', {href: '#/experiments/' + encodeURIComponent(e.id)}, e.name),
        e.lifecycle_stage === 'DELETED' ? h('span', {class: 'badge badge-deleted'}, 'deleted') : null),
      h('td', {class: 'num'}, e.run_count),
      h('td', {title: time(e.last_activity)}, ago(e.last_activity)),
      h('td', null, time(e.creation_time)),
      h('td', {class: 'id'}, e.id))), {class: 'grid experiments'}));
}
