// The page of `subsoil serve`: settings in the URL, one streamed run per view, sections replaced as
// blocks of paths arrive. A newer view cancels the older run (the server stops it within a chunk, and
// this page drops anything the older one still sends).
'use strict';

const SECTIONS = ['headline', 'when', 'fans', 'projects', 'map'];
const $ = (s) => document.querySelector(s);
const session = Math.random().toString(36).slice(2) + Date.now().toString(36);

const state = { scenario: null, toml: null, controls: {}, levers: [], paths: 20480, seed: 1, sampler: 'random' };
let described = null; // the scenario's controls and levers (GET /api/scenarios/NAME or POST /api/scenario)
let builtins = [];
let seq = 0;
let inflight = null;
let timer = null;
// What was drawn, in order, for whoever inspects the page (the browser tests do).
window.subsoil = { renders: [], last: null, requests: 0 };

function encode(text) {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

function decode(b64) {
  const bin = atob(b64);
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

function fromUrl() {
  const q = new URLSearchParams(location.search);
  state.scenario = q.get('scenario');
  state.paths = Number(q.get('paths')) || 20480;
  state.seed = q.has('seed') ? Number(q.get('seed')) : 1;
  state.sampler = q.get('sampler') || 'random';
  state.controls = {};
  for (const [k, v] of q) if (k.startsWith('c.')) state.controls[k.slice(2)] = v;
  state.levers = q.getAll('lever');
  const h = new URLSearchParams(location.hash.slice(1));
  state.toml = h.has('toml') ? decode(h.get('toml')) : null;
}

function toUrl() {
  const q = new URLSearchParams();
  if (state.toml === null && state.scenario) q.set('scenario', state.scenario);
  q.set('paths', String(state.paths));
  q.set('seed', String(state.seed));
  if (state.sampler !== 'random') q.set('sampler', state.sampler);
  for (const [k, v] of Object.entries(state.controls)) if (v !== '') q.set('c.' + k, v);
  for (const l of state.levers) q.append('lever', l);
  const hash = state.toml === null ? '' : '#' + new URLSearchParams({ toml: encode(state.toml) }).toString();
  history.replaceState(null, '', '?' + q.toString() + hash);
}

// A number as a --set value: plain, at most ten significant digits.
function fmt(x) {
  return String(Number(x.toPrecision(10)));
}

function controlSets() {
  const out = [];
  for (const c of described ? described.controls : []) {
    const v = state.controls[c.id];
    if (v === undefined || v === '' || !Number.isFinite(Number(v))) continue;
    for (const t of c.targets) out.push(t.field + '=' + fmt(Number(v) * t.times));
  }
  return out;
}

function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function showError(e) {
  const box = $('#errors');
  box.replaceChildren();
  box.append(el('p', {}, e.field ? 'Not run: the problem is in ' + e.field + '.' : 'Not run.'));
  if (Array.isArray(e.errors) && e.errors.length) {
    const list = el('ol', { class: 'located' });
    for (const d of e.errors) {
      const at = [d.file, d.line, d.column].filter((x) => x !== null && x !== undefined).join(':');
      list.append(el('li', { 'data-line': d.line ?? '', 'data-column': d.column ?? '' }, at + ': ' + d.field + ': ' + d.message));
    }
    box.append(list);
  }
  box.append(el('pre', {}, e.error || 'unknown error'));
  box.hidden = false;
  $('#status').textContent = 'Not run: the problem is shown with the settings; the answers below are those of the last run.';
  $('#results').setAttribute('aria-busy', 'false');
}

function clearError() {
  $('#errors').hidden = true;
  $('#errors').replaceChildren();
}

function buildControls() {
  const box = $('#controls');
  box.replaceChildren();
  for (const c of described.controls) {
    const id = 'c-' + c.id;
    const label = el('label', { for: id }, c.label + ' ');
    label.append(el('span', { class: 'unit' }, '(' + c.unit + ')'));
    const input = el('input', {
      type: 'number', id, name: id, min: c.min, max: c.max, step: c.step, inputmode: 'decimal',
      placeholder: c.median === null ? 'as modelled' : 'as modelled (median ' + String(Number(c.median.toPrecision(3))) + ')',
    });
    input.value = state.controls[c.id] ?? '';
    input.addEventListener('input', () => {
      state.controls[c.id] = input.value;
      schedule();
    });
    box.append(label, input);
  }
  if (!described.controls.length) box.append(el('p', { class: 'hint' }, 'This scenario has none of these assumptions.'));
}

function groupLabel(g) {
  const s = g.replace(/-/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function buildLevers() {
  const box = $('#levers');
  box.replaceChildren();
  const names = new Set(described.levers.map((l) => l.name));
  state.levers = state.levers.filter((l) => names.has(l));
  const groups = new Map();
  for (const l of described.levers) {
    if (l.group) {
      if (!groups.has(l.group)) groups.set(l.group, []);
      groups.get(l.group).push(l);
    }
  }
  for (const [g, levers] of groups) {
    const id = 'g-' + g;
    const select = el('select', { id, name: id });
    select.append(el('option', { value: '' }, 'As modelled (the scenario\u2019s own distribution)'));
    for (const l of levers) {
      const o = el('option', { value: l.name }, l.label);
      if (state.levers.includes(l.name)) o.selected = true;
      select.append(o);
    }
    select.addEventListener('change', () => {
      state.levers = state.levers.filter((n) => !levers.some((l) => l.name === n));
      if (select.value) state.levers.push(select.value);
      schedule(0);
    });
    box.append(el('label', { for: id }, groupLabel(g)), select);
  }
  for (const l of described.levers.filter((l) => !l.group)) {
    const id = 'l-' + l.name;
    const label = el('label', { class: 'check', for: id });
    const box1 = el('input', { type: 'checkbox', id, name: id });
    box1.checked = state.levers.includes(l.name);
    box1.addEventListener('change', () => {
      state.levers = state.levers.filter((n) => n !== l.name);
      if (box1.checked) state.levers.push(l.name);
      schedule(0);
    });
    label.append(box1, document.createTextNode(l.label));
    box.append(label);
  }
  if (!described.levers.length) box.append(el('p', { class: 'hint' }, 'This scenario declares no levers.'));
}

async function describe() {
  let res;
  if (state.toml !== null) {
    res = await fetch('/api/scenario', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ toml: state.toml }),
    });
  } else {
    res = await fetch('/api/scenarios/' + encodeURIComponent(state.scenario));
  }
  const body = await res.json();
  if (!res.ok) {
    showError(body);
    return false;
  }
  clearError();
  described = body;
  $('#about').textContent = body.title || body.name;
  buildControls();
  buildLevers();
  return true;
}

function schedule(delay) {
  clearTimeout(timer);
  timer = setTimeout(run, delay === undefined ? 150 : delay);
}

function show(line, my) {
  if (my !== seq) return;
  if (line.error !== undefined) {
    if (line.field !== 'session') showError(line);
    return;
  }
  for (const id of SECTIONS) {
    const body = document.querySelector('#' + id + ' .body');
    if (line.html && typeof line.html[id] === 'string') body.innerHTML = line.html[id];
  }
  const results = $('#results');
  results.dataset.paths = line.paths;
  results.dataset.final = String(line.final);
  results.dataset.sets = JSON.stringify(line.result.manifest.sets);
  results.setAttribute('aria-busy', String(!line.final));
  const n = (x) => Number(x).toLocaleString('en-US');
  $('#status').textContent = line.final
    ? 'Done: ' + n(line.paths) + ' paths.'
    : n(line.paths) + ' of ' + n(line.of) + ' paths; refining\u2026';
  window.subsoil.renders.push({ seq: my, sets: line.result.manifest.sets, paths: line.paths, final: line.final });
  window.subsoil.last = line;
  $('#download').disabled = false;
  $('#command').textContent = 'subsoil run ' + fileName() + ' --paths ' + state.paths + ' --seed ' + state.seed + ' --sampler ' + state.sampler;
}

async function run() {
  const my = ++seq;
  if (inflight) inflight.abort();
  const ctl = new AbortController();
  inflight = ctl;
  toUrl();
  const body = {
    sets: controlSets(), levers: state.levers, paths: state.paths, seed: state.seed, sampler: state.sampler, session,
  };
  if (state.toml !== null) body.toml = state.toml;
  else body.scenario = state.scenario;
  $('#status').textContent = 'Running\u2026';
  $('#results').dataset.final = 'false';
  $('#results').setAttribute('aria-busy', 'true');
  window.subsoil.requests += 1;
  let res;
  try {
    res = await fetch('/api/run/stream', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: ctl.signal,
    });
  } catch (e) {
    if (my === seq && e.name !== 'AbortError') $('#status').textContent = 'The server cannot be reached: ' + e.message;
    return;
  }
  if (!res.ok) {
    const e = await res.json().catch(() => ({ error: res.statusText, field: null }));
    if (my === seq && e.field !== 'session') showError(e);
    return;
  }
  clearError();
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let buf = '';
  for (;;) {
    let chunk;
    try {
      chunk = await reader.read();
    } catch (e) {
      return;
    }
    if (chunk.done) break;
    buf += dec.decode(chunk.value, { stream: true });
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const text = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (my !== seq) {
        ctl.abort();
        return;
      }
      show(JSON.parse(text), my);
    }
  }
}

