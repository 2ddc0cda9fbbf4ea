// The report pages: each asks the API for what it shows and draws it. A group of fewer than five
// answers arrives as {"suppressed": true} and is shown as such, never as a number.
import {api} from './api.js';
import {card, h} from './dom.js';
import {barList, distributionBar, gapChart, heatmap, intentBar, swatch, trendChart} from './charts.js';
import {SUPPRESSED_TEXT, byNeedOrder, count, mean, needName, percent, scoreColor,
        signed} from './format.js';

function suppressedNote() {
  return h('p', {class: 'suppressed', text: SUPPRESSED_TEXT});
}

function scaleLegend() {
  const words = ['1 very poor', '2 poor', '3 neutral', '4 good', '5 very good'];
  return h('div', {class: 'legend'},
           words.map((w, i) => h('span', {}, h('span', {class: `swatch s${i + 1}`}), w)));
}

function needCard(need) {
  if (need.suppressed) {
    return h('article', {class: 'need', 'data-need': need.need}, h('h3', {text: needName(need.need)}),
             suppressedNote());
  }
  return h('article', {class: 'need', 'data-need': need.need, 'data-mean': need.mean,
                       'data-answers': need.answers},
           h('h3', {text: needName(need.need)}),
           h('div', {class: 'mean'}, swatch(scoreColor(need.mean)), ' ',
             mean(need.mean), h('small', {text: ' out of 5'})),
           distributionBar(need.distribution),
           h('p', {class: 'detail',
                   text: `${percent(need.share_negative)} unhappy (1 or 2) · ${count(need.answers)} answers`}));
}

function intentBlock(intent) {
  if (intent.suppressed) return suppressedNote();
  const total = intent.promoters + intent.passives + intent.detractors;
  return [
    h('div', {class: 'headline'},
      h('div', {class: 'figure', 'data-net-score': intent.net_score},
        signed(intent.net_score, 0), h('small', {text: ' net score'})),
      h('div', {}, `${percent(intent.promoters / total)} would surely come back (9–10), `,
        `${percent(intent.detractors / total)} probably not (0–6).`)),
    intentBar(intent),
    h('div', {class: 'legend'},
      h('span', {}, h('span', {class: 'swatch s1'}), `Detractors ${count(intent.detractors)}`),
      h('span', {}, h('span', {class: 'swatch s3'}), `Passives ${count(intent.passives)}`),
      h('span', {}, h('span', {class: 'swatch s5'}), `Promoters ${count(intent.promoters)}`)),
  ];
}

function gapBlock(needs) {
  const shown = needs.filter((n) => !n.customer.suppressed || !n.staff.suppressed);
  if (!shown.length) return h('p', {class: 'empty', text: 'No staff estimates in this range yet.'});
  const sentences = shown.filter((n) => n.gap !== null).map((n) => h('li', {
    'data-need': n.need, 'data-gap': n.gap,
    text: Math.abs(n.gap) < 0.05
      ? `${needName(n.need)}: staff read customers right.`
      : `${needName(n.need)}: staff think customers feel ${Math.abs(n.gap).toFixed(1)} ${n.gap > 0 ? 'better' : 'worse'} than they say.`,
  }));
  return [gapChart([...shown].sort((a, b) => byNeedOrder(a.need, b.need))),
          h('div', {class: 'legend'},
            h('span', {}, h('span', {class: 'swatch s5'}), 'Customers'),
            h('span', {}, h('span', {class: 'swatch s2'}), 'Staff estimate')),
          h('ul', {}, sentences)];
}

