// Saves each entry of an inspection on site as it is made. Without this script every
// section still saves with its own button. A save that fails (no signal in a commune office) is
// queued in localStorage and sent again when the connection returns or the page is opened again,
// so a reload or a dropped connection loses nothing already entered.
(function () {
  'use strict';
  var box = document.getElementById('autosave');
  if (!box) return;
  var api = box.getAttribute('data-api');
  var tokenInput = document.querySelector('input[name="_csrf"]');
  var token = tokenInput ? tokenInput.value : '';
  var queueKey = 'isotrack.inspection.queue:' + api;

  function say(key) {
    box.textContent = box.getAttribute('data-' + key) || '';
    box.className = 'autosave ' + key;
  }
  function load() {
    try {
      return JSON.parse(localStorage.getItem(queueKey) || '[]');
    } catch {
      return [];
    }
  }
  function store(q) {
    try {
      localStorage.setItem(queueKey, JSON.stringify(q));
    } catch {
      /* private mode: keep in memory */
    }
  }

  var queue = load();
  var sending = false;

  // The latest entry for one field replaces an older one still waiting.
  function enqueue(entry) {
    queue = queue.filter(function (q) {
      return q.key !== entry.key;
    });
    queue.push(entry);
    store(queue);
    flush();
  }

  function flush() {
    if (sending || !queue.length) return;
    sending = true;
    say('pending');
    var entry = queue[0];
    fetch(api + entry.path, {
      method: entry.method,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'x-csrf-token': token, Accept: 'application/json' },
      body: JSON.stringify(entry.body),
    })
      .then(function (res) {
        sending = false;
        // A refusal (422, 409) will not change by sending again: drop it and show the reason.
        if (res.ok || (res.status >= 400 && res.status < 500)) {
          queue.shift();
          store(queue);
          if (res.ok) {
            say('saved');
          } else {
            res
              .json()
              .then(function (b) {
                box.textContent = (b && b.error && b.error.message) || '';
                box.className = 'autosave failed';
              })
              .catch(function () {
                say('failed');
              });
          }
          flush();
          return;
        }
        say('failed');
      })
      .catch(function () {
        sending = false;
        say('failed');
      });
  }

  window.addEventListener('online', flush);
  setInterval(flush, 15000);

  function onChange(ev) {
    var el = ev.target;
    if (!el || !el.name) return;
    var form = el.form;
    if (!form) return;
    var kind = form.getAttribute('data-autosave');
    if (kind === 'arrival' && el.name === 'arrivedAt' && el.value) {
      enqueue({ key: 'arrival', method: 'PUT', path: '/arrival', body: { arrivedAt: el.value } });
    } else if (kind === 'attendance') {
      var set = el.closest('[data-attendance]');
      if (!set) return;
      var id = set.getAttribute('data-attendance');
      var chosen = set.querySelector('input[type=radio]:checked');
      var reason = set.querySelector('input[name="r.' + id + '"]');
      if (!chosen) return;
      set.classList.remove('unmarked');
      enqueue({ key: 'att:' + id, method: 'PUT', path: '/attendance/' + id, body: { presence: chosen.value, reason: reason ? reason.value : '' } });
    } else if (kind === 'answers') {
      var item = el.getAttribute('data-item');
      if (!item) return;
      var person = form.getAttribute('data-attendance');
      var valueEl =
        form.querySelector('[name="a.' + item + '"]:checked') ||
        form.querySelector('textarea[name="a.' + item + '"], input[type=text][name="a.' + item + '"], input[type=date][name="a.' + item + '"]');
      var noteEl = form.querySelector('[name="n.' + item + '"]');
      var body = { value: valueEl ? valueEl.value : null, note: noteEl ? noteEl.value : '' };
      if (person) body.attendanceId = Number(person);
      enqueue({ key: 'ans:' + (person || 'u') + ':' + item, method: 'PUT', path: '/answers/' + encodeURIComponent(item), body: body });
    }
  }
  document.addEventListener('change', onChange);
  flush();
})();
