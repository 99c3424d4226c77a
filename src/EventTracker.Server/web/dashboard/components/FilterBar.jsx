import { useEffect, useState } from 'preact/hooks';
import { useNav } from '../nav.jsx';
import { STATUS_CLASSES, TEXT_FILTERS, withChange } from '../view.js';

/**
 * The server-side filters: each applies when it changes (a text field on Enter or when it loses focus), becomes part
 * of the address, and drives the table, the cards and the charts alike.
 */
export function FilterBar({ serviceNames }) {
  const { view, go } = useNav();
  const [draft, setDraft] = useState(view.filters);
  useEffect(() => setDraft(view.filters), [JSON.stringify(view.filters)]);
  const apply = (filters) => {
    const clean = Object.fromEntries(Object.entries(filters).filter(([, v]) => v != null && String(v).trim() !== '').map(([k, v]) => [k, String(v).trim()]));
    if (JSON.stringify(clean) !== JSON.stringify(view.filters)) go({ ...withChange(view, {}), filters: clean, page: clean.serviceName ? view.page : 'events' });
  };
  const set = (key, value) => setDraft({ ...draft, [key]: value });
  const count = Object.keys(view.filters).length;
  return (
    <>
      {/* On a phone the filters fold away behind this; on a wider screen it is hidden and they always show. */}
      <details class="filters-toggle"><summary>Filters{count ? ` (${count} set)` : ''}</summary></details>
      <form class="filters" aria-label="Filters" onSubmit={(e) => { e.preventDefault(); apply(draft); }}>
      {TEXT_FILTERS.map(({ key, label }) => (
        <label>
          {label}
          <input name={key} id={'filter-' + key} value={draft[key] || ''} placeholder="any" autocomplete="off"
            list={key === 'serviceName' ? 'service-names' : undefined}
            onInput={(e) => set(key, e.currentTarget.value)} onChange={(e) => apply({ ...draft, [key]: e.currentTarget.value })} />
        </label>
      ))}
      <label>
        Status
        <select name="statusClass" id="filter-statusClass" value={draft.statusClass || ''} onChange={(e) => apply({ ...draft, statusClass: e.currentTarget.value })}>
          <option value="">any</option>
          {STATUS_CLASSES.map((c) => <option value={c}>{c}</option>)}
        </select>
      </label>
      <label class="check">
        <input type="checkbox" name="errorsOnly" id="filter-errorsOnly" checked={draft.errorsOnly === 'true'} onChange={(e) => apply({ ...draft, errorsOnly: e.currentTarget.checked ? 'true' : '' })} />
        Errors only
      </label>
      <button type="submit" class="visually-hidden">Apply filters</button>
      {count > 0 && <button type="button" class="clear" onClick={() => apply({})}>Clear filters</button>}
      <datalist id="service-names">{(serviceNames || []).map((n) => <option value={n} />)}</datalist>
      </form>
    </>
  );
}
