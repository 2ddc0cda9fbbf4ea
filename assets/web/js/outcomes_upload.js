// The outcomes import: a CSV of store, date and figures (sales, footfall...) sent as it is, gzipped
// on the way when the browser can, since the server takes at most 8 MiB as sent. The server
// takes the whole file or none of it, and names every line it refused.
import {ApiError, api} from './api.js';
import {card, h} from './dom.js';
import {count} from './format.js';

async function gzipped(file) {
  if (typeof CompressionStream === 'undefined') return null;
  const stream = file.stream().pipeThrough(new CompressionStream('gzip'));
  return new Response(stream).blob();
}

function refusal(error) {
  const problems = (error.body && error.body.problems) || [];
  const more = (error.body && error.body.more_problems) || 0;
  return h('div', {class: 'error refusal', role: 'alert'},
    h('p', {}, h('strong', {text: 'Nothing was imported.'}),
      problems.length ? ` The file has ${count(problems.length + more)} ${problems.length + more === 1 ? 'problem' : 'problems'}:`
                      : ` ${error.message.replace(/^nothing was imported:\s*/i, '')}`),
    problems.length ? h('ul', {class: 'problems'},
      problems.map((p) => h('li', {'data-line': p.line}, h('code', {text: `line ${p.line}`}),
                            ` ${p.reason}`))) : null,
    more ? h('p', {text: `…and ${count(more)} more ${more === 1 ? 'problem' : 'problems'}.`}) : null,
    h('p', {class: 'hint', text: 'Correct the file and import it again.'}));
}

// The card; `imported` is called after a file went in, so the page can draw the reports again.
export function outcomesUpload(imported) {
  const status = h('div', {class: 'upload-status', 'aria-live': 'polite'});
  const input = h('input', {id: 'outcomes-file', type: 'file', name: 'file', required: true,
                            accept: '.csv,text/csv,.gz,application/gzip'});
  const button = h('button', {type: 'submit', class: 'primary', text: 'Import'});
  const form = h('form', {class: 'publish', 'aria-label': 'Import outcomes'},
    h('label', {for: 'outcomes-file'}, 'Outcomes file (CSV)', input), button, status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const file = input.files[0];
    if (!file) return;
    button.disabled = true;
    status.replaceChildren(h('p', {class: 'loading', text: `Importing ${file.name}…`}));
    try {
      const already = /\.gz$/i.test(file.name);
      const packed = already ? null : await gzipped(file);
      const answer = packed
        ? await api.upload('outcomes', packed, 'application/gzip')
        : await api.upload('outcomes', file, already ? 'application/gzip' : 'text/csv');
      status.replaceChildren(h('p', {
        class: 'state good', role: 'status', 'data-values': answer.values,
        'data-store-days': answer.store_days, 'data-replaced': answer.replaced,
        text: `Imported ${count(answer.values)} values for ${count(answer.store_days)} store-days ` +
              `(${count(answer.replaced)} replaced): ${answer.metrics.join(', ')}.`}));
      form.reset();
      imported();
    } catch (error) {
      status.replaceChildren(error instanceof ApiError && error.code === 'bad_outcomes'
        ? refusal(error) : h('p', {class: 'error', role: 'alert', text: error.message}));
    } finally {
      button.disabled = false;
    }
  });
  return card('Import outcomes',
    'A CSV with the columns store, date (YYYY-MM-DD), then one column per figure: sales, ' +
    'transactions, footfall, returns or any other. A store-day imported again replaces the figures it names.',
    form);
}
