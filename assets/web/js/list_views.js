// The list pages: comments (searchable, a page at a time) and the fleet of terminals.
import {api} from './api.js';
import {card, h} from './dom.js';
import {SUPPRESSED_TEXT, ago, bytes, count, dateTime, duration, languageName, needName,
        signed} from './format.js';

export async function comments(page, filter, params, navigate) {
  const q = params.get('q') || '';
  const offset = Number(params.get('offset') || 0);
  const query = {...filter, offset, limit: 25};
  if (q) query.q = q;
  const report = await api.get('reports/comments', query);
  const search = h('form', {class: 'search', role: 'search'},
    h('input', {type: 'search', name: 'q', value: q, minlength: 3, 'aria-label': 'Words to find',
                placeholder: 'Find comments containing… (3 letters or more)'}),
    h('button', {type: 'submit', class: 'primary', text: 'Search'}),
    q ? h('button', {type: 'button', class: 'secondary', text: 'Show all',
                     onclick: () => { params.delete('q'); params.delete('offset'); navigate(params); }})
      : null);
  search.addEventListener('submit', (event) => {
    event.preventDefault();
    const words = search.elements.q.value.trim();
    if (words) params.set('q', words); else params.delete('q');
    params.delete('offset');
    navigate(params);
  });
  if (report.suppressed) {
    page.replaceChildren(card('Comments', null, search, h('p', {class: 'suppressed', text: SUPPRESSED_TEXT})));
    return report.filter;
  }
  const list = report.comments.map((c) => h('article', {class: 'comment'},
    h('div', {class: 'meta',
              text: [`${c.date} ${c.time}`, `${c.store} · ${c.door}`, languageName(c.lang),
                     c.kind === 'staff' ? 'staff' : null,
                     c.intent === null ? null : `would come back: ${c.intent}/10`,
                     c.least_met ? `least met: ${needName(c.least_met)}` : null]
                .filter(Boolean).join(' · ')}),
    h('blockquote', {text: c.text})));
  const last = offset + report.comments.length;
  const more = report.total_is_at_least ? '+' : '';  // a common word: counted up to a point
  const pager = h('div', {class: 'pager'},
    h('button', {type: 'button', text: '← Newer', disabled: offset === 0,
                 onclick: () => { params.set('offset', Math.max(0, offset - 25)); navigate(params); }}),
    h('span', {'data-total': report.total,
               text: report.total ? `${count(offset + 1)}–${count(last)} of ${count(report.total)}${more}` : ''}),
    h('button', {type: 'button', text: 'Older →', disabled: last >= report.total && !more,
                 onclick: () => { params.set('offset', offset + 25); navigate(params); }}));
  page.replaceChildren(card(
    q ? `Comments containing “${q}”` : 'Comments', 'What people wrote, newest first.', search,
    list.length ? list : h('p', {class: 'empty', text: q ? 'No comment contains these words.' : 'No comments in this range.'}),
    pager));
  return report.filter;
}

function deviceState(device) {
  if (device.revoked) return h('span', {class: 'state bad', text: 'Revoked'});
  if (device.silent) return h('span', {class: 'state warn', text: 'Silent'});
  return h('span', {class: 'state good', text: 'OK'});
}

function completeness(c) {
  if (!c.missing) return h('span', {text: `${count(c.stored)} stored, none missing`});
  return h('span', {class: 'state warn', text: `${count(c.stored)} stored, ${count(c.missing)} missing`,
                    title: c.gaps.map(([a, b]) => (a === b ? `#${a}` : `#${a}–${b}`)).join(', ')});
}

export async function fleet(page, _filter, params, navigate) {
  const silentAfter = Number(params.get('silent_after_min') || 120);  // the server's default
  const report = await api.get('fleet', {silent_after_min: silentAfter});
  const now = report.now_ms;
  const choose = h('label', {},
    'Flag a terminal when it has not been heard from for ',
    h('select', {'aria-label': 'Silent after',
                 onchange: (event) => { params.set('silent_after_min', event.target.value); navigate(params); }},
      [[15, '15 minutes'], [60, '1 hour'], [120, '2 hours'], [240, '4 hours'], [1440, '1 day']].map(([value, label]) =>
        h('option', {value, text: label, selected: value === silentAfter}))));
  const rows = report.devices.map((d) => {
    const beat = d.heartbeat;
    return h('tr', {class: d.silent ? 'flagged' : '', 'data-device': d.device_id,
                    'data-silent': String(d.silent)},
      h('td', {}, deviceState(d)),
      h('td', {}, h('div', {text: `${d.store} · ${d.door}`}), h('small', {text: d.device_id})),
      h('td', {title: dateTime(d.last_seen_ms), text: ago(d.last_seen_ms, now)}),
      h('td', {class: 'num', text: beat ? count(beat.backlog) : '–'}),
      h('td', {class: 'num', text: beat && beat.backlog ? duration(beat.oldest_unsent_age_s) : '–'}),
      h('td', {class: 'num', text: beat ? `${signed(beat.clock_offset_ms / 1000, 1)} s` : '–'}),
      h('td', {class: 'num'}, h('div', {text: beat ? bytes(beat.free_disk_bytes) : '–'}),
        beat && beat.unsaved_answers > 0
          ? h('small', {class: 'unsaved', text: `⚠ ${count(beat.unsaved_answers)} answers not saved: ${beat.storage_error}`})
          : null),
      h('td', {text: beat ? `app ${beat.app_version}, survey ${beat.survey_version}` : '–'}),
      h('td', {}, completeness(d.completeness)));
  });
  page.replaceChildren(card(
    'Fleet', `Every terminal, when it last reached head office, and what it still holds. ${report.silent} silent.`,
    choose,
    h('div', {class: 'table-wrap'}, h('table', {class: 'fleet'},
      h('thead', {}, h('tr', {}, ['State', 'Terminal', 'Last seen', 'Backlog', 'Oldest unsent',
                                  'Clock drift', 'Free disk', 'Versions', 'Completeness']
        .map((t, i) => h('th', {class: i >= 3 && i <= 6 ? 'num' : '', text: t})))),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', {colspan: 9, class: 'empty', text: 'No terminal enrolled yet.'})))))));
  return null;
}
