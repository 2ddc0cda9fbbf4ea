// The alerts page: the inbox (filter by store, state and age; acknowledge and resolve with a
// note), how fast each store acts, the alert rules, and who gets mail.
import {api} from './api.js';
import {card, h} from './dom.js';
import {count, dateTime, mean, needName, percent, signed} from './format.js';

const STATES = [['open', 'Open'], ['unacknowledged', 'Not acknowledged'], ['acknowledged', 'Acknowledged'],
                ['resolved', 'Resolved'], ['all', 'All']];
const AGES = [['0', 'any age'], ['1', 'over 1 hour'], ['4', 'over 4 hours'], ['24', 'over a day']];
const KINDS = {
  low_score: 'A low score',
  low_intent: 'A low would-come-back',
  comment: 'A comment',
  below_goal: "A door's rolling score below its goal",
};

function describeRule(r) {
  const need = r.need ? needName(r.need) : 'any need';
  switch (r.kind) {
    case 'low_score': return `${need} scored ${r.threshold} or less`;
    case 'low_intent': return `Would-come-back of ${r.threshold} or less`;
    case 'comment': return 'Any comment';
    default: return `${need} below ${r.threshold} over ${r.window_hours} hours (at least ${r.min_answers} scores)`;
  }
}

function needList(ids) {
  return ids.length ? ids.map(needName).join(', ') : 'none';
}

function headline(alert) {
  const where = `${alert.store} · ${alert.door}`;
  switch (alert.kind) {
    case 'low_score': return `${where}: a customer rated ${needList(alert.answer.low_needs)} low`;
    case 'low_intent': return `${where}: a customer may not come back (${alert.answer.intent}/10)`;
    case 'comment': return `${where}: a customer left a comment`;
    case 'contact': return `${where}: a customer asks to be contacted`;
    case 'below_goal': return `${where}: ${needName(alert.need)} is below its goal`;
    default: return `${where}: ${needName(alert.need)} fell`;
  }
}

function details(alert) {
  if (alert.answer) {
    const a = alert.answer;
    return [h('p', {text: [`Rated low: ${needList(a.low_needs)}`,
                           `least met: ${a.least_met ? needName(a.least_met) : 'not said'}`,
                           a.intent === null ? null : `would come back: ${a.intent}/10`,
                           `answered ${dateTime(a.ended_at_ms)}`].filter(Boolean).join(' · ')}),
            a.comment ? h('blockquote', {text: a.comment}) : null];
  }
  const usual = alert.kind === 'below_goal' ? `against a goal of ${mean(alert.goal)}`
    : `against a usual ${mean(alert.baseline.mean)} for those hours (${signed(-alert.drop)})`;
  return [h('p', {text: `Average ${mean(alert.recent.mean)} from ${count(alert.recent.answers)} answers in the hours up to ${alert.window_end}, ${usual}.`})];
}

// A customer's contact stays sealed until someone of the alert's store asks for it: each viewing
// is logged at head office, and the contact is deleted when the alert is resolved.
function contactBlock(alert) {
  if (alert.kind !== 'contact') return null;
  if (!alert.contact) {
    return h('p', {class: 'meta', text: 'The contact has been deleted: the case was resolved or the contact reached its retention days.'});
  }
  const error = h('p', {class: 'error', role: 'alert', hidden: true});
  const block = h('div', {class: 'contact', 'data-contact': alert.id});
  const show = async () => {
    try {
      const shown = await api.get(`alerts/${alert.id}/contact`);
      const link = shown.kind === 'email' ? `mailto:${shown.contact}` : `tel:${shown.contact.replace(/[^+0-9]/g, '')}`;
      block.replaceChildren(h('p', {},
        `${shown.kind === 'email' ? 'E-mail' : 'Phone'}: `, h('a', {href: link, text: shown.contact}),
        h('span', {class: 'meta', text: ` · left ${dateTime(shown.left_at_ms)}. Resolve the alert once you have spoken to them: the contact is then deleted.`})));
    } catch (failure) {
      error.hidden = false;
      error.textContent = failure.message;
    }
  };
  block.append(h('button', {type: 'button', class: 'secondary', text: 'Show contact', onclick: show}), error);
  return block;
}

function acts(alert, refresh) {
  if (alert.state === 'resolved') return null;
  const note = h('input', {type: 'text', maxlength: 1000, 'aria-label': `Note for alert ${alert.id}`,
                           placeholder: 'A short note: what was done'});
  const error = h('p', {class: 'error', role: 'alert', hidden: true});
  const act = (verb) => async () => {
    try {
      await api.post(`alerts/${alert.id}/${verb}`, {note: note.value.trim()});
      refresh();
    } catch (failure) {
      error.hidden = false;
      error.textContent = failure.message;
    }
  };
  return h('div', {class: 'acts'}, note,
    alert.state === 'open' ? h('button', {type: 'button', class: 'secondary', text: 'Acknowledge', onclick: act('acknowledge')}) : null,
    h('button', {type: 'button', class: 'primary', text: 'Resolve', onclick: act('resolve')}), error);
}

