// Search playground: a query in each mode, results with scores and the hit verdict, and
// feedback on the answer.
import { get, post } from '../api.js';
import { badge, clear, el, errorBox, field, fmtMs, showError, toast } from '../ui.js';

export function mount(root) {
  const error = errorBox();
  const q = el('input', { type: 'search', required: true, maxlength: '1000', 'data-testid': 'search-input', placeholder: 'How do I reset my password?' });
  const mode = el('select', { 'data-testid': 'search-mode' },
    el('option', { value: '' }, 'Default (hybrid when possible)'),
    el('option', { value: 'hybrid' }, 'Hybrid (words + meaning)'),
    el('option', { value: 'lexical' }, 'Lexical (words, BM25)'),
    el('option', { value: 'semantic' }, 'Semantic (meaning)'));
  const group = el('select', {},
    el('option', { value: 'chunk' }, 'Best chunks'),
    el('option', { value: 'document' }, 'Best documents'));
  const k = el('input', { type: 'number', min: '1', max: '100', value: '10' });
  const version = el('select', { 'data-testid': 'search-version' }, el('option', { value: '' }, 'Active version'));
  const run = el('button', { type: 'submit', class: 'primary', 'data-testid': 'search-run' }, 'Search');
  const results = el('div', { 'data-testid': 'search-results', 'aria-live': 'polite' });

  root.append(el('h1', {}, 'Search playground'),
    el('p', { class: 'muted' }, 'The active version answers exactly as it answers an application: the search is recorded as a hit or a miss, and your feedback overrides that verdict. Another version this replica keeps open (for a fast rollback) answers the same way, but is not recorded.'),
    el('form', { class: 'toolbar', role: 'search', onsubmit: (event) => { event.preventDefault(); search(); } },
      field('Query', q), field('Version', version), field('Mode', mode), field('Group', group), field('Results (k)', k), run),
    error, results);

  async function search() {
    const text = q.value.trim();
    if (!text) {
      showError(error, new Error('Type a query.'));
      return;
    }
    run.disabled = true;
    const params = new URLSearchParams({ q: text, k: k.value || '10', group: group.value });
    if (mode.value) {
      params.set('mode', mode.value);
    }
    if (version.value) {
      params.set('version', version.value);
    }
    try {
      const r = await get(`/brain/search?${params}`);
      showError(error, null);
      render(r);
    } catch (e) {
      clear(results);
      showError(error, e);
    } finally {
      run.disabled = false;
    }
  }

  function render(r) {
    const recorded = Boolean(r.queryId);
    const verdict = el('span', { 'data-testid': 'search-verdict' }, badge(r.hit ? 'hit' : 'miss', r.hit ? 'ok' : 'bad'));
    clear(results).append(
      el('div', { class: 'toolbar' },
        el('span', {}, 'Verdict ', verdict),
        el('span', {}, `version v${r.version}`),
        el('span', {}, `mode ${r.mode}`),
        el('span', {}, fmtMs(r.tookMs)),
        recorded ? el('span', { class: 'muted mono' }, `query ${r.queryId}`) : el('span', { class: 'muted' }, 'not recorded: feedback only applies to the active version'),
        el('span', { class: 'spacer' }),
        el('button', { type: 'button', class: 'small', disabled: !recorded, onclick: () => feedback(r, true) }, 'Answer was good'),
        el('button', { type: 'button', class: 'small', disabled: !recorded, onclick: () => feedback(r, false) }, 'Answer was bad')),
      r.results.length ? el('ol', { class: 'results' }, r.results.map((hit, i) => el('li', { 'data-testid': 'search-result', dataset: { key: hit.documentKey } },
        el('div', { class: 'head' },
          el('strong', {}, `${i + 1}. ${hit.title || hit.documentKey}`),
          el('span', { class: 'mono muted' }, hit.documentKey),
          el('span', { class: 'score' }, `score ${hit.score.toFixed(4)}`)),
        el('p', { class: 'text' }, hit.text),
        el('div', { class: 'actions' },
          el('button', { type: 'button', class: 'small', disabled: !recorded, onclick: () => feedback(r, true, hit.documentKey) }, 'Relevant'),
          el('button', { type: 'button', class: 'small', disabled: !recorded, onclick: () => feedback(r, false, hit.documentKey) }, 'Not relevant')))))
        : el('p', {}, 'No result.'));
  }

  async function feedback(r, relevant, documentKey) {
    try {
      const body = { queryId: r.queryId, relevant };
      if (documentKey) {
        body.documentKey = documentKey;
      }
      await post('/brain/feedback', body);
      toast(`Feedback recorded: ${relevant ? 'relevant' : 'not relevant'}${documentKey ? ` (${documentKey})` : ''}`);
    } catch (e) {
      showError(error, e);
    }
  }

  get('/brain/versions?limit=100').then((page) => {
    version.append(...page.versions.filter((v) => !v.active && (v.state === 'READY' || v.state === 'RETIRED'))
      .map((v) => el('option', { value: v.version }, `v${v.version}${v.label ? ` · ${v.label}` : ''} (if open here)`)));
  }).catch((e) => showError(error, e));
  q.focus();
  return () => {};
}
