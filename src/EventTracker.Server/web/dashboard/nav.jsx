import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { writeView } from './view.js';

/** The current view and go(view): the one way the page changes what it shows. */
export const Nav = createContext(null);

export const useNav = () => useContext(Nav);

/** A link to another view: a real address (open in a new tab, copy), followed in place on a plain click. */
export function Link({ to, children, ...rest }) {
  const { go } = useNav();
  const follow = (e) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    go(to);
  };
  return <a href={writeView(to)} onClick={follow} {...rest}>{children}</a>;
}
