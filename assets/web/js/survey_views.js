// The Surveys page: what each store and door asks, publishing a new definition for a scope, and
// going back to an earlier version. Kiosks take a change at their next heartbeat and show it
// from their next customer on.
import {ApiError, api} from './api.js';
import {card, h} from './dom.js';
import {dateTime} from './format.js';

// What a change did, said once above the page when it is drawn again.
let flash = null;

// Redraws the page (the app renders again on hashchange) with `text` above it.
function announce(text, attributes = {}) {
  flash = {text, attributes};
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

function scopeText(store, door) {
  return `${store || 'Every store'} · ${door || 'every door'}`;
}

function problemList(error) {
  const problems = (error.body && error.body.problems) || [];
  return h('div', {class: 'error', role: 'alert'},
    h('p', {text: error.message}),
    problems.length ? h('ul', {class: 'problems'},
      problems.map((p) => h('li', {}, h('code', {text: p.path}), ` ${p.problem}`))) : null);
}

function publishForm(choices, announce) {
  const stores = choices.stores.map((c) => c.store);
  const doors = [...new Set(choices.stores.flatMap((c) => c.doors))].sort();
  const status = h('div', {class: 'publish-status', 'aria-live': 'polite'});
  const form = h('form', {class: 'publish'},
    h('label', {}, 'Survey definition (JSON) ',
      h('input', {type: 'file', name: 'file', accept: '.json,application/json', required: true})),
    h('label', {}, 'Store ',
      h('select', {name: 'store'}, h('option', {value: '', text: 'Every store'}),
        stores.map((s) => h('option', {value: s, text: s})))),
    h('label', {}, 'Door ',
      h('select', {name: 'door'}, h('option', {value: '', text: 'Every door'}),
        doors.map((d) => h('option', {value: d, text: d})))),
    h('button', {type: 'submit', class: 'primary', text: 'Check and publish'}),
    status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const file = form.elements.file.files[0];
    if (!file) return;
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    status.replaceChildren(h('p', {class: 'loading', text: 'Checking…'}));
    try {
      const published = await api.post('surveys', {
        definition: await file.text(), file_name: file.name,
        store: form.elements.store.value, door: form.elements.door.value});
      status.replaceChildren();
      announce(`Published ${published.survey_id} version ${published.version} for ${published.scope}. Terminals there show it from their next customer on.`,
                     {'data-published': published.version});
    } catch (error) {
      status.replaceChildren(error instanceof ApiError && error.code === 'invalid_survey'
        ? problemList(error) : h('p', {class: 'error', text: error.message}));
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

export async function surveys(page) {
  const [listing, choices] = await Promise.all([api.get('surveys'), api.get('reports/choices')]);
  const message = h('div', {'aria-live': 'polite'});
  const said = flash ? h('p', {class: 'state good', role: 'status', ...flash.attributes, text: flash.text}) : null;
  flash = null;
  const rollBack = async (a) => {
    try {
      const now = await api.post('surveys/rollback', {store: a.store, door: a.door});
      announce(`${scopeText(a.store, a.door)} now runs version ${now.version}.`);
    } catch (error) {
      message.replaceChildren(h('p', {class: 'error', role: 'alert', text: error.message}));
    }
  };
  const rows = listing.assignments.map((a) => h('tr', {'data-scope': `${a.store}/${a.door}`, 'data-version': a.version},
    h('td', {text: scopeText(a.store, a.door)}),
    h('td', {text: `${a.survey_id} version ${a.version}`}),
    h('td', {text: `${dateTime(a.assigned_at_ms)} by ${a.assigned_by}`}),
    h('td', {}, h('button', {type: 'button', text: 'Roll back', onclick: () => rollBack(a)}))));
  const versions = listing.versions.map((v) => h('tr', {},
    h('td', {text: v.survey_id}), h('td', {class: 'num', text: v.version}),
    h('td', {text: `${dateTime(v.published_at_ms)} by ${v.published_by}`})));
  page.replaceChildren(
    said ? h('section', {class: 'card'}, said) : '',
    card('What the terminals ask', 'Each store and door runs the most specific survey published for it; without one, the survey installed with the terminal.',
      message,
      rows.length
        ? h('div', {class: 'table-wrap'}, h('table', {class: 'surveys'},
            h('thead', {}, h('tr', {}, ['Where', 'Survey', 'Since', ''].map((t) => h('th', {text: t})))),
            h('tbody', {}, rows)))
        : h('p', {class: 'empty', text: 'Nothing published yet: every terminal runs the survey installed with it.'})),
    card('Publish a survey', 'The file is checked as a terminal checks it; nothing is published while it has a problem.',
      publishForm(choices, announce)),
    versions.length ? card('Every version', null, h('table', {},
      h('thead', {}, h('tr', {}, ['Survey', 'Version', 'Published'].map((t) => h('th', {text: t})))),
      h('tbody', {}, versions))) : null);
  return null;
}
