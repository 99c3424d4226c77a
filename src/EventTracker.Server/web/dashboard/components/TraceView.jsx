import { getJson, routes } from '../api.js';
import { clock, ms } from '../format.js';
import { Link, useNav } from '../nav.jsx';
import { useLoad } from '../useLoad.js';
import { withChange } from '../view.js';
import { Pane } from './Pane.jsx';

/**
 * One correlation id as a waterfall (GET /api/events/trace/{id}, the twin of the MCP trace_correlation tool): steps in
 * event-time order, each bar starting at its time since the first step and as long as its response time, the gap
 * before it, and the first failing step marked.
 */
export function TraceView({ id, onKeyNeeded }) {
  const { view } = useNav();
  const trace = useLoad((signal) => getJson(routes.trace(id), null, signal), [id], onKeyNeeded);
  const close = withChange(view, {});
  const t = trace.data;
  // The scale runs to where the last bar ends: a slow last step is drawn whole, not clipped at its start.
  const span = t ? Math.max(1, ...t.steps.map((s) => s.sinceStartMs + ((s.event.payload || {}).responseTimeMs || 0))) : 1;
  return (
    <Pane title={'Trace ' + id} close={close} className="trace" label="Trace">
      {trace.error && <p class="error" role="alert">{trace.error.message}</p>}
      {t && (
        <>
          <p class="summary">
            {t.steps.length} steps over {ms(t.durationMs)} across {t.services.join(', ')}
            {t.failingStep != null && <> · <strong class="bad">step {t.failingStep} failed</strong></>}
            {t.truncated && ' · only the first steps are shown'}
          </p>
          <ol class="waterfall">
            {t.steps.map((s) => <Step key={s.stepNumber} step={s} total={span} failed={s.stepNumber === t.failingStep} view={view} />)}
          </ol>
          <p><Link to={withChange(view, { page: 'events', filters: { correlationId: id } })}>These events in the table</Link></p>
        </>
      )}
    </Pane>
  );
}

function Step({ step, total, failed, view }) {
  const e = step.event;
  const p = e.payload || {};
  const duration = p.responseTimeMs || 0;
  const left = Math.min(100, (step.sinceStartMs / total) * 100);
  const width = Math.max(0.6, Math.min(100 - left, (duration / total) * 100));
  return (
    <li class={'step' + (failed ? ' failed' : step.isError ? ' error-step' : '')} data-step={step.stepNumber} aria-current={failed ? 'step' : undefined}>
      <div class="step-label">
        <span class="step-number">{step.stepNumber}</span>
        <Link to={withChange(view, { event: e.id, trace: null })} class="step-name">{e.name}</Link>
        <span class="step-service">{e.serviceName || 'unknown'}</span>
        {p.statusCode != null && <span class={p.statusCode >= 400 ? 'bad' : ''}>{p.statusCode}</span>}
        {failed && <strong class="bad">failed here</strong>}
      </div>
      <div class="step-track" aria-hidden="true">
        <div class="step-bar" style={{ left: left + '%', width: width + '%' }} />
      </div>
      <div class="step-times">
        {clock(e.timestamp)} · +{ms(step.sinceStartMs)}{step.stepNumber > 1 && <> · gap {ms(step.gapMs)}</>}{p.responseTimeMs != null && <> · took {ms(p.responseTimeMs)}</>}
      </div>
    </li>
  );
}
