// Province dashboard, progressive enhancement: clicking a column heading sorts the rows in place
// and typing in the name box filters them at once. Without JavaScript the same links and the
// filter form reload the page with `sort`, `dir` and `q` in the query string.
(function () {
  'use strict';
  var table = document.getElementById('dash-table');
  if (!table) return;
  var body = table.tBodies[0];
  var shown = document.getElementById('dash-shown');
  var total = body.rows.length;

  function fold(s) {
    return s
      .toLowerCase()
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/g, 'd');
  }

  function cellValue(row, index) {
    var v = row.cells[index].getAttribute('data-sort');
    if (v === null || v === '') return null;
    var n = Number(v);
    return isNaN(n) ? v : n;
  }

  function sortBy(th) {
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var asc = th.getAttribute('aria-sort') !== 'ascending';
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index),
        y = cellValue(b, index);
      if (x === null || y === null) return x === null && y === null ? 0 : x === null ? 1 : -1;
      var c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'vi');
      return asc ? c : -c;
    });
    rows.forEach(function (r) {
      body.appendChild(r);
    });
    Array.prototype.forEach.call(table.querySelectorAll('th[aria-sort]'), function (h) {
      h.removeAttribute('aria-sort');
    });
    th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
    var sort = document.getElementById('f-sort');
    var dir = document.getElementById('f-dir');
    if (sort) sort.value = th.getAttribute('data-sort-key');
    if (dir) dir.value = asc ? 'asc' : 'desc';
  }

  Array.prototype.forEach.call(table.querySelectorAll('th[data-sort-key] a'), function (a) {
    a.addEventListener('click', function (e) {
      e.preventDefault();
      sortBy(a.parentNode);
    });
  });

  var input = document.querySelector('[data-live-filter]');
  if (input) {
    input.addEventListener('input', function () {
      var q = fold(input.value.trim());
      var n = 0;
      Array.prototype.forEach.call(body.rows, function (r) {
        var hit = !q || fold(r.cells[0].textContent || '').indexOf(q) >= 0;
        r.hidden = !hit;
        if (hit) n++;
      });
      if (shown) shown.setAttribute('data-live', n + '/' + total);
      if (shown)
        shown.textContent = shown.textContent.replace(/\d+\/\d+|\d+ of \d+/, function (m) {
          return m.indexOf('of') > 0 ? n + ' of ' + total : n + '/' + total;
        });
    });
  }
})();
