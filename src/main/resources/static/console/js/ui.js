// Small DOM helpers shared by the views: element building without innerHTML, formatting,
// errors from problem+json, dialogs and the polite poller.

/** el('td', {class: 'num', dataset: {testid: 'x'}}, 'text', child) */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name === 'dataset') {
      Object.assign(node.dataset, value);
    } else if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.substring(2), value);
    } else if (name === 'text') {
      node.textContent = value;
    } else if (value === true) {
      node.setAttribute(name, '');
    } else {
      node.setAttribute(name, value);
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(node, child);
    } else {
      node.append(child instanceof Node ? child : String(child));
    }
  }
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

/** Shows an error's problem+json detail in a box (role=alert), or hides the box. */
export function showError(box, error) {
  if (!error) {
    box.hidden = true;
    box.textContent = '';
    return;
  }
  box.hidden = false;
  box.textContent = describe(error);
}

export function describe(error) {
  const problem = error && error.problem;
  if (problem) {
    const parts = [problem.detail || problem.title || error.message];
    if (Array.isArray(problem.failures) && problem.failures.length) {
      parts.push(problem.failures.join('; '));
    }
    if (Array.isArray(problem.errors) && problem.errors.length) {
      parts.push(problem.errors.map((e) => `${e.field}: ${e.message}`).join('; '));
    }
    return parts.join(' — ');
  }
  return (error && error.message) || String(error);
}

export function errorBox() {
  return el('p', { class: 'error', role: 'alert', hidden: true });
}

export function toast(message) {
  const holder = document.getElementById('toast');
  const item = el('div', {}, message);
  holder.append(item);
  setTimeout(() => item.remove(), 6000);
}

export function fmtTime(iso) {
  if (!iso) {
    return '—';
  }
  const date = new Date(iso);
  const options = { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' };
  if (date.getFullYear() !== new Date().getFullYear()) {
    options.year = 'numeric';
  }
  return date.toLocaleString(undefined, options);
}

export function timeEl(iso) {
  if (!iso) {
    return '—';
  }
  return el('time', { datetime: iso, title: iso }, fmtTime(iso));
}

export function fmtAge(iso, now = Date.now()) {
  if (!iso) {
    return '—';
  }
  return fmtDuration((now - new Date(iso).getTime()) / 1000) + ' ago';
}

export function fmtDuration(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) {
    return '—';
  }
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) {
    return `${s} s`;
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)} min ${s % 60} s`;
  }
  if (s < 86400) {
    return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  }
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

export function fmtBytes(bytes) {
  if (bytes === null || bytes === undefined) {
    return '—';
  }
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function fmtPercent(ratio, digits = 1) {
  return (ratio === null || ratio === undefined) ? '—' : `${(ratio * 100).toFixed(digits)} %`;
}

export function fmtNumber(value) {
  return (value === null || value === undefined) ? '—' : Number(value).toLocaleString();
}

/** A switch's duration: 0.84 ms, 4.8 ms, 73 ms. */
export function fmtSwitch(ms) {
  if (ms === null || ms === undefined) {
    return '—';
  }
  return `${ms < 1 ? ms.toFixed(2) : (ms < 10 ? ms.toFixed(1) : Math.round(ms))} ms`;
}

export function fmtMs(value) {
  return (value === null || value === undefined) ? '—' : `${Math.round(value * 10) / 10} ms`;
}

const STATE_BADGES = {
  ACTIVE: 'ok', READY: 'info', BUILDING: 'warn', RETIRED: '', FAILED: 'bad', SUCCEEDED: 'ok', RUNNING: 'warn',
  UP: 'ok', DEGRADED: 'warn', DOWN: 'bad', CLOSED: 'ok', OPEN: 'bad', HALF_OPEN: 'warn', QUEUED: 'warn', DONE: 'ok',
};

export function badge(text, kind) {
  const cls = kind !== undefined ? kind : (STATE_BADGES[text] ?? '');
  return el('span', { class: `badge ${cls}`.trim() }, text);
}

/**
 * Opens a modal dialog built by `build(dialog, close)`; resolves with the value given to
 * close(). Escape closes it (resolving undefined). Focus returns to the opener.
 */
export function modal(title, build) {
  return new Promise((resolve) => {
    const opener = document.activeElement;
    const titleId = `dialog-${Math.random().toString(36).slice(2)}`;
    const dialog = el('dialog', { 'aria-labelledby': titleId }, el('h2', { id: titleId }, title));
    let result;
    const close = (value) => {
      result = value;
      dialog.close();
    };
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (opener && opener.isConnected) {
        opener.focus();
      }
      resolve(result);
    });
    build(dialog, close);
    document.body.append(dialog);
    dialog.showModal();
  });
}

/**
 * Polls politely: runs one task per period (one call at most), the tasks in turn, never
 * two at once, and not at all while the tab is hidden.
 */
export function poller(tasks, periodMs = 1000) {
  let index = 0;
  let timer = null;
  let running = false;
  let stopped = false;

  const schedule = (delay) => {
    if (!stopped && timer === null && !running) {
      timer = setTimeout(tick, delay);
    }
  };

  async function tick() {
    timer = null;
    if (stopped || document.hidden || tasks.length === 0) {
      return;
    }
    running = true;
    const started = performance.now();
    try {
      await tasks[index % tasks.length]();
    } catch {
      // each task shows its own errors
    }
    index++;
    running = false;
    schedule(Math.max(periodMs, periodMs - (performance.now() - started)));
  }

  const visibility = () => {
    if (!document.hidden) {
      schedule(periodMs);
    }
  };
  document.addEventListener('visibilitychange', visibility);
  schedule(periodMs);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', visibility);
    },
  };
}

/** A labelled form field: label + control, wired by id. */
export function field(labelText, control, hint) {
  if (!control.id) {
    control.id = `f-${Math.random().toString(36).slice(2)}`;
  }
  const wrap = el('div', { class: 'field' }, el('label', { for: control.id }, labelText), control);
  if (hint) {
    const hintEl = el('span', { class: 'muted', id: `${control.id}-hint` }, hint);
    control.setAttribute('aria-describedby', hintEl.id);
    wrap.append(hintEl);
  }
  return wrap;
}

/** Options of sealed and building versions for a select, newest first. */
export function versionOptions(versions, selected, filter = () => true) {
  return versions.filter(filter).map((v) => el('option', { value: v.version, selected: String(v.version) === String(selected) },
    `v${v.version}${v.label ? ` · ${v.label}` : ''} (${v.active ? 'ACTIVE' : v.state})`));
}
