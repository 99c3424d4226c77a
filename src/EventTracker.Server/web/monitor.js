// The source of /api/monitor.js: the server's build minifies it into wwwroot/api (see the csproj), so comments here
// cost nothing. Its budget is 3 KB gzipped (StaticAssetTests), which is why everything the page does not need until
// Ctrl+Shift+M lives in monitor-overlay.js. It is ES2017: every browser that runs it has fetch, XMLHttpRequest,
// Promise and sendBeacon.
((w, d) => {
  const existing = w.LiveMonitor;
  if (existing && existing.loaded) return; // loaded twice: the first copy keeps working alone

  const nav = navigator, loc = location, now = Date.now;
  // Classic scripts see themselves while they run, inserted ones too; the rest falls back to the page's origin.
  const script = d.currentScript || {};
  const data = script.dataset || {};
  const origin = new URL(script.src || '/', loc.href).origin;
  const service = data.serviceName || 'web-analytics';
  const disabled = (data.disable + '').split(','); // 'undefined' disables nothing
  const stripQuery = data.stripQuery != null && data.stripQuery !== 'false';
  const doNotTrack = data.respectDnt == 'true' && nav.doNotTrack == 1;
  // A query parameter, not a header: a header would cost a CORS preflight, and beacons cannot set one.
  const endpoint = origin + '/api/events/track/batch' + (data.apiKey ? '?apiKey=' + encodeURIComponent(data.apiKey) : '');
  const origFetch = w.fetch;
  const MAX_BATCH = 50, MAX_BYTES = 60000;

  // Never throw into the page, whatever the browser or the page has done to the globals.
  const safe = fn => function () { try { return fn.apply(this, arguments); } catch (e) { } };
  const uuid = () => crypto.randomUUID ? crypto.randomUUID() : now().toString(36) + Math.random().toString(36).slice(2);
  const on = (target, type, fn, capture) => target.addEventListener(type, safe(fn), capture);
  const clip = (text, max) => ((text || '') + '').slice(0, max);
  const ms = () => performance.now();

  let sid, userId, optedOut, queue = [];
  const recent = []; // name and time of the last 100 events, for the overlay
  const stats = { sent: 0, failed: 0, dropped: 0 }; // and, after the first send, status: its HTTP status, 0 when unreached
  let sending, attempt = 0, retryTimer, lastUrl;
  // flush() calls waiting for their events: [the last of them, events lost so far, resolve, reject]. The queue only
  // ever loses events from its head (sent, refused, dropped), so a waiter is done when its last event has left the
  // queue, and some of its events were lost when the count of lost events grew meanwhile.
  let waiters = [];
  const lost = () => stats.failed + stats.dropped;
  let overlay, overlayCall, overlayLoading;

  // Everything the script keeps lives in one localStorage entry: { q: the last 200 queued events, to be sent with
  // the next visit's first batch under the same ids; s, t: the session and when it last saw an event; u: the user
  // (identify); o: opted out }. Touching localStorage first costs a page milliseconds, so it waits until the page is
  // idle (or the script needs it sooner); events captured before then wait in memory and get their session and user
  // here. A session ends after 30 minutes without events, as in most analytics tools, and is shared by the tabs.
  const start = () => {
    if (sid) return;
    let saved;
    try { saved = JSON.parse(localStorage.lm); } catch (e) { }
    saved = saved || {};
    sid = (now() - saved.t < 1800000 && saved.s) || uuid();
    userId = saved.u;
    optedOut = saved.o;
    queue.forEach(({ payload: p }) => { p.sessionId = p.sessionId || sid; p.userId = p.userId || userId; });
    queue = optedOut ? [] : [].concat(saved.q || [], queue);
    changed();
  };

  // Every URL the script records (the page's, the referrer, links, requests, form actions) goes through here: query
  // and fragment values whose names look secret are masked, or query and fragment are dropped (data-strip-query).
  const maskUrl = url => {
    try {
      const u = new URL(url, loc.href);
      if (stripQuery) u.search = u.hash = '';
      u.search = masked(u.search);
      if (u.hash.includes('=')) u.hash = masked(u.hash);
      return u.href;
    } catch (e) { return ''; }
  };

  const masked = part => {
    const params = new URLSearchParams(part.slice(1));
    params.forEach((v, k) => { if (/token|key|secret|pass|pwd|auth|session|sig|code|jwt|cred|otp/i.test(k)) params.set(k, '***'); });
    return (params + '') && part[0] + params;
  };

  const capture = (name, extra) => {
    if (optedOut || doNotTrack) return;
    const payload = Object.assign({ serviceName: service, sessionId: sid, userAgent: nav.userAgent, url: maskUrl(loc.href), timestamp: now() },
      d.referrer && { referrer: maskUrl(d.referrer) }, userId && { userId }, extra);
    queue.push({ eventName: name + '', eventId: uuid(), payload });
    if (queue.length > 1000) { queue.shift(); stats.dropped++; }
    if (recent.unshift([payload.timestamp, name]) > 100) recent.pop();
    changed();
    if (queue.length >= MAX_BATCH) flush();
  };

  const changed = () => {
    try { if (sid) localStorage.lm = JSON.stringify({ q: queue.slice(-200), s: sid, t: now(), u: userId, o: optedOut }); } catch (e) { }
    if (overlay) overlay.render();
  };

  // Bodies under the size limit of keepalive requests and beacons. sentAt lets the server correct the event times of
  // a browser whose clock is off.
  const bodies = events => {
    const out = [];
    let part = [], size = 0;
    const close = () => { if (part.length) out.push([part, JSON.stringify({ sentAt: now(), events: part })]); part = []; size = 0; };
    events.forEach(ev => {
      const n = JSON.stringify(ev).length;
      if (size + n > MAX_BYTES) close();
      part.push(ev); size += n + 1;
    });
    close();
    return out;
  };

  const remove = events => { queue = queue.filter(ev => !events.includes(ev)); };

  const settle = () => {
    waiters = waiters.filter(([last, lostBefore, resolve, reject]) => {
      if (queue.includes(last)) return true;
      lost() > lostBefore ? reject(Error('LiveMonitor: events not delivered')) : resolve();
    });
    changed();
  };

  // One request at a time, of at most 50 events; the next goes as soon as it is answered when more is waiting.
  const flush = () => {
    start();
    if (sending || !queue.length) return; // a flush() during a send is answered when it ends
    sending = true;
    clearTimeout(retryTimer);
    const [events, body] = bodies(queue.slice(0, MAX_BATCH))[0];
    // A string body goes as text/plain, which keeps the request "simple": no CORS preflight.
    origFetch.call(w, endpoint, { method: 'POST', body, keepalive: body.length < MAX_BYTES })
      .then(res => res.status, () => 0)
      .then(safe(status => {
        sending = false;
        stats.status = status;
        if (status > 199 && status < 300) stats.sent += events.length;
        else if (status > 399 && status < 500 && status != 408 && status != 429) stats.failed += events.length;
        else {
          // Network error, 408, 429 or 5xx: kept with the same event ids, retried with back-off and jitter; after 5
          // attempts the queue is dropped (counted).
          if (++attempt < 5) retryTimer = setTimeout(safe(flush), (250 << attempt) * (1 + Math.random())); // 0.5-1, 1-2, 2-4, 4-8 s
          else { stats.dropped += queue.length; queue = []; attempt = 0; settle(); }
          return;
        }
        attempt = 0;
        remove(events);
        settle();
        if (waiters.length || queue.length >= MAX_BATCH) flush();
      }));
  };

  // Offline, whether a beacon is ever delivered is up to the browser: the events stay in localStorage instead and go
  // with the next visit's first batch, under the same ids.
  const beacon = () => {
    start();
    if (!queue.length || !nav.onLine) return;
    bodies(queue.slice()).forEach(([events, body]) => {
      if (nav.sendBeacon(endpoint, body)) { remove(events); stats.sent += events.length; }
    });
    changed();
  };

  const pageView = navigation => {
    if (loc.href === lastUrl && navigation !== 'restore') return; // one per distinct URL
    lastUrl = loc.href;
    capture('page-view', { metadata: { title: d.title, path: loc.pathname, navigation } });
  };

  const wrapHistory = method => {
    const original = history[method];
    if (original) history[method] = function () {
      const result = original.apply(this, arguments);
      safe(pageView)(method);
      return result;
    };
  };

  const onClick = e => {
    const el = e.target.closest('button, a, [data-track]');
    if (!el || (overlay && overlay.contains(el))) return;
    const tag = el.tagName.toLowerCase(), classes = typeof el.className == 'string' && el.className.trim();
    capture('element-click', { metadata: {
      element: tag, id: el.id || undefined,
      selector: el.id ? tag + '#' + el.id : classes ? tag + '.' + classes.split(/\s+/).slice(0, 2).join('.') : tag,
      text: clip(el.textContent.trim().replace(/\s+/g, ' '), 100), href: el.href ? maskUrl(el.href) : undefined,
      track: el.getAttribute('data-track') || undefined } });
  };

  const onSubmit = e => {
    const form = e.target;
    if (form.tagName !== 'FORM') return;
    capture('form-submit', { metadata: {
      formId: form.id || undefined, action: form.getAttribute('action') ? maskUrl(form.action) : undefined,
      method: (form.getAttribute('method') || 'get').toUpperCase(), fieldCount: form.elements.length } });
  };

  // At most 10 errors a minute; the same error within a minute is counted, not sent again.
  const errorSeen = {};
  let minute = 0, inMinute = 0, suppressed = 0;
  const error = (name, message, stack, source, line, column) => {
    const t = now(), key = message + source + line;
    if (t - minute > 60000) { minute = t; inMinute = 0; }
    if (t - errorSeen[key] < 60000 || ++inMinute > 10) return suppressed++;
    errorSeen[key] = t;
    capture(name, { metadata: { message: clip(message, 500), source, line, column,
      stack: stack ? clip(stack, 2000) : undefined, suppressedBefore: suppressed || undefined } });
    suppressed = 0;
  };

  const isOwn = url => new URL(url, loc.href).href.startsWith(origin + '/api/events');

  const network = (method, url, started) => {
    if (isOwn(url)) return;
    const report = (statusCode, failure) => capture('network-request', {
      statusCode, responseTimeMs: +(ms() - started).toFixed(1),
      metadata: { method: String(method || 'GET').toUpperCase(), url: maskUrl(url), failed: failure && true, error: failure } });
    return safe(report);
  };

  const wrapFetch = () => {
    w.fetch = function (input, init) {
      const started = ms();
      const promise = origFetch.apply(this, arguments); // the page gets exactly this promise
      safe(() => {
        const report = network((init && init.method) || input.method, input.url || input + '', started);
        if (report) promise.then(res => report(res.status), err => report(0, clip(err && err.message, 200) || 'network error'));
      })();
      return promise;
    };
  };

  const wrapXhr = () => {
    const proto = XMLHttpRequest.prototype;
    const open = proto.open, send = proto.send;
    proto.open = function (method, url) {
      this.lm = [method, url + ''];
      return open.apply(this, arguments);
    };
    proto.send = function () {
      const xhr = this;
      safe(() => {
        const report = network(xhr.lm[0], xhr.lm[1], ms());
        if (report) xhr.addEventListener('loadend', () => report(xhr.status, xhr.status ? undefined : 'network error'));
      })();
      return send.apply(this, arguments);
    };
  };

  // The overlay (Ctrl+Shift+M, show()) is a second file from the same server, loaded the first time it is wanted, so
  // pages that never open it neither download nor run it.
  const withOverlay = action => {
    if (overlay) return overlay[action]();
    overlayCall = action;
    if (overlayLoading) return;
    overlayLoading = d.createElement('script');
    overlayLoading.src = origin + '/api/monitor-overlay.js';
    d.head.appendChild(overlayLoading);
  };

  const api = {
    loaded: true,
    track: safe(capture),
    identify: safe(id => { start(); userId = id ? id + '' : undefined; changed(); }),
    // Events the page already asked to flush are still delivered; the rest of the queue is discarded.
    optOut: safe(() => {
      start();
      optedOut = true;
      queue = queue.slice(0, queue.indexOf((waiters[waiters.length - 1] || [])[0]) + 1);
      changed();
    }),
    optIn: safe(() => { start(); optedOut = false; changed(); }),
    // Everything queued now is sent (right after a send in flight); the promise resolves when all of it is
    // acknowledged, and rejects once some of it is refused or the retries give up.
    flush: () => new Promise((resolve, reject) => {
      start();
      if (!queue.length) return resolve();
      waiters.push([queue[queue.length - 1], lost(), resolve, reject]);
      flush();
    }),
    show: safe(() => withOverlay('show')),
    hide: () => overlay && overlay.hide(),
    toggle: safe(() => withOverlay('toggle')),
    stats: () => Object.assign({ queued: queue.length }, stats),
    // For monitor-overlay.js only.
    _attach: safe(o => { overlay = o; if (overlayCall) o[overlayCall](); }),
    _state: () => ({ recent, optedOut })
  };

  safe(() => {
    w.LiveMonitor = api;
    const enabled = kind => !disabled.includes(kind);
    if (enabled('network')) { wrapFetch(); wrapXhr(); }
    if (enabled('pageview')) {
      ['pushState', 'replaceState'].forEach(wrapHistory);
      on(w, 'popstate', () => pageView('popstate'));
      on(w, 'hashchange', () => pageView('hashchange'));
      on(w, 'pageshow', e => e.persisted && pageView('restore'));
      pageView('load');
    }
    if (enabled('click')) on(d, 'click', onClick, true);
    if (enabled('form')) on(d, 'submit', onSubmit, true);
    if (enabled('error')) {
      // A resource's load error does not bubble to window, so only script errors arrive here.
      on(w, 'error', e => error('js-error', e.message, e.error && e.error.stack, e.filename, e.lineno, e.colno));
      on(w, 'unhandledrejection', ({ reason: r }) => error('unhandled-rejection', (r && r.message) || r + '', r && r.stack));
    }
    on(d, 'keydown', e => e.ctrlKey && e.shiftKey && e.code == 'KeyM' && withOverlay('toggle'));
    on(d, 'visibilitychange', () => d.hidden && beacon());
    on(w, 'pagehide', beacon);
    on(w, 'online', () => { attempt = 0; flush(); });
    // Events kept from an earlier visit go with the first regular batch, not in a request of their own.
    setInterval(safe(flush), +data.batchInterval || 5000);
    (w.requestIdleCallback || setTimeout)(safe(start), { timeout: 2000 });
    (existing && existing.q || []).forEach(call => api[call[0]] && api[call[0]].apply(api, call.slice(1)));
  })();
})(window, document);
