// Browser tests of the coordinator page: Playwright (playwright-core)
// driving Debian's chromium headless against a running service
// (service/browser/run.sh starts one on a free loopback port and sets
// CAREMATCH_URL and CAREMATCH_TOKEN). A screenshot of each page state goes
// to service/browser/screenshots/ (gitignored), with the measured load size
// and ranking times in screenshots/metrics.json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

const here = dirname(fileURLToPath(import.meta.url));
const shots = join(here, '..', 'screenshots');
const queueFile = join(here, '..', '..', '..', 'data', 'referrals.json');
const URL = process.env.CAREMATCH_URL || 'http://127.0.0.1:3000';
const TOKEN = process.env.CAREMATCH_TOKEN || '';
const EXECUTABLE = process.env.CHROMIUM || '/usr/bin/chromium';
const FIRST = 'Lanternfly Evening Trauma IOP (fictional)';
mkdirSync(shots, { recursive: true });

let browser;
const metrics = {};

before(async () => {
  browser = await chromium.launch({
    executablePath: EXECUTABLE,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
after(async () => {
  await browser?.close();
  writeFileSync(join(shots, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
  console.log('page metrics: ' + JSON.stringify(metrics));
});

// A fresh page; fails the test on a console error or a CSP violation.
async function open(t, width = 1100) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('request', (r) => { if (!r.url().startsWith(URL) && !r.url().startsWith('blob:')) problems.push('outside request: ' + r.url()); });
  t.after(async () => {
    await context.close();
    assert.deepEqual(problems, [], 'console errors, CSP violations or outside requests');
  });
  await page.goto(URL + '/');
  await page.waitForFunction(() => document.documentElement.classList.contains('js'));
  return page;
}
const shot = (page, name) => page.screenshot({ path: join(shots, name + '.png'), fullPage: true });

async function fillSample(page) {
  await page.click('#fill-sample');
}
// Sends the form; waits for this ranking (not an earlier one) or an error.
async function rank(page) {
  const n = await page.evaluate(() => window.carematchRuns || 0);
  await page.click('#rank');
  await page.waitForFunction((n) => (window.carematchRuns || 0) > n || document.getElementById('form-error').textContent !== '', n);
}
async function axe(page, name) {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  metrics['axe_' + name] = { violations: r.violations.map((v) => v.id + ':' + v.impact), passes: r.passes.length };
  assert.deepEqual(bad.map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')), [], name);
}

test('first load is small, with no outside request, and renders a ranking for the sample', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  t.after(() => context.close());
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  const t0 = Date.now();
  await page.goto(URL + '/', { waitUntil: 'load' });
  await page.waitForFunction(() => document.documentElement.classList.contains('js'));
  await page.waitForLoadState('networkidle');
  metrics.first_load_bytes = bytes;
  metrics.first_load_ms = Date.now() - t0; // includes networkidle's 500 ms of quiet
  metrics.first_load_navigation = await page.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0];
    return { dom_content_loaded_ms: Math.round(n.domContentLoadedEventEnd), load_ms: Math.round(n.loadEventEnd) };
  });
  assert.ok(bytes < 200 * 1024, `first load ${bytes} bytes`);
  await shot(page, '01-empty');
  const runs = [];
  for (let i = 0; i < 5; i++) {
    await fillSample(page);
    const s = Date.now();
    await page.click('#rank');
    await page.waitForFunction((n) => window.carematchRuns === n, i + 1);
    runs.push({ wall_ms: Date.now() - s, in_page_ms: await page.evaluate(() => window.carematchTiming.rankMs) });
  }
  metrics.sample_ranking = runs;
  assert.equal(await page.textContent('#result .match h4'), '1. ' + FIRST);
});

test('a patient: the expected first program, bars, reasons and plot; then the safety alert first', async (t) => {
  const page = await open(t);
  await fillSample(page);
  await rank(page);
  assert.equal(await page.textContent('#result .match h4'), '1. ' + FIRST);
  assert.equal(await page.locator('#result .match').first().locator('.bar').count(), 7);
  assert.ok(await page.locator('#result svg.plot circle').count() >= 1);
  // The README's picture (service/browser/page.png is a copy): the result, in the viewport.
  await page.setViewportSize({ width: 1000, height: 760 });
  await page.evaluate(() => document.getElementById('result').scrollIntoView());
  await page.screenshot({ path: join(shots, '00-readme.png') });
  await page.locator('#result .match').first().locator('summary').click();
  await shot(page, '02-ranking');
  // Risk of harm rated 5: the crisis alert before anything else, with tel: links.
  await page.click('#assessment-box summary');
  for (const [k, v] of [['risk_of_harm', 5], ['functional_status', 3], ['comorbidity', 2], ['stress', 3], ['support', 2], ['treatment_history', 3], ['engagement', 2]]) {
    await page.selectOption('#r-' + k, String(v));
  }
  await page.selectOption('#level', '');
  await page.click('#recommend');
  await page.waitForSelector('#level-out .level');
  assert.match(await page.textContent('#level-out'), /Recommended level: inpatient/);
  await rank(page);
  const first = page.locator('#result .alert').first();
  assert.equal(await first.getAttribute('class'), 'alert safety');
  assert.equal(await first.getAttribute('data-kind'), 'imminent_risk');
  for (const tel of ['tel:911', 'tel:988', 'tel:+18337732445']) {
    assert.equal(await first.locator(`a[href="${tel}"]`).count(), 1, tel);
  }
  await shot(page, '03-imminent-risk');
  await axe(page, 'imminent_risk');
});

test('did you mean: a misspelled diagnosis gets a suggestion that, clicked, ranks', async (t) => {
  const page = await open(t);
  await fillSample(page);
  await page.fill('#diag1', 'post traumatc stres disordr');
  await page.fill('#payer', 'Mass Helth');
  await rank(page);
  await page.waitForSelector('#diag1-dym .suggestion');
  assert.equal(await page.getAttribute('#diag1', 'aria-invalid'), 'true');
  await shot(page, '04-did-you-mean');
  await page.click('#diag1-dym .suggestion');
  if (await page.locator('#payer-dym .suggestion').count()) await page.click('#payer-dym .suggestion');
  await rank(page);
  await page.waitForSelector('#result .match');
  assert.equal(await page.textContent('#result .match h4'), '1. ' + FIRST);
});

test('why not: any program by name, with its exclusion reasons', async (t) => {
  const page = await open(t);
  await fillSample(page);
  await rank(page);
  await page.fill('#whynot-program', 'Copperfinch Day and Evening Program (fictional) (Boston)');
  await page.click('#whynot button');
  await page.waitForSelector('#whynot-out ul.exclusions li');
  assert.match(await page.textContent('#whynot-out'), /excluded for this patient/);
  assert.match(await page.textContent('#whynot-out .exclusions'), /miles away/);
  await page.locator('#whynot-out').scrollIntoViewIfNeeded();
  await shot(page, '05-why-not');
});

test('a queue: upload the sample, held referral first with its hold text, downloads', async (t) => {
  const page = await open(t);
  await page.setInputFiles('#queue-file', queueFile);
  await page.waitForFunction(() => document.getElementById('queue-text').value.length > 100);
  await page.click('#queue-form button[type=submit]');
  await page.waitForSelector('#queue-out .referral');
  const first = page.locator('#queue-out .referral').first();
  assert.equal(await first.getAttribute('data-status'), 'held');
  // The hold's text comes first, right under the referral's heading.
  assert.match(await first.locator('h4 + .alert.safety').textContent(), /^Held IMMINENT RISK/);
  const statuses = await page.locator('#queue-out .referral').evaluateAll((ls) => ls.map((l) => l.dataset.status));
  assert.ok(statuses.includes('placed') && statuses.includes('unplaced'), statuses.join());
  const [json] = await Promise.all([page.waitForEvent('download'), page.click('#queue-json')]);
  const assignment = JSON.parse(readFileSync(await json.path(), 'utf8'));
  assert.equal(assignment.referrals.length, JSON.parse(readFileSync(queueFile, 'utf8')).referrals.length);
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#queue-csv')]);
  const lines = readFileSync(await csv.path(), 'utf8').trim().split('\r\n');
  assert.equal(lines[0], 'referral_id,status,program_id,program_name,score,hold_or_reason,waitlist');
  assert.equal(lines.length, assignment.referrals.length + 1);
  await page.locator('#queue-view').scrollIntoViewIfNeeded();
  await shot(page, '06-queue');
  await axe(page, 'queue');
});

test('admin: close the first program and the ranking changes', async (t) => {
  assert.ok(TOKEN, 'CAREMATCH_TOKEN');
  const page = await open(t);
  const admin = async (accepting, wait, slots) => {
    await page.fill('#admin-token', TOKEN);
    await page.fill('#admin-program', FIRST + ' (Worcester)');
    await page.click('#admin-find button');
    await page.waitForSelector('#admin-edit:not([hidden])');
    await page.setChecked('#admin-accepting', accepting);
    await page.fill('#admin-wait', wait);
    await page.fill('#admin-slots', slots);
    await page.click('#admin-edit button');
    await page.waitForFunction(() => /^Saved|^Not saved/.test(document.getElementById('admin-out').textContent));
    assert.match(await page.textContent('#admin-out'), /^Saved: version \d+/);
  };
  t.after(async () => {
    // Put the program back as the sample has it.
    const p = await browser.newPage();
    await p.request.patch(URL + '/programs/wor-lanternfly-evening-iop', {
      headers: { authorization: 'Bearer ' + TOKEN },
      data: { accepting_new_patients: true, typical_wait_days: 7, open_slots: 1 },
    });
    await p.close();
  });
  await admin(false, '30', '');
  assert.match(await page.textContent('#admin-meta'), /Version \d+/);
  await page.locator('#admin-view').scrollIntoViewIfNeeded();
  await shot(page, '07-admin');
  await fillSample(page);
  await rank(page);
  const top = await page.textContent('#result .match h4');
  assert.notEqual(top, '1. ' + FIRST);
  await admin(true, '7', '1');
  await rank(page);
  assert.equal(await page.textContent('#result .match h4'), '1. ' + FIRST);
});

test('keyboard only: the patient form filled and sent without a mouse, focus visible', async (t) => {
  const page = await open(t);
  const focused = () => page.evaluate(() => document.activeElement && document.activeElement.id);
  // Tab from the top until a control with this id has focus.
  async function tabTo(id, limit = 200) {
    for (let i = 0; i < limit; i++) {
      if ((await focused()) === id) return;
      await page.keyboard.press('Tab');
    }
    assert.fail('never reached #' + id);
  }
  await tabTo('age');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none', 'focus is visible');
  await page.keyboard.type('34');
  await tabTo('diag1');
  await page.keyboard.type('F43.10');
  await tabTo('level');
  await page.keyboard.type('Intensive'); // a closed select's type-ahead
  await tabTo('payer');
  await page.keyboard.type('MassHealth');
  await tabTo('place');
  await page.keyboard.type('Worcester');
  await tabTo('miles');
  await page.keyboard.type('25');
  await tabTo('weekdays');
  await page.keyboard.press('Enter');
  await tabTo('busy-sat-9');
  await page.keyboard.press('Space');
  assert.equal(await page.isChecked('#busy-sat-9'), true);
  await page.keyboard.press('Space');
  await shot(page, '08-keyboard-focus');
  await tabTo('rank');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#result .match');
  assert.equal(await page.textContent('#result .match h4'), '1. ' + FIRST);
  assert.equal(await focused(), 'result');
});

test('accessible: axe-core finds no serious or critical violation; 320 px wide works', async (t) => {
  const page = await open(t);
  await axe(page, 'empty');
  await fillSample(page);
  await rank(page);
  await page.locator('#result .match').first().locator('summary').click();
  await axe(page, 'ranking');
  await page.setViewportSize({ width: 320, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 320, `scroll width ${overflow} at 320 px`);
  await shot(page, '09-narrow-320');
  await axe(page, 'narrow');
  await page.emulateMedia({ media: 'print' });
  await shot(page, '10-print');
});

// The sample patient typed into the form with JavaScript off (no fill button).
async function fillWithoutScript(page) {
  await page.fill('#age', '34');
  await page.fill('#diag1', 'F43.10');
  await page.selectOption('#level', 'intensive_outpatient');
  await page.fill('#payer', 'MassHealth');
  await page.fill('#place', 'Worcester');
  await page.fill('#miles', '25');
  for (const d of ['mon', 'tue', 'wed', 'thu', 'fri']) {
    for (const h of [9, 11, 13, 15]) await page.check(`#busy-${d}-${h}`);
  }
}
// Clicks `selector` and waits for the page the form post answers: its status.
async function post(page, selector) {
  const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
  assert.equal(new globalThis.URL(page.url()).search, '', 'nothing typed in the URL');
  return response.status();
}

test('without JavaScript: the patient form is sent as a form and the ranking comes back as a page', async (t) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1000, height: 900 } });
  t.after(() => context.close());
  const page = await context.newPage();
  await page.goto(URL + '/');
  assert.equal(await page.locator('noscript').count(), 1);
  await fillWithoutScript(page);
  assert.equal(await post(page, '#rank'), 200);
  assert.equal(await page.textContent('.match h3'), '1. ' + FIRST);
  await shot(page, '11-no-javascript');
});

