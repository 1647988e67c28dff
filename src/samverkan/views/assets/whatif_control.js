/* samverkan network.html: the "Tänk om … lämnar" / "What if … leaves" control.
 * Ticked organisations are hidden in the network (vis DataSet of window.samverkanView) and the line
 * #whatif-counter says how many organisations are left, in how many parts and how large the largest
 * part is (SamverkanWhatIf from whatif.js). No network requests; text only through textContent. */
(function () {
  "use strict";
  var box = document.getElementById("whatif");
  if (!box || !window.SamverkanWhatIf) return;
  var data = JSON.parse(document.getElementById("samverkan-data").textContent);
  var orgs = data.nodes.filter(function (n) { return n.kind !== "project"; });
  var model = window.SamverkanWhatIf.create(orgs, data.edges);
  var lang = box.getAttribute("data-lang") === "en" ? "en-GB" : "sv-SE";
  var fmt = function (n) { return Number(n).toLocaleString(lang); };
  var fill = function (t, v) { return t.replace(/\{(\w+)\}/g, function (m, k) { return v[k] !== undefined ? v[k] : m; }); };
  var counter = document.getElementById("whatif-counter");
  var boxes = Array.prototype.slice.call(box.querySelectorAll("input[type=checkbox]"));
  var gone = new Set();
  function update() {
    var ids = [];
    boxes.forEach(function (b) { if (b.checked) ids.push(b.value); });
    var s = model.summary(ids);
    // one part: a sentence of its own ("all in one connected part"), never "in 1 parts"
    var template = (ids.length ? "data-summary" : "data-none") + (s.components === 1 ? "-one" : "");
    counter.textContent = fill(box.getAttribute(template),
      { organisations: fmt(s.organisations), components: fmt(s.components), largest: fmt(s.largest), hidden: fmt(s.hidden) });
    counter.setAttribute("data-components", String(s.components));
    counter.setAttribute("data-largest", String(s.largest));
    counter.setAttribute("data-organisations", String(s.organisations));
    var view = window.samverkanView;
    if (view && view.nodes) {
      var now = new Set(ids), updates = [];
      gone.forEach(function (id) { if (!now.has(id)) updates.push({ id: id, hidden: false }); });
      now.forEach(function (id) { if (!gone.has(id)) updates.push({ id: id, hidden: true }); });
      if (updates.length) view.nodes.update(updates);
      gone = now;
    }
  }
  boxes.forEach(function (b) { b.addEventListener("change", update); });
  document.getElementById("whatif-reset").addEventListener("click", function () {
    boxes.forEach(function (b) { b.checked = false; });
    update();
  });
  update();
})();
