// The linkage page in real Chromium against a server seeded with the planted fleet
// (doorstep-test-seed-fleet, from dashboard_e2e.sh): a bad outcomes file is refused whole with
// its lines named, the good one goes in through the page, and the page then shows the planted
// links (trust → sales at 8 weeks, control → conversion at 4) and driver order (trust, control,
// support).
import assert from 'node:assert/strict';
import {readFileSync, writeFileSync} from 'node:fs';
import {after, before, describe, it} from 'node:test';
import {launch, signIn} from './browser.mjs';

const base = process.env.DASHBOARD_URL;
const user = process.env.DASHBOARD_USER;
const password = process.env.DASHBOARD_PASSWORD;
const out = process.env.DASHBOARD_OUT;
const outcomesCsv = process.env.LINKAGE_OUTCOMES;

let browser;
let page;
const problems = [];

async function apiGet(path, params = {}) {
  const response = await page.request.get(`${base}api/${path}?${new URLSearchParams(params)}`);
  assert.equal(response.status(), 200, `${path}: ${await response.text()}`);
  return response.json();
}

async function settled() {
  await page.waitForFunction(() => {
    const main = document.querySelector('#page');
    const reports = document.querySelector('.linkage-reports');
    return main && !main.hasAttribute('aria-busy') && reports && !reports.hasAttribute('aria-busy') &&
      !document.querySelector('.driver-groups[aria-busy]');
  });
}

const cell = (leading, outcome) => page.locator(`td[data-leading="${leading}"][data-outcome="${outcome}"]`);

before(async () => {
  browser = await launch();
  page = await browser.context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await signIn(page, base, user, password);
  await page.getByRole('link', {name: 'Linkage'}).click();
  await settled();
});

after(async () => {
  await browser?.close();
});

describe('importing outcomes', () => {
  it('refuses a file with problems whole, naming each line', async () => {
    const bad = `${out}/bad-outcomes.csv`;
    writeFileSync(bad, 'store,date,sales,footfall\nstore-001,2026-01-05,100,50\n' +
                       'store-999,2026-01-05,100,50\nstore-002,2026-13-40,100,50\n' +
                       'store-003,2026-01-06,lots,50\n');
    await page.getByLabel('Outcomes file (CSV)').setInputFiles(bad);
    await page.getByRole('button', {name: 'Import'}).click();
    const alert = page.locator('.refusal[role="alert"]');
    await alert.waitFor();
    assert.match(await alert.textContent(), /Nothing was imported/);
    const lines = await alert.locator('li[data-line]').evaluateAll((items) => items.map((i) => Number(i.dataset.line)));
    assert.deepEqual(lines, [3, 4, 5]);
    await page.screenshot({path: `${out}/linkage-refused.png`});
    assert.deepEqual((await apiGet('outcomes')).metrics, []);
  });

  it('imports the fleet\'s outcomes and says how many', async () => {
    const storeDays = readFileSync(outcomesCsv, 'utf8').trim().split('\n').length - 1;
    await page.getByLabel('Outcomes file (CSV)').setInputFiles(outcomesCsv);
    await page.getByRole('button', {name: 'Import'}).click();
    const done = page.locator('.upload-status [role="status"]');
    await done.waitFor();
    assert.equal(Number(await done.getAttribute('data-values')), storeDays * 3);
    assert.equal(Number(await done.getAttribute('data-store-days')), storeDays);
    assert.match(await done.textContent(),
                 new RegExp(`Imported ${(storeDays * 3).toLocaleString('en')} values for ` +
                            `${storeDays.toLocaleString('en')} store-days \\(0 replaced\\)`));
    assert.equal(await page.locator('.refusal').count(), 0);
    await cell('trust', 'sales').locator('summary strong').waitFor();
    await settled();
  });
});

