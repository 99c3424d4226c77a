// How numbers and times read on the page: one place, so a card, a row and a chart say the same thing.

export const fixed = (value, digits = 1) => (value == null || Number.isNaN(value) ? '—' : Number(value).toFixed(digits));

export const percent = (value) => (value == null ? '—' : fixed(value) + ' %');

export const ms = (value) => (value == null ? '—' : value >= 1000 ? fixed(value / 1000, 2) + ' s' : fixed(value, value < 10 ? 1 : 0) + ' ms');

export const count = (value) => (value == null ? '—' : Number(value).toLocaleString('en-US'));

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** Local time with milliseconds, as logs read. */
export function clock(epochMs) {
  const d = new Date(epochMs);
  return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()) + '.' + pad(d.getMilliseconds(), 3);
}

/** Local date and time. */
export function stamp(epochMs) {
  const d = new Date(epochMs);
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + clock(epochMs);
}

/** The value a datetime-local input shows for an instant. */
export function localInput(epochMs) {
  const d = new Date(epochMs);
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours()) + ':' + pad(d.getMinutes());
}

/** Whether an event counts as an error, as the server decides (status 400 and above, or an error-named event). */
export function isError(event) {
  const status = event.payload && event.payload.statusCode;
  return status >= 400 || /error|exception|fail/i.test(event.name);
}
