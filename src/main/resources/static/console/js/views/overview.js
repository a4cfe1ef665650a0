// Overview: the active version, the replicas, hit rate and p95 charts over the last hour
// or day with their objectives, the last backup and the circuit breakers.
import { get } from '../api.js';
import { destroy, lineChart } from '../charts.js';
import {
  badge, clear, describe, el, errorBox, fmtAge, fmtDuration, fmtMs, fmtNumber, fmtPercent, poller, showError, timeEl,
} from '../ui.js';

export function mount(root, ctx) {
  const state = { window: '1h', health: null, metrics: {}, breakers: null, backups: null, replicas: null };
  const error = errorBox();

  const active = el('section', { class: 'card', 'aria-labelledby': 'ov-active' });
  const replicas = el('section', { class: 'card', 'aria-labelledby': 'ov-replicas' });
  const backup = el('section', { class: 'card', 'aria-labelledby': 'ov-backup' });
  const breakers = el('section', { class: 'card', 'aria-labelledby': 'ov-breakers' });
  const hitChart = el('div', { class: 'chart', 'data-testid': 'hit-rate-chart', role: 'img', 'aria-label': 'Hit rate over time' });
  const latencyChart = el('div', { class: 'chart', 'data-testid': 'latency-chart', role: 'img', 'aria-label': 'p95 latency over time' });
  const hitNote = el('p', { class: 'chart-note' });
  const latencyNote = el('p', { class: 'chart-note' });
  const summary = el('dl', { class: 'stats' });

  const windowButtons = ['1h', '24h'].map((w) => el('button', {
    type: 'button', 'aria-pressed': String(w === state.window), dataset: { window: w },
    onclick: () => {
      state.window = w;
      windowButtons.forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.window === w)));
      drawCharts();
      if (!state.metrics[w]) {
        loadMetrics(w).then(drawCharts);
      }
    },
  }, w === '1h' ? 'Last hour' : 'Last day'));

  root.append(
    el('h1', {}, 'Overview'),
    error,
    el('div', { class: 'grid' },
      active, replicas,
      el('section', { class: 'card wide', 'aria-labelledby': 'ov-quality' },
        el('div', { class: 'toolbar' },
          el('h2', { id: 'ov-quality' }, 'Search quality and speed'),
          el('span', { class: 'spacer' }),
          el('div', { class: 'segmented', role: 'group', 'aria-label': 'Time window' }, windowButtons)),
        summary,
        el('div', { class: 'grid' },
          el('div', {}, el('h3', {}, 'Hit rate'), hitChart, hitNote),
          el('div', {}, el('h3', {}, 'p95 latency'), latencyChart, latencyNote))),
      backup, breakers));

  function drawActive() {
    clear(active).append(el('h2', { id: 'ov-active' }, 'Active version'));
    const h = state.health;
    if (!h) {
      return;
    }
    if (h.version === null || h.version === undefined) {
      active.append(el('p', { 'data-testid': 'active-version', dataset: { version: '' } }, 'No version is active yet.'),
        el('p', { class: 'muted' }, 'Create, fill and seal a version, then activate it (Versions).'));
      return;
    }
    active.append(
      el('p', { class: 'stat' }, el('span', { 'data-testid': 'active-version', dataset: { version: h.version } }, `v${h.version}`), ' ', badge(h.status)),
      el('p', {}, h.label ? el('strong', {}, h.label) : el('span', { class: 'muted' }, 'no label')),
      el('dl', { class: 'stats' },
        el('div', {}, el('dt', {}, 'Activated'), el('dd', { title: h.activatedAt || '' }, fmtAge(h.activatedAt))),
        el('div', {}, el('dt', {}, 'Content age'), el('dd', {}, fmtDuration(h.freshnessSeconds))),
        el('div', {}, el('dt', {}, 'Documents'), el('dd', {}, fmtNumber(h.documents))),
        el('div', {}, el('dt', {}, 'Chunks'), el('dd', {}, fmtNumber(h.chunks)))));
  }

  function drawReplicas() {
    clear(replicas).append(el('h2', { id: 'ov-replicas' }, 'Replicas'));
    const h = state.health;
    if (!h) {
      return;
    }
    const list = (state.replicas && state.replicas.length) ? state.replicas
      : [{ ...h.replica, host: 'this replica', self: true, databaseReachable: h.databaseReachable }];
    replicas.append(el('div', { class: 'table-wrap' }, el('table', { 'data-testid': 'replicas' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Replica'), el('th', { scope: 'col' }, 'Serves'),
        el('th', { scope: 'col', class: 'num' }, 'Lag'), el('th', { scope: 'col' }, 'Seen'))),
      el('tbody', {}, list.map((r) => el('tr', {},
        el('td', {}, el('span', { class: 'mono', title: r.id || '' }, r.host || r.id || '—'), r.self ? [' ', badge('answering', 'info')] : '',
          r.databaseReachable === false ? [' ', badge('no database', 'bad')] : ''),
        el('td', {}, (r.servingVersion !== null && r.servingVersion !== undefined) ? `v${r.servingVersion}` : 'nothing',
          ' ', (r.servingVersion === h.version && !(r.lagSeconds > 0)) ? badge('in sync', 'ok') : badge('behind', 'warn')),
        el('td', { class: 'num' }, fmtDuration(r.lagSeconds)),
        el('td', {}, r.seenAt ? fmtAge(r.seenAt) : 'now')))))),
      el('p', { class: 'muted' }, `${list.length} replica${list.length === 1 ? '' : 's'} reported in the last 2 minutes.`));
    if (h.databaseReachable === false) {
      replicas.append(el('p', { class: 'error' }, 'This replica cannot reach the database; it keeps serving what it has.'));
    }
  }

  function drawSummary() {
    clear(summary);
    const target = objectives();
    for (const w of ['1h', '24h']) {
      const m = state.metrics[w];
      const name = w === '1h' ? 'last hour' : 'last day';
      summary.append(
        el('div', {}, el('dt', {}, `Hit rate, ${name}`), el('dd', {}, m ? fmtPercent(m.hitRate) : '…')),
        el('div', {}, el('dt', {}, `p95, ${name}`), el('dd', {}, m ? fmtMs(m.p95Ms) : '…')),
        el('div', {}, el('dt', {}, `Searches, ${name}`), el('dd', {}, m ? fmtNumber(m.requests) : '…')));
    }
    summary.append(el('div', {}, el('dt', {}, 'Objectives'),
      el('dd', {}, `hit rate ≥ ${fmtPercent(target.hitRate, 0)}, p95 ≤ ${fmtMs(target.p95)}`)));
  }

  function objectives() {
    const checks = (state.health && state.health.checks) || {};
    return {
      hitRate: checks.hitRate ? checks.hitRate.target : null,
      p95: checks.p95LatencyMs ? checks.p95LatencyMs.target : null,
    };
  }

  function drawCharts() {
    drawSummary();
    const m = state.metrics[state.window];
    if (!m || !m.series) {
      return;
    }
    const target = objectives();
    lineChart(hitChart, m.series.map((p) => ({ at: p.at, value: p.hitRate })), {
      label: 'Hit rate', objective: target.hitRate, objectiveLabel: 'Objective', max: 1,
      format: (v) => (v === null || v === undefined) ? '—' : `${Math.round(v * 100)} %`,
    });
    lineChart(latencyChart, m.series.map((p) => ({ at: p.at, value: p.p95Ms })), {
      label: 'p95', objective: target.p95, objectiveLabel: 'Objective', color: '#6a3d9a',
      format: (v) => (v === null || v === undefined) ? '—' : `${Math.round(v)} ms`,
    });
    const empty = m.requests === 0 ? 'No searches in this window yet.' : `${fmtNumber(m.requests)} searches; one point per ${m.stepSeconds / 60} min.`;
    hitNote.textContent = `${empty} Dashed: the objective.`;
    latencyNote.textContent = `${empty} Dashed: the objective.`;
  }

  function drawBackup() {
    clear(backup).append(el('h2', { id: 'ov-backup' }, 'Last backup'));
    const check = state.health && state.health.checks && state.health.checks.backup;
    const last = state.backups && state.backups.find((b) => b.state === 'SUCCEEDED');
    if (last) {
      backup.append(el('dl', { class: 'stats' },
        el('div', {}, el('dt', {}, 'Finished'), el('dd', {}, fmtAge(last.finishedAt))),
        el('div', {}, el('dt', {}, 'Backup'), el('dd', { class: 'mono' }, String(last.id))),
        el('div', {}, el('dt', {}, 'Verification'), el('dd', {}, last.verifiedAt
          ? [badge(last.verifyOk ? 'verified' : 'problems', last.verifyOk ? 'ok' : 'bad'), ' ', fmtAge(last.verifiedAt)]
          : badge('not verified', 'warn'))),
        el('div', {}, el('dt', {}, 'Restore drill'), el('dd', {}, last.drilledAt ? `RTO ${fmtDuration(last.rtoSeconds)}` : 'never'))));
    } else if (check && check.lastSuccessAt) {
      backup.append(el('p', {}, 'Last success ', timeEl(check.lastSuccessAt), ` (${fmtAge(check.lastSuccessAt)})`));
    } else {
      backup.append(el('p', {}, 'No successful backup yet.'));
    }
    if (check) {
      backup.append(el('p', {}, check.ok ? badge('backup age within objective', 'ok') : badge('backup too old', 'bad')));
    }
    if (!ctx.operator) {
      backup.append(el('p', { class: 'muted' }, 'Backup details need the operator role.'));
    }
  }

  function drawBreakers() {
    clear(breakers).append(el('h2', { id: 'ov-breakers' }, 'Circuit breakers'));
    if (!state.breakers) {
      return;
    }
    if (!state.breakers.length) {
      breakers.append(el('p', { class: 'muted' }, 'No circuit breaker has been used yet.'));
      return;
    }
    breakers.append(el('div', { class: 'table-wrap' }, el('table', { 'data-testid': 'breakers' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Breaker'), el('th', { scope: 'col' }, 'State'),
        el('th', { scope: 'col', class: 'num' }, 'Failure rate'), el('th', { scope: 'col', class: 'num' }, 'Refused calls'))),
      el('tbody', {}, state.breakers.map((b) => el('tr', {},
        el('td', { class: 'mono' }, b.name), el('td', {}, badge(b.state)),
        el('td', { class: 'num' }, b.failureRate === null ? '—' : `${b.failureRate.toFixed(1)} %`),
        el('td', { class: 'num' }, fmtNumber(b.notPermittedCalls))))))));
  }

  async function guarded(load) {
    try {
      await load();
      showError(error, null);
    } catch (e) {
      showError(error, e);
    }
  }

  async function loadHealth() {
    try {
      state.health = await get('/brain/health');
    } catch (e) {
      if (e.status === 503 && e.problem && e.problem.status === 'DOWN') {
        state.health = e.problem; // health answers 503 with its body when nothing is served
      } else {
        throw e;
      }
    }
    drawActive();
    drawReplicas();
    drawBackup();
  }

  async function loadMetrics(w) {
    state.metrics[w] = await get(`/brain/metrics?window=${w}`);
  }

  async function loadBreakers() {
    state.breakers = (await get('/brain/breakers')).breakers;
    drawBreakers();
  }

  async function loadReplicas() {
    state.replicas = (await get('/brain/replicas')).replicas;
    drawReplicas();
  }

  async function loadBackups() {
    state.backups = (await get('/brain/backups')).backups;
    drawBackup();
  }

  const tasks = [
    () => guarded(loadHealth),
    () => guarded(async () => { await loadMetrics('1h'); drawCharts(); }),
    () => guarded(loadBreakers),
    () => guarded(loadReplicas),
    () => guarded(async () => { await loadMetrics('24h'); drawCharts(); }),
  ];
  if (ctx.operator) {
    tasks.push(() => guarded(loadBackups));
  }
  drawActive();
  drawReplicas();
  drawBackup();
  drawBreakers();
  drawSummary();
  // First load at once, then at most one call a second, in turn.
  Promise.all(tasks.map((task) => task())).then(drawCharts);
  const poll = poller(tasks, 1000);
  return () => {
    poll.stop();
    destroy(hitChart);
    destroy(latencyChart);
  };
}
