/*! EventTracker monitor.js — one <script src=".../api/monitor.js"> tag; see the server README. MIT. */
(function (w, d) {
  'use strict';
  var existing = w.LiveMonitor;
  if (existing && existing.loaded) return; // loaded twice: the first copy keeps working alone

  var nav = navigator, loc = location, store = safeStorage('localStorage'), session = safeStorage('sessionStorage');
  var script = d.currentScript || d.querySelector('script[src*="/api/monitor.js"]');
  var data = (script && script.dataset) || {};
  var origin = new URL(script ? script.src : '/', loc.href).origin;
  var cfg = {
    service: data.serviceName || 'web-analytics',
    apiKey: data.apiKey,
    interval: +data.batchInterval || 5000,
    maxBatch: 50,
    maxBytes: 60000,
    maxStored: 200,
    disabled: (data.disable || '').split(','),
    stripQuery: data.stripQuery === 'true' || data.stripQuery === ''
  };
  // A query parameter, not a header: a header would cost a CORS preflight, and beacons cannot set one.
  var endpoint = origin + '/api/events/track/batch' + (cfg.apiKey ? '?apiKey=' + encodeURIComponent(cfg.apiKey) : '');
  var origFetch = w.fetch;
  var sid = session.get('lm_sid') || session.set('lm_sid', uuid());
  var userId = store.get('lm_uid');
  var optedOut = store.get('lm_optout') === '1' || (data.respectDnt === 'true' && (nav.doNotTrack === '1' || w.doNotTrack === '1'));
  var queue = parse(store.get('lm_queue')) || [];
  var recent = [];
  var stats = { sent: 0, failed: 0, dropped: 0, status: 'idle' };
  var sending = false, again = false, attempt = 0, retryTimer = 0, lastUrl = '', errorSeen = {}, errorTimes = [], suppressed = 0;
  var waiters = []; // flush() calls waiting for their events: { events, failed, resolve, reject }
  var overlay = null, overlayScript = null, overlayCall = null;

  function safe(fn) {
    return function () {
      try { return fn.apply(this, arguments); } catch (e) { /* never throw into the page */ }
    };
  }

  function safeStorage(name) {
    var s;
    try { s = w[name]; s.getItem('x'); } catch (e) { s = null; }
    return {
      get: function (k) { try { return s && s.getItem(k); } catch (e) { return null; } },
      set: function (k, v) { try { if (s) s.setItem(k, v); } catch (e) { } return v; },
      del: function (k) { try { if (s) s.removeItem(k); } catch (e) { } }
    };
  }

  function parse(text) { try { return text ? JSON.parse(text) : null; } catch (e) { return null; } }

  function uuid() {
    if (w.crypto && crypto.randomUUID) return crypto.randomUUID();
    return 'xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx'.replace(/x/g, function () { return (Math.random() * 16 | 0).toString(16); });
  }

  function on(target, type, fn, capture) { target.addEventListener(type, safe(fn), capture || false); }

  function enabled(kind) { return cfg.disabled.indexOf(kind) < 0; }

  function clip(text, max) { text = String(text == null ? '' : text); return text.length > max ? text.slice(0, max) : text; }

  // Every URL the script records — the page's, the referrer, links, requests, form actions — goes through here: query
  // and fragment values whose names look secret are masked, or the query is dropped altogether (data-strip-query).
  function maskUrl(url) {
    if (!url) return url;
    try {
      var u = new URL(url, loc.href);
      if (cfg.stripQuery) { u.search = ''; u.hash = ''; return u.href; }
      u.search = masked(u.search);
      if (u.hash.indexOf('=') > 0) u.hash = masked(u.hash);
      return u.href;
    } catch (e) { return '[unparsable url]'; }
  }

  function masked(part) {
    var params = new URLSearchParams(part.slice(1));
    params.forEach(function (v, k) {
      if (/token|key|secret|pass|pwd|auth|session|sig|code|jwt|cred|otp/i.test(k)) params.set(k, '***');
    });
    var text = params.toString();
    return text ? part.charAt(0) + text : '';
  }

  function capture(name, payload) {
    if (optedOut) return;
    payload = payload || {};
    var p = { serviceName: cfg.service, sessionId: sid, userAgent: nav.userAgent, url: maskUrl(loc.href), timestamp: Date.now() };
    if (d.referrer) p.referrer = maskUrl(d.referrer);
    if (userId) p.userId = userId;
    for (var k in payload) if (Object.prototype.hasOwnProperty.call(payload, k)) p[k] = payload[k];
    var ev = { eventName: String(name), eventId: uuid(), payload: p };
    queue.push(ev);
    if (queue.length > 1000) { queue.shift(); stats.dropped++; }
    recent.unshift({ name: ev.eventName, at: Date.now() });
    recent.length = Math.min(recent.length, 100);
    persist();
    render();
    if (queue.length >= cfg.maxBatch) flush();
  }

  function persist() { store.set('lm_queue', JSON.stringify(queue.slice(-cfg.maxStored))); }

  // Splits events into bodies under the size limit; text/plain keeps the request "simple", so no CORS preflight.
  function bodies(events) {
    var out = [], part = [], size = 64;
    events.forEach(function (ev) {
      var n = JSON.stringify(ev).length + 1;
      if (part.length && size + n > cfg.maxBytes) { out.push(part); part = []; size = 64; }
      part.push(ev); size += n;
    });
    if (part.length) out.push(part);
    // sentAt lets the server correct the event times of a browser whose clock is off.
    return out.map(function (p) { return { events: p, text: JSON.stringify({ sentAt: Date.now(), events: p }) }; });
  }

  function flush() {
    if (sending) { again = again || waiters.length > 0; return; }
    if (!queue.length || !origFetch) return;
    sending = true;
    clearTimeout(retryTimer);
    var batch = queue.slice(0, cfg.maxBatch * 4);
    var parts = bodies(batch);
    var headers = { 'Content-Type': 'text/plain' };
    Promise.all(parts.map(function (part) {
      return origFetch.call(w, endpoint, { method: 'POST', body: part.text, headers: headers, credentials: 'omit', keepalive: part.text.length < 60000 })
        .then(function (res) { return res.status; }, function () { return 0; });
    })).then(safe(function (statuses) {
      sending = false;
      var retry = false;
      parts.forEach(function (part, i) {
        var status = statuses[i];
        if (status >= 200 && status < 300) stats.sent += part.events.length;
        else if (status >= 400 && status < 500 && status !== 408 && status !== 429) { stats.failed += part.events.length; failWaiters(part.events); }
        else { retry = true; return; } // kept for the next attempt, with the same event ids
        queue = queue.filter(function (ev) { return part.events.indexOf(ev) < 0; });
      });
      stats.status = statuses.join(',');
      persist();
      settleWaiters();
      render();
      if (retry) schedule();
      else { attempt = 0; if (again || waiters.length || queue.length >= cfg.maxBatch) { again = false; flush(); } }
    }));
  }

  // flush() from the page: every event queued now is sent (right after a send in flight), and the promise settles
  // when all of them are acknowledged, or rejects once one is refused or the retries give up.
  function flushAll() {
    return new Promise(function (resolve, reject) {
      if (!queue.length) { resolve(); return; }
      waiters.push({ events: queue.slice(), failed: false, resolve: resolve, reject: reject });
      if (sending) again = true; else flush();
    });
  }

  function failWaiters(events) {
    waiters.forEach(function (waiter) {
      if (events.some(function (ev) { return waiter.events.indexOf(ev) >= 0; })) waiter.failed = true;
    });
  }

  function settleWaiters() {
    waiters = waiters.filter(function (waiter) {
      if (waiter.events.some(function (ev) { return queue.indexOf(ev) >= 0; })) return true;
      if (waiter.failed) waiter.reject(new Error('LiveMonitor: some events were refused or could not be delivered'));
      else waiter.resolve();
      return false;
    });
  }

  // Network error, 408, 429 or 5xx: retry with back-off and jitter, at most 5 attempts, then drop (counted).
  function schedule() {
    attempt++;
    if (attempt >= 5) {
      stats.dropped += queue.length; failWaiters(queue); queue = []; attempt = 0; persist(); settleWaiters(); render(); return;
    }
    retryTimer = setTimeout(safe(flush), Math.min(30000, 1000 * Math.pow(2, attempt - 1)) * (0.5 + Math.random() / 2));
  }

  function beacon() {
    // Offline, whether a beacon is ever delivered is up to the browser: the events stay in localStorage instead and go
    // with the next visit's first batch, under the same ids.
    if (!queue.length || !nav.sendBeacon || nav.onLine === false) return;
    var sent = [];
    (function send(events) {
      bodies(events).forEach(function (part) {
        if (nav.sendBeacon(endpoint, new Blob([part.text], { type: 'text/plain' }))) sent = sent.concat(part.events);
        else if (part.events.length > 1) { var h = part.events.length >> 1; send(part.events.slice(0, h)); send(part.events.slice(h)); }
      });
    })(queue.slice());
    queue = queue.filter(function (ev) { return sent.indexOf(ev) < 0; });
    stats.sent += sent.length;
    persist();
  }

  function pageView(reason) {
    var url = loc.href;
    if (url === lastUrl && reason !== 'restore') return; // one per distinct URL
    lastUrl = url;
    capture('page-view', { metadata: { title: d.title, path: loc.pathname, navigation: reason } });
  }

  function wrapHistory(method) {
    var original = history[method];
    if (!original || original.lm) return;
    var wrapped = function () {
      var result = original.apply(this, arguments);
      safe(pageView)(method);
      return result;
    };
    wrapped.lm = true;
    history[method] = wrapped;
  }

  function selector(el) {
    var s = el.tagName.toLowerCase();
    if (el.id) return s + '#' + el.id;
    if (typeof el.className === 'string' && el.className.trim()) s += '.' + el.className.trim().split(/\s+/).slice(0, 2).join('.');
    return s;
  }

  function onClick(e) {
    var el = e.target && e.target.closest && e.target.closest('button, a, [data-track]');
    if (!el || (overlay && overlay.contains(el))) return;
    capture('element-click', { metadata: {
      element: el.tagName.toLowerCase(), id: el.id || undefined, selector: selector(el),
      text: clip((el.textContent || '').trim().replace(/\s+/g, ' '), 100), href: el.href ? maskUrl(el.href) : undefined,
      track: el.getAttribute('data-track') || undefined } });
  }

  function onSubmit(e) {
    var form = e.target;
    if (!form || form.tagName !== 'FORM') return;
    capture('form-submit', { metadata: {
      formId: form.id || undefined, action: form.getAttribute('action') ? maskUrl(form.action) : undefined,
      method: (form.getAttribute('method') || 'get').toUpperCase(), fieldCount: form.elements.length } });
  }

  // At most 10 errors a minute; the same error within a minute is counted, not sent again.
  function error(name, message, source, line, column, stack) {
    var now = Date.now(), key = message + '|' + source + '|' + line;
    errorTimes = errorTimes.filter(function (t) { return now - t < 60000; });
    if ((errorSeen[key] && now - errorSeen[key] < 60000) || errorTimes.length >= 10) { suppressed++; return; }
    errorSeen[key] = now; errorTimes.push(now);
    capture(name, { metadata: { message: clip(message, 500), source: source, line: line, column: column,
      stack: stack ? clip(stack, 2000) : undefined, suppressedBefore: suppressed || undefined } });
    suppressed = 0;
  }

  function network(method, url, status, started, failure) {
    capture('network-request', { statusCode: status, responseTimeMs: Math.round((performanceNow() - started) * 10) / 10,
      metadata: { method: String(method || 'GET').toUpperCase(), url: maskUrl(url), failed: failure ? true : undefined, error: failure || undefined } });
  }

  function performanceNow() { return w.performance && performance.now ? performance.now() : Date.now(); }

  function isOwn(url) { try { return new URL(url, loc.href).href.indexOf(origin + '/api/events') === 0; } catch (e) { return false; } }

  function wrapFetch() {
    if (!origFetch || origFetch.lm) return;
    var wrapped = function (input, init) {
      var started = performanceNow();
      var promise = origFetch.apply(this, arguments); // the page gets exactly this promise
      safe(function () {
        var url = typeof input === 'string' ? input : (input && input.url) || String(input);
        var method = (init && init.method) || (input && input.method) || 'GET';
        if (isOwn(url)) return;
        promise.then(safe(function (res) { network(method, url, res.status, started); }),
          safe(function (err) { network(method, url, 0, started, clip(err && err.message, 200) || 'network error'); }));
      })();
      return promise;
    };
    wrapped.lm = true;
    w.fetch = wrapped;
  }

  function wrapXhr() {
    var proto = w.XMLHttpRequest && XMLHttpRequest.prototype;
    if (!proto || proto.open.lm) return;
    var open = proto.open, send = proto.send;
    proto.open = function (method, url) {
      this.lmRequest = { method: method, url: String(url) };
      return open.apply(this, arguments);
    };
    proto.open.lm = true;
    proto.send = function () {
      var xhr = this, req = xhr.lmRequest;
      if (req && !isOwn(req.url)) {
        req.started = performanceNow();
        xhr.addEventListener('loadend', safe(function () { network(req.method, req.url, xhr.status, req.started, xhr.status ? undefined : 'network error'); }));
      }
      return send.apply(this, arguments);
    };
  }

  // The overlay (Ctrl+Shift+M, show()) is a second file from the same server, loaded the first time it is wanted, so
  // pages that never open it neither download nor run it.
  function withOverlay(action) {
    if (overlay) { overlay[action](); return; }
    overlayCall = action;
    if (overlayScript) return;
    overlayScript = d.createElement('script');
    overlayScript.src = origin + '/api/monitor-overlay.js';
    overlayScript.async = true;
    (d.head || d.documentElement).appendChild(overlayScript);
  }

  function render() { if (overlay) overlay.render(); }

  var api = {
    loaded: true,
    track: safe(function (name, payload) { capture(name, payload); }),
    identify: safe(function (id) { userId = id ? String(id) : null; if (userId) store.set('lm_uid', userId); else store.del('lm_uid'); }),
    // Events the page already asked to flush are still delivered; the rest of the queue is discarded.
    optOut: safe(function () {
      optedOut = true; store.set('lm_optout', '1');
      queue = queue.filter(function (ev) { return waiters.some(function (waiter) { return waiter.events.indexOf(ev) >= 0; }); });
      persist(); render();
    }),
    optIn: safe(function () { optedOut = false; store.del('lm_optout'); render(); }),
    flush: function () { try { return flushAll(); } catch (e) { return Promise.resolve(); } },
    show: safe(function () { withOverlay('show'); }),
    hide: safe(function () { if (overlay) overlay.hide(); }),
    toggle: safe(function () { withOverlay('toggle'); }),
    stats: function () { return { queued: queue.length, sent: stats.sent, failed: stats.failed, dropped: stats.dropped }; },
    // For monitor-overlay.js only.
    _attach: safe(function (o) { overlay = o; if (overlayCall) overlay[overlayCall](); overlayCall = null; }),
    _state: function () { return { recent: recent, queued: queue.length, stats: stats, optedOut: optedOut }; }
  };

  safe(function () {
    w.LiveMonitor = api;
    if (enabled('network')) { wrapFetch(); wrapXhr(); }
    if (enabled('pageview')) {
      ['pushState', 'replaceState'].forEach(wrapHistory);
      on(w, 'popstate', function () { pageView('popstate'); });
      on(w, 'hashchange', function () { pageView('hashchange'); });
      on(w, 'pageshow', function (e) { if (e.persisted) pageView('restore'); });
      pageView('load');
    }
    if (enabled('click')) on(d, 'click', onClick, true);
    if (enabled('form')) on(d, 'submit', onSubmit, true);
    if (enabled('error')) {
      on(w, 'error', function (e) {
        if (e instanceof ErrorEvent) error('js-error', e.message, e.filename, e.lineno, e.colno, e.error && e.error.stack);
      });
      on(w, 'unhandledrejection', function (e) {
        var r = e.reason;
        error('unhandled-rejection', (r && r.message) || String(r), undefined, undefined, undefined, r && r.stack);
      });
    }
    on(d, 'keydown', function (e) { if (e.ctrlKey && e.shiftKey && (e.key === 'M' || e.key === 'm')) withOverlay('toggle'); });
    on(d, 'visibilitychange', function () { if (d.visibilityState === 'hidden') beacon(); });
    on(w, 'pagehide', beacon);
    on(w, 'online', function () { attempt = 0; flush(); });
    setInterval(safe(flush), cfg.interval);
    if (existing && existing.q && existing.q.length) {
      existing.q.forEach(function (call) { if (api[call[0]]) api[call[0]].apply(api, [].slice.call(call, 1)); });
    }
    // Events kept from an earlier visit go with the first regular batch, not in a request of their own.
  })();
})(window, document);
