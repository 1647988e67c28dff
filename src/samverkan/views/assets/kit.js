/* samverkan page kit: sortable tables, filters and printing, shared by every page. No network, no eval, no inline handlers.
   Names from the data are data: lookups go through Map, never through plain objects. */
(function () {
  "use strict";
  var lang = (document.documentElement.getAttribute("lang") || "sv").toLowerCase();
  var collator = new Intl.Collator(lang === "sv" ? "sv" : "en", { numeric: true, sensitivity: "base" });

  /* A number from a cell text such as "1 234,5", "−0,25", "12 %" (Swedish) or "1,234.5" (English). */
  function parseNumber(raw) {
    var s = String(raw).replace(/[\s\u00a0\u202f]/g, "").replace(/\u2212/g, "-").replace(/%$/, "");
    if (s === "" || s === "-" || s === "\u2013") { return null; }
    if (lang === "sv") {
      s = s.replace(/,/g, ".");
    } else {
      s = s.replace(/,/g, "");
    }
    if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) { return null; }
    return parseFloat(s);
  }

  function cellKey(cell) {
    if (!cell) { return ""; }
    var key = cell.getAttribute("data-sort");
    return key !== null ? key : cell.textContent.trim();
  }

  function sortTable(table, column, direction) {
    var body = table.tBodies[0];
    if (!body) { return; }
    var rows = Array.prototype.slice.call(body.rows);
    var keys = rows.map(function (row) { return cellKey(row.cells[column]); });
    var numeric = keys.every(function (k) { return k === "" || k === "\u2013" || parseNumber(k) !== null; });
    var items = rows.map(function (row, i) {
      var k = keys[i];
      var empty = k === "" || k === "\u2013";
      return { row: row, empty: empty, value: empty ? null : (numeric ? parseNumber(k) : k), index: Number(row.getAttribute("data-index")) };
    });
    var sign = direction === "ascending" ? 1 : -1;
    items.forEach(function (item) { item.last = item.row.classList.contains("sort-last"); });
    items.sort(function (a, b) {
      if (a.last !== b.last) { return a.last ? 1 : -1; }
      if (a.empty !== b.empty) { return a.empty ? 1 : -1; }
      var c = 0;
      if (!a.empty) {
        c = numeric ? (a.value - b.value) : collator.compare(a.value, b.value);
      }
      return c !== 0 ? sign * c : a.index - b.index;
    });
    var fragment = document.createDocumentFragment();
    items.forEach(function (item) { fragment.appendChild(item.row); });
    body.appendChild(fragment);
    table.dispatchEvent(new CustomEvent("samverkan:sorted", { bubbles: true }));
  }

  /* Filters: an <input data-filter="TABLE-ID"> hides the rows of that table whose text does not hold what is typed. */
  function fold(text) {
    /* case and diacritics ignored (å/a, ä/a, ö/o, é/e; ø/o, æ/ae, ß/ss): "sodertalje" finds "Södertälje" */
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/\u00f8/g, "o").replace(/\u00e6/g, "ae").replace(/\u00df/g, "ss");
  }
  Array.prototype.forEach.call(document.querySelectorAll("input[data-filter]"), function (input) {
    var table = document.getElementById(input.getAttribute("data-filter"));
    if (!table || !table.tBodies[0]) { return; }
    var texts = new Map();
    input.addEventListener("input", function () {
      var wanted = fold(input.value.trim());
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        if (!texts.has(row)) { texts.set(row, fold(row.textContent)); }
        row.hidden = wanted !== "" && texts.get(row).indexOf(wanted) < 0;
      });
    });
  });

  function setUp(table) {
    var body = table.tBodies[0];
    if (!body) { return; }
    Array.prototype.forEach.call(body.rows, function (row, i) { row.setAttribute("data-index", String(i)); });
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, column) {
      var button = th.querySelector("button");
      if (!button) { return; }
      button.addEventListener("click", function () {
        var current = th.getAttribute("aria-sort");
        var numericColumn = th.classList.contains("num");
        var next;
        if (current === "ascending") { next = "descending"; }
        else if (current === "descending") { next = "ascending"; }
        else { next = numericColumn ? "descending" : "ascending"; }
        Array.prototype.forEach.call(headers, function (other) {
          if (other.hasAttribute("aria-sort")) { other.setAttribute("aria-sort", "none"); }
        });
        th.setAttribute("aria-sort", next);
        sortTable(table, column, next);
      });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), setUp);

  /* Print every collapsed group, then restore what the reader had open. */
  var reopened = [];
  window.addEventListener("beforeprint", function () {
    reopened = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (d) {
      d.setAttribute("open", "");
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    reopened.forEach(function (d) { d.removeAttribute("open"); });
    reopened = [];
  });

  /* Whole numbers as samverkan.text.format writes them: narrow no-break space (sv) or comma (en), true minus. */
  function formatInt(n) {
    var digits = String(Math.round(Math.abs(Number(n))));
    var grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, lang === "sv" ? "\u202f" : ",");
    return (Number(n) < 0 ? "\u2212" : "") + grouped;
  }

  window.samverkanKit = { sortTable: sortTable, parseNumber: parseNumber, formatInt: formatInt, fold: fold };
  window.samverkanReport = window.samverkanKit;
})();
