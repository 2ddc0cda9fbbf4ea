// The dashboard in real Chromium against a real doorstep-server (dashboard_e2e.sh seeds it):
// every figure the page draws is compared with what the API answers for the same filter.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {after, before, describe, it} from 'node:test';
import {launch, signIn} from './browser.mjs';

const base = process.env.DASHBOARD_URL;
const user = process.env.DASHBOARD_USER;
const password = process.env.DASHBOARD_PASSWORD;
const out = process.env.DASHBOARD_OUT;

let browser;
let page;
const problems = [];  // console errors and failed requests: a CSP violation shows up here

// The API's answer, with the page's own session cookie.
async function apiGet(path, params = {}) {
  const response = await page.request.get(`${base}api/${path}?${new URLSearchParams(params)}`);
  assert.equal(response.status(), 200, `${path}: ${await response.text()}`);
  return response.json();
}

async function settled() {
  await page.waitForFunction(() => {
    const main = document.querySelector('#page');
    return main && !main.hasAttribute('aria-busy') && main.childElementCount > 0;
  });
}

async function open(hash) {
  await page.goto(`${base}#${hash}`);
  await settled();
}

before(async () => {
  browser = await launch();
  page = await browser.context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
});

after(async () => {
  await browser?.close();
});

describe('signing in', () => {
  it('shows only the sign-in form to a stranger', async () => {
    await page.goto(base);
    await page.getByLabel('User name').waitFor();
    assert.equal(await page.locator('#app').isHidden(), true);
    assert.equal(await page.locator('#nav').isHidden(), true);
    const refused = await page.request.get(`${base}api/reports/needs`);
    assert.equal(refused.status(), 401);
  });

  it('says so when the password is wrong', async () => {
    await page.getByLabel('User name').fill(user);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', {name: 'Sign in'}).click();
    await page.getByText('That user name or password is not right.').waitFor();
    assert.equal(await page.locator('#app').isHidden(), true);
  });

  it('signs in and shows the overview', async () => {
    await signIn(page, base, user, password);
    await settled();
    assert.equal(await page.locator('#user-name').textContent(), user);
    assert.equal(await page.locator('#nav a[aria-current="page"]').textContent(), 'Overview');
  });
});

describe('the overview', () => {
  it('draws every need as the API reports it', async () => {
    const report = await apiGet('reports/needs');
    assert.ok(report.needs.length >= 3);
    const shown = await page.locator('.need[data-mean]').evaluateAll((cards) => cards.map((c) => ({
      need: c.dataset.need, mean: Number(c.dataset.mean), answers: Number(c.dataset.answers),
      distribution: [...c.querySelectorAll('rect[data-count]')].map((r) => Number(r.dataset.count)),
    })));
    const expected = report.needs.filter((n) => !n.suppressed);
    assert.equal(shown.length, expected.length);
    for (const need of expected) {
      const card = shown.find((c) => c.need === need.need);
      assert.ok(card, `no card for ${need.need}`);
      assert.equal(card.mean, need.mean);
      assert.equal(card.answers, need.answers);
      assert.deepEqual(card.distribution, need.distribution.filter((n) => n > 0));
    }
    const answers = await page.locator('.figure[data-answers]').getAttribute('data-answers');
    assert.equal(Number(answers), report.answers);
  });

  it('shows the least-met ranking, intent and the staff gap', async () => {
    const [leastMet, intent, gap] = await Promise.all([
      apiGet('reports/least-met'), apiGet('reports/intent'), apiGet('reports/gap')]);
    const bars = await page.locator('rect[data-key]').evaluateAll((rects) =>
      rects.map((r) => [r.dataset.key, Number(r.dataset.value)]));
    assert.deepEqual(bars, leastMet.ranking.map((r) => [r.need, r.share]));
    const net = await page.locator('[data-net-score]').getAttribute('data-net-score');
    assert.equal(Number(net), intent.intent.net_score);
    const gaps = await page.locator('li[data-gap]').evaluateAll((items) =>
      Object.fromEntries(items.map((li) => [li.dataset.need, Number(li.dataset.gap)])));
    for (const need of gap.needs) {
      assert.equal(gaps[need.need], need.gap, `gap of ${need.need}`);
    }
    assert.ok(gap.needs.some((n) => n.gap !== null), 'the seeded staff estimates give a gap');
  });
});

