import { count, ms, percent } from '../format.js';
import { Link, useNav } from '../nav.jsx';
import { withChange } from '../view.js';

/** One card per service in the view (from /services with the view's filters and range); a card opens its service. */
export function ServiceCards({ services }) {
  const { view } = useNav();
  if (!services) return <section class="cards" aria-busy="true" />;
  if (services.services.length === 0) return <section class="cards"><p class="empty">No events in this range and filter.</p></section>;
  return (
    <section class="cards" aria-label="Services">
      {services.services.map((s) => (
        <article class="card" data-service={s.serviceName}>
          <h3><Link to={withChange(view, { page: 'service', filters: { serviceName: s.serviceName } })}>{s.serviceName}</Link></h3>
          <dl>
            <dt>events</dt><dd data-field="eventCount">{count(s.eventCount)}</dd>
            <dt>errors</dt><dd data-field="errorRate" class={s.errorRate > 5 ? 'bad' : ''}>{percent(s.errorRate)}</dd>
            <dt>p50</dt><dd>{ms(s.p50ResponseTime)}</dd>
            <dt>p95</dt><dd>{ms(s.p95ResponseTime)}</dd>
          </dl>
        </article>
      ))}
    </section>
  );
}
