// Versions: a paged table, ingestion progress with ETA while building, seal and activate
// (an activation refused by a gate can be forced after a second confirmation).
import { get, post } from '../api.js';
import {
  badge, fmtSwitch, clear, describe, el, errorBox, field, fmtDuration, fmtNumber, fmtPercent, modal, poller, showError, timeEl,
  toast,
} from '../ui.js';

const PAGE = 20;

export function mount(root, ctx) {
  const state = { before: null, history: [], page: null };
  const error = errorBox();
  const body = el('tbody');
  const table = el('table', { 'data-testid': 'versions-table' },
    el('caption', { class: 'muted' }, 'Newest first. A building version shows its ingestion progress.'),
    el('thead', {}, el('tr', {},
      ['Version', 'Label', 'State', 'Documents', 'Chunks', 'Model', 'Created', 'Sealed', 'Evaluation', 'Actions']
        .map((h) => el('th', { scope: 'col', class: ['Documents', 'Chunks'].includes(h) ? 'num' : null }, h)))),
    body);
  const newer = el('button', { type: 'button', onclick: () => page(state.history.pop() ?? null) }, '← Newer');
  const older = el('button', { type: 'button', onclick: () => { state.history.push(state.before); page(state.page.next); } }, 'Older →');
  const pageInfo = el('span', { class: 'muted' });

  root.append(el('h1', {}, 'Versions'),
    ctx.operator ? '' : el('p', { class: 'notice' }, 'Read-only: sealing and activating need the operator role.'),
    error,
    el('div', { class: 'table-wrap card' }, table),
    el('div', { class: 'toolbar' }, newer, older, pageInfo));

  function row(v) {
    const tr = el('tr', { 'data-testid': 'version-row', dataset: { version: v.version, state: v.active ? 'ACTIVE' : v.state }, class: v.active ? 'active-row' : null },
      el('th', { scope: 'row' }, `v${v.version}`),
      el('td', { class: 'label' }, v.label || el('span', { class: 'muted' }, '—')),
      el('td', {}, badge(v.active ? 'ACTIVE' : v.state), progressOf(v)),
      el('td', { class: 'num' }, fmtNumber(v.documentCount)),
      el('td', { class: 'num' }, fmtNumber(v.chunkCount)),
      el('td', { class: 'mono' }, v.embeddingModel || el('span', { class: 'muted' }, 'lexical only')),
      el('td', {}, timeEl(v.createdAt)),
      el('td', {}, timeEl(v.sealedAt)),
      el('td', {}, evaluationOf(v.evaluation)),
      el('td', {}, actionsOf(v)));
    return tr;
  }

  function progressOf(v) {
    const p = v.progress;
    if (!p || v.state !== 'BUILDING') {
      return null;
    }
    const running = p.state === 'QUEUED' || p.state === 'RUNNING';
    const text = p.state === 'FAILED' ? `failed: ${p.error || 'a job gave up'}`
      : `${p.percent.toFixed(0)} % · ${fmtNumber(p.chunked)}/${fmtNumber(p.documents)} documents chunked, ${fmtNumber(p.embedded)}/${fmtNumber(p.chunks)} chunks embedded`
        + (running && p.etaSeconds !== undefined && p.etaSeconds !== null ? ` · ETA ${fmtDuration(p.etaSeconds)}` : '');
    const label = `Ingestion of v${v.version}`;
    return el('div', { class: 'progress', 'data-testid': 'ingest-progress' },
      el('progress', { max: '100', value: String(p.percent), 'aria-label': label }), el('span', {}, text));
  }

  function evaluationOf(evaluation) {
    if (!evaluation) {
      return el('span', { class: 'muted' }, 'none');
    }
    return el('span', { title: `set ${evaluation.set}, k=${evaluation.k}, ${evaluation.queries} queries` },
      `hit ${fmtPercent(evaluation.hitRate)} · MRR ${evaluation.mrr.toFixed(3)}`, el('br'), el('span', { class: 'muted' }, evaluation.set));
  }

  function actionsOf(v) {
    const box = el('div', { class: 'actions' });
    if (v.state === 'BUILDING') {
      box.append(el('button', {
        type: 'button', class: 'small', 'data-testid': 'seal-button', disabled: !ctx.operator, 'data-operator': 'true',
        title: ctx.operator ? null : 'Needs the operator role', onclick: () => seal(v),
      }, 'Seal'));
    }
    if (!v.active && (v.state === 'READY' || v.state === 'RETIRED')) {
      box.append(el('button', {
        type: 'button', class: 'small primary', 'data-testid': 'activate-button', disabled: !ctx.operator, 'data-operator': 'true',
        title: ctx.operator ? null : 'Needs the operator role', onclick: () => activate(v),
      }, 'Activate'));
    }
    return box;
  }

  async function page(before) {
    try {
      const query = `limit=${PAGE}` + (before !== null && before !== undefined ? `&before=${before}` : '');
      const result = await get(`/brain/versions?${query}`);
      state.before = before;
      state.page = result;
      clear(body).append(...result.versions.map(row));
      if (!result.versions.length) {
        body.append(el('tr', {}, el('td', { colspan: '10' }, 'No version yet. Create one with POST /brain/versions.')));
      }
      newer.disabled = state.history.length === 0 && (before === null || before === undefined);
      older.disabled = !result.next;
      pageInfo.textContent = result.versions.length
        ? `v${result.versions[0].version} … v${result.versions[result.versions.length - 1].version}` : '';
      showError(error, null);
    } catch (e) {
      showError(error, e);
    }
  }

  async function seal(v) {
    const done = await modal(`Seal v${v.version}?`, (dialog, close) => {
      const err = errorBox();
      const confirm = el('button', { type: 'submit', class: 'primary' }, 'Seal');
      dialog.append(el('form', {
        method: 'dialog',
        onsubmit: async (event) => {
          event.preventDefault();
          confirm.disabled = true;
          confirm.textContent = 'Sealing…';
          try {
            const sealed = await post(`/brain/versions/${v.version}/seal`);
            close(sealed);
          } catch (e) {
            showError(err, e);
            confirm.disabled = false;
            confirm.textContent = 'Seal';
          }
        },
      },
      el('p', {}, 'Sealing waits for ingestion, runs the version checks and builds the local index. The version can no longer change afterwards.'),
      err,
      el('div', { class: 'buttons' }, el('button', { type: 'button', onclick: () => close() }, 'Cancel'), confirm)));
    });
    if (done) {
      toast(`v${v.version} sealed: ${done.state}`);
      page(state.before);
    }
  }

  async function activate(v) {
    const done = await modal(`Activate v${v.version}?`, (dialog, close) => {
      const reason = el('textarea', { required: true, maxlength: '500', 'data-testid': 'activate-reason', rows: '2' });
      const err = errorBox();
      const confirm = el('button', { type: 'submit', class: 'primary', 'data-testid': 'activate-confirm' }, 'Activate');
      const forceBox = el('div', { hidden: true });
      const send = async (force) => {
        try {
          const result = await post(`/brain/versions/${v.version}/activate`, { reason: reason.value.trim(), force });
          close(result);
        } catch (e) {
          if (e.kind === 'activation-refused' && !force) {
            showError(err, e);
            confirm.hidden = true;
            forceBox.hidden = false;
            forceBox.querySelector('button').focus();
          } else {
            showError(err, e);
          }
        }
      };
      const forceButton = el('button', {
        type: 'button', class: 'danger', 'data-testid': 'activate-force',
        onclick: async () => {
          if (forceButton.dataset.armed !== 'true') {
            forceButton.dataset.armed = 'true';
            forceButton.textContent = `Yes, force v${v.version} live despite the gate`;
            return;
          }
          forceButton.disabled = true;
          await send(true);
          forceButton.disabled = false;
        },
      }, 'Force activation…');
      forceBox.append(el('p', {}, 'The activation gate refused this version. You may override it; the override is recorded with your reason.'), forceButton);
      dialog.append(el('form', {
        method: 'dialog',
        onsubmit: async (event) => {
          event.preventDefault();
          if (!reason.value.trim()) {
            showError(err, new Error('Give a reason: it is recorded in the activation log.'));
            return;
          }
          confirm.disabled = true;
          await send(false);
          confirm.disabled = false;
        },
      },
      el('p', {}, `Every replica switches to v${v.version}${v.label ? ` (${v.label})` : ''} within seconds.`),
      field('Reason', reason, 'Recorded in the activation log with your key\'s name.'),
      err, forceBox,
      el('div', { class: 'buttons' }, el('button', { type: 'button', onclick: () => close() }, 'Cancel'), confirm)));
    });
    if (done) {
      toast(`v${done.to} is active (was ${done.from ? `v${done.from}` : 'none'}), switched in ${fmtSwitch(done.durationMs)}`);
      page(state.before);
    }
  }

  page(null);
  // Refreshes the page shown (progress bars, states): one call every 2 s while open.
  const poll = poller([() => page(state.before)], 2000);
  return () => poll.stop();
}