describe('filters', () => {
  it('narrow every figure to one store and keep it in the address', async () => {
    const everywhere = await apiGet('reports/needs');
    await page.locator('#filters select[name="store"]').selectOption('north-street');
    await page.locator('#filters select[name="door"]').selectOption('checkout');
    await page.getByRole('button', {name: 'Apply'}).click();
    await page.waitForURL(/store=north-street/);
    await settled();
    assert.match(page.url(), /door=checkout/);
    const report = await apiGet('reports/needs', {store: 'north-street', door: 'checkout'});
    assert.ok(report.answers < everywhere.answers);
    const answers = await page.locator('.figure[data-answers]').getAttribute('data-answers');
    assert.equal(Number(answers), report.answers);
    const means = await page.locator('.need[data-mean]').evaluateAll((cards) =>
      Object.fromEntries(cards.map((c) => [c.dataset.need, Number(c.dataset.mean)])));
    for (const need of report.needs) assert.equal(means[need.need], need.mean);
  });

  it('survive a reload, and a bad range is named', async () => {
    await page.reload();
    await settled();
    assert.equal(await page.locator('#filters select[name="store"]').inputValue(), 'north-street');
    assert.equal(await page.locator('#filters select[name="door"]').inputValue(), 'checkout');
    await open('overview?from=2026-11-20&to=2026-11-01');
    await page.locator('#filter-error').waitFor({state: 'visible'});
    assert.match(await page.locator('#filter-error').textContent(), /from|to/);
  });
});