test('without JavaScript: a form error is a 4xx page naming the field; why not; the queue held first; admin behind the token', async (t) => {
  assert.ok(TOKEN, 'CAREMATCH_TOKEN');
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1000, height: 900 } });
  t.after(async () => {
    // Put the program back as the sample has it.
    await context.request.patch(URL + '/programs/wor-lanternfly-evening-iop', {
      headers: { authorization: 'Bearer ' + TOKEN },
      data: { accepting_new_patients: true, typical_wait_days: 7, open_slots: 1 },
    });
    await context.close();
  });
  const page = await context.newPage();

  // No age: 422, a page that names the field by its label.
  await page.goto(URL + '/');
  await page.fill('#diag1', 'F43.10');
  await page.fill('#payer', 'MassHealth');
  assert.equal(await post(page, '#rank'), 422);
  assert.match(await page.textContent('ul.problems'), /Age in years: give a whole number/);
  await shot(page, '12-no-javascript-form-error');

  // Why not: the program named in the patient form.
  await page.goto(URL + '/');
  await fillWithoutScript(page);
  assert.ok(await page.isVisible('#whynot-nojs'), 'the why-not field shows without JavaScript');
  await page.fill('#whynot-nojs', 'Copperfinch Day and Evening Program (fictional) (Boston)');
  assert.equal(await post(page, '#whynot-nojs-go'), 200);
  assert.match(await page.textContent('main'), /is excluded for this patient/);
  assert.ok((await page.locator('ul.exclusions li').count()) > 0);
  await shot(page, '13-no-javascript-why-not');

  // The queue pasted: placed as a page, the held referral first with its hold's text.
  await page.goto(URL + '/');
  await page.fill('#queue-text', readFileSync(queueFile, 'utf8'));
  assert.equal(await post(page, '#queue-form button[type=submit]'), 200);
  const first = page.locator('li.referral').first();
  assert.equal(await first.getAttribute('data-status'), 'held');
  assert.match(await first.locator('.alert.safety').first().textContent(), /^Held /);
  await shot(page, '14-no-javascript-queue');

  // Admin: a wrong token is a 403 page; the right one finds the program.
  await page.goto(URL + '/');
  await page.fill('#admin-token', 'not-the-token');
  await page.fill('#admin-program', FIRST + ' (Worcester)');
  assert.equal(await post(page, '#admin-find button'), 403);
  assert.match(await page.textContent('ul.problems'), /Service token/);
  await page.goto(URL + '/');
  await page.fill('#admin-token', TOKEN);
  await page.fill('#admin-program', FIRST + ' (Worcester)');
  assert.equal(await post(page, '#admin-find button'), 200);
  assert.match(await page.textContent('#admin-meta'), /^Version \d+; last verified \d{4}-\d\d-\d\d\.$/);
  assert.equal(await page.inputValue('#admin-token'), '', 'the token is not written into the page');
  await page.fill('#admin-token', TOKEN);
  await page.uncheck('#admin-accepting');
  await page.fill('#admin-wait', '30');
  assert.equal(await post(page, '#admin-save button'), 200);
  assert.match(await page.textContent('.saved'), /^Saved: version \d+\.$/);
  await shot(page, '15-no-javascript-admin');
  // The ranking, without JavaScript, no longer puts it first.
  await page.goto(URL + '/');
  await fillWithoutScript(page);
  assert.equal(await post(page, '#rank'), 200);
  assert.notEqual(await page.textContent('.match h3'), '1. ' + FIRST);
});
