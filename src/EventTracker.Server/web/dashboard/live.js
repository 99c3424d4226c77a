import { apiUrl, routes } from './api.js';

/**
 * The server's event stream with the view's filters: events and insights as they arrive, and the connection's state
 * ('connecting', 'live', 'reconnecting'). EventSource resumes by itself with Last-Event-ID after a drop.
 * Returns a function that closes it.
 */
export function follow(params, { onEvent, onInsight, onStats, onState }) {
  const source = new EventSource(apiUrl(routes.stream, params));
  onState('connecting');
  source.onopen = () => onState('live');
  source.onerror = () => onState(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
  source.onmessage = (message) => {
    const envelope = JSON.parse(message.data);
    if (envelope.type === 'event') onEvent(envelope.data);
    else if (envelope.type === 'insight') onInsight(envelope.data);
    else if (envelope.type === 'stats') onStats(envelope.data);
  };
  return () => source.close();
}
