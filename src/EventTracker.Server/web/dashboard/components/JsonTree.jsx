/** A JSON value as a tree of native disclosure widgets (keyboard-operable, collapsible); every value is text. */
export function JsonTree({ value, name, depth = 0 }) {
  const label = name == null ? null : <span class="json-key">{name}: </span>;
  if (value === null || typeof value !== 'object') {
    return (
      <div class="json-leaf">
        {label}
        <span class={'json-' + (value === null ? 'null' : typeof value)}>{typeof value === 'string' ? JSON.stringify(value) : String(value)}</span>
      </div>
    );
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  const brackets = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return (
    <details class="json-node" open={depth < 2}>
      <summary>{label}{brackets[0]}<span class="json-count">{entries.length} {Array.isArray(value) ? 'items' : 'fields'}</span>{brackets[1]}</summary>
      <div class="json-children">
        {entries.map(([k, v]) => <JsonTree key={k} name={k} value={v} depth={depth + 1} />)}
      </div>
    </details>
  );
}
