// The filter bar and the address bar hold the same thing: "#page?from=...&store=...". Applying
// the filters rewrites the address, so a filtered view can be bookmarked, shared and reloaded.
import {h} from './dom.js';
import {languageName, needName} from './format.js';

export const FILTER_KEYS = ['from', 'to', 'store', 'door', 'need', 'lang', 'kind', 'suspect'];
const DEFAULTS = {kind: 'customer', suspect: 'exclude'};

// {page, params}: params holds the filters and any page parameters (q, offset, state...).
export function readLocation() {
  const hash = window.location.hash.replace(/^#/, '');
  const [page, query] = hash.split('?');
  return {page: page || 'overview', params: new URLSearchParams(query || '')};
}

export function writeLocation(page, params) {
  const query = params.toString();
  const target = `#${page}${query ? `?${query}` : ''}`;
  if (window.location.hash !== target) window.location.hash = target;
}

// The filter parameters of `params` that the API needs (defaults left out).
export function filterParams(params) {
  const out = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value && value !== DEFAULTS[key]) out[key] = value;
  }
  return out;
}

function setOptions(select, options, first) {
  const keep = select.value;
  select.replaceChildren(h('option', {value: '', text: first}),
                         ...options.map(([value, label]) => h('option', {value, text: label})));
  select.value = options.some(([value]) => value === keep) ? keep : '';
}

export class FilterBar {
  constructor(form, onApply) {
    this.form = form;
    this.choices = {stores: [], needs: [], languages: []};
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      onApply(this.values());
    });
    form.elements.store.addEventListener('change', () => this.fillDoors());
  }

  setChoices(choices) {
    this.choices = choices;
    const f = this.form.elements;
    setOptions(f.store, choices.stores.map((c) => [c.store, c.store]), 'All stores');
    this.fillDoors();
    setOptions(f.need, choices.needs.map((n) => [n, needName(n)]), 'All needs');
    setOptions(f.lang, choices.languages.map((l) => [l, languageName(l)]), 'All languages');
  }

  fillDoors() {
    const store = this.form.elements.store.value;
    const doors = new Set();
    for (const entry of this.choices.stores) {
      if (!store || entry.store === store) entry.doors.forEach((d) => doors.add(d));
    }
    setOptions(this.form.elements.door, [...doors].sort().map((d) => [d, d]), 'All doors');
  }

  // Shows `params` in the form; a value the choices do not know yet is added so it is not lost.
  show(params) {
    const f = this.form.elements;
    for (const key of ['from', 'to']) f[key].value = params.get(key) || '';
    for (const key of ['store', 'need', 'lang']) {
      const value = params.get(key) || '';
      if (value && ![...f[key].options].some((o) => o.value === value)) {
        f[key].append(h('option', {value, text: value}));
      }
      f[key].value = value;
    }
    this.fillDoors();
    const door = params.get('door') || '';
    if (door && ![...f.door.options].some((o) => o.value === door)) {
      f.door.append(h('option', {value: door, text: door}));
    }
    f.door.value = door;
    f.kind.value = params.get('kind') || DEFAULTS.kind;
    f.suspect.checked = params.get('suspect') === 'include';
  }

  // The server's echo of the range it used, when the address named none.
  showRange(filter) {
    const f = this.form.elements;
    if (!f.from.value) f.from.value = filter.from;
    if (!f.to.value) f.to.value = filter.to;
  }

  values() {
    const f = this.form.elements;
    const params = new URLSearchParams();
    for (const key of ['from', 'to', 'store', 'door', 'need', 'lang']) {
      if (f[key].value) params.set(key, f[key].value);
    }
    if (f.kind.value !== DEFAULTS.kind) params.set('kind', f.kind.value);
    if (f.suspect.checked) params.set('suspect', 'include');
    return params;
  }
}