describe('the linkage table', () => {
  it('finds trust → sales at 8 weeks and control → conversion at 4', async () => {
    const trust = cell('trust', 'sales');
    assert.equal(await trust.getAttribute('data-state'), 'link');
    assert.equal(await trust.getAttribute('data-best-lag'), '8');
    assert.match(await trust.textContent(), /r 0\.\d\d at 8 weeks.*95% CI 0\.\d\d–0\.\d\d, [\d,]+ store-weeks/);
    const control = cell('control', 'conversion');
    assert.equal(await control.getAttribute('data-state'), 'link');
    assert.equal(await control.getAttribute('data-best-lag'), '4');
    assert.equal(await page.locator('thead th[data-outcome="conversion"]').textContent(), 'Conversion');
  });

  it('says no link found for support → sales', async () => {
    const support = cell('support', 'sales');
    assert.equal(await support.getAttribute('data-state'), 'none');
    assert.match(await support.textContent(), /no link found/);
  });

  it('matches the API cell by cell', async () => {
    const report = await apiGet('reports/linkage');
    for (const link of report.links) {
      const expected = !link.enough ? 'not-enough' : link.best_lag_weeks === null ? 'none' : 'link';
      assert.equal(await cell(link.leading, link.outcome).getAttribute('data-state'), expected,
                   `${link.leading} x ${link.outcome}`);
    }
    assert.equal(await page.locator('table.stores-beside tbody tr').count(), report.stores.length);
  });

  it('opens a cell to chart r by lag, the planted lag marked', async () => {
    const trust = cell('trust', 'sales');
    await trust.locator('summary').click();
    const dots = trust.locator('svg.lags circle');
    assert.equal(await dots.count(), 9);
    const significant = await trust.locator('svg.lags circle[data-significant="true"]')
      .evaluateAll((marks) => marks.map((m) => Number(m.dataset.lag)));
    assert.deepEqual(significant, [8]);
    await trust.screenshot({path: `${out}/linkage-cell.png`});
  });
});

describe('key drivers', () => {
  it('ranks trust, control, support for intent', async () => {
    const group = page.locator('.driver-group[data-group="all stores"]');
    assert.equal(await group.getAttribute('data-enough'), 'true');
    const order = await group.locator('svg.drivers rect.bar').evaluateAll((bars) => bars
      .sort((a, b) => Number(a.dataset.rank) - Number(b.dataset.rank)).map((b) => b.dataset.need));
    assert.deepEqual(order, ['trust', 'control', 'support']);
    assert.equal(await group.locator('svg.quadrant circle').count(), 3);
    assert.equal(await group.locator('svg.quadrant').getByText('Fix first').count(), 1);
  });

  it('redraws for another outcome and lag', async () => {
    await page.locator('#drivers-outcome').selectOption('sales');
    await page.locator('#drivers-lag').selectOption('8');
    await page.waitForFunction(() => document.querySelector('.driver-groups a, .driver-groups article') &&
      !document.querySelector('.driver-groups[aria-busy]'));
    const href = await page.locator('.card-tools a').getAttribute('href');
    assert.match(href, /drivers\.csv\?.*outcome=sales.*lag=8/);
    const report = await apiGet('reports/drivers', {outcome: 'sales', lag: 8});
    const top = report.groups[0];
    if (top.enough) {
      const first = page.locator('.driver-group[data-group="all stores"] rect.bar[data-rank="1"]');
      assert.equal(await first.getAttribute('data-need'), top.drivers[0].need);
    }
    const csv = await page.request.get(`${base}${href}`);
    assert.equal(csv.status(), 200);
  });
});

describe('the range', () => {
  it('reads the filters\' dates when given, and goes back to two years by the button', async () => {
    await page.goto(`${base}#linkage?from=2026-10-05&to=2026-11-29`);
    await settled();
    assert.match(await page.locator('.range-note').textContent(), /Reading 8 weeks, 2026-10-05 to 2026-11-23, as the filters say/);
    await page.getByRole('button', {name: 'Last 2 years'}).click();
    await page.waitForFunction(() => !window.location.hash.includes('from='));
    await settled();
    assert.match(await page.locator('.range-note').textContent(), /Reading the last two years \(104 weeks/);
  });
});

describe('the page at every size', () => {
  it('is drawn at 1280x800, 1920x1080 and on a phone', async () => {
    for (const [name, width, height] of [['1280', 1280, 800], ['1920', 1920, 1080], ['narrow', 420, 860]]) {
      await page.setViewportSize({width, height});
      await page.waitForTimeout(200);
      await page.screenshot({path: `${out}/linkage-${name}.png`, fullPage: true});
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${name}: the page scrolls sideways by ${overflow}px`);
    }
    await page.setViewportSize({width: 1280, height: 800});
  });

  it('logged no errors', () => {
    // The 401 is the page asking who is signed in before the sign-in; the 400 the refused file.
    assert.deepEqual(problems.filter((p) => !/status of (400|401)/.test(p)), []);
  });
});