function alertItem(alert, refresh) {
  const people = [
    `opened ${dateTime(alert.opened_at_ms)}`,
    alert.acknowledged ? `acknowledged by ${alert.acknowledged.by} ${dateTime(alert.acknowledged.at_ms)}${alert.acknowledged.note ? `: “${alert.acknowledged.note}”` : ''}` : null,
    alert.resolved ? (alert.resolved.by === 'rule' ? `recovered ${dateTime(alert.resolved.at_ms)}`
      : `resolved by ${alert.resolved.by} ${dateTime(alert.resolved.at_ms)}${alert.resolved.note ? `: “${alert.resolved.note}”` : ''}`) : null,
    alert.source === 'kiosk' ? 'raised on the terminal' : null,
    alert.mail && alert.mail !== 'none' ? `mail: ${alert.mail}` : null,
    alert.webhook && alert.webhook !== 'none' ? `webhook: ${alert.webhook}` : null];
  return h('article', {class: `alert ${alert.state}`, 'data-alert': alert.id, 'data-state': alert.state},
    h('h3', {text: headline(alert)}), ...details(alert), contactBlock(alert),
    alert.pain_points.length
      ? h('p', {class: 'meta', text: `Top pain points then: ${alert.pain_points.map((p) => `${needName(p.need)} (${p.answers})`).join(', ')}`})
      : null,
    h('p', {class: 'meta', text: people.filter(Boolean).join(' · ')}),
    acts(alert, refresh));
}

function select(label, options, value, onchange) {
  return h('label', {}, `${label} `,
    h('select', {'aria-label': label, onchange: (event) => onchange(event.target.value)},
      options.map(([v, text]) => h('option', {value: v, text, selected: v === value}))));
}

function timesTable(report) {
  const rows = report.weeks.map((w) => h('tr', {'data-store-week': `${w.store} ${w.week}`},
    h('td', {text: w.store}), h('td', {text: w.week}),
    h('td', {class: 'num', text: count(w.opened)}), h('td', {class: 'num', text: count(w.acknowledged)}),
    h('td', {class: 'num', text: w.median_acknowledge_min === null ? '–' : `${w.median_acknowledge_min} min`}),
    h('td', {class: 'num', text: w.median_resolve_min === null ? '–' : `${w.median_resolve_min} min`}),
    h('td', {class: 'num', text: percent(w.share_within_goal)})));
  return card('Time to act', `Per store and week: how soon someone acknowledged and resolved an alert, and the share resolved within ${report.goal_minutes} minutes.`,
    h('div', {class: 'table-wrap'}, h('table', {class: 'times'},
      h('thead', {}, h('tr', {}, ['Store', 'Week of', 'Opened', 'Acknowledged', 'To acknowledge', 'To resolve', 'Within goal']
        .map((t, i) => h('th', {class: i >= 2 ? 'num' : '', text: t})))),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', {colspan: 7, class: 'empty', text: 'No alerts in the last 8 weeks.'}))))));
}

// A form whose fields become one JSON body; the server's refusal is shown beside it.
function form(fields, submitText, send) {
  const error = h('p', {class: 'error', role: 'alert', hidden: true});
  const node = h('form', {class: 'inline-form'}, ...fields, h('button', {type: 'submit', class: 'primary', text: submitText}), error);
  node.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await send(node.elements);
    } catch (failure) {
      error.hidden = false;
      error.textContent = failure.message;
    }
  });
  return node;
}

function field(label, name, attributes = {}) {
  return h('label', {}, `${label} `, h('input', {name, 'aria-label': label, ...attributes}));
}

