// Progressive enhancement of the procedure form: the row buttons (add, move, remove) work
// without JavaScript by re-rendering the form; this only keeps the page where it was, so the
// officer does not lose their place in a long list of steps.
(function () {
  'use strict';
  var form = document.querySelector('form.procedure-form');
  if (!form) return;
  var key = 'catalog-form-scroll:' + location.pathname;
  try {
    var saved = sessionStorage.getItem(key);
    if (saved !== null) {
      sessionStorage.removeItem(key);
      window.scrollTo(0, Number(saved) || 0);
    }
  } catch {
    /* storage may be disabled: nothing to restore */
  }
  form.addEventListener('click', function (ev) {
    var b = ev.target && ev.target.closest ? ev.target.closest('button[name="op"]') : null;
    if (!b || !b.value) return;
    try {
      sessionStorage.setItem(key, String(window.scrollY));
    } catch {
      /* storage may be full or disabled */
    }
  });
})();
