// Drives the page of `subsoil serve` in Debian's chromium (through playwright-core) as a reader would:
//   1. loads the page and waits for the whole answer (the first block arrives before the rest);
//   2. changes the deal and a control, and sees the headline and the chart of events by year change;
//   3. opens the page's URL in a new page and sees the same settings and the same answer;
//   4. pulls a lever (frontline deposits all lost) and a control by keyboard;
//   5. moves a control twice quickly and sees only the second answer (nothing of the first is drawn
//      once the second arrives, and the first never completes);
//   6. downloads the view as a scenario file (view.toml) with the answer it showed (view.json), which the
//      Rust side runs on the command line;
//   7. uploads a malformed scenario and sees its problems located (file:line:column);
//   8. shows the page at phone width without sideways scrolling.
// It fails on console errors, page errors, requests to any other origin, and inputs without a label, and
// saves a screenshot of each step in the output folder.
//
// Usage: node serve.mjs URL OUTPUT_FOLDER MALFORMED_TOML
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [base, outDir, malformed] = process.argv.slice(2);
if (!base || !outDir || !malformed) {
  console.error('usage: node serve.mjs URL OUTPUT_FOLDER MALFORMED_TOML');
  process.exit(2);
}
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const origin = new URL(base).origin;
fs.mkdirSync(outDir, { recursive: true });
const failures = [];
const fail = (msg) => failures.push(msg);
const ok = (msg) => console.log(`ok: ${msg}`);
const LONG = 180_000;

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'subsoil-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  acceptDownloads: true,
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
  viewport: { width: 1200, height: 1000 },
});
const errors = [];
let expectRefusal = false;
context.on('request', (r) => {
  const u = r.url();
  if (!u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:')) fail(`request to another origin: ${u}`);
});
function watch(page) {
  page.on('console', (m) => {
    // The refused upload's own answer is logged by the browser as a failed load: expected, once.
    if (m.type() === 'error' && !(expectRefusal && m.text().includes('status of 400'))) errors.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  return page;
}

/** Waits for the final answer of `scenario` (when given) whose overrides include every one of `sets`. */
async function settled(page, want = {}) {
  await page.waitForFunction(
    ({ scenario, sets }) => {
      const l = window.subsoil && window.subsoil.last;
      const r = document.querySelector('#results');
      if (!l || !l.final || r.dataset.final !== 'true') return false;
      const m = l.result.manifest;
      return (!scenario || m.scenario === scenario) && (sets || []).every((s) => m.sets.includes(s));
    },
    want,
    { timeout: LONG, polling: 100 },
  );
}

const html = (page, sel) => page.$eval(sel, (e) => e.innerHTML);
/** A screenshot of what the window shows, with `sel` (when given) scrolled into view first. */
const shot = async (page, name, sel) => {
  if (sel) await page.locator(sel).first().scrollIntoViewIfNeeded();
  else await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(outDir, name) });
  ok(`screenshot ${name}`);
};

try {
  // 1. Load.
  const page = watch(context.pages()[0] ?? (await context.newPage()));
  const first = await page.goto(`${base}/?paths=12288&seed=3`, { waitUntil: 'load' });
  if (!first || !first.ok()) fail(`the page did not load: ${first && first.status()}`);
  await page.waitForFunction(() => window.subsoil && window.subsoil.renders.length > 0, null, { timeout: LONG });
  const firstBlock = await page.evaluate(() => window.subsoil.renders[0]);
  if (firstBlock.paths !== 4096) fail(`the first answer drawn is of ${firstBlock.paths} paths, not the first block's 4,096`);
  await settled(page);
  ok('the page loads and the answer arrives block by block');
  const unlabelled = await page.$$eval('input, select', (es) => es.filter((e) => e.labels.length === 0).map((e) => e.id));
  if (unlabelled.length) fail(`inputs without a label: ${unlabelled.join(', ')}`);
  await shot(page, 'serve-1-loaded.png');
  const headline0 = await html(page, '#headline .body');
  const chart0 = await html(page, '#when .body');

  // 2. Another deal, then a control.
  await page.selectOption('#scenario', 'ukraine-mar-2025-draft');
  await settled(page, { scenario: 'ukraine-mar-2025-draft' });
  await page.fill('#c-leakage', '0.3');
  await settled(page, { scenario: 'ukraine-mar-2025-draft', sets: ['leakage.receipts=0.3'] });
  const headline1 = await html(page, '#headline .body');
  const chart1 = await html(page, '#when .body');
  if (headline1 === headline0) fail('the headline did not change with the deal and the leakage');
  if (chart1 === chart0) fail('the chart of events by year did not change');
  if (!headline1.includes('<')) fail('the headline is empty');
  ok('changing the deal and a control changes the headline and a chart');
  await shot(page, 'serve-2-deal-and-leakage.png');

  // 3. The shared URL.
  const shared = page.url();
  const other = watch(await context.newPage());
  await other.goto(shared, { waitUntil: 'load' });
  await settled(other, { scenario: 'ukraine-mar-2025-draft', sets: ['leakage.receipts=0.3'] });
  const same = {
    scenario: [await page.inputValue('#scenario'), await other.inputValue('#scenario')],
    leakage: [await page.inputValue('#c-leakage'), await other.inputValue('#c-leakage')],
    paths: [await page.inputValue('#paths'), await other.inputValue('#paths')],
    headline: [headline1, await html(other, '#headline .body')],
  };
  for (const [k, [a, b]] of Object.entries(same)) if (a !== b) fail(`the shared URL shows another ${k}: ${String(b).slice(0, 80)}`);
  ok(`the shared URL (${shared}) shows the same state and answer`);
  await shot(other, 'serve-3-shared-url.png');
  await other.close();

  // 4. A lever, and a control moved by keyboard.
  await page.selectOption('#scenario', 'ukraine-final-2025');
  await settled(page, { scenario: 'ukraine-final-2025' });
  await page.selectOption('#g-frontline-loss', 'frontline-all-lost');
  await settled(page, { sets: ['conflict.creep-hazard=10'] });
  await page.focus('#c-capex-overrun');
  await page.keyboard.type('1.5');
  await settled(page, { sets: ['uncertainty.capex-overrun=1.5', 'conflict.creep-hazard=10'] });
  ok('a lever and a control typed from the keyboard reach the run');

  // 5. Two quick moves: the second comes once the first has drawn its first block.
  const before = await page.evaluate(() => window.subsoil.renders.length);
  await page.fill('#c-leakage', '0.2');
  await page.waitForFunction(
    (n) => window.subsoil.renders.slice(n).some((r) => r.sets.includes('leakage.receipts=0.2')),
    before, { timeout: LONG, polling: 20 },
  );
  await page.fill('#c-leakage', '0.25');
  await settled(page, { sets: ['leakage.receipts=0.25'] });
  const renders = await page.evaluate((n) => window.subsoil.renders.slice(n), before);
  const firstSecond = renders.findIndex((r) => r.sets.includes('leakage.receipts=0.25'));
  const stale = renders.slice(firstSecond).filter((r) => !r.sets.includes('leakage.receipts=0.25'));
  if (stale.length) fail(`${stale.length} answers of the first move drawn after the second's`);
  if (renders.some((r) => r.final && r.sets.includes('leakage.receipts=0.2'))) fail('the first move ran to the end');
  const shown = await page.$eval('#results', (e) => e.dataset.sets);
  if (!shown.includes('leakage.receipts=0.25')) fail(`the page shows ${shown}`);
  ok(`two quick moves: ${renders.length - firstSecond} blocks of the second answer drawn, none of the first after it`);
  await shot(page, 'serve-4-second-answer.png');

  // 6. The download.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  await download.saveAs(path.join(outDir, 'view.toml'));
  const view = await page.evaluate(() => ({
    result: window.subsoil.last.result,
    paths: Number(document.querySelector('#paths').value),
    seed: Number(document.querySelector('#seed').value),
    sampler: document.querySelector('#sampler').value,
  }));
  fs.writeFileSync(path.join(outDir, 'view.json'), JSON.stringify(view));
  ok(`downloaded ${download.suggestedFilename()}`);

  // 7. A malformed upload.
  expectRefusal = true;
  await page.setInputFiles('#upload', malformed);
  await page.waitForSelector('#errors:not([hidden]) ol.located li', { timeout: LONG });
  const located = await page.$$eval('#errors li', (ls) => ls.map((l) => l.textContent));
  if (!located.some((l) => /^upload\.toml:\d+:\d+: /.test(l))) fail(`no located error: ${located.join(' | ')}`);
  ok(`a malformed upload is refused: ${located[0]}`);
  await shot(page, 'serve-5-malformed-upload.png', '#errors');

  expectRefusal = false;

  // 8. Phone width.
  const phone = watch(await context.newPage());
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(`${base}/?paths=4096&seed=3`, { waitUntil: 'load' });
  await settled(phone);
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  if (width > 392) fail(`at phone width the page is ${width} px wide (sideways scrolling)`);
  ok(`at 390 px the page is ${width} px wide`);
  await shot(phone, 'serve-6-phone.png');
  await shot(phone, 'serve-7-phone-answers.png', '#headline');
} catch (e) {
  fail(`${e.message}`);
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
for (const e of errors) fail(e);
if (failures.length) {
  for (const f of failures) console.error(`FAIL: ${f}`);
  process.exit(1);
}
console.log('ok: the page passes every check');
