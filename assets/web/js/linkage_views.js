// The linkage page: how the needs and intent go with the stores' outcomes (sales, footfall...)
// some weeks later, within each store. The outcomes come in by the import card at the top; the
// reports below are drawn again after every import. The linkage needs many weeks, so without
// dates in the address it reads the last two years (the server's own default).
import {api, csvUrl} from './api.js';
import {card, h} from './dom.js';
import {count, mean, signed} from './format.js';
import {driversCard} from './driver_views.js';
import {lagChart} from './linkage_charts.js';
import {byOutcomeOrder, leadingName, outcomeName, shortName} from './linkage_names.js';
import {outcomesUpload} from './outcomes_upload.js';

const LINKAGE_KEYS = ['from', 'to', 'store', 'door', 'lang'];
const fixed = (value) => value.toFixed(2).replace('-', '−');

function linkageFilter(filter) {
  const out = {};
  for (const key of LINKAGE_KEYS) if (filter[key]) out[key] = filter[key];
  return out;
}

function lagWords(weeks) {
  return weeks === 0 ? 'in the same week' : `at ${weeks} week${weeks === 1 ? '' : 's'}`;
}

function cell(link) {
  const base = {'data-leading': link.leading, 'data-outcome': link.outcome};
  if (!link.enough) {
    return h('td', {...base, class: 'link thin', 'data-state': 'not-enough'},
             h('span', {class: 'muted', text: 'not enough data'}),
             link.note ? h('small', {text: link.note.replace(/^not enough data:\s*/, '')}) : null);
  }
  const best = link.best_lag_weeks === null ? null : link.lags[link.best_lag_weeks];
  const summary = best
    ? h('summary', {}, h('strong', {text: `r ${fixed(best.r)} ${lagWords(best.lag_weeks)}`}),
        h('small', {text: `95% CI ${fixed(best.low)}–${fixed(best.high)}, ${count(best.store_weeks)} store-weeks`}))
    : h('summary', {}, h('span', {class: 'muted', text: 'no link found'}));
  const sentence = best
    ? `${shortName(link.leading)} → ${shortName(link.outcome)}: r ${fixed(best.r)} ${lagWords(best.lag_weeks)}, ` +
      `95% CI ${fixed(best.low)}–${fixed(best.high)}, ${count(best.store_weeks)} store-weeks.`
    : `${shortName(link.leading)} → ${shortName(link.outcome)}: no lag from 0 to 8 weeks is significant.`;
  return h('td', {...base, class: best ? `link found ${best.r > 0 ? 'up' : 'down'}` : 'link none',
                  'data-state': best ? 'link' : 'none', 'data-best-lag': best ? best.lag_weeks : null,
                  'data-r': best ? best.r : null},
    h('details', {}, summary,
      h('div', {class: 'lag-detail'}, h('p', {text: sentence}), lagChart(link),
        h('p', {class: 'hint', text: 'Filled dots: significant after allowing for every test in the table. Whiskers: 95% interval.'}))));
}

function linkageTable(report) {
  const outcomes = [...report.outcomes].sort(byOutcomeOrder);
  const byPair = new Map(report.links.map((l) => [`${l.leading}|${l.outcome}`, l]));
  return h('div', {class: 'table-wrap'}, h('table', {class: 'linkage'},
    h('thead', {}, h('tr', {}, h('th', {scope: 'col', text: 'Score'}),
      outcomes.map((o) => h('th', {scope: 'col', 'data-outcome': o, text: outcomeName(o)})))),
    h('tbody', {}, report.leading.map((leading) => h('tr', {'data-leading': leading},
      h('th', {scope: 'row', text: leadingName(leading)}),
      outcomes.map((o) => {
        const link = byPair.get(`${leading}|${o}`);
        return link ? cell(link) : h('td', {class: 'muted', text: '–'});
      }))))));
}

