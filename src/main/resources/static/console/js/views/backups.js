// Backups: state, size and verification; backup now, verify, drill (with RTO) and a
// restore behind a typed confirmation.
import { get, post } from '../api.js';
import {
  badge, clear, el, errorBox, field, fmtBytes, fmtDuration, modal, poller, showError, timeEl, toast,
} from '../ui.js';

export function mount(root, ctx) {
  const error = errorBox();
  const body = el('tbody');
  const now = el('button', {
    type: 'button', class: 'primary', 'data-testid': 'backup-now', disabled: !ctx.operator, 'data-operator': 'true',
    title: ctx.operator ? null : 'Needs the operator role', onclick: () => backupNow(),
  }, 'Back up now');
  const result = el('div', { role: 'status', 'data-testid': 'backup-result' });
  root.append(el('div', { class: 'toolbar' }, el('h1', {}, 'Backups'), el('span', { class: 'spacer' }), now),
    error, result,
    el('div', { class: 'table-wrap card' }, el('table', { 'data-testid': 'backups-table' },
      el('thead', {}, el('tr', {}, ['Backup', 'State', 'Started', 'Finished', 'Size', 'Active version', 'Verification', 'Restore drill', 'Actions']
        .map((h) => el('th', { scope: 'col', class: h === 'Size' ? 'num' : null }, h)))),
      body)));

  if (!ctx.operator) {
    clear(body).append(el('tr', {}, el('td', { colspan: '9' }, 'Backups need the operator role: a reader key may not list them.')));
    return () => {};
  }

  function row(b) {
    const busy = b.state !== 'SUCCEEDED';
    return el('tr', { 'data-testid': 'backup-row', dataset: { id: b.id, state: b.state } },
      el('th', { scope: 'row', class: 'mono' }, String(b.id)),
      el('td', {}, badge(b.state)),
      el('td', {}, timeEl(b.startedAt)),
      el('td', {}, timeEl(b.finishedAt)),
      el('td', { class: 'num' }, fmtBytes(b.sizeBytes)),
      el('td', {}, b.activeVersion ? `v${b.activeVersion}` : '—'),
      el('td', {}, b.verifiedAt ? [badge(b.verifyOk ? 'verified' : 'problems', b.verifyOk ? 'ok' : 'bad'), ' ', timeEl(b.verifiedAt)] : badge('not verified', 'warn')),
      el('td', {}, b.drilledAt ? [`RTO ${fmtDuration(b.rtoSeconds)}`, ' ', timeEl(b.drilledAt)] : el('span', { class: 'muted' }, 'never')),
      el('td', {}, el('div', { class: 'actions' },
        el('button', { type: 'button', class: 'small', disabled: busy, onclick: (e) => act(e.target, 'verify', b) }, 'Verify'),
        el('button', { type: 'button', class: 'small', disabled: busy, onclick: (e) => act(e.target, 'drill', b) }, 'Drill'),
        el('button', { type: 'button', class: 'small danger', disabled: busy, onclick: () => restore(b) }, 'Restore…'))));
  }

  async function load() {
    try {
      const backups = (await get('/brain/backups')).backups;
      clear(body).append(...backups.map(row));
      if (!backups.length) {
        body.append(el('tr', {}, el('td', { colspan: '9' }, 'No backup yet.')));
      }
      showError(error, null);
    } catch (e) {
      showError(error, e);
    }
  }

  async function backupNow() {
    now.disabled = true;
    try {
      const started = await post('/brain/backups');
      clear(result).append(el('p', { class: 'notice' }, `Backup ${started.id} started (${started.state}).`));
      await load();
    } catch (e) {
      showError(error, e);
    } finally {
      now.disabled = false;
    }
  }

  async function act(button, action, b) {
    button.disabled = true;
    const label = button.textContent;
    button.textContent = action === 'drill' ? 'Drilling…' : 'Verifying…';
    try {
      const r = action === 'drill' ? await post(`/brain/backups/${b.id}/drill`) : await post(`/brain/backups/${b.id}/verify`);
      const problems = r.problems && r.problems.length ? `: ${r.problems.join('; ')}` : '';
      const text = action === 'drill'
        ? `Drill of backup ${b.id}: ${r.ok ? 'restored and checked' : 'FAILED'} in ${fmtDuration(r.rtoSeconds)} (RTO)${problems}`
        : `Backup ${b.id} ${r.ok ? 'verified' : 'has problems'}${problems}`;
      clear(result).append(el('p', { class: r.ok ? 'notice' : 'error' }, text));
      await load();
    } catch (e) {
      showError(error, e);
    } finally {
      button.disabled = false;
      button.textContent = label;
    }
  }

  async function restore(b) {
    const phrase = `restore ${b.id}`;
    const done = await modal(`Restore backup ${b.id}?`, (dialog, close) => {
      const typed = el('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', 'data-testid': 'restore-phrase' });
      const err = errorBox();
      const confirm = el('button', { type: 'submit', class: 'danger', disabled: true, 'data-testid': 'restore-confirm' }, 'Restore');
      typed.addEventListener('input', () => { confirm.disabled = typed.value.trim() !== phrase; });
      dialog.append(el('form', {
        method: 'dialog',
        onsubmit: async (event) => {
          event.preventDefault();
          if (typed.value.trim() !== phrase) {
            return;
          }
          confirm.disabled = true;
          confirm.textContent = 'Restoring…';
          try {
            close(await post(`/brain/backups/${b.id}/restore?confirm=true`));
          } catch (e) {
            showError(err, e);
            confirm.disabled = false;
            confirm.textContent = 'Restore';
          }
        },
      },
      el('p', { class: 'error' }, `This replaces the live versions, documents and activation log with the content of backup ${b.id} (taken ${b.finishedAt || b.startedAt}, active version v${b.activeVersion ?? '—'}). Anything newer is lost.`),
      field(`Type “${phrase}” to confirm`, typed),
      err,
      el('div', { class: 'buttons' }, el('button', { type: 'button', onclick: () => close() }, 'Cancel'), confirm)));
    });
    if (done) {
      toast(`Backup ${b.id} restored`);
      clear(result).append(el('p', { class: 'notice' }, `Backup ${b.id} restored.`));
      load();
    }
  }

  load();
  const poll = poller([load], 2000);
  return () => poll.stop();
}
