// The dashboard: sign in, then one page at a time, all of them views of the address
// ("#page?filters"). Every figure comes from /api/ exactly as a script would get it.
import {ApiError, api, exportUrl, whenSignedOut} from './api.js';
import {h} from './dom.js';
import {FilterBar, filterParams, readLocation, writeLocation} from './filters.js';
import {alerts} from './alert_views.js';
import {comments, fleet} from './list_views.js';
import {linkage} from './linkage_views.js';
import {hours, overview, stores, trend} from './report_views.js';
import {surveys} from './survey_views.js';

const PAGES = {overview, trend, heatmap: hours, stores, linkage, comments, alerts, fleet, surveys};
// Pages that do not use the report filters hide the bar.
const UNFILTERED = new Set(['alerts', 'fleet', 'surveys']);

const $ = (id) => document.getElementById(id);
let filterBar = null;
let rendering = 0;  // the newest render; an older one finishing late draws nothing

function showLogin(message) {
  $('app').hidden = true;
  $('nav').hidden = true;
  $('account').hidden = true;
  $('login').hidden = false;
  const error = $('login-error');
  error.hidden = !message;
  error.textContent = message || '';
  $('login-user').focus();
}

async function signIn(event) {
  event.preventDefault();
  const button = event.target.querySelector('button[type="submit"]');
  button.disabled = true;
  try {
    await api.post('login', {user: $('login-user').value, password: $('login-password').value});
    $('login-password').value = '';
    await start();
  } catch (error) {
    const text = error instanceof ApiError && error.code === 'bad_credentials'
      ? 'That user name or password is not right.'
      : error.message;
    showLogin(text);
  } finally {
    button.disabled = false;
  }
}

async function signOut() {
  try {
    await api.post('logout');
  } catch {
    // Signed out already, or offline: either way, show the sign-in.
  }
  showLogin('You are signed out.');
}

function showError(page, error) {
  if (error instanceof ApiError && error.code === 'bad_filter') {
    $('filter-error').hidden = false;
    $('filter-error').textContent = error.message;
    page.replaceChildren(h('p', {class: 'empty', text: 'Correct the filters above to see this page.'}));
    return;
  }
  page.replaceChildren(h('section', {class: 'card'}, h('h2', {text: 'This page could not be shown'}),
                         h('p', {class: 'error', text: error.message}),
                         h('button', {type: 'button', text: 'Try again', onclick: render})));
}

async function updateBadges() {
  try {
    const [open, fleetReport] = await Promise.all([api.get('alerts', {state: 'open'}), api.get('fleet')]);
    const setBadge = (id, n) => { $(id).hidden = n === 0; $(id).textContent = String(n); };
    setBadge('alert-count', open.alerts.length);
    setBadge('silent-count', fleetReport.silent);
  } catch {
    // The badges are a hint; the pages themselves report errors.
  }
}

async function render() {
  const {page: name, params} = readLocation();
  const view = PAGES[name] ? name : 'overview';
  for (const link of document.querySelectorAll('#nav a')) {
    link.toggleAttribute('aria-current', link.dataset.page === view);
    if (link.dataset.page === view) link.setAttribute('aria-current', 'page');
  }
  $('filters').hidden = UNFILTERED.has(view);
  $('filter-error').hidden = true;
  filterBar.show(params);
  const filter = filterParams(params);
  $('download-csv').href = exportUrl(filter);
  const page = $('page');
  const mine = ++rendering;
  page.setAttribute('aria-busy', 'true');
  if (!page.childElementCount) page.replaceChildren(h('p', {class: 'loading', text: 'Loading…'}));
  try {
    const detached = document.createElement('div');
    // Navigating to the same place (after acting on an alert, say) draws the page again.
    const navigate = (next) => {
      const before = window.location.hash;
      writeLocation(view, next);
      if (window.location.hash === before) render();
    };
    const echoed = await PAGES[view](detached, filter, params, navigate);
    if (mine !== rendering) return;
    page.replaceChildren(...detached.childNodes);
    if (echoed) {
      filterBar.showRange(echoed);
      $('download-csv').href = exportUrl({...filter, from: echoed.from, to: echoed.to});
    }
  } catch (error) {
    if (mine === rendering && !(error instanceof ApiError && error.status === 401)) showError(page, error);
  } finally {
    if (mine === rendering) page.removeAttribute('aria-busy');
  }
}

async function start() {
  const me = await api.get('me');
  $('user-name').textContent = me.user;
  $('login').hidden = true;
  $('app').hidden = false;
  $('nav').hidden = false;
  $('account').hidden = false;
  try {
    filterBar.setChoices(await api.get('reports/choices'));
  } catch (error) {
    if (error.status === 401) return;
  }
  updateBadges();
  await render();
}

function boot() {
  filterBar = new FilterBar($('filters'), (params) => {
    const {page, params: current} = readLocation();
    // Page parameters (a search, a page number) start over with new filters.
    writeLocation(page, params);
    if (current.toString() === params.toString()) render();
  });
  $('filters-reset').addEventListener('click', () => writeLocation(readLocation().page, new URLSearchParams()));
  $('login-form').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', signOut);
  whenSignedOut(() => showLogin('Your session has ended. Please sign in again.'));
  window.addEventListener('hashchange', render);
  start().catch((error) => showLogin(error.status === 401 ? '' : error.message));
}

boot();
