// Each button checks one cross-origin path against the API URL and reports PASS or FAIL with the reason.
(function () {
  'use strict';
  var input = document.getElementById('api-url');
  input.value = new URLSearchParams(location.search).get('api') || location.origin;
  var api = function () { return input.value.replace(/\/+$/, ''); };

  function report(name, promise) {
    var cell = document.getElementById('result-' + name);
    cell.textContent = 'running…';
    promise.then(function (detail) { cell.textContent = 'PASS — ' + detail; cell.className = 'pass'; },
      function (error) { cell.textContent = 'FAIL — ' + (error && error.message || error); cell.className = 'fail'; });
  }

  function post(path, body) {
    return fetch(api() + path, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-User-Id': 'cors-tester' }, body: JSON.stringify(body) })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); });
  }

  var tests = {
    single: function () {
      return post('/api/events/track/cors-test', { serviceName: 'cors-test', metadata: { test: true } })
        .then(function (r) { if (!r.success) throw new Error('not tracked'); return 'event ' + r.eventId; });
    },
    batch: function () {
      return post('/api/events/track/batch', { events: [{ eventName: 'cors-batch-1', payload: { serviceName: 'cors-test' } }, { eventName: 'cors-batch-2', payload: { serviceName: 'cors-test' } }] })
        .then(function (r) { if (r.processedCount !== 2) throw new Error('processed ' + r.processedCount); return r.processedCount + ' events'; });
    },
    retrieval: function () {
      return fetch(api() + '/api/events?limit=5').then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
        .then(function (r) { if (!Array.isArray(r.events)) throw new Error('no events array'); return r.total + ' events held'; });
    },
    stream: function () {
      return new Promise(function (resolve, reject) {
        var source = new EventSource(api() + '/api/events/stream?serviceName=cors-test');
        var timer = setTimeout(function () { source.close(); reject(new Error('no event within 5 s')); }, 5000);
        source.onopen = function () { tests.single().catch(reject); };
        source.onmessage = function (m) {
          if (JSON.parse(m.data).type === 'event') { clearTimeout(timer); source.close(); resolve('event received'); }
        };
      });
    }
  };

  Object.keys(tests).forEach(function (name) {
    document.getElementById('test-' + name).addEventListener('click', function () { report(name, tests[name]()); });
  });
})();
