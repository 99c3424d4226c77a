// The live dashboard: the SSE stream for events as they arrive, the REST endpoints for cards, statistics and
// suggestions, uPlot (from npm) for the charts. Event data is only ever written with textContent.
(function () {
  'use strict';
  var MINUTES = 30, MAX_ROWS = 200;
  var rows = [];
  var perMinute = new Map(); // minute start (s) → { count, rtSum, rtCount }
  var $ = function (id) { return document.getElementById(id); };
  var filters = { service: $('filter-service'), event: $('filter-event'), user: $('filter-user') };
  // A server with API keys needs a read key: asked for once, kept for this tab only.
  var KEY_ITEM = 'eventtracker-read-key';
  var readKey = sessionStorage.getItem(KEY_ITEM);

  function withKey(url) {
    return readKey ? url + (url.indexOf('?') >= 0 ? '&' : '?') + 'apiKey=' + encodeURIComponent(readKey) : url;
  }

  function askForKey(rejected) {
    $('key-form').hidden = false;
    $('key-message').textContent = rejected ? 'That key was not accepted; a key with the read scope is needed.' : 'This server needs an API key with the read scope.';
    $('connection').textContent = 'locked';
    $('connection').className = 'badge down';
  }

  $('key-form').addEventListener('submit', function (e) {
    e.preventDefault();
    readKey = $('api-key').value.trim();
    sessionStorage.setItem(KEY_ITEM, readKey);
    $('key-form').hidden = true;
    start();
  });

  function text(tag, value, className) {
    var el = document.createElement(tag);
    el.textContent = value == null ? '' : String(value);
    if (className) el.className = className;
    return el;
  }

  function matches(e) {
    var service = filters.service.value.trim(), name = filters.event.value.trim().toLowerCase(), user = filters.user.value.trim();
    return (!service || e.serviceName === service) && (!name || e.name.toLowerCase().indexOf(name) >= 0) && (!user || e.userId === user);
  }

  function renderRows() {
    var body = $('events');
    body.replaceChildren.apply(body, rows.filter(matches).map(function (e) {
      var tr = document.createElement('tr');
      var status = e.payload && e.payload.statusCode;
      tr.append(text('td', new Date(e.timestamp).toLocaleTimeString()), text('td', e.name), text('td', e.serviceName || 'unknown'),
        text('td', e.userId || ''), text('td', status == null ? '' : status, status >= 400 ? 'error' : ''),
        text('td', e.payload && e.payload.responseTimeMs != null ? Math.round(e.payload.responseTimeMs) : ''));
      return tr;
    }));
  }

  function addEvent(e, live) {
    rows.unshift(e);
    if (rows.length > MAX_ROWS) rows.length = MAX_ROWS;
    var minute = Math.floor(e.timestamp / 60000) * 60;
    var bucket = perMinute.get(minute) || { count: 0, rtSum: 0, rtCount: 0 };
    bucket.count++;
    if (e.payload && typeof e.payload.responseTimeMs === 'number') { bucket.rtSum += e.payload.responseTimeMs; bucket.rtCount++; }
    perMinute.set(minute, bucket);
    if (live) { renderRows(); renderCharts(); }
  }

  var charts = {};
  function chart(id, label, color) {
    var el = $(id);
    return new uPlot({ width: el.clientWidth || 500, height: 200, series: [{}, { label: label, stroke: color, width: 2 }], axes: [{}, {}] },
      [[], []], el);
  }

  function renderCharts() {
    if (typeof uPlot === 'undefined') return;
    charts.rate = charts.rate || chart('chart-rate', 'events', '#2563eb');
    charts.latency = charts.latency || chart('chart-latency', 'avg ms', '#d97706');
    var now = Math.floor(Date.now() / 60000) * 60, xs = [], counts = [], latency = [];
    for (var t = now - (MINUTES - 1) * 60; t <= now; t += 60) {
      var b = perMinute.get(t);
      xs.push(t); counts.push(b ? b.count : 0); latency.push(b && b.rtCount ? b.rtSum / b.rtCount : null);
    }
    charts.rate.setData([xs, counts]);
    charts.latency.setData([xs, latency]);
  }

  function getJson(url) {
    return fetch(withKey(url), { headers: { Accept: 'application/json' } }).then(function (r) {
      if (r.status === 401 || r.status === 403) { askForKey(!!readKey); throw new Error(r.status); }
      if (!r.ok) throw new Error(r.status);
      return r.json();
    });
  }

  function fixed(value) { return value == null ? '—' : Number(value).toFixed(1); }

  function renderCards(services) {
    $('cards').replaceChildren.apply($('cards'), services.services.map(function (s) {
      var card = document.createElement('article');
      card.className = 'card';
      card.setAttribute('data-service', s.serviceName);
      var dl = document.createElement('dl');
      [['events', s.eventCount], ['error rate', fixed(s.errorRate) + ' %'], ['avg ms', fixed(s.avgResponseTime)], ['p95 ms', fixed(s.p95ResponseTime)]]
        .forEach(function (pair) { dl.append(text('dt', pair[0]), text('dd', pair[1])); });
      card.append(text('h3', s.serviceName), dl);
      return card;
    }));
    $('service-names').replaceChildren.apply($('service-names'), services.services.map(function (s) {
      var option = document.createElement('option');
      option.value = s.serviceName;
      return option;
    }));
  }

  function renderStatistics(s) {
    var dl = $('statistics');
    var pairs = [['events held', s.totalEventCount], ['distinct events', s.totalUniqueEvents], ['services', s.totalServices]];
    (s.topEvents || []).slice(0, 5).forEach(function (e) { pairs.push([e.eventName, e.count + ' (' + fixed(e.percentage) + ' %)']); });
    dl.replaceChildren();
    pairs.forEach(function (pair) { dl.append(text('dt', pair[0]), text('dd', pair[1])); });
  }

  function renderSuggestions(s) {
    $('suggestions').replaceChildren.apply($('suggestions'), (s.suggestions.length ? s.suggestions : [null]).map(function (sug) {
      var li = document.createElement('li');
      if (!sug) { li.textContent = 'No suggestions right now.'; return li; }
      li.append(text('strong', sug.title), text('p', sug.description));
      if (sug.action && sug.action.href) {
        var a = text('a', sug.action.label || 'Open');
        a.href = withKey(sug.action.href);
        a.className = 'suggestion-action';
        li.append(a);
      }
      return li;
    }));
  }

  function refresh() {
    return Promise.all([
      getJson('/api/events/services').then(renderCards),
      getJson('/api/events/statistics').then(renderStatistics),
      getJson('/api/events/suggestions').then(renderSuggestions)
    ]).catch(function () { });
  }

  function connect() {
    var source = new EventSource(withKey('/api/events/stream'));
    source.onopen = function () { $('connection').textContent = 'live'; $('connection').className = 'badge live'; };
    source.onerror = function () { $('connection').textContent = 'reconnecting…'; $('connection').className = 'badge down'; };
    source.onmessage = function (message) {
      var envelope = JSON.parse(message.data);
      if (envelope.type === 'event') addEvent(envelope.data, true);
      else if (envelope.type === 'stats') {
        $('live-stats').textContent = envelope.data.eventsLastMinute + ' events in the last minute · ' + envelope.data.subscribers + ' live readers';
        refresh();
      }
    };
  }

  Object.keys(filters).forEach(function (key) { filters[key].addEventListener('input', renderRows); });
  var preset = new URLSearchParams(location.search);
  if (preset.get('serviceName')) filters.service.value = preset.get('serviceName');

  function start() {
    getJson('/api/events?limit=' + MAX_ROWS).then(function (page) {
      page.events.slice().reverse().forEach(function (e) { addEvent(e, false); });
      renderRows();
      renderCharts();
      connect();
      refresh();
    }).catch(function (e) {
      if (e.message !== '401' && e.message !== '403') { connect(); refresh(); }
    });
  }

  start();
  setInterval(renderCharts, 15000);
})();
