// Key drivers: which need moves an outcome most, as shares of what the needs explain together
// (relative weights), with the needs' current scores beside them. The outcome and lag are the
// card's own choices, so changing them redraws this card only.
import {api, csvUrl} from './api.js';
import {card, h} from './dom.js';
import {count, percent} from './format.js';
import {driverBars, quadrantChart} from './linkage_charts.js';
import {outcomeName} from './linkage_names.js';

function groupBlock(group) {
  const heading = h('h3', {text: group.group === 'all stores' ? 'All stores' : group.group});
  if (!group.enough) {
    return h('article', {class: 'driver-group', 'data-group': group.group, 'data-enough': 'false'},
             heading, h('p', {class: 'empty', text: `Not enough data: ${group.note ||
               `fewer than ${count(30)} store-weeks with every need scored.`}`}));
  }
  return h('article', {class: 'driver-group', 'data-group': group.group, 'data-enough': 'true'},
    heading,
    h('p', {class: 'detail',
            text: `The needs together explain ${percent(group.r_squared)} of the variation ` +
                  `(95%: ${percent(group.r_squared_low)}–${percent(group.r_squared_high)}), ` +
                  `from ${count(group.rows)} store-weeks at ${count(group.stores)} stores; ` +
                  `intervals from ${count(group.samples)} bootstrap samples of whole stores.`}),
    h('div', {class: 'driver-charts'},
      h('figure', {}, h('figcaption', {text: 'Share of the explained variation, and the score now'}),
        driverBars(group)),
      h('figure', {}, h('figcaption', {text: 'Importance against performance'}),
        quadrantChart(group))));
}

// The card, filled in once the drivers for the first choice have come.
export async function driversCard(filter, outcomes) {
  const outcome = h('select', {id: 'drivers-outcome', name: 'outcome'},
    h('option', {value: 'intent', text: 'Would come back (intent)'}),
    outcomes.map((o) => h('option', {value: o, text: outcomeName(o)})));
  const lag = h('select', {id: 'drivers-lag', name: 'lag'},
    Array.from({length: 9}, (_, n) => h('option', {value: n, text: n === 0 ? 'same week' : `${n} weeks later`})));
  const download = h('a', {class: 'button secondary', download: true, text: 'Download CSV'});
  const body = h('div', {class: 'driver-groups', 'aria-live': 'polite'});
  let asked = 0;
  const draw = async () => {
    const mine = ++asked;
    const params = {...filter, outcome: outcome.value, lag: lag.value};
    download.href = csvUrl('drivers.csv', params);
    body.setAttribute('aria-busy', 'true');
    try {
      const report = await api.get('reports/drivers', params);
      if (mine !== asked) return;
      body.replaceChildren(...report.groups.map(groupBlock));
    } catch (error) {
      if (mine === asked) body.replaceChildren(h('p', {class: 'error', role: 'alert', text: error.message}));
    } finally {
      if (mine === asked) body.removeAttribute('aria-busy');
    }
  };
  outcome.addEventListener('change', draw);
  lag.addEventListener('change', draw);
  await draw();
  return card('Key drivers',
    'Which need goes with the outcome most, as its share of what the needs explain together. ' +
    '“Fix first” is a need that matters a lot and scores low.',
    h('div', {class: 'card-tools'},
      h('label', {for: 'drivers-outcome'}, 'Outcome', outcome),
      h('label', {for: 'drivers-lag'}, 'Outcome measured', lag), download),
    body);
}
