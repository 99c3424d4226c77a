// The public HTTP API, as the dashboard calls it. A server with API keys needs a read key: asked for once per tab,
// kept in sessionStorage, sent as ?apiKey= (EventSource cannot send headers).

const KEY_ITEM = 'eventtracker-read-key';

/** Thrown when the server wants a (different) read key. */
export class KeyNeeded extends Error {
  constructor(rejected) {
    super(rejected ? 'That key was not accepted; a key with the read scope is needed.' : 'This server needs an API key with the read scope.');
    this.rejected = rejected;
  }
}

export function readKey() {
  return sessionStorage.getItem(KEY_ITEM);
}

export function setReadKey(key) {
  sessionStorage.setItem(KEY_ITEM, key);
}

/** The address of an API path with its parameters and the read key. */
export function apiUrl(path, params) {
  const q = new URLSearchParams(params || {});
  const key = readKey();
  if (key) q.set('apiKey', key);
  const text = q.toString();
  return text ? path + '?' + text : path;
}

/** GET as JSON; a refusal's problem details become the error's message. */
export async function getJson(path, params, signal) {
  const response = await fetch(apiUrl(path, params), { headers: { Accept: 'application/json' }, signal });
  if (response.status === 401 || response.status === 403) throw new KeyNeeded(!!readKey());
  if (!response.ok) {
    let detail = response.status + ' ' + response.statusText;
    try {
      const problem = await response.json();
      detail = problem.detail || problem.title || detail;
      if (problem.errors) detail += ' ' + Object.entries(problem.errors).map(([k, v]) => k + ': ' + [].concat(v).join(' ')).join('; ');
    } catch { /* not problem details */ }
    throw new Error(detail);
  }
  return response.json();
}

export const routes = {
  events: '/api/events',
  services: '/api/events/services',
  statistics: '/api/events/statistics',
  timeseries: '/api/events/timeseries',
  insights: '/api/events/insights',
  suggestions: '/api/events/suggestions',
  stream: '/api/events/stream',
  trace: (id) => '/api/events/trace/' + encodeURIComponent(id),
};