function rulesCard(rules, refresh) {
  const rows = rules.map((r) => h('li', {'data-rule': r.id},
    `${describeRule(r)} · ${r.store || 'every store'} · ${r.door || 'every door'}${r.mail ? '' : ' · no mail'} `,
    h('button', {type: 'button', class: 'secondary', text: 'Remove',
                 onclick: async () => { await api.del(`alert-rules/${r.id}`); refresh(); }})));
  const kind = h('select', {name: 'kind', 'aria-label': 'Kind'},
    Object.entries(KINDS).map(([value, text]) => h('option', {value, text})));
  const add = form([h('label', {}, 'Kind ', kind), field('Store', 'store', {placeholder: 'every store', 'aria-label': 'Rule store'}),
                    field('Door', 'door', {placeholder: 'every door', 'aria-label': 'Rule door'}),
                    field('Need', 'need', {placeholder: 'any need', 'aria-label': 'Rule need'}),
                    field('Threshold', 'threshold', {type: 'number', step: 'any'}),
                    field('Window hours', 'window_hours', {type: 'number'}),
                    field('Minimum scores', 'min_answers', {type: 'number'})],
    'Add rule', async (e) => {
      const body = {kind: e.kind.value};
      for (const name of ['store', 'door', 'need']) if (e[name].value.trim()) body[name] = e[name].value.trim();
      for (const name of ['threshold', 'window_hours', 'min_answers']) if (e[name].value !== '') body[name] = Number(e[name].value);
      await api.post('alert-rules', body);
      refresh();
    });
  return card('Alert rules', 'Which answers and scores should reach a person. A rule opens alerts only for answers that arrive after it is added.',
    rows.length ? h('ul', {class: 'rules'}, rows) : h('p', {class: 'empty', text: 'No rules yet: only the leading-indicator alerts open.'}), add);
}

function recipientsCard(recipients, mail, refresh) {
  const rows = recipients.map((r) => h('li', {'data-recipient': r.address},
    `${r.address} · ${r.store || 'every store'} · ${r.language}`,
    [r.alerts ? ' · alerts' : '', r.daily ? ' · daily' : '', r.weekly ? ' · weekly' : '', r.daily || r.weekly ? ` at ${r.digest_hour}:00` : ''].join(''),
    r.last_error ? h('strong', {class: 'state bad', text: ` refused: ${r.last_error}`}) : null, ' ',
    h('button', {type: 'button', class: 'secondary', text: 'Remove',
                 onclick: async () => { await api.del(`recipients/${r.id}`); refresh(); }})));
  const add = form([field('Address', 'address', {type: 'email', required: true, 'aria-label': 'Recipient address'}),
                    field('Store', 'store', {placeholder: 'every store', 'aria-label': 'Recipient store'}),
                    field('Language', 'language', {placeholder: 'en', size: 3, 'aria-label': 'Recipient language'}),
                    h('label', {class: 'check'}, h('input', {type: 'checkbox', name: 'daily'}), ' daily digest'),
                    h('label', {class: 'check'}, h('input', {type: 'checkbox', name: 'weekly'}), ' weekly digest')],
    'Add recipient', async (e) => {
      const body = {address: e.address.value.trim(), daily: e.daily.checked, weekly: e.weekly.checked};
      if (e.store.value.trim()) body.store = e.store.value.trim();
      if (e.language.value.trim()) body.language = e.language.value.trim();
      await api.post('recipients', body);
      refresh();
    });
  const waiting = mail.filter((m) => m.state === 'pending').length;
  const failed = mail.filter((m) => m.state === 'failed').length;
  return card('Mail', `Who hears of alerts and gets digests. Outbox: ${count(waiting)} waiting, ${count(failed)} refused.`,
    rows.length ? h('ul', {class: 'recipients'}, rows) : h('p', {class: 'empty', text: 'Nobody gets mail yet.'}), add);
}

export async function alerts(page, _filter, params, navigate) {
  const state = STATES.some(([v]) => v === params.get('state')) ? params.get('state') : 'open';
  const store = params.get('store') || '';
  const age = AGES.some(([v]) => v === params.get('age')) ? params.get('age') : '0';
  const query = {state};
  if (store) query.store = store;
  if (age !== '0') query.older_than_hours = age;
  const refresh = () => navigate(params);
  const [report, choices, times, rules, recipients, mail] = await Promise.all([
    api.get('alerts', query), api.get('reports/choices'), api.get('alerts/times'),
    api.get('alert-rules'), api.get('recipients'), api.get('mail')]);
  const stores = [...new Set(choices.stores.map((c) => c.store))];  // every store enrolled
  const set = (name) => (value) => { if (value && value !== '0') params.set(name, value); else params.delete(name); navigate(params); };
  const filters = h('div', {class: 'alert-filters'},
    select('State', STATES, state, set('state')),
    select('Store', [['', 'every store'], ...stores.map((s) => [s, s])], store, set('store')),
    select('Age', AGES, age, set('age')));
  page.replaceChildren(
    card('Alerts', 'Unhappy answers as they arrive, and doors whose scores fell: someone acknowledges each, acts, and resolves it.',
      filters,
      report.alerts.length ? report.alerts.map((a) => alertItem(a, refresh))
        : h('p', {class: 'empty', text: state === 'open' ? 'No open alerts. Every door is doing as usual.' : 'No alerts here.'})),
    timesTable(times), rulesCard(rules.rules, refresh), recipientsCard(recipients.recipients, mail.mail, refresh));
  return null;
}
