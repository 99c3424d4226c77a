import { useState } from 'preact/hooks';

/** Asks for a read key once per tab, when the server has API keys and refused the page's requests. */
export function KeyForm({ refusal, onKey }) {
  const [key, setKey] = useState('');
  return (
    <form id="key-form" class="key-form" onSubmit={(e) => { e.preventDefault(); onKey(key.trim()); }}>
      <span id="key-message" role="alert">{refusal.message}</span>
      <label>API key <input id="api-key" type="password" autocomplete="off" required value={key} onInput={(e) => setKey(e.currentTarget.value)} /></label>
      <button type="submit">Connect</button>
    </form>
  );
}