export async function overview(page, filter) {
  const [needs, leastMet, intent, gap] = await Promise.all([
    api.get('reports/needs', filter), api.get('reports/least-met', filter),
    api.get('reports/intent', filter), api.get('reports/gap', filter)]);
  const answers = needs.answers === null
    ? h('div', {class: 'figure'}, h('small', {text: 'fewer than 5 answers'}))
    : h('div', {class: 'figure', 'data-answers': needs.answers}, count(needs.answers),
        h('small', {text: ' answers'}));
  const ranking = leastMet.ranking;
  page.replaceChildren(
    card('How people felt', 'The average score of each need, from 1 (very poor) to 5 (very good), and how the answers spread.',
         answers,
         needs.needs.length ? h('div', {class: 'needs'}, [...needs.needs].sort((a, b) => byNeedOrder(a.need, b.need)).map(needCard))
                            : h('p', {class: 'empty', text: 'No answers in this range.'}),
         scaleLegend()),
    h('div', {class: 'grid'},
      card('Least met', 'Which need people named as the one that was least met.',
           ranking.length
             ? barList(ranking.map((r) => ({key: r.need, label: needName(r.need), value: r.share || 0,
                                            text: r.suppressed ? '' : `${percent(r.share)} (${count(r.answers)})`,
                                            suppressed: r.suppressed})))
             : suppressedNote()),
      card('Will they come back?', 'How likely people said they are to come back, from 0 to 10.',
           intentBlock(intent.intent)),
      card('Staff and customers', 'What staff think customers feel, beside what customers said.',
           gapBlock(gap.needs))));
  return needs.filter;
}

export async function trend(page, filter) {
  const report = await api.get('reports/trend', filter);
  const shown = report.days.filter((d) => !d.suppressed);
  page.replaceChildren(card(
    `Daily trend: ${needName(filter.need)}`,
    'The average score of each day (line, 1 to 5) and how many answered (pale bars). Days with fewer than 5 answers have no point.',
    shown.length ? h('div', {class: 'scroll'}, trendChart(report.days)) : h('p', {class: 'empty', text: 'No day in this range has 5 answers or more.'})));
  return report.filter;
}

export async function hours(page, filter) {
  const report = await api.get('reports/heatmap', filter);
  page.replaceChildren(card(
    `When people feel best and worst: ${needName(filter.need)}`,
    'The average score by weekday and hour of the day, in each store\'s local time. Grey cells had fewer than 5 answers.',
    report.cells.length ? h('div', {class: 'scroll'}, heatmap(report.cells)) : h('p', {class: 'empty', text: 'No answers in this range.'}),
    scaleLegend()));
  return report.filter;
}

export async function stores(page, filter, params, navigate) {
  const report = await api.get('reports/stores', filter);
  const sortKey = params.get('sort') || 'mean';
  const rows = [...report.stores].sort((a, b) => {
    if (sortKey === 'store') return a.store.localeCompare(b.store);
    const value = (r) => (r.suppressed || r[sortKey] === null ? -Infinity : r[sortKey]);
    return value(b) - value(a);
  });
  const header = (key, label, numeric) => h('th', {class: numeric ? 'num' : ''},
    h('button', {type: 'button', 'aria-sort': key === sortKey ? 'descending' : null, text: label,
                 onclick: () => { params.set('sort', key); navigate(params); }}));
  const table = h('table', {class: 'stores'},
    h('thead', {}, h('tr', {}, header('store', 'Store'), header('answers', 'Answers', true),
                     header('mean', 'Average score', true), header('net_score', 'Net score', true),
                     header('completion', 'Finished', true))),
    h('tbody', {}, rows.map((r) => (r.suppressed
      ? h('tr', {'data-store': r.store}, h('td', {text: r.store}),
          h('td', {colspan: 4, class: 'suppressed', text: 'Fewer than 5 answers'}))
      : h('tr', {'data-store': r.store, 'data-mean': r.mean, 'data-answers': r.answers},
          h('td', {text: r.store}), h('td', {class: 'num', text: count(r.answers)}),
          h('td', {class: 'num', text: mean(r.mean)}),
          h('td', {class: 'num', text: r.net_score === null ? '–' : signed(r.net_score, 0)}),
          h('td', {class: 'num', text: percent(r.completion)}))))));
  const ranked = report.stores.filter((r) => !r.suppressed && r.mean !== null)
    .sort((a, b) => b.mean - a.mean);
  page.replaceChildren(card(
    'Stores side by side', 'Each store\'s average score over all needs, its net score (who would come back minus who would not) and how many finished the survey. Click a heading to sort.',
    ranked.length ? barList(ranked.map((r) => ({key: r.store, label: r.store, value: r.mean - 1,
                                                text: mean(r.mean), color: scoreColor(r.mean)})),
                            {max: 4, width: 1100, labelWidth: 220}) : null,
    h('div', {class: 'table-wrap'}, table)));
  return report.filter;
}
