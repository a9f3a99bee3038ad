// Opens a report.html written by `subsoil run --out DIR` in Debian's chromium (through playwright-core,
// which never downloads a browser) and checks it as a reader's browser would show it:
//   - no console errors and no uncaught page errors;
//   - no network request at all besides the page's own file;
//   - every section of the report is there, with a heading;
//   - the numbers plotted in two charts (the P(event by year) curve and the median of the partner's
//     cumulative receipts) equal those in summary.json, and so do the map's colours (P(occupied));
//   - a full-page screenshot, saved as report.png in the output folder, and one of each section
//     (section-ID.png).
//
// Usage: node report.mjs DIR OUTPUT_FOLDER
// The browser is $CHROMIUM, else /usr/bin/chromium. Exit status 0 when every check passes, 1 otherwise.

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const SECTIONS = ['headline', 'when', 'how-much', 'fans', 'histograms', 'projects', 'map', 'assumptions', 'manifest'];

const [dir, outDir] = process.argv.slice(2);
if (!dir || !outDir) {
  console.error('usage: node report.mjs DIR OUTPUT_FOLDER');
  process.exit(2);
}
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const pageFile = path.resolve(dir, 'report.html');
const pageUrl = pathToFileURL(pageFile).href;
const summary = JSON.parse(fs.readFileSync(path.resolve(dir, 'summary.json'), 'utf8'));
fs.mkdirSync(outDir, { recursive: true });

const failures = [];
const fail = (msg) => failures.push(msg);

/** Two numbers agree to the last bits (both were written from the same binary64 value). */
const same = (a, b) => a === b || Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b));

/** The points of one series of one chart: [{x, value}] from the data attributes of its circles. */
async function plotted(page, chart, series) {
  return page.$$eval(
    `svg[data-chart="${chart}"] g.series[data-series="${series}"] circle`,
    (cs) => cs.map((c) => ({ x: Number(c.dataset.x), value: Number(c.dataset.value) })),
  );
}

function compare(label, points, expected) {
  if (points.length === 0) {
    fail(`${label}: no points plotted`);
    return;
  }
  if (points.length !== expected.length) {
    fail(`${label}: ${points.length} points plotted, ${expected.length} in summary.json`);
    return;
  }
  const before = failures.length;
  points.forEach((p, i) => {
    const [x, v] = expected[i];
    if (!same(p.x, x) || !same(p.value, v)) {
      fail(`${label}: point ${i} is (${p.x}, ${p.value}), summary.json has (${x}, ${v})`);
    }
  });
  if (failures.length === before) console.log(`ok: ${label}: ${points.length} points equal summary.json`);
}

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'subsoil-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
  viewport: { width: 1100, height: 900 },
});
try {
  const requests = [];
  context.on('request', (r) => {
    if (r.url() !== pageUrl) requests.push(r.url());
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  const response = await page.goto(pageUrl, { waitUntil: 'load' });
  if (!response || !response.ok()) fail(`the page did not load: ${response && response.status()}`);
  // Let anything the page might start on its own (it should start nothing) show up.
  await page.waitForTimeout(500);

  for (const id of SECTIONS) {
    const n = await page.locator(`section#${id}[data-section="${id}"] > h2`).count();
    if (n !== 1) fail(`section ${id}: ${n} headed sections`);
    else if (!(await page.locator(`section#${id}`).isVisible())) fail(`section ${id} is not visible`);
  }
  console.log(`ok: ${SECTIONS.length} sections checked`);
  const charts = await page.locator('svg.chart').count();
  if (charts < 6) fail(`only ${charts} charts`);

  // Chart 1: P(first payment to the partner by year), a step curve of the time-to-event entry.
  const event = summary.events['partner-first-distribution'] ?? summary.events['first-new-receipts'];
  const eventSeries = summary.events['partner-first-distribution']
    ? 'first payment to the partner'
    : 'first state receipts from new licences';
  compare(
    `chart-events / ${eventSeries}`,
    await plotted(page, 'chart-events', eventSeries),
    event.by_year.map((y) => [y.year, y.p]),
  );

  // Chart 2: the median of a fan chart, year by year.
  const fanName = summary.series['partner-receipts-cumulative'] ? 'partner-receipts-cumulative' : 'fund-cash';
  const fanChart = fanName === 'partner-receipts-cumulative' ? 'chart-partner-cumulative' : 'chart-fund-cash';
  compare(
    `${fanChart} / median`,
    await plotted(page, fanChart, 'median'),
    summary.series[fanName].years.map((y) => [y.year, y.p50]),
  );

  // The map: each deposit coloured by P(occupied) of its projects, as summary.json has it.
  if (summary.manifest.map) {
    const spots = await page.$$eval('svg[data-chart="chart-map"] circle[data-id]', (cs) =>
      cs.map((c) => ({ id: c.dataset.id, value: c.dataset.value })),
    );
    if (spots.length !== summary.manifest.map.deposits.length) {
      fail(`the map shows ${spots.length} deposits, summary.json has ${summary.manifest.map.deposits.length}`);
    }
    const before = failures.length;
    for (const s of spots) {
      const project = summary.projects.find((p) => p.deposit === s.id);
      const want = project ? project.occupied.p : null;
      const got = s.value === 'null' ? null : Number(s.value);
      if (!(got === want || (got !== null && want !== null && same(got, want)))) {
        fail(`map: ${s.id} shows ${s.value}, summary.json has ${want}`);
      }
    }
    if (failures.length === before) console.log(`ok: map: ${spots.length} deposits coloured as summary.json says`);
  }

  // The headline states the partner's median receipts as the summary has them.
  const headline = await page.locator('section#headline').innerText();
  if (!/P10–P90/.test(headline)) fail(`the headline gives no range: ${headline}`);

  // Charts fit their containers: nothing wider than the page.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (overflow > 0) fail(`the page is ${overflow}px wider than the window`);

  await page.screenshot({ path: path.join(outDir, 'report.png'), fullPage: true });
  console.log(`ok: screenshot ${path.join(outDir, 'report.png')}`);
  // Each section on its own too, at a size a person can read (the whole page is long).
  for (const id of SECTIONS) {
    await page.locator(`section#${id}`).screenshot({ path: path.join(outDir, `section-${id}.png`) });
  }

  // On a phone the page does not scroll sideways: a chart wider than the screen scrolls within its
  // figure (two columns of 420px each once made the page 444px wide at 400).
  await page.setViewportSize({ width: 400, height: 900 });
  const phone = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (phone > 0) fail(`at 400px the page is ${phone}px wider than the window`);
  else console.log('ok: at 400px the page fits its window');

  for (const e of errors) fail(e);
  for (const r of requests) fail(`network request: ${r}`);
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}

if (failures.length > 0) {
  for (const f of failures) console.error(`FAIL: ${f}`);
  process.exit(1);
}
console.log('ok: report.html passes every check');
