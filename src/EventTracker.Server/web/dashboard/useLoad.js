import { useEffect, useState } from 'preact/hooks';
import { KeyNeeded } from './api.js';

/**
 * Runs an async load whenever its inputs change, cancelling the one before, and keeps the last answer while the next
 * one travels (so a refresh never blanks the page). A refused key is reported to onKeyNeeded, not as an error.
 */
export function useLoad(load, inputs, onKeyNeeded) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  useEffect(() => {
    const abort = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    load(abort.signal).then(
      (data) => { if (!abort.signal.aborted) setState({ data, error: null, loading: false }); },
      (error) => {
        if (abort.signal.aborted) return;
        if (error instanceof KeyNeeded) onKeyNeeded(error);
        setState((s) => ({ data: s.data, error, loading: false }));
      });
    return () => abort.abort();
  }, inputs);
  return state;
}
