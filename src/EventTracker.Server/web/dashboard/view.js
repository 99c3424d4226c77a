// The dashboard's whole state as a URL: which range, which filters, which pane. Reading and writing it here is the
// only place a view and its address meet, so every view can be bookmarked, shared, reloaded and gone back to.

/** The text filters, named as GET /api/events names them. */
export const TEXT_FILTERS = [
  { key: 'serviceName', label: 'Service' },
  { key: 'eventName', label: 'Event name' },
  { key: 'type', label: 'Name contains' },
  { key: 'userId', label: 'User' },
  { key: 'sessionId', label: 'Session' },
  { key: 'correlationId', label: 'Correlation id' },
];

/** Every filter, in the order an address lists them. */
const FILTER_KEYS = [...TEXT_FILTERS.map((f) => f.key), 'errorsOnly', 'statusClass'];

export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'];

/** The range buttons; any other relative span (such as a suggestion's 10m) is a range too. */
export const PRESET_RANGES = ['15m', '1h', '24h', '7d'];

const DEFAULT_RANGE = '1h';
const SPAN = /^(\d+)([smhd])$/;
const UNIT_MS = { s: 1000, m: 60000, h: 3600000, d: 86400000 };

/** The view an address describes; anything unknown or malformed falls back to the default. */
export function readView(search) {
  const q = new URLSearchParams(search);
  const filters = {};
  for (const { key } of TEXT_FILTERS) {
    const value = (q.get(key) || '').trim();
    if (value) filters[key] = value;
  }
  if (q.get('errorsOnly') === 'true') filters.errorsOnly = 'true';
  if (STATUS_CLASSES.includes(q.get('statusClass'))) filters.statusClass = q.get('statusClass');
  const from = Date.parse(q.get('from') || ''), to = Date.parse(q.get('to') || '');
  const custom = Number.isFinite(from) && Number.isFinite(to) && from < to;
  const range = SPAN.test(q.get('range') || '') ? q.get('range') : DEFAULT_RANGE;
  return {
    range: custom ? 'custom' : range,
    from: custom ? from : null,
    to: custom ? to : null,
    filters,
    page: q.get('page') === 'service' && filters.serviceName ? 'service' : 'events',
    event: q.get('event') || null,
    trace: q.get('trace') || null,
  };
}

/** The address of a view: its fields in a fixed order, defaults left out. */
export function writeView(view) {
  const q = new URLSearchParams();
  if (view.page === 'service') q.set('page', 'service');
  if (view.range === 'custom') {
    q.set('from', new Date(view.from).toISOString());
    q.set('to', new Date(view.to).toISOString());
  } else if (view.range !== DEFAULT_RANGE) {
    q.set('range', view.range);
  }
  for (const key of FILTER_KEYS) {
    if (view.filters[key]) q.set(key, view.filters[key]);
  }
  if (view.event) q.set('event', view.event);
  if (view.trace) q.set('trace', view.trace);
  const text = q.toString();
  return text ? '?' + text : location.pathname;
}

// The server's rule for a time series' bucket width (ServiceAnalytics.SeriesWidth): the narrowest of these that keeps
// the range under MAX_POINTS buckets.
const SERIES_WIDTHS = [60000, 300000, 900000, 1800000, 3600000, 10800000, 21600000, 43200000, 86400000, 604800000];
const MAX_POINTS = 120;
const bucketWidth = (range) => SERIES_WIDTHS.find((w) => range / w < MAX_POINTS) || SERIES_WIDTHS[SERIES_WIDTHS.length - 1];

/**
 * The range as epoch milliseconds. A relative range ends now and starts on a chart bucket's boundary, so that its first
 * bucket holds only events inside it, and the table, the cards and the charts cover the same span.
 */
export function timeRange(view, now = Date.now()) {
  if (view.range === 'custom') return { from: view.from, to: view.to, live: false };
  const [, count, unit] = SPAN.exec(view.range);
  const span = Number(count) * UNIT_MS[unit];
  const width = bucketWidth(span);
  return { from: Math.floor((now - span) / width) * width, to: now, live: true };
}

/** The filters as API query parameters (for GET /api/events, the analytics endpoints and the stream). */
export function filterParams(view) {
  return new URLSearchParams(view.filters);
}

/** The filters and the range as API query parameters. */
export function queryParams(view, now = Date.now()) {
  const params = filterParams(view);
  const { from, to, live } = timeRange(view, now);
  params.set('from', new Date(from).toISOString());
  // A live view has no end: what arrives while the answer travels belongs to it too.
  if (!live) params.set('to', new Date(to).toISOString());
  return params;
}

/** A view with one change, the panes closed unless the change opens one. */
export function withChange(view, change) {
  return { ...view, event: null, trace: null, ...change, filters: { ...view.filters, ...(change.filters || {}) } };
}

/** The dashboard view a suggestion's API link stands for: its filters and its range. */
export function viewOfSuggestion(href) {
  const url = new URL(href, location.origin);
  const q = new URLSearchParams();
  for (const key of FILTER_KEYS) if (url.searchParams.get(key)) q.set(key, url.searchParams.get(key));
  const from = url.searchParams.get('from');
  if (from && SPAN.test(from)) q.set('range', from);
  if (url.pathname.endsWith('/services') && q.get('serviceName')) q.set('page', 'service');
  return readView(q.toString());
}
