import { useEffect, useRef } from 'preact/hooks';
import { Link, useNav } from '../nav.jsx';

/** A side pane over the page: focused when it opens, closed by its link or Escape (back to the view without it). */
export function Pane({ title, close, children, className, label }) {
  const { go } = useNav();
  const self = useRef(null);
  useEffect(() => { self.current && self.current.focus(); }, [title]);
  const onKey = (e) => { if (e.key === 'Escape') { e.preventDefault(); go(close); } };
  return (
    <aside class={'pane ' + (className || '')} aria-label={label || title} ref={self} tabIndex={-1} onKeyDown={onKey}>
      <header>
        <h2>{title}</h2>
        <Link to={close} class="close" aria-label="Close">✕</Link>
      </header>
      <div class="pane-body">{children}</div>
    </aside>
  );
}