function storesTable(report) {
  const needs = report.leading.filter((l) => l !== 'intent');
  const number = (value, digits = 1) => (value === null || value === undefined ? '–' : value.toFixed(digits));
  if (!report.stores.length) return h('p', {class: 'empty', text: 'No store has answers in this range.'});
  return h('div', {class: 'table-wrap'}, h('table', {class: 'stores-beside'},
    h('thead', {}, h('tr', {}, h('th', {scope: 'col', text: 'Store'}),
      needs.map((n) => h('th', {scope: 'col', class: 'num', text: leadingName(n)})),
      h('th', {scope: 'col', class: 'num', text: 'Would come back (net)'}),
      h('th', {scope: 'col', class: 'num', text: 'Conversion'}),
      h('th', {scope: 'col', class: 'num', text: 'Sales per visitor'}))),
    h('tbody', {}, report.stores.map((row) => h('tr', {'data-store': row.store},
      h('th', {scope: 'row', text: row.store}),
      needs.map((n) => h('td', {class: 'num', 'data-need': n, text: mean(row[n])})),
      h('td', {class: 'num', text: row.intent === null || row.intent === undefined ? '–' : signed(row.intent, 0)}),
      h('td', {class: 'num', text: row.conversion === null ? '–' : `${number(row.conversion)}%`}),
      h('td', {class: 'num', text: number(row.sales_per_visitor, 2)}))))));
}

function rangeNote(report, params, navigate) {
  const chosen = params.get('from') || params.get('to');
  const weeks = `${count(report.weeks.count)} weeks, ${report.weeks.from} to ${report.weeks.to}`;
  if (!chosen) {
    return h('p', {class: 'range-note'}, `Reading the last two years (${weeks}): a link needs many weeks, `,
             'so this page does not use the other pages’ four weeks.');
  }
  const reset = () => {
    const next = new URLSearchParams(params);
    next.delete('from');
    next.delete('to');
    navigate(next);
  };
  return h('p', {class: 'range-note'}, `Reading ${weeks}, as the filters say. `,
           h('button', {type: 'button', class: 'secondary', onclick: reset, text: 'Last 2 years'}));
}

async function reports(container, filter, params, navigate) {
  const report = await api.get('reports/linkage', filter);
  const outcomes = [...report.outcomes].sort(byOutcomeOrder);
  const drivers = await driversCard(filter, outcomes);
  container.replaceChildren(
    card('Scores and outcomes',
      'Does a week of better scores at a store go with better figures there, then or some weeks later? ' +
      'A lag of 4 weeks compares each week’s scores with the same store’s figures 4 weeks on. Open a cell for every lag.',
      rangeNote(report, params, navigate),
      report.outcomes.length ? [linkageTable(report),
        h('p', {class: 'detail'}, `r runs from −1 to 1 (0: no link). At least ${report.min_store_weeks} store-weeks per cell; `,
          `a link counts only if it holds after allowing for all ${report.family_tests} tests. `,
          h('a', {class: 'button secondary', href: csvUrl('linkage.csv', filter), download: true,
                  text: 'Download CSV'}))]
        : h('p', {class: 'empty', text: 'No outcomes yet: import a file above.'})),
    card('The stores beside their scores',
      'Each store’s mean scores (1–5) and net “would come back” score over the range, with its conversion ' +
      '(transactions per visitor) and sales per visitor.', storesTable(report)),
    drivers);
  return report;
}

export async function linkage(page, filter, params, navigate) {
  const shown = linkageFilter(filter);
  const container = h('div', {class: 'linkage-reports'});
  const refresh = async () => {
    container.setAttribute('aria-busy', 'true');
    try {
      await reports(container, shown, params, navigate);
    } catch (error) {
      container.replaceChildren(h('p', {class: 'error', role: 'alert', text: error.message}));
    } finally {
      container.removeAttribute('aria-busy');
    }
  };
  const report = await reports(container, shown, params, navigate);
  page.replaceChildren(outcomesUpload(refresh), container);
  return {from: report.weeks.from, to: report.weeks.to};
}
