import { stamp } from '../format.js';
import { Link, useNav } from '../nav.jsx';
import { withChange } from '../view.js';
import { EvidenceChart } from './EvidenceChart.jsx';

const ERROR_METRICS = ['errorRatePercent', 'failedLogins'];

/** The view an insight's evidence comes from: its service over its baseline and window, errors only for error metrics. */
export function viewOfInsight(view, insight) {
  const e = insight.evidence;
  const from = Date.parse((e.baseline || e.window).from), to = Date.parse(e.window.to);
  const filters = { serviceName: insight.serviceName || undefined };
  if (ERROR_METRICS.includes(e.metric)) filters.errorsOnly = 'true';
  if (e.metric === 'failedLogins') filters.type = 'login';
  return withChange({ ...view, filters: {} }, { page: insight.serviceName ? 'service' : 'events', range: 'custom', from, to: Math.max(to, from + 60000), filters });
}

/** Open and recent insights, newest first, each with its evidence and a link to the view that shows it. */
export function Insights({ insights }) {
  const { view } = useNav();
  if (!insights) return <section class="insights" aria-busy="true"><h2>Insights</h2></section>;
  return (
    <section class="insights" aria-label="Insights">
      <h2>Insights</h2>
      {insights.length === 0 && <p class="empty">No insights in this range.</p>}
      {insights.map((i) => (
        <article class={'insight' + (i.open ? ' open' : '')} data-insight={i.id} key={i.id}>
          <header>
            <span class={'priority p' + Math.round(i.priority * 4)} title="priority">{Math.round(i.priority * 100)}</span>
            <h3>{i.title}</h3>
            <span class="badge">{i.open ? 'open' : 'closed'}</span>
          </header>
          <p>{i.description}</p>
          <EvidenceChart evidence={i.evidence} />
          {i.recommendations.length > 0 && <ul class="recommendations">{i.recommendations.map((r) => <li>{r}</li>)}</ul>}
          <p class="meta">
            {i.serviceName || 'all services'} · since {stamp(Date.parse(i.detectedAt))} · last seen {stamp(Date.parse(i.lastSeenAt))}
          </p>
          <Link to={viewOfInsight(view, i)} class="insight-link">Show the events</Link>
        </article>
      ))}
    </section>
  );
}
