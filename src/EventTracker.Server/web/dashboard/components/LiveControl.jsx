/** The stream's state, and pause/resume with the count of events that arrived while paused. */
export function LiveControl({ feed }) {
  const labels = { connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…', closed: 'disconnected', history: 'history' };
  return (
    <div class="live">
      <span id="connection" class={'badge ' + (feed.connection === 'live' ? 'live' : feed.connection === 'history' ? '' : 'down')}>{labels[feed.connection]}</span>
      {feed.connection !== 'history' && (
        <button type="button" id="pause" aria-pressed={feed.paused ? 'true' : 'false'} onClick={() => feed.setPaused(!feed.paused)}>
          {feed.paused ? 'Resume' : 'Pause'}
        </button>
      )}
      {feed.paused && <span id="held" role="status">{feed.held} new</span>}
    </div>
  );
}
