import { Link } from '../nav.jsx';
import { viewOfSuggestion } from '../view.js';

/** The server's suggestions, each linking to the dashboard view its API link stands for. */
export function Suggestions({ suggestions }) {
  if (!suggestions) return null;
  return (
    <section class="suggestions" aria-label="Suggestions">
      <h2>Suggestions</h2>
      <ul id="suggestions">
        {suggestions.length === 0 && <li class="empty">No suggestions right now.</li>}
        {suggestions.map((s) => (
          <li key={s.id}>
            <strong>{s.title}</strong>
            {s.description && <p>{s.description}</p>}
            {s.action && s.action.href && <Link to={viewOfSuggestion(s.action.href)} class="suggestion-action">{s.action.label || 'Open'}</Link>}
          </li>
        ))}
      </ul>
    </section>
  );
}
