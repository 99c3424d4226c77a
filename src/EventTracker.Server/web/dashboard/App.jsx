import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { getJson, routes, setReadKey } from './api.js';
import { count } from './format.js';
import { Link, Nav } from './nav.jsx';
import { useEventFeed } from './useEventFeed.js';
import { useLoad } from './useLoad.js';
import { queryParams, readView, writeView } from './view.js';
import { Charts } from './components/Charts.jsx';
import { EventDetail } from './components/EventDetail.jsx';
import { EventTable } from './components/EventTable.jsx';
import { FilterBar } from './components/FilterBar.jsx';
import { Insights } from './components/Insights.jsx';
import { KeyForm } from './components/KeyForm.jsx';
import { LiveControl } from './components/LiveControl.jsx';
import { RangePicker } from './components/RangePicker.jsx';
import { ServiceCards } from './components/ServiceCards.jsx';
import { ServicePage } from './components/ServicePage.jsx';
import { Suggestions } from './components/Suggestions.jsx';
import { TopEvents } from './components/TopEvents.jsx';
import { TraceView } from './components/TraceView.jsx';

const REFRESH_MS = 5000;
const FIRST_ROWS = 'eventtracker:first-rows';

export function App() {
  const [view, setView] = useState(() => readView(location.search));
  const [refusal, setRefusal] = useState(null);
  const [attempt, setAttempt] = useState(0);
  const [tick, setTick] = useState(0);
  const [liveInsights, setLiveInsights] = useState([]);
  const [liveStats, setLiveStats] = useState(null);
  const lastRefresh = useRef(Date.now());

  const go = useCallback((next) => {
    // A history entry only for a view that differs: choosing the range already shown adds none.
    const address = writeView(next);
    if (address !== (location.search || location.pathname)) history.pushState(null, '', address);
    setView(next);
  }, []);
  useEffect(() => {
    const back = () => setView(readView(location.search));
    addEventListener('popstate', back);
    return () => removeEventListener('popstate', back);
  }, []);

  const onKeyNeeded = useCallback((error) => setRefusal(error), []);
  const onKey = (key) => { setReadKey(key); setRefusal(null); setAttempt((a) => a + 1); };
  const onStats = useCallback((stats) => {
    setLiveStats(stats);
    if (Date.now() - lastRefresh.current >= REFRESH_MS) { lastRefresh.current = Date.now(); setTick((t) => t + 1); }
  }, []);
  const onInsight = useCallback((insight) => setLiveInsights((list) => [insight, ...list.filter((i) => i.id !== insight.id)]), []);

  // Where a relative range starts is fixed when the view is chosen: refreshes extend it to now, so the table (which
  // grows with the stream) and the cards and charts (which reload) keep covering one span.
  const viewKey = JSON.stringify([view.range, view.from, view.to, view.filters, attempt]);
  const anchor = useMemo(() => Date.now(), [viewKey]);
  const feed = useEventFeed(view, anchor, viewKey, { onKeyNeeded, onInsight, onStats });
  const inputs = viewKey + tick;
  const load = (route, params) => (signal) => getJson(route, params(), signal);
  const services = useLoad(load(routes.services, () => queryParams(view, anchor)), [inputs], onKeyNeeded);
  const series = useLoad(load(routes.timeseries, () => queryParams(view, anchor)), [inputs], onKeyNeeded);
  // Only the events page shows the top events; a service's page has them from /services.
  const statistics = useLoad(
    view.page === 'events' ? load(routes.statistics, () => queryParams(view, anchor)) : async () => null,
    [inputs, view.page], onKeyNeeded);
  const insights = useLoad(load(routes.insights, () => insightParams(view, anchor)), [inputs], onKeyNeeded);
  const suggestions = useLoad(load(routes.suggestions, () => new URLSearchParams(view.filters.serviceName ? { serviceName: view.filters.serviceName } : {})), [inputs], onKeyNeeded);
  const serviceNames = useLoad(load(routes.services, () => new URLSearchParams({ from: '7d' })), [attempt], onKeyNeeded);

  const allInsights = useMemo(() => {
    const loaded = insights.data ? insights.data.insights : null;
    if (!loaded) return null;
    const wanted = liveInsights.filter((i) => !view.filters.serviceName || i.serviceName === view.filters.serviceName);
    return [...wanted, ...loaded.filter((i) => !wanted.some((w) => w.id === i.id))];
  }, [insights.data, liveInsights, view.filters.serviceName]);

  useEffect(() => {
    const parts = [view.page === 'service' ? view.filters.serviceName : 'Events', view.range === 'custom' ? 'custom range' : 'last ' + view.range];
    document.title = parts.join(' · ') + ' — EventTracker';
  }, [view]);

  useEffect(() => {
    // The first answer's rows are on the page: the time to first meaningful render, for measuring from outside.
    if (feed.filtered != null && performance.getEntriesByName(FIRST_ROWS).length === 0) performance.mark(FIRST_ROWS);
  }, [feed.filtered]);

  const selected = view.event && feed.rows.find((e) => e.id === view.event);
  return (
    <Nav.Provider value={{ view, go }}>
      <header class="top">
        <h1><Link to={readView('')}>EventTracker</Link></h1>
        <RangePicker key={view.range + view.from + view.to} />
        <LiveControl feed={feed} />
        <span id="live-stats">{liveStats && `${count(liveStats.eventsLastMinute)} events in the last minute · ${liveStats.subscribers} live readers`}</span>
      </header>
      {refusal && <KeyForm refusal={refusal} onKey={onKey} />}
      <FilterBar serviceNames={serviceNames.data && serviceNames.data.services.map((s) => s.serviceName)} />
      {view.page === 'service'
        ? (
          <main class="page-service">
            <ServicePage anchor={anchor} services={services.data} series={series.data} insights={allInsights} inputs={inputs} onKeyNeeded={onKeyNeeded} />
            <EventTable feed={feed} />
          </main>
        )
        : (
          <main class="page-events">
            <ServiceCards services={services.data} />
            <Charts series={series.data} />
            <div class="columns">
              <EventTable feed={feed} />
              <div class="side">
                <Insights insights={allInsights} />
                <TopEvents statistics={statistics.data} />
                <Suggestions suggestions={suggestions.data && suggestions.data.suggestions} />
              </div>
            </div>
          </main>
        )}
      {view.event && <EventDetail event={selected} />}
      {view.trace && <TraceView id={view.trace} onKeyNeeded={onKeyNeeded} />}
    </Nav.Provider>
  );
}

function insightParams(view, anchor) {
  const params = queryParams(view, anchor);
  const wanted = new URLSearchParams({ limit: 20, from: params.get('from') });
  if (params.get('to')) wanted.set('to', params.get('to'));
  if (view.filters.serviceName) wanted.set('serviceName', view.filters.serviceName);
  return wanted;
}
