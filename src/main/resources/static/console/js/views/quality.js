// Quality: evaluation sets (list, upload JSON), evaluating a version against a set, and
// two versions' scores side by side.
import { get, post, put } from '../api.js';
import {
  clear, el, errorBox, field, fmtPercent, showError, timeEl, toast, versionOptions,
} from '../ui.js';

const EXAMPLE = '{"k": 10, "queries": [{"q": "how do I reset my password", "relevant": ["kb/reset-password"]}]}';

export function mount(root, ctx) {
  const error = errorBox();
  const sets = el('tbody');
  const setChoice = el('select', { 'data-testid': 'eval-set' });
  const versionA = el('select', { 'data-testid': 'eval-version-a' });
  const versionB = el('select', { 'data-testid': 'eval-version-b' });
  const compared = el('div', { 'data-testid': 'eval-comparison', 'aria-live': 'polite' });
  let versions = [];

  const name = el('input', { type: 'text', pattern: '[A-Za-z0-9._\\-]{1,100}', required: true, 'data-testid': 'eval-name', placeholder: 'golden' });
  const file = el('input', { type: 'file', accept: 'application/json,.json' });
  const text = el('textarea', { rows: '6', 'data-testid': 'eval-json', placeholder: EXAMPLE, spellcheck: 'false' });
  const upload = el('button', { type: 'submit', class: 'primary', 'data-operator': 'true', disabled: !ctx.operator, 'data-testid': 'eval-upload' }, 'Upload set');
  const uploadError = errorBox();
  file.addEventListener('change', async () => {
    if (file.files.length) {
      text.value = await file.files[0].text();
      if (!name.value) {
        name.value = file.files[0].name.replace(/\.json$/i, '').replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 100);
      }
    }
  });

  const evaluateBoth = el('button', { type: 'submit', class: 'primary', 'data-operator': 'true', disabled: !ctx.operator, 'data-testid': 'eval-run' }, 'Evaluate both');

  root.append(el('h1', {}, 'Quality'),
    ctx.operator ? '' : el('p', { class: 'notice' }, 'Read-only: uploading sets and running evaluations need the operator role.'),
    error,
    el('div', { class: 'grid' },
      el('section', { class: 'card', 'aria-labelledby': 'q-sets' },
        el('h2', { id: 'q-sets' }, 'Evaluation sets'),
        el('div', { class: 'table-wrap' }, el('table', { 'data-testid': 'eval-sets' },
          el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Name'), el('th', { scope: 'col', class: 'num' }, 'Queries'),
            el('th', { scope: 'col', class: 'num' }, 'k'), el('th', { scope: 'col' }, 'Updated'))),
          sets))),
      el('section', { class: 'card', 'aria-labelledby': 'q-upload' },
        el('h2', { id: 'q-upload' }, 'Upload a set'),
        el('form', { onsubmit: (event) => { event.preventDefault(); save(); } },
          field('Name', name, 'Letters, digits, dot, dash, underscore. An existing set of that name is replaced.'),
          field('JSON file', file),
          field('or paste the JSON', text, 'Queries with the keys of the documents that answer them, as for PUT /brain/eval-sets/{name}.'),
          uploadError,
          el('div', { class: 'buttons' }, upload))),
      el('section', { class: 'card wide', 'aria-labelledby': 'q-compare' },
        el('h2', { id: 'q-compare' }, 'Evaluate and compare two versions'),
        el('form', { class: 'toolbar', onsubmit: (event) => { event.preventDefault(); evaluate(); } },
          field('Set', setChoice), field('Version A', versionA), field('Version B', versionB), evaluateBoth),
        compared)));

  async function loadSets() {
    const list = (await get('/brain/eval-sets')).evalSets;
    clear(sets).append(...list.map((s) => el('tr', { 'data-testid': 'eval-set-row', dataset: { name: s.name } },
      el('th', { scope: 'row', class: 'mono' }, s.name), el('td', { class: 'num' }, String(s.queries)),
      el('td', { class: 'num' }, String(s.k)), el('td', {}, timeEl(s.updatedAt)))));
    if (!list.length) {
      sets.append(el('tr', {}, el('td', { colspan: '4' }, 'No evaluation set yet.')));
    }
    const chosen = setChoice.value;
    clear(setChoice).append(...list.map((s) => el('option', { value: s.name, selected: s.name === chosen }, s.name)));
  }

  async function loadVersions() {
    versions = (await get('/brain/versions?limit=100')).versions;
    const sealed = (v) => v.state !== 'BUILDING';
    const active = versions.find((v) => v.active);
    const others = versions.filter((v) => sealed(v) && !v.active);
    const a = versionA.value || (active ? active.version : (others[1] || others[0] || {}).version);
    const b = versionB.value || (others[0] || {}).version;
    clear(versionA).append(...versionOptions(versions, a, sealed));
    clear(versionB).append(...versionOptions(versions, b, sealed));
    compare();
  }

  async function save() {
    let body;
    try {
      body = JSON.parse(text.value);
    } catch (e) {
      showError(uploadError, new Error(`Not JSON: ${e.message}`));
      return;
    }
    upload.disabled = true;
    try {
      const saved = await put(`/brain/eval-sets/${encodeURIComponent(name.value.trim())}`, body);
      showError(uploadError, null);
      toast(`Set ${saved.name} saved: ${saved.queries} queries, k=${saved.k}`);
      setChoice.value = saved.name;
      await loadSets();
      setChoice.value = saved.name;
    } catch (e) {
      showError(uploadError, e);
    } finally {
      upload.disabled = !ctx.operator;
    }
  }

  async function evaluate() {
    if (!setChoice.value) {
      showError(error, new Error('Upload an evaluation set first.'));
      return;
    }
    evaluateBoth.disabled = true;
    evaluateBoth.textContent = 'Evaluating…';
    try {
      const set = encodeURIComponent(setChoice.value);
      const targets = [...new Set([versionA.value, versionB.value])];
      for (const v of targets) {
        await post(`/brain/versions/${v}/evaluate?set=${set}`);
      }
      showError(error, null);
      await loadVersions();
    } catch (e) {
      showError(error, e);
    } finally {
      evaluateBoth.disabled = !ctx.operator;
      evaluateBoth.textContent = 'Evaluate both';
    }
  }

  function compare() {
    const a = versions.find((v) => String(v.version) === versionA.value);
    const b = versions.find((v) => String(v.version) === versionB.value);
    clear(compared);
    if (!a || !b) {
      return;
    }
    const metric = (label, key, percent) => {
      const x = a.evaluation ? a.evaluation[key] : null;
      const y = b.evaluation ? b.evaluation[key] : null;
      const fmt = (v) => (v === null || v === undefined) ? '—' : (percent ? fmtPercent(v) : v.toFixed(3));
      const delta = (x !== null && x !== undefined && y !== null && y !== undefined) ? y - x : null;
      return el('tr', {}, el('th', { scope: 'row' }, label), el('td', { class: 'num' }, fmt(x)), el('td', { class: 'num' }, fmt(y)),
        el('td', { class: 'num', 'data-testid': `eval-delta-${key}` }, delta === null ? '—' : `${delta >= 0 ? '+' : ''}${percent ? fmtPercent(delta) : delta.toFixed(3)}`));
    };
    const setOf = (v) => v.evaluation ? `${v.evaluation.set}, k=${v.evaluation.k}, ${v.evaluation.queries} queries` : 'never evaluated';
    compared.append(el('div', { class: 'table-wrap' }, el('table', {},
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Last evaluation'),
        el('th', { scope: 'col', class: 'num' }, `A: v${a.version}`), el('th', { scope: 'col', class: 'num' }, `B: v${b.version}`),
        el('th', { scope: 'col', class: 'num' }, 'B − A'))),
      el('tbody', {},
        metric('Hit rate', 'hitRate', true), metric('MRR', 'mrr', false), metric('Recall', 'recall', true),
        el('tr', {}, el('th', { scope: 'row' }, 'Set'), el('td', { class: 'num' }, setOf(a)), el('td', { class: 'num' }, setOf(b)), el('td', {}, ''))))),
    (a.evaluation && b.evaluation && a.evaluation.set !== b.evaluation.set)
      ? el('p', { class: 'error' }, 'The two versions were last evaluated on different sets: evaluate both on one set to compare them.') : '');
  }

  versionA.addEventListener('change', compare);
  versionB.addEventListener('change', compare);
  Promise.all([loadSets(), loadVersions()]).catch((e) => showError(error, e));
  return () => {};
}
