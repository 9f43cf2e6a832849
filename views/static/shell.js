// The page shell's small enhancements; every page works without them.
// - the header's drop-downs (<details>) close when another opens, on a click elsewhere and on Escape;
// - a form marked data-confirm asks with confirm() before an irreversible step (its confirmation
//   checkbox, there for browsers without this script, is then ticked and hidden);
// - a "now" button (data-now-for) fills its date-time field with the present DD/MM/YYYY HH:mm (Viet Nam time).
(function () {
  'use strict';
  var drops = function () {
    return document.querySelectorAll('header.top details');
  };
  document.addEventListener('click', function (e) {
    drops().forEach(function (d) {
      if (d.open && !d.contains(e.target)) d.open = false;
    });
  });
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Escape') return;
    drops().forEach(function (d) {
      if (d.open) {
        d.open = false;
        d.querySelector('summary').focus();
      }
    });
  });
  drops().forEach(function (d) {
    d.addEventListener('toggle', function () {
      if (!d.open) return;
      drops().forEach(function (o) {
        if (o !== d && o.open && !o.contains(d)) o.open = false;
      });
    });
  });

  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    var box = form.querySelector('input[name="confirm"]');
    if (box) {
      box.checked = true;
      var holder = box.closest('label') || box;
      holder.hidden = true;
    }
    form.addEventListener('submit', function (e) {
      if (!window.confirm(form.getAttribute('data-confirm'))) e.preventDefault();
    });
  });

  var two = function (n) {
    return (n < 10 ? '0' : '') + n;
  };
  document.querySelectorAll('button[data-now-for]').forEach(function (b) {
    b.hidden = false;
    b.addEventListener('click', function () {
      var input = document.getElementById(b.getAttribute('data-now-for'));
      if (!input) return;
      // Viet Nam time (UTC+7, no daylight saving), whatever zone the phone is set to.
      var d = new Date(Date.now() + 7 * 3600 * 1000);
      input.value = two(d.getUTCDate()) + '/' + two(d.getUTCMonth() + 1) + '/' + d.getUTCFullYear() + ' ' + two(d.getUTCHours()) + ':' + two(d.getUTCMinutes());
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
  });
})();
