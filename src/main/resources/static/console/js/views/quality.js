// Quality: evaluation sets (list, upload), evaluating a version, comparing two versions.
import { get } from '../api.js';
import { el, errorBox, showError } from '../ui.js';

export function mount(root) {
  const error = errorBox();
  root.append(el('h1', {}, 'Quality'), error);
  get('/brain/versions?limit=100').catch((e) => showError(error, e));
  return () => {};
}
