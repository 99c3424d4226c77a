// The source of /api/monitor-overlay.js, which monitor.js loads on Ctrl+Shift+M or LiveMonitor.show().
(function (w, d) {
  'use strict';
  var monitor = w.LiveMonitor;
  if (!monitor || !monitor._attach) return;
  var ui;

  // A shadow root styled through the CSSOM only, so a strict CSP allows it; every value is set as text.
  function el(tag, style, text) {
    var e = d.createElement(tag);
    for (var k in style) e.style[k] = style[k];
    if (text != null) e.textContent = text;
    return e;
  }

  function build() {
    var host = el('div', { position: 'fixed', right: '12px', bottom: '12px', zIndex: '2147483647', display: 'none' });
    host.setAttribute('data-live-monitor', '');
    var root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
    var panel = el('div', { width: '320px', maxHeight: '360px', overflow: 'auto', background: '#111', color: '#eee',
      font: '12px/1.4 system-ui, sans-serif', borderRadius: '8px', padding: '8px', boxShadow: '0 4px 16px rgba(0,0,0,.4)' });
    var status = el('div', { color: '#9cf', marginBottom: '4px' });
    var list = el('ol', { margin: '0', paddingLeft: '18px' });
    list.setAttribute('role', 'log');
    panel.appendChild(el('div', { fontWeight: 'bold', marginBottom: '4px' }, 'Live Monitor'));
    panel.appendChild(status);
    panel.appendChild(list);
    root.appendChild(panel);
    (d.body || d.documentElement).appendChild(host);
    return { host: host, status: status, list: list };
  }

  function visible() { return !!ui && ui.host.style.display !== 'none'; }

  function render() {
    if (!visible()) return;
    var state = monitor._state(), stats = monitor.stats();
    var last = stats.status === undefined ? 'none yet' : stats.status === 0 ? 'server unreachable' : 'HTTP ' + stats.status;
    ui.status.textContent = 'queued ' + stats.queued + ' · sent ' + stats.sent + ' · failed ' + stats.failed +
      ' · dropped ' + stats.dropped + ' · last response ' + last + (state.optedOut ? ' · opted out' : '');
    while (ui.list.firstChild) ui.list.removeChild(ui.list.firstChild);
    // recent holds [time, name] pairs, newest first; times are formatted only here, while the overlay is open.
    state.recent.forEach(function (r) { ui.list.appendChild(el('li', {}, new Date(r[0]).toLocaleTimeString() + '  ' + r[1])); });
  }

  function show() { ui = ui || build(); ui.host.style.display = 'block'; render(); }

  function hide() { if (ui) ui.host.style.display = 'none'; }

  monitor._attach({
    show: show,
    hide: hide,
    toggle: function () { if (visible()) hide(); else show(); },
    render: render,
    contains: function (node) { return !!ui && ui.host.contains(node); }
  });
})(window, document);