describe('the other pages', () => {
  it('trend: one point per day the API gives a figure for', async () => {
    await open('trend?store=harbour-mall');
    const report = await apiGet('reports/trend', {store: 'harbour-mall'});
    const points = await page.locator('circle[data-date]').evaluateAll((dots) =>
      dots.map((d) => [d.dataset.date, Number(d.dataset.mean)]));
    const expected = report.days.filter((d) => !d.suppressed && d.mean !== null)
      .map((d) => [d.date, d.mean]);
    assert.ok(expected.length > 0);
    assert.deepEqual(points, expected);
  });

  it('heat map: one cell per weekday and hour', async () => {
    await open('heatmap?need=trust');
    const report = await apiGet('reports/heatmap', {need: 'trust'});
    const cells = await page.locator('rect[data-weekday]').evaluateAll((rects) =>
      rects.map((r) => `${r.dataset.weekday}/${r.dataset.hour}/${r.dataset.mean ?? 'suppressed'}`).sort());
    const expected = report.cells.map((c) =>
      `${c.weekday}/${c.hour}/${c.suppressed || c.mean === null ? 'suppressed' : c.mean}`).sort();
    assert.deepEqual(cells, expected);
  });

  it('stores: side by side, a small store suppressed', async () => {
    await open('stores');
    const report = await apiGet('reports/stores');
    const rows = await page.locator('table.stores tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [tr.dataset.store, tr.dataset.mean ? Number(tr.dataset.mean) : 'suppressed']));
    assert.equal(rows.length, report.stores.length);
    for (const store of report.stores) {
      assert.ok(rows.some(([name, m]) => name === store.store && m === (store.suppressed ? 'suppressed' : store.mean)),
                `row for ${store.store}`);
    }
    assert.ok(report.stores.some((s) => s.store === 'old-town' && s.suppressed));
    await page.getByText('Fewer than 5 answers').waitFor();
  });

  it('comments: a word search shows what the API finds', async () => {
    await open('comments');
    const all = await apiGet('reports/comments', {limit: 25});
    // A whole word of letters: "Couldn't" would be two words to the search, and "Couldnt" none.
    const word = all.comments
      .flatMap((c) => c.text.split(/\s+/))
      .map((w) => w.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, ''))
      .find((w) => /^\p{L}{4,}$/u.test(w));
    await page.getByRole('searchbox').fill(word);
    await page.getByRole('button', {name: 'Search'}).click();
    await page.waitForURL(/q=/);
    await settled();
    const found = await apiGet('reports/comments', {q: word, limit: 25});
    assert.ok(found.total >= 1);
    const shown = await page.locator('.comment blockquote').allTextContents();
    assert.deepEqual(shown, found.comments.map((c) => c.text));
    const total = await page.locator('[data-total]').getAttribute('data-total');
    assert.equal(Number(total), found.total);
  });

  it('alerts: as the API lists them', async () => {
    // The server's scan opens the harbour's alerts within seconds of their arrival.
    let report;
    for (let tries = 0; tries < 100; tries += 1) {
      report = await apiGet('alerts', {state: 'open'});
      if (report.alerts.some((a) => a.kind === 'low_intent')) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.ok(report.alerts.some((a) => a.kind === 'low_intent' && a.store === 'harbour-mall'));
    await open('alerts');
    assert.equal(await page.locator('[data-alert]').count(), report.alerts.length);
    const first = report.alerts.find((a) => a.kind === 'low_intent' && a.door === 'entrance');
    const item = page.locator(`[data-alert="${first.id}"]`);
    assert.match(await item.locator('h3').textContent(), /harbour-mall · entrance: a customer may not come back/);
    await page.screenshot({path: `${out}/alerts.png`, fullPage: true});
  });

  it("alerts: a customer's contact, shown only when asked for, is deleted when resolved", async () => {
    let contacts = [];
    for (let tries = 0; tries < 100 && contacts.length < 2; tries += 1) {
      contacts = (await apiGet('alerts', {state: 'open'})).alerts.filter((a) => a.kind === 'contact');
      if (contacts.length < 2) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(contacts.length, 2);
    assert.ok(contacts.every((a) => a.contact === true && a.store === 'harbour-mall'));
    await open('alerts');
    const id = contacts[0].id;
    const item = page.locator(`[data-alert="${id}"]`);
    assert.match(await item.locator('h3').textContent(), /harbour-mall · service-desk: a customer asks to be contacted/);
    assert.equal(await item.getByRole('link').count(), 0, 'the contact stays sealed until asked for');
    await item.getByRole('button', {name: 'Show contact'}).click();
    const link = item.getByRole('link', {name: /@example\.org$/});
    await link.waitFor();
    const shown = await apiGet(`alerts/${id}/contact`);
    assert.equal(shown.kind, 'email');
    assert.equal(await link.textContent(), shown.contact);
    assert.equal(await link.getAttribute('href'), `mailto:${shown.contact}`);
    await item.screenshot({path: `${out}/alert-contact.png`});

    await item.getByLabel(`Note for alert ${id}`).fill('Phoned, apologised, voucher sent');
    await item.getByRole('button', {name: 'Resolve'}).click();
    await settled();
    await page.getByLabel('State').selectOption('resolved');
    const resolved = page.locator(`[data-alert="${id}"][data-state="resolved"]`);
    await resolved.getByText('The contact has been deleted').waitFor();
    assert.equal(await resolved.getByRole('button', {name: 'Show contact'}).count(), 0);
    const gone = await page.request.get(`${base}api/alerts/${id}/contact`);
    assert.equal(gone.status(), 404);
  });

  it('alerts: acknowledged and resolved with a note, by the signed-in analyst', async () => {
    await open('alerts?state=open');
    const report = await apiGet('alerts', {state: 'open'});
    const id = report.alerts.find((a) => a.kind !== 'contact').id;
    const item = page.locator(`[data-alert="${id}"]`);
    await item.getByLabel(`Note for alert ${id}`).fill('Called the store');
    await item.getByRole('button', {name: 'Acknowledge'}).click();
    await page.locator(`[data-alert="${id}"][data-state="acknowledged"]`).waitFor();
    const acknowledged = (await apiGet(`alerts/${id}`));
    assert.equal(acknowledged.acknowledged.by, user);
    assert.equal(acknowledged.acknowledged.note, 'Called the store');
    await page.locator(`[data-alert="${id}"]`).getByRole('button', {name: 'Resolve'}).click();
    await settled();
    await page.waitForFunction((alertId) => !document.querySelector(`[data-alert="${alertId}"]`), id);
    assert.equal((await apiGet(`alerts/${id}`)).state, 'resolved');
    await page.getByLabel('State').selectOption('resolved');
    await page.locator(`[data-alert="${id}"][data-state="resolved"]`).waitFor();
    const times = await apiGet('alerts/times');
    const harbour = times.weeks.find((w) => w.store === 'harbour-mall');
    assert.ok(harbour && harbour.resolved >= 1);
    assert.equal(await page.locator('[data-store-week]').count(), times.weeks.length);
  });

  it('alerts: rules and recipients are added, and a bad one is refused with the reason', async () => {
    await open('alerts');
    const before = (await apiGet('alert-rules')).rules.length;
    await page.getByLabel('Kind').selectOption('comment');
    await page.getByLabel('Rule store').fill('north-street');
    await page.getByRole('button', {name: 'Add rule'}).click();
    await page.locator('[data-rule]').nth(before).waitFor();
    assert.equal((await apiGet('alert-rules')).rules.length, before + 1);
    await page.getByLabel('Kind').selectOption('low_score');
    await page.getByLabel('Threshold').fill('7');
    await page.getByRole('button', {name: 'Add rule'}).click();
    await page.getByText('threshold must be a whole number from 1 to 4').waitFor();
    await page.getByLabel('Recipient address').fill('gerente@example.com');
    await page.getByLabel('Recipient language').fill('es');
    await page.getByRole('button', {name: 'Add recipient'}).click();
    await page.locator('[data-recipient="gerente@example.com"]').waitFor();
    await page.getByLabel('Recipient address').fill('gerente@example.com');
    await page.getByLabel('Recipient language').fill('tlh');
    await page.getByRole('button', {name: 'Add recipient'}).click();
    await page.getByText('language must be one the mails are written in').waitFor();
  });

  it('fleet: every terminal, the silent one flagged', async () => {
    await open('fleet');
    const report = await apiGet('fleet');  // the page shows the server's default
    const rows = await page.locator('table.fleet tbody tr').evaluateAll((trs) =>
      Object.fromEntries(trs.map((tr) => [tr.dataset.device, tr.dataset.silent === 'true'])));
    assert.equal(Object.keys(rows).length, 5);
    for (const device of report.devices) assert.equal(rows[device.device_id], device.silent);
    const silent = report.devices.filter((d) => d.silent);
    assert.deepEqual(silent.map((d) => d.store), ['old-town']);
    assert.equal(await page.locator('#silent-count').textContent(), '1');
    assert.ok(report.devices.every((d) => d.heartbeat !== null), 'each terminal sent a heartbeat');
    await page.getByText(`app ${report.devices[0].heartbeat.app_version}`).first().waitFor();
  });
});

describe('CSV download', () => {
  it('holds exactly the answers of the current filter', async () => {
    await open('overview?store=north-street&kind=all');
    const needs = await apiGet('reports/needs', {store: 'north-street', kind: 'all'});
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', {name: 'Download CSV'}).click(),
    ]);
    assert.match(download.suggestedFilename(), /^doorstep-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}-north-street\.csv$/);
    const path = `${out}/download.csv`;
    await download.saveAs(path);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    const header = lines[0].split(',');
    assert.deepEqual(header.slice(0, 3), ['device_id', 'store', 'door']);
    const rows = lines.slice(1).filter((line) => /^dev_/.test(line));
    assert.equal(rows.length, needs.answers, 'one row per answer the report counts');
    assert.ok(rows.every((row) => row.split(',')[1] === 'north-street'));
    const kinds = new Set(rows.map((row) => row.split(',')[header.indexOf('kind')]));
    assert.deepEqual([...kinds].sort(), ['customer', 'staff']);
  });
});

