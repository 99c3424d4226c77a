import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { getJson, KeyNeeded, routes } from './api.js';
import { follow } from './live.js';
import { filterParams, queryParams, timeRange } from './view.js';

const PAGE = 100;
const MAX_HELD = 5000;

/**
 * The view's events: the first page from one query, older pages on demand (by cursor), and — for a range that ends
 * now — matching events from the stream, prepended as they arrive or held while paused. The stream opens before the
 * query, and what it brings meanwhile is merged by id, so nothing falls between the two.
 */
export function useEventFeed(view, anchor, key, { onKeyNeeded, onInsight, onStats }) {
  const [feed, setFeed] = useState({ rows: [], filtered: null, total: null, cursor: null, loading: true, error: null });
  const [connection, setConnection] = useState('connecting');
  const [paused, setPausedState] = useState(false);
  const [heldCount, setHeldCount] = useState(0);
  const pausedRef = useRef(false);
  const held = useRef([]);
  const heldTotal = useRef(0);
  const [reloads, setReloads] = useState(0);
  const handlers = useRef({ onInsight, onStats });
  handlers.current = { onInsight, onStats };

  useEffect(() => {
    const abort = new AbortController();
    const { live } = timeRange(view);
    let early = [];
    let loaded = false;
    const add = (event) => {
      if (!loaded) { early.push(event); return; }
      if (pausedRef.current) {
        // Past MAX_HELD only the count grows; resuming then reloads the view instead of showing a gap.
        if (held.current.length < MAX_HELD) held.current.unshift(event);
        setHeldCount(++heldTotal.current);
        return;
      }
      setFeed((f) => (f.rows.some((r) => r.id === event.id) ? f : { ...f, rows: [event, ...f.rows], filtered: f.filtered + 1 }));
    };
    const close = live
      ? follow(filterParams(view), { onEvent: add, onInsight: (i) => handlers.current.onInsight(i), onStats: (s) => handlers.current.onStats(s), onState: setConnection })
      : (setConnection('history'), () => {});
    setFeed((f) => ({ ...f, loading: true }));
    held.current = [];
    heldTotal.current = 0;
    setHeldCount(0);
    const params = queryParams(view, anchor);
    params.set('limit', PAGE);
    getJson(routes.events, params, abort.signal).then((page) => {
      const ids = new Set(page.events.map((e) => e.id));
      const newer = early.filter((e) => !ids.has(e.id)).reverse();
      loaded = true;
      early = [];
      setFeed({ rows: [...newer, ...page.events], filtered: page.filtered + newer.length, total: page.total, cursor: page.nextCursor, loading: false, error: null });
    }, (error) => {
      if (abort.signal.aborted) return;
      if (error instanceof KeyNeeded) onKeyNeeded(error);
      setFeed((f) => ({ ...f, loading: false, error }));
    });
    return () => { abort.abort(); close(); };
  }, [key, reloads]);

  const loadMore = useCallback(() => {
    if (!feed.cursor || feed.loading) return;
    const params = queryParams(view, anchor);
    params.set('limit', PAGE);
    params.set('cursor', feed.cursor);
    setFeed((f) => ({ ...f, loading: true }));
    getJson(routes.events, params).then((page) => {
      setFeed((f) => ({ ...f, rows: [...f.rows, ...page.events.filter((e) => !f.rows.some((r) => r.id === e.id))], cursor: page.nextCursor, loading: false }));
    }, (error) => setFeed((f) => ({ ...f, loading: false, error })));
  }, [feed.cursor, feed.loading, key]);

  const setPaused = useCallback((value) => {
    pausedRef.current = value;
    setPausedState(value);
    const h = held.current, total = heldTotal.current;
    held.current = [];
    heldTotal.current = 0;
    setHeldCount(0);
    if (!value && total > h.length) {
      setReloads((n) => n + 1);
    } else if (!value && h.length) {
      setFeed((f) => {
        const fresh = h.filter((e) => !f.rows.some((r) => r.id === e.id));
        return { ...f, rows: [...fresh, ...f.rows], filtered: f.filtered + fresh.length };
      });
    }
  }, []);

  return { ...feed, connection, paused, held: heldCount, setPaused, loadMore };
}
