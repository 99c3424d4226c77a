import { useEffect, useRef } from 'preact/hooks';
import { clock, count, isError, ms } from '../format.js';
import { useNav } from '../nav.jsx';
import { withChange } from '../view.js';

/**
 * The view's events, newest first: a row opens its detail (click, Enter); arrow keys move between rows; the next page
 * loads when the end of the table scrolls into sight (or from the button, without a pointer).
 */
export function EventTable({ feed }) {
  const { view, go } = useNav();
  const end = useRef(null);

  useEffect(() => {
    if (!end.current || !feed.cursor) return undefined;
    const watcher = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && feed.loadMore());
    watcher.observe(end.current);
    return () => watcher.disconnect();
  }, [feed.cursor, feed.loadMore]);

  const open = (event) => go(withChange(view, { event: event.id }), { keepScroll: true });
  const onKey = (e, event) => {
    const row = e.currentTarget;
    if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(event); }
    else if (e.key === 'ArrowDown' || e.key === 'j') { e.preventDefault(); row.nextElementSibling && row.nextElementSibling.focus(); }
    else if (e.key === 'ArrowUp' || e.key === 'k') { e.preventDefault(); row.previousElementSibling && row.previousElementSibling.focus(); }
  };

  return (
    <section class="events" aria-label="Events">
      <p class="summary" id="events-summary">
        {feed.filtered == null ? 'Loading…' : `${count(feed.filtered)} matching events of ${count(feed.total)} held · showing ${count(feed.rows.length)}`}
      </p>
      {feed.error && !feed.rows.length && <p class="error" role="alert">{feed.error.message}</p>}
      <div class="table-wrap">
        <table>
          <thead><tr><th>Time</th><th>Event</th><th>Service</th><th>User</th><th>Status</th><th class="num">Duration</th></tr></thead>
          <tbody id="events">
            {feed.rows.map((e) => {
              const status = e.payload && e.payload.statusCode;
              return (
                <tr key={e.id} tabIndex={0} data-id={e.id} class={(isError(e) ? 'error-row' : '') + (view.event === e.id ? ' selected' : '')}
                  aria-selected={view.event === e.id ? 'true' : 'false'} onClick={() => open(e)} onKeyDown={(k) => onKey(k, e)}>
                  <td class="time">{clock(e.timestamp)}</td>
                  <td class="name">{e.name}</td>
                  <td>{e.serviceName || 'unknown'}</td>
                  <td>{e.userId || ''}</td>
                  <td class={status >= 400 ? 'bad' : ''}>{status == null ? '' : status}</td>
                  <td class="num">{e.payload && e.payload.responseTimeMs != null ? ms(e.payload.responseTimeMs) : ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div ref={end} class="table-end">
        {feed.cursor
          ? <button type="button" onClick={feed.loadMore} disabled={feed.loading}>{feed.loading ? 'Loading…' : 'Load older events'}</button>
          : feed.rows.length > 0 && <span class="note">No older events in this range.</span>}
        {!feed.loading && feed.filtered === 0 && <p class="empty">No events match this range and filter.</p>}
      </div>
    </section>
  );
}
