import { getJson, routes } from '../api.js';
import { count, ms, percent, stamp } from '../format.js';
import { Link, useNav } from '../nav.jsx';
import { useLoad } from '../useLoad.js';
import { queryParams, withChange } from '../view.js';
import { Charts } from './Charts.jsx';
import { Insights } from './Insights.jsx';

const ROUTE_SAMPLE = 500;

/**
 * One service over the range: volume, error rate and percentiles (from /services), its charts, top events, top routes
 * (the middleware's metadata.route, counted over its latest events), recent errors and its insights.
 */
export function ServicePage({ anchor, services, series, insights, inputs, onKeyNeeded }) {
  const { view } = useNav();
  const name = view.filters.serviceName;
  const s = services && services.services.find((x) => x.serviceName === name);
  const recentErrors = useLoad((signal) => {
    const params = queryParams(view, anchor);
    params.set('errorsOnly', 'true');
    params.set('limit', 10);
    return getJson(routes.events, params, signal);
  }, [inputs], onKeyNeeded);
  const latest = useLoad((signal) => {
    const params = queryParams(view, anchor);
    params.set('limit', ROUTE_SAMPLE);
    return getJson(routes.events, params, signal);
  }, [inputs], onKeyNeeded);
  const routesSeen = topRoutes(latest.data ? latest.data.events : []);
  return (
    <section class="service-page" aria-label={'Service ' + name}>
      <h2>{name}</h2>
      <dl class="figures" id="service-figures">
        <dt>events</dt><dd data-field="eventCount">{s ? count(s.eventCount) : '0'}</dd>
        <dt>error rate</dt><dd data-field="errorRate" class={s && s.errorRate > 5 ? 'bad' : ''}>{s ? percent(s.errorRate) : '—'}</dd>
        <dt>p50</dt><dd data-field="p50">{s ? ms(s.p50ResponseTime) : '—'}</dd>
        <dt>p95</dt><dd data-field="p95">{s ? ms(s.p95ResponseTime) : '—'}</dd>
        <dt>p99</dt><dd data-field="p99">{s ? ms(s.p99ResponseTime) : '—'}</dd>
        <dt>last seen</dt><dd>{s ? stamp(Date.parse(s.lastSeen)) : '—'}</dd>
      </dl>
      <Charts series={series} />
      <div class="service-lists">
        <section aria-label="Top events">
          <h3>Top events</h3>
          <ol class="ranked">
            {(s ? s.topEvents : []).map((e) => (
              <li><Link to={withChange(view, { page: 'events', filters: { eventName: e.eventName } })}>{e.eventName}</Link> <span>{count(e.count)}</span></li>
            ))}
          </ol>
        </section>
        <section aria-label="Top routes">
          <h3>Top routes</h3>
          <ol class="ranked">{routesSeen.map(([route, n]) => <li><span>{route}</span> <span>{count(n)}</span></li>)}</ol>
          {latest.data && <p class="note">Counted over the latest {count(latest.data.events.length)} of {count(latest.data.filtered)} events.</p>}
        </section>
        <section aria-label="Recent errors">
          <h3>Recent errors</h3>
          <ul class="recent-errors">
            {(recentErrors.data ? recentErrors.data.events : []).map((e) => (
              <li><Link to={withChange(view, { event: e.id, page: 'events', filters: { errorsOnly: 'true' } })}>{e.name}</Link> {e.payload.statusCode} · {stamp(e.timestamp)}</li>
            ))}
            {recentErrors.data && recentErrors.data.events.length === 0 && <li class="empty">No errors in this range.</li>}
          </ul>
        </section>
      </div>
      <Insights insights={insights && insights.filter((i) => i.serviceName === name)} />
    </section>
  );
}

function topRoutes(events) {
  const counts = new Map();
  for (const e of events) {
    const route = e.payload && e.payload.metadata && e.payload.metadata.route;
    if (typeof route === 'string') counts.set(route, (counts.get(route) || 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, 10);
}
