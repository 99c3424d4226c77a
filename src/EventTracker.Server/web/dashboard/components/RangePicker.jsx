import { useState } from 'preact/hooks';
import { localInput } from '../format.js';
import { useNav } from '../nav.jsx';
import { PRESET_RANGES, timeRange, withChange } from '../view.js';

/** The time range: the presets (ending now, live) or a custom from–to (history). */
export function RangePicker() {
  const { view, go } = useNav();
  const current = timeRange(view);
  const [from, setFrom] = useState(localInput(current.from));
  const [to, setTo] = useState(localInput(current.to));
  const [custom, setCustom] = useState(view.range === 'custom');
  const apply = (e) => {
    e.preventDefault();
    const start = new Date(from).getTime(), end = new Date(to).getTime();
    if (start < end) go(withChange(view, { range: 'custom', from: start, to: end }));
  };
  return (
    <div class="range" role="group" aria-label="Time range">
      {PRESET_RANGES.map((r) => (
        <button type="button" aria-pressed={view.range === r ? 'true' : 'false'} data-range={r} onClick={() => { setCustom(false); go(withChange(view, { range: r, from: null, to: null })); }}>{r}</button>
      ))}
      <button type="button" aria-pressed={view.range === 'custom' || custom ? 'true' : 'false'} data-range="custom" onClick={() => setCustom(!custom)}>custom</button>
      {view.range !== 'custom' && !PRESET_RANGES.includes(view.range) && <span class="badge" data-range-active={view.range}>last {view.range}</span>}
      {(custom || view.range === 'custom') && (
        <form class="custom-range" onSubmit={apply}>
          <label>From <input type="datetime-local" name="from" value={from} onInput={(e) => setFrom(e.currentTarget.value)} required /></label>
          <label>To <input type="datetime-local" name="to" value={to} onInput={(e) => setTo(e.currentTarget.value)} required /></label>
          <button type="submit">Apply</button>
        </form>
      )}
    </div>
  );
}
