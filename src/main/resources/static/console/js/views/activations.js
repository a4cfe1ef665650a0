// Activations: the timeline of activations and rollbacks (who, why, how long; automatic
// rollbacks marked) and the rollback dialog.
import { get, post } from '../api.js';
import {
  badge, fmtSwitch, clear, el, errorBox, field, fmtAge, modal, poller, showError, timeEl, toast,
} from '../ui.js';

const KINDS = {
  activate: ['activation', 'info'],
  rollback: ['rollback', 'warn'],
  auto_rollback: ['automatic rollback', 'bad'],
};

export function mount(root, ctx) {
  const error = errorBox();
  const list = el('ol', { class: 'timeline', 'data-testid': 'activations', 'aria-label': 'Activations, newest first' });
  const result = el('div', { 'data-testid': 'rollback-result', role: 'status' });
  const button = el('button', {
    type: 'button', class: 'danger', 'data-testid': 'rollback-button', disabled: !ctx.operator, 'data-operator': 'true',
    title: ctx.operator ? null : 'Needs the operator role', onclick: () => rollback(),
  }, 'Roll back…');
  let entries = [];

  root.append(el('div', { class: 'toolbar' }, el('h1', {}, 'Activations'), el('span', { class: 'spacer' }), button),
    ctx.operator ? '' : el('p', { class: 'notice' }, 'Read-only: rolling back needs the operator role.'),
    error, result, list);

  function item(a) {
    const [name, kind] = KINDS[a.kind] || [a.kind, ''];
    const cls = a.kind === 'auto_rollback' ? 'auto' : (a.kind === 'rollback' ? 'rollback' : '');
    return el('li', { class: cls || null, dataset: { kind: a.kind, to: a.to } },
      el('div', { class: 'head' },
        badge(name, kind),
        el('strong', {}, `${a.from ? `v${a.from}` : 'nothing'} → v${a.to}`),
        timeEl(a.at),
        el('span', { class: 'muted' }, fmtAge(a.at)),
        el('span', {}, 'by ', el('strong', {}, a.actor || 'unknown')),
        el('span', { class: 'muted' }, `switched in ${fmtSwitch(a.durationMs)}`)),
      el('p', { class: 'reason' }, a.reason ? `“${a.reason}”` : el('span', { class: 'muted' }, 'no reason given')));
  }

  async function load() {
    try {
      entries = (await get('/brain/activations?limit=50')).activations;
      clear(list).append(...entries.map(item));
      if (!entries.length) {
        list.append(el('li', {}, 'Nothing was activated yet.'));
      }
      showError(error, null);
    } catch (e) {
      showError(error, e);
    }
  }

  async function rollback() {
    let versions = [];
    let previous = null;
    try {
      versions = (await get('/brain/versions?limit=100')).versions;
      await load();
      previous = entries.length ? entries[0].from : null;
    } catch (e) {
      showError(error, e);
      return;
    }
    const current = versions.find((v) => v.active);
    const done = await modal('Roll back', (dialog, close) => {
      const reason = el('textarea', { required: true, maxlength: '500', rows: '2', 'data-testid': 'rollback-reason' });
      const target = el('select', { 'data-testid': 'rollback-target' },
        el('option', { value: '' }, previous ? `Previous version (v${previous})` : 'Previous version'),
        versions.filter((v) => !v.active && (v.state === 'READY' || v.state === 'RETIRED'))
          .map((v) => el('option', { value: v.version }, `v${v.version}${v.label ? ` · ${v.label}` : ''} (${v.state})`)));
      const err = errorBox();
      const outcome = el('div', { role: 'status' });
      const confirm = el('button', { type: 'submit', class: 'danger', 'data-testid': 'rollback-confirm' }, 'Roll back now');
      const cancel = el('button', { type: 'button', onclick: () => close() }, 'Cancel');
      const form = el('form', {
        method: 'dialog',
        onsubmit: async (event) => {
          event.preventDefault();
          if (outcome.dataset.done) {
            close(outcome.result);
            return;
          }
          if (!reason.value.trim()) {
            showError(err, new Error('Give a reason: it is recorded in the activation log.'));
            reason.focus();
            return;
          }
          confirm.disabled = true;
          confirm.textContent = 'Rolling back…';
          try {
            const body = { reason: reason.value.trim() };
            if (target.value) {
              body.to = Number(target.value);
            }
            const r = await post('/brain/rollback', body);
            showError(err, null);
            outcome.dataset.done = 'true';
            outcome.result = r;
            clear(outcome).append(el('p', { class: 'notice', 'data-testid': 'rollback-outcome' },
              `Rolled back from v${r.from} to v${r.to} in ${fmtSwitch(r.durationMs)}. Every replica follows within seconds.`));
            reason.disabled = true;
            target.disabled = true;
            cancel.hidden = true;
            confirm.disabled = false;
            confirm.className = 'primary';
            confirm.textContent = 'Close';
            confirm.focus();
          } catch (e) {
            showError(err, e);
            confirm.disabled = false;
            confirm.textContent = 'Roll back now';
          }
        },
      },
      el('p', {}, current ? `v${current.version}${current.label ? ` (${current.label})` : ''} is active now. A rollback switches every replica back at once; it is never gated.`
        : 'No version is active.'),
      field('Reason', reason, 'Required; recorded in the activation log with your key\'s name.'),
      field('Roll back to', target),
      err, outcome,
      el('div', { class: 'buttons' }, cancel, confirm));
      dialog.append(form);
    });
    if (done) {
      clear(result).append(el('p', { class: 'notice' }, `Rolled back from v${done.from} to v${done.to} in ${fmtSwitch(done.durationMs)}.`));
      toast(`Rolled back to v${done.to}`);
      load();
    }
  }

  load();
  const poll = poller([load], 2000);
  return () => poll.stop();
}