function fileName() {
  const base = state.toml === null ? state.scenario : (described && described.name) || 'upload';
  return base + '-view.toml';
}

// The view as a scenario file: the deal as chosen, and every override the run used (levers expanded)
// under `overrides`, which the loader applies as --set would be.
function viewToml() {
  const line = window.subsoil.last;
  const sets = line ? line.result.manifest.sets : [];
  const overrides = 'overrides = [' + sets.map((s) => JSON.stringify(s)).join(', ') + ']\n';
  const how = '# A view of subsoil serve. The same numbers on the command line:\n#   subsoil run ' + fileName() +
    ' --paths ' + state.paths + ' --seed ' + state.seed + ' --sampler ' + state.sampler + '\n';
  if (state.toml !== null) return how + overrides + state.toml;
  return how + 'format-version = 1\nextends = ' + JSON.stringify(state.scenario) + '\n' + overrides;
}

function download() {
  const blob = new Blob([viewToml()], { type: 'application/toml' });
  const a = el('a', { href: URL.createObjectURL(blob), download: fileName() });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

async function start() {
  fromUrl();
  const res = await fetch('/api/scenarios');
  const list = await res.json();
  builtins = list.scenarios;
  if (!state.scenario) state.scenario = list.default;
  const select = $('#scenario');
  for (const s of builtins) select.append(el('option', { value: s.name }, s.name));
  select.append(el('option', { value: '', id: 'uploaded-option', disabled: '' }, 'the uploaded file'));
  select.value = state.toml === null ? state.scenario : '';
  if (state.toml !== null) $('#uploaded-option').disabled = false;
  $('#paths').value = state.paths;
  $('#seed').value = state.seed;
  $('#sampler').value = state.sampler;
  select.addEventListener('change', async () => {
    if (!select.value) return;
    state.scenario = select.value;
    state.toml = null;
    if (await describe()) schedule(0);
  });
  $('#upload').addEventListener('change', async (ev) => {
    const file = ev.target.files[0];
    if (!file) return;
    const text = await file.text();
    const previous = state.toml;
    state.toml = text;
    $('#uploaded-option').disabled = false;
    select.value = '';
    if (await describe()) {
      schedule(0);
    } else {
      state.toml = previous;
      select.value = previous === null ? state.scenario : '';
    }
  });
  const number = (id, key) => $(id).addEventListener('input', () => {
    const v = Number($(id).value);
    if (Number.isFinite(v) && $(id).value !== '') {
      state[key] = v;
      schedule();
    }
  });
  number('#paths', 'paths');
  number('#seed', 'seed');
  $('#sampler').addEventListener('change', () => { state.sampler = $('#sampler').value; schedule(0); });
  $('#download').addEventListener('click', download);
  $('#copy-link').addEventListener('click', () => navigator.clipboard && navigator.clipboard.writeText(location.href));
  if (await describe()) run();
}

start();
