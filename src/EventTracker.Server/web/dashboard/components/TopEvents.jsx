import { count, fixed } from '../format.js';
import { Link, useNav } from '../nav.jsx';
import { withChange } from '../view.js';

/** The most frequent event names in the view (from /statistics with its filters and range). */
export function TopEvents({ statistics }) {
  const { view } = useNav();
  if (!statistics) return null;
  return (
    <section class="top-events" aria-label="Top events">
      <h2>Top events</h2>
      <ol class="ranked" id="statistics">
        {statistics.topEvents.slice(0, 8).map((e) => (
          <li><Link to={withChange(view, { filters: { eventName: e.eventName } })}>{e.eventName}</Link> <span>{count(e.count)} ({fixed(e.percentage)} %)</span></li>
        ))}
      </ol>
    </section>
  );
}
