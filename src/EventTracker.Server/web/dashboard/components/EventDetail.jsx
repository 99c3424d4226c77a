import { useState } from 'preact/hooks';
import { count, isError, ms, stamp } from '../format.js';
import { Link, useNav } from '../nav.jsx';
import { withChange } from '../view.js';
import { JsonTree } from './JsonTree.jsx';
import { Pane } from './Pane.jsx';

/** Every field of one event, its payload as a tree, copy as JSON, and the views around it. */
export function EventDetail({ event }) {
  const { view } = useNav();
  const [copied, setCopied] = useState('');
  const close = withChange(view, {});
  if (!event) {
    return (
      <Pane title="Event" close={close}>
        <p>This event is not among the rows loaded for this range and filter.</p>
      </Pane>
    );
  }
  const p = event.payload || {};
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(JSON.stringify(event, null, 2));
      setCopied('Copied.');
    } catch {
      setCopied('The browser did not allow copying; select the JSON below instead.');
    }
  };
  const fields = [
    ['Name', event.name], ['Time', stamp(event.timestamp)], ['Received', event.receivedAt != null ? stamp(event.receivedAt) : null],
    ['Service', event.serviceName], ['User', event.userId], ['Session', p.sessionId], ['Correlation id', p.correlationId],
    ['Status', p.statusCode], ['Response time', p.responseTimeMs != null ? ms(p.responseTimeMs) : null], ['Role', p.userRole],
    ['User agent', p.userAgent], ['Referrer', p.referrer], ['Id', event.id],
  ];
  const around = [
    event.userId && ['This user', { userId: event.userId }],
    p.sessionId && ['This session', { sessionId: p.sessionId }],
    ['Same name', { eventName: event.name }],
  ].filter(Boolean);
  return (
    <Pane title={event.name} close={close} className={isError(event) ? 'detail error-detail' : 'detail'} label="Event detail">
      <dl class="fields">
        {fields.filter(([, v]) => v != null && v !== '').map(([k, v]) => [<dt>{k}</dt>, <dd>{typeof v === 'number' ? count(v) : v}</dd>])}
      </dl>
      <nav class="around" aria-label="Related views">
        {around.map(([label, filters]) => <Link to={{ ...withChange(view, { page: 'events' }), filters }}>{label}</Link>)}
        {p.correlationId && <Link to={withChange(view, { trace: p.correlationId })}>This correlation</Link>}
      </nav>
      <h3>Payload</h3>
      <div class="json" id="detail-payload"><JsonTree value={p} /></div>
      <p>
        <button type="button" onClick={copy}>Copy as JSON</button> <span role="status">{copied}</span>
      </p>
    </Pane>
  );
}
