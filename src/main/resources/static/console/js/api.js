// The console's only way to the service: the public HTTP API under /brain, with the key
// from sessionStorage as a bearer token. Every path used here is documented in docs/api.md
// (a test checks that).

const KEY = 'brainplane.apiKey';

export const session = {
  key: () => sessionStorage.getItem(KEY),
  set: (key) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
};

/** A refused or failed call, carrying the problem+json body when there is one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }

  /** The problem type's last path segment, e.g. "activation-refused". */
  get kind() {
    const type = this.problem.type || '';
    return type.substring(type.lastIndexOf('/') + 1);
  }
}

let onUnauthorized = () => {};

/** Called when the service answers 401: the key is gone or was never valid. */
export function whenUnauthorized(callback) {
  onUnauthorized = callback;
}

export async function request(method, path, body) {
  const headers = { Accept: 'application/json, application/problem+json' };
  const key = session.key();
  if (key) {
    headers.Authorization = `Bearer ${key}`;
  }
  const init = { method, headers, cache: 'no-store', credentials: 'omit', redirect: 'error' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    throw new ApiError(0, { title: 'No answer', detail: `The service did not answer (${error.message}). Check that it is running and reachable.` });
  }
  if (response.status === 204) {
    return null;
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const problem = (data && typeof data === 'object') ? data
      : { title: response.statusText || `HTTP ${response.status}`, detail: `HTTP ${response.status} ${response.statusText}` };
    if (response.status === 401) {
      onUnauthorized(problem);
    }
    throw new ApiError(response.status, problem);
  }
  return data;
}

export const get = (path) => request('GET', path);
export const post = (path, body) => request('POST', path, body);
export const put = (path, body) => request('PUT', path, body);
export const del = (path) => request('DELETE', path);
