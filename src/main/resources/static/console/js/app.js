// The console's shell: sign-in, navigation between views (hash routes) and the role.
import { session, get, whenUnauthorized } from './api.js';
import { clear, describe, el } from './ui.js';
import * as overview from './views/overview.js';
import * as versions from './views/versions.js';
import * as diff from './views/diff.js';
import * as activations from './views/activations.js';
import * as backups from './views/backups.js';
import * as search from './views/search.js';
import * as quality from './views/quality.js';

const VIEWS = { overview, versions, diff, activations, backups, search, quality };
const TITLES = {
  overview: 'Overview', versions: 'Versions', diff: 'Diff', activations: 'Activations', backups: 'Backups',
  search: 'Search playground', quality: 'Quality',
};

const ctx = { name: null, role: null, operator: false };
let current = null;

const $ = (id) => document.getElementById(id);

function showSignIn(message) {
  stopView();
  ctx.role = null;
  $('nav').hidden = true;
  $('who').hidden = true;
  clear($('view'));
  $('signin').hidden = false;
  const box = $('signin-error');
  box.hidden = !message;
  box.textContent = message || '';
  document.title = 'Sign in · Brainplane console';
  $('key').focus();
}

async function signIn(key, fromForm) {
  session.set(key);
  try {
    const me = await get('/brain/me');
    ctx.name = me.name;
    ctx.role = me.role;
    ctx.operator = me.role === 'operator';
  } catch (error) {
    session.clear();
    showSignIn(fromForm ? describe(error) : null);
    return;
  }
  $('signin').hidden = true;
  $('key').value = '';
  $('nav').hidden = false;
  $('who').hidden = false;
  $('role').textContent = ctx.role;
  $('role').dataset.role = ctx.role;
  $('caller').textContent = ctx.name;
  document.body.dataset.role = ctx.role;
  if (!location.hash || location.hash === '#' || location.hash === '#/') {
    history.replaceState(null, '', '#/overview');
  }
  route();
}

function stopView() {
  if (current && typeof current === 'function') {
    current();
  }
  current = null;
}

function route() {
  if (!ctx.role) {
    return;
  }
  const hash = location.hash.replace(/^#\/?/, '');
  const [name, query] = hash.split('?');
  const view = VIEWS[name] ? name : 'overview';
  const params = new URLSearchParams(query || '');
  stopView();
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.view === view) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  document.title = `${TITLES[view]} · Brainplane console`;
  const root = clear($('view'));
  root.dataset.view = view;
  try {
    current = VIEWS[view].mount(root, ctx, params);
  } catch (error) {
    root.append(el('p', { class: 'error', role: 'alert' }, describe(error)));
  }
}

whenUnauthorized((problem) => {
  session.clear();
  showSignIn(problem.detail || 'The key is no longer accepted; sign in again.');
});

$('signin-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const key = $('key').value.trim();
  if (key) {
    signIn(key, true);
  }
});

$('sign-out').addEventListener('click', () => {
  session.clear();
  showSignIn();
});

window.addEventListener('hashchange', route);

const stored = session.key();
if (stored) {
  signIn(stored, false);
} else {
  showSignIn();
}
