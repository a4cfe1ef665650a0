// Diff: two versions' added, removed and changed documents; a changed document's old and
// new text side by side.
import { get } from '../api.js';
import { clear, el, errorBox, field, fmtNumber, showError, versionOptions } from '../ui.js';

export function mount(root, ctx, params) {
  const error = errorBox();
  const from = el('select', { 'data-testid': 'diff-from' });
  const to = el('select', { 'data-testid': 'diff-to' });
  const run = el('button', { type: 'submit', class: 'primary', 'data-testid': 'diff-run' }, 'Compare');
  const out = el('div', { 'data-testid': 'diff', 'aria-live': 'polite' });
  const detail = el('section', { 'data-testid': 'diff-document', 'aria-live': 'polite' });

  root.append(el('h1', {}, 'Diff'),
    el('form', { class: 'toolbar', onsubmit: (event) => { event.preventDefault(); compare(); } },
      field('From (old)', from), field('To (new)', to), run),
    error, out, detail);

  async function init() {
    try {
      const versions = (await get('/brain/versions?limit=100')).versions;
      const active = versions.find((v) => v.active);
      const newest = versions[0];
      const toDefault = params.get('to') || (newest ? newest.version : '');
      const fromDefault = params.get('from') || (active && String(active.version) !== String(toDefault) ? active.version
        : (versions[1] ? versions[1].version : toDefault));
      from.append(...versionOptions(versions, fromDefault));
      to.append(...versionOptions(versions, toDefault));
      if (params.get('from') && params.get('to')) {
        compare();
      }
    } catch (e) {
      showError(error, e);
    }
  }

  async function compare() {
    clear(detail);
    history.replaceState(null, '', `#/diff?from=${from.value}&to=${to.value}`);
    run.disabled = true;
    try {
      const d = await get(`/brain/diff?from=${from.value}&to=${to.value}`);
      showError(error, null);
      clear(out).append(
        el('p', {}, `v${d.from} → v${d.to}: `, el('strong', { 'data-testid': 'diff-summary' },
          `${fmtNumber(d.added.count)} added, ${fmtNumber(d.removed.count)} removed, ${fmtNumber(d.changed.count)} changed`),
          `, ${fmtNumber(d.unchanged.count)} unchanged.`),
        el('div', { class: 'diff-cols' },
          group('Added', 'added', d.added, d),
          group('Removed', 'removed', d.removed, d),
          group('Changed', 'changed', d.changed, d)));
    } catch (e) {
      showError(error, e);
    } finally {
      run.disabled = false;
    }
  }

  function group(title, kind, keys, d) {
    const more = keys.count > keys.keys.length ? el('p', { class: 'muted' }, `… and ${fmtNumber(keys.count - keys.keys.length)} more`) : null;
    return el('section', { class: 'card', 'data-testid': `diff-${kind}` },
      el('h2', {}, `${title} (${fmtNumber(keys.count)})`),
      keys.keys.length ? el('ul', { class: 'keys' }, keys.keys.map((key) => el('li', {},
        el('button', { type: 'button', class: 'link', dataset: { key }, onclick: () => show(kind, key, d) }, key))))
        : el('p', { class: 'muted' }, 'none'),
      more);
  }

  async function load(version, key) {
    try {
      return await get(`/brain/versions/${version}/documents?key=${encodeURIComponent(key)}`);
    } catch (e) {
      if (e.status === 404) {
        return null;
      }
      throw e;
    }
  }

  async function show(kind, key, d) {
    clear(detail).append(el('p', { class: 'muted' }, `Loading ${key}…`));
    try {
      const [old, neu] = await Promise.all([kind === 'added' ? null : load(d.from, key), kind === 'removed' ? null : load(d.to, key)]);
      const [left, right] = sideBySide(old ? old.content : '', neu ? neu.content : '');
      clear(detail).append(el('div', { class: 'card' },
        el('h2', {}, key),
        el('div', { class: 'side' },
          el('div', {}, el('h3', {}, `Old: v${d.from}`, old && old.title ? ` · ${old.title}` : ''), el('pre', { 'data-testid': 'diff-old' }, old ? left : el('span', { class: 'muted' }, 'not in this version'))),
          el('div', {}, el('h3', {}, `New: v${d.to}`, neu && neu.title ? ` · ${neu.title}` : ''), el('pre', { 'data-testid': 'diff-new' }, neu ? right : el('span', { class: 'muted' }, 'not in this version'))))));
      detail.querySelector('h2').scrollIntoView({ block: 'nearest' });
    } catch (e) {
      clear(detail);
      showError(error, e);
    }
  }

  init();
  return () => {};
}

/** Marks the words that differ: removed ones in the old text, added ones in the new. */
function sideBySide(oldText, newText) {
  const a = oldText.split(/(\s+)/);
  const b = newText.split(/(\s+)/);
  if (a.length * b.length > 4_000_000) {
    return [[oldText], [newText]];
  }
  // longest common subsequence over word tokens
  const n = a.length;
  const m = b.length;
  const table = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  const left = [];
  const right = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      left.push(a[i]);
      right.push(b[j]);
      i++;
      j++;
    } else if (j < m && (i >= n || table[i][j + 1] >= table[i + 1][j])) {
      right.push(/^\s+$/.test(b[j]) ? b[j] : el('ins', {}, b[j]));
      j++;
    } else {
      left.push(/^\s+$/.test(a[i]) ? a[i] : el('del', {}, a[i]));
      i++;
    }
  }
  return [left, right];
}