describe('surveys', () => {
  const installed = JSON.parse(readFileSync(new URL('../../assets/surveys/default.json', import.meta.url), 'utf8'));
  const publish = async (name, survey) => {
    await page.locator('input[type="file"]').setInputFiles({
      name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(survey))});
    await page.locator('form.publish select[name="store"]').selectOption('north-street');
    await page.getByRole('button', {name: 'Check and publish'}).click();
  };

  it('refuses a definition with problems, naming their JSON paths', async () => {
    await open('surveys');
    await page.getByText('Nothing published yet').waitFor();
    const broken = structuredClone(installed);
    broken.needs[1].label.en = '';
    await publish('broken.json', broken);
    await page.locator('.problems li').first().waitFor();
    assert.match(await page.locator('.problems').textContent(), /\$\.needs\[1\]\.label\.en/);
    assert.deepEqual((await apiGet('surveys')).assignments, []);
  });

  it('publishes for a store, numbered above the installed version', async () => {
    const edited = structuredClone(installed);
    edited.needs[0].label.en = 'Honesty';
    await publish('holiday.json', edited);
    await page.locator('[data-published]').waitFor();
    const listing = await apiGet('surveys');
    assert.equal(listing.assignments.length, 1);
    assert.equal(listing.assignments[0].store, 'north-street');
    assert.equal(listing.assignments[0].version, installed.version + 1);
    assert.equal(listing.assignments[0].assigned_by, user);
    await page.locator(`tr[data-scope="north-street/"][data-version="${installed.version + 1}"]`).waitFor();
  });

  it('rolls back to the version before', async () => {
    const again = structuredClone(installed);
    again.needs[0].label.en = 'Candour';
    await publish('again.json', again);
    await page.locator(`tr[data-scope="north-street/"][data-version="${installed.version + 2}"]`).waitFor();
    await page.getByRole('button', {name: 'Roll back'}).click();
    await page.locator(`tr[data-scope="north-street/"][data-version="${installed.version + 1}"]`).waitFor();
    const listing = await apiGet('surveys');
    assert.equal(listing.assignments[0].version, installed.version + 1);
    assert.equal(listing.versions.length, 2);
  });
});

describe('signing out', () => {
  it('ends the session for the page and for the API', async () => {
    await page.getByRole('button', {name: 'Sign out'}).click();
    await page.getByText('You are signed out.').waitFor();
    const refused = await page.request.get(`${base}api/reports/needs`);
    assert.equal(refused.status(), 401);
  });

  it('left no console errors on the way', () => {
    // The expected refusals are the only failed requests: 401 for a stranger and a wrong
    // password, 400 for the backwards range and the broken survey.
    const unexpected = problems.filter((text) => !/status of (401|400)/.test(text));
    assert.deepEqual(unexpected, []);
  });
});
