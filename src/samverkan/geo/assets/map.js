(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var T = data.texts;
  var paths = Array.prototype.slice.call(document.querySelectorAll("path.muni"));
  var groupSelect = document.getElementById("map-group");
  var egoSelect = document.getElementById("map-ego");
  var card = document.getElementById("map-card");
  var cardTitle = document.getElementById("map-card-title");
  var cardBody = document.getElementById("map-card-body");
  var egoCount = document.getElementById("ego-count");
  var current = groupSelect.value;
  var groupName = {};
  data.groups.forEach(function (g) { groupName[g.id] = g.name; });

  function setClass(el, name, on) {
    var list = (el.getAttribute("class") || "").split(/\s+/).filter(function (c) { return c && c !== name; });
    if (on) { list.push(name); }
    el.setAttribute("class", list.join(" "));
  }

  function recolour(group) {
    current = group;
    var fills = data.fills[group] || {};
    var cells = data.cells[group] || {};
    paths.forEach(function (p) {
      var code = p.getAttribute("data-code");
      if (fills[code]) { p.setAttribute("fill", fills[code]); }
      if (cells[code]) { p.setAttribute("data-state", cells[code].state); }
    });
    document.querySelectorAll("#map-table [data-group]").forEach(function (c) {
      setClass(c, "selected-group", c.getAttribute("data-group") === group);
    });
    document.body.setAttribute("data-group", group);
  }

  function section(title, items, render) {
    var h = document.createElement("h3");
    h.textContent = title + " (" + items.length + ")";
    cardBody.appendChild(h);
    var ul = document.createElement("ul");
    if (!items.length) {
      var li = document.createElement("li");
      li.textContent = T.none;
      ul.appendChild(li);
    }
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.textContent = render(item);
      ul.appendChild(li);
    });
    cardBody.appendChild(ul);
  }

  function showCard(code) {
    var c = data.cards[code];
    if (!c) { return; }
    paths.forEach(function (p) { setClass(p, "selected", p.getAttribute("data-code") === code); });
    document.querySelectorAll("#map-table tbody tr").forEach(function (r) {
      setClass(r, "selected", r.getAttribute("data-code") === code);
    });
    cardTitle.textContent = c.name;
    while (cardBody.firstChild) { cardBody.removeChild(cardBody.firstChild); }
    var inGroup = function (e) { return current === "__all__" || e.groups.indexOf(groupName[current]) >= 0; };
    section(T.efforts, c.efforts.filter(inGroup), function (e) {
      return e.name + " (" + e.organisation + ")" + (e.groups.length ? ": " + e.groups.join(", ") : "");
    });
    section(T.projects, c.projects.filter(inGroup), function (p) {
      return p.name + (p.owner ? " (" + T.owner + ": " + p.owner + ")" : "") + (p.active ? "" : " – " + T.ended);
    });
    section(T.organisations, c.organisations, function (o) { return o.name; });
    section(T.white_spots, c.white_spots.filter(function (w) { return current === "__all__" || w.group === groupName[current]; }),
      function (w) { return w.group + ": " + (w.kind === "white-spot" ? T.white_spot : T.effort_gap); });
    card.hidden = false;
    card.setAttribute("data-code", code);
  }

  function ego(orgId) {
    var chosen = null;
    data.organisations.forEach(function (o) { if (o.id === orgId) { chosen = o; } });
    var any = {}, offered = {};
    if (chosen) {
      chosen.codes.forEach(function (c) { any[c] = true; });
      chosen.effort_codes.forEach(function (c) { offered[c] = true; });
    }
    paths.forEach(function (p) {
      var code = p.getAttribute("data-code");
      setClass(p, "ego", !!any[code]);
      setClass(p, "ego-effort", !!offered[code]);
      setClass(p, "dimmed", !!chosen && !any[code]);
    });
    egoCount.textContent = chosen ? T.selected.replace("{e}", String(chosen.effort_codes.length)).replace("{p}", String(chosen.project_codes.length)) : "";
  }

  paths.forEach(function (p) {
    p.addEventListener("click", function () { showCard(p.getAttribute("data-code")); });
    p.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); showCard(p.getAttribute("data-code")); }
    });
  });
  groupSelect.addEventListener("change", function () {
    recolour(groupSelect.value);
    var open = card.getAttribute("data-code");
    if (!card.hidden && open) { showCard(open); }
  });
  egoSelect.addEventListener("change", function () { ego(egoSelect.value); });
  document.getElementById("map-card-close").addEventListener("click", function () {
    card.hidden = true;
    paths.forEach(function (p) { setClass(p, "selected", false); });
  });
  recolour(current);
  window.samverkanView = { readyMs: performance.now() };
  document.body.setAttribute("data-ready", "1");
})();
