/* samverkan map of efforts: search, filters, sorting and matrix clicks. No user text is parsed as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("samverkan-data").textContent);
  var locale = data.lang === "sv" ? "sv-SE" : "en-GB";
  var collator = new Intl.Collator(locale, { numeric: true, sensitivity: "base" });
  var tbody = document.querySelector("#efforts-table tbody");
  var rows = Array.prototype.slice.call(tbody.rows);
  var search = document.getElementById("search");
  var tgSelect = document.getElementById("filter-target-group");
  var munSelect = document.getElementById("filter-municipality");
  var counter = document.getElementById("counter");
  function fold(s) {
    /* case and diacritics ignored: "sodertalje" finds "Södertälje" */
    return String(s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLocaleLowerCase(locale)
      .replace(/\u00f8/g, "o").replace(/\u00e6/g, "ae").replace(/\u00df/g, "ss");
  }
  var texts = rows.map(function (r) { return fold(r.textContent); });

  function apply() {
    var q = fold(search.value.trim());
    var tg = tgSelect.value, mun = munSelect.value;
    var shown = 0;
    rows.forEach(function (r, i) {
      var ok = (!tg || r.getAttribute("data-tg").indexOf("|" + tg + "|") >= 0) &&
        (!mun || r.getAttribute("data-mun").indexOf("|" + mun + "|") >= 0) &&
        (!q || texts[i].indexOf(q) >= 0);
      r.hidden = !ok;
      if (ok) shown += 1;
    });
    counter.textContent = data.texts.counter
      .replace("{shown}", window.samverkanKit.formatInt(shown))
      .replace("{total}", window.samverkanKit.formatInt(rows.length));
    counter.setAttribute("data-shown", String(shown));
    document.getElementById("no-rows").hidden = shown > 0;
    Array.prototype.forEach.call(document.querySelectorAll("#coverage-matrix td button"), function (b) {
      var on = (tg !== "" || mun !== "") && (!tg || b.getAttribute("data-tg") === tg) &&
        (!mun || b.getAttribute("data-mun") === mun);
      b.parentNode.classList.toggle("active", on && tg !== "" && mun !== "");
    });
  }
  search.addEventListener("input", apply);
  tgSelect.addEventListener("change", apply);
  munSelect.addEventListener("change", apply);
  document.getElementById("reset").addEventListener("click", function () {
    search.value = "";
    tgSelect.value = "";
    munSelect.value = "";
    apply();
  });

  /* sorting by a column; a second click reverses */
  var headers = Array.prototype.slice.call(document.querySelectorAll("#efforts-table thead th"));
  headers.forEach(function (th) {
    th.querySelector("button").addEventListener("click", function () {
      var col = Number(this.getAttribute("data-col"));
      var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
      headers.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
      th.setAttribute("aria-sort", dir);
      var sign = dir === "ascending" ? 1 : -1;
      var order = rows.map(function (r, i) { return i; });
      order.sort(function (a, b) {
        return sign * collator.compare(rows[a].cells[col].textContent, rows[b].cells[col].textContent) || a - b;
      });
      var sortedRows = order.map(function (i) { return rows[i]; });
      var sortedTexts = order.map(function (i) { return texts[i]; });
      rows = sortedRows;
      texts = sortedTexts;
      rows.forEach(function (r) { tbody.appendChild(r); });
    });
  });

  /* a click in the coverage matrix filters the table to that target group and municipality */
  Array.prototype.forEach.call(document.querySelectorAll("#coverage-matrix td button"), function (b) {
    b.addEventListener("click", function () {
      tgSelect.value = b.getAttribute("data-tg");
      munSelect.value = b.getAttribute("data-mun");
      apply();
      document.getElementById("efforts-table").scrollIntoView({ behavior: "smooth", block: "start" });
    });
  });

  apply();
  window.samverkanView = { ready: true, readyMs: Math.round(performance.now()) };
  document.body.setAttribute("data-ready", "1");
})();
