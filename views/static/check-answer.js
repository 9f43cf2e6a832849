// Saves every answer of a check as it is given (PUT /api/v1/checks/:id/answers/:itemId), so a
// reload or a dropped connection loses nothing already answered. The section save buttons stay:
// without JavaScript they are the way to save, and with it they still work.
(function () {
  'use strict';
  var root = document.getElementById('check-answers');
  if (!root || !window.fetch) return;
  var checkId = root.getAttribute('data-check');
  var tokenInput = root.querySelector('input[name="_csrf"]');
  var token = tokenInput ? tokenInput.value : '';
  var noteDelay = 800;
  // Per item: a debounce timer, whether a save is on its way, whether another is wanted after it.
  var timers = {};
  var busy = {};
  var again = {};

  function text(name, params) {
    var s = root.getAttribute('data-' + name) || '';
    Object.keys(params || {}).forEach(function (k) {
      s = s.split('{' + k + '}').join(params[k]);
    });
    return s;
  }

  function itemOf(el) {
    return el && el.closest ? el.closest('fieldset[data-item]') : null;
  }

  function named(fs, name) {
    var out = [];
    var els = fs.querySelectorAll('input, textarea, select');
    for (var i = 0; i < els.length; i++) if (els[i].name === name) out.push(els[i]);
    return out;
  }

  function answerOf(fs) {
    var id = fs.getAttribute('data-item');
    var value = null;
    named(fs, 'a.' + id).forEach(function (el) {
      if (el.type === 'radio') {
        if (el.checked) value = el.value;
      } else value = el.value;
    });
    var notes = named(fs, 'n.' + id);
    return { value: value === '' ? null : value, note: notes.length ? notes[0].value : null };
  }

  function show(fs, kind, message) {
    var state = fs.querySelector('.save-state');
    if (!state) return;
    state.className = 'save-state' + (kind ? ' ' + kind : '');
    state.textContent = message;
  }

  function when(isoTime) {
    try {
      return new Date(isoTime).toLocaleString(document.documentElement.lang === 'en' ? 'en-GB' : 'vi-VN', {
        timeZone: 'Asia/Ho_Chi_Minh',
        dateStyle: 'short',
        timeStyle: 'short',
      });
    } catch {
      return isoTime;
    }
  }

  function percent(p) {
    // The page's own language decides the decimal mark, as the server writes it (58,3% / 58.3%).
    if (p === null || p === undefined) return null;
    return (document.documentElement.lang === 'vi' ? String(p).replace('.', ',') : String(p)) + '%';
  }

  function update(data) {
    var progress = document.querySelector('p.progress[data-template]');
    if (progress && data.progress) {
      progress.textContent = progress
        .getAttribute('data-template')
        .split('{answered}')
        .join(data.progress.answered)
        .split('{items}')
        .join(data.progress.items)
        .split('{left}')
        .join(data.progress.mandatoryLeft);
    }
    if (!data.score) return;
    var overall = document.querySelector('.score-overall');
    if (overall) overall.textContent = percent(data.score.overall) || overall.getAttribute('data-none');
    var none = overall ? overall.getAttribute('data-none') : '';
    var sections = document.querySelectorAll('.section-score[data-section]');
    for (var i = 0; i < sections.length; i++) {
      var s = data.score.sections[sections[i].getAttribute('data-section')];
      sections[i].textContent = percent(s) || none;
    }
  }

  // What the page shows as saved: the section button then only sends what changed since.
  function remember(fs, answer) {
    var id = fs.getAttribute('data-item');
    named(fs, 'was.' + id).forEach(function (el) {
      el.value = answer.value === null ? '' : answer.value;
    });
    named(fs, 'wasn.' + id).forEach(function (el) {
      el.value = answer.note || '';
    });
  }

  function save(fs, keepalive) {
    var id = fs.getAttribute('data-item');
    clearTimeout(timers[id]);
    timers[id] = 0;
    if (busy[id]) {
      again[id] = true;
      return;
    }
    busy[id] = true;
    var sent = answerOf(fs);
    show(fs, '', text('saving'));
    fetch('/api/v1/checks/' + encodeURIComponent(checkId) + '/answers/' + encodeURIComponent(id), {
      method: 'PUT',
      credentials: 'same-origin',
      keepalive: !!keepalive,
      headers: { 'Content-Type': 'application/json', 'x-csrf-token': token, Accept: 'application/json' },
      body: JSON.stringify(sent),
    })
      .then(
        function (res) {
          return res
            .json()
            .catch(function () {
              return {};
            })
            .then(function (body) {
              if (res.ok && body.data) {
                remember(fs, sent);
                var r = body.data.replaced;
                show(fs, 'ok', r ? text('replaced', { name: r.fullName, at: when(r.answeredAt) }) : text('saved'));
                update(body.data);
                return;
              }
              var err = body.error || {};
              var fields = err.fields || {};
              show(fs, 'bad', text('failed', { message: fields.value || fields.note || err.message || res.status }));
              if (res.status === 409) lock();
            });
        },
        function () {
          // No connection: the answer stays on the page and is sent again shortly.
          show(fs, 'bad', text('offline'));
          setTimeout(function () {
            save(fs);
          }, 5000);
        },
      )
      .then(function () {
        busy[id] = false;
        if (again[id]) {
          again[id] = false;
          save(fs);
        }
      });
  }

  function lock() {
    var els = root.querySelectorAll('input, textarea, select, button');
    for (var i = 0; i < els.length; i++) if (els[i].type !== 'hidden') els[i].disabled = true;
  }

  function isAnswerField(el) {
    return el && el.name && (el.name.indexOf('a.') === 0 || el.name.indexOf('n.') === 0);
  }

  root.addEventListener('change', function (ev) {
    var fs = itemOf(ev.target);
    if (fs && isAnswerField(ev.target)) save(fs);
  });
  // Typing in notes and text answers is saved after a pause, not at every key.
  root.addEventListener('input', function (ev) {
    var el = ev.target;
    var fs = itemOf(el);
    if (!fs || !isAnswerField(el) || el.type === 'radio') return;
    var id = fs.getAttribute('data-item');
    clearTimeout(timers[id]);
    timers[id] = setTimeout(function () {
      save(fs);
    }, noteDelay);
  });
  // Leaving with a note still waiting for its pause: send it now.
  window.addEventListener('pagehide', function () {
    Object.keys(timers).forEach(function (id) {
      if (!timers[id]) return;
      clearTimeout(timers[id]);
      var fs = root.querySelector('fieldset[data-item="' + id.replace(/"/g, '') + '"]');
      if (fs) save(fs, true);
    });
  });
})();
