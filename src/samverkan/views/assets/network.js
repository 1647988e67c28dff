/* samverkan network view: labels, search, filters, details. Every user text is set with textContent
   or drawn on the canvas as text; nothing from the data is parsed as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("samverkan-data").textContent);
  var T = data.texts;
  var locale = data.lang === "sv" ? "sv-SE" : "en-GB";

  /* search ignores case and diacritics: "sodertalje" finds "Södertälje" (the kit's fold) */
  function fold(s) { return window.samverkanKit.fold(String(s || "")).toLocaleLowerCase(locale); }
  function fmt(n) { return window.samverkanKit.formatInt(n); }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return Object.prototype.hasOwnProperty.call(values, k) ? values[k] : m; });
  }
  function shortName(name) { return name.length > 32 ? name.slice(0, 31) + "\u2026" : name; }

  /* edge tooltips are put together here from compact fields */
  /* ids and names are data: a Map, so an id such as "__proto__" or "constructor" is just a key */
  var byId = new Map();
  data.nodes.forEach(function (n) { byId.set(n.id, n); });
  data.edges.forEach(function (e) {
    var lines = [byId.get(e.from).name + " \u2013 " + byId.get(e.to).name];
    if (e.sp !== undefined) {
      lines.push(e.sp === 1 ? T.shared_project_one : fill(T.shared_projects, { n: fmt(e.sp) }));
    }
    if (e.rl !== undefined) lines.push(T.role + ": " + e.rl);
    if (e.sr !== undefined) lines.push(T.roles + ": " + e.sr);
    if (e.tt !== undefined) lines.push(T.tie_type + ": " + e.tt);
    e.title = lines.join("\n");
  });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  var view = { nodes: nodes, edges: edges, ready: false, readyMs: null, labels: [] };
  window.network = network;
  window.samverkanView = view;

  var hidden = new Map();
  var selectedId = null;
  var folded = data.nodes.map(function (n) { return fold(n.name); });

  /* ---- labels: drawn over the network (never under another node), most important first,
          leaving out any that would overlap one already placed ---- */
  var labelFace = data.labels.face;
  var fitScale = 1;
  var labelNodes = data.nodes.filter(function (n) { return n.lab; })
    .sort(function (a, b) { return a.rank - b.rank; });
  var measure = document.createElement("canvas").getContext("2d");
  function labelPx() {
    var px = data.labels.px * Math.pow(network.getScale() / fitScale, 0.3);
    return Math.max(data.labels.minPx, Math.min(data.labels.maxPx, px));
  }
  function radius(id) { return (byId.get(id).size || 10) * (byId.get(id).shape === "star" ? 1.1 : 1); }
  function declutter() {
    var scale = network.getScale();
    var px = labelPx();
    var width = container.clientWidth, height = container.clientHeight;
    measure.font = px + "px " + labelFace;
    var wanted = [];
    if (selectedId !== null && !hidden.get(selectedId)) wanted.push(selectedId);
    labelNodes.forEach(function (n) { if (!hidden.get(n.id) && n.id !== selectedId) wanted.push(n.id); });
    var positions = network.getPositions(wanted);
    var boxes = [];
    var shown = [];
    wanted.forEach(function (id) {
      var n = byId.get(id);
      var text = n.lab || shortName(n.name);
      var p = network.canvasToDOM(positions[id]);
      var w = measure.measureText(text).width + 6;
      var top = p.y + radius(id) * scale + 2;
      var box = [p.x - w / 2, top, p.x + w / 2, top + px * 1.3];
      var onScreen = box[2] > 0 && box[0] < width && box[3] > 0 && box[1] < height;
      if (!onScreen) return;
      var clash = boxes.some(function (b) { return box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3]; });
      if (clash && id !== selectedId) return;
      boxes.push(box);
      shown.push({ id: id, text: text });
    });
    view.labels = shown;
    network.redraw();
  }
  network.on("afterDrawing", function (ctx) {
    if (!view.labels.length) return;
    var ratio = (network.canvas && network.canvas.pixelRatio) || window.devicePixelRatio || 1;
    var scale = network.getScale();
    var px = labelPx();
    var positions = network.getPositions(view.labels.map(function (l) { return l.id; }));
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.font = px + "px " + labelFace;
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    view.labels.forEach(function (l) {
      if (!positions[l.id]) return;
      var p = network.canvasToDOM(positions[l.id]);
      var top = p.y + radius(l.id) * scale + 2;
      var w = ctx.measureText(l.text).width;
      ctx.fillStyle = "rgba(255,255,255,0.82)";
      ctx.fillRect(p.x - w / 2 - 3, top, w + 6, px * 1.3);
      ctx.fillStyle = l.id === selectedId ? "#000000" : "#1d2733";
      ctx.fillText(l.text, p.x, top + px * 0.15);
    });
    ctx.restore();
  });
  var declutterTimer = null;
  function declutterSoon() {
    if (declutterTimer !== null) clearTimeout(declutterTimer);
    declutterTimer = setTimeout(function () { declutterTimer = null; declutter(); }, 100);
  }
  network.on("zoom", declutterSoon);
  network.on("dragEnd", declutterSoon);
  network.on("animationFinished", declutterSoon);
  window.addEventListener("resize", declutterSoon);

  /* ---- filters and counter ---- */
  var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-filter]"));
  function passes(n, key, value) {
    if (key === "type") return n.typeKey === value;
    if (key === "municipality") return n.mu === value;
    if (key === "region") return n.re === value;
    if (key === "community") return String(n.co) === value;
    if (key === "project") return (n.pi || n.pr || []).indexOf(value) >= 0;
    return true;
  }
  function updateCounter() {
    var shown = 0, orgs = 0, projects = 0;
    data.nodes.forEach(function (n) {
      if (hidden.get(n.id)) return;
      shown += 1;
      if (n.kind === "project") projects += 1; else orgs += 1;
    });
    var total = data.nodes.length;
    var text = data.mode === "two_mode"
      ? fill(T.counter_two_mode, { orgs: fmt(orgs), projects: fmt(projects), total: fmt(total) })
      : fill(shown === 1 ? T.counter_one : T.counter, { shown: fmt(shown), total: fmt(total) });
    var counter = document.getElementById("counter");
    counter.textContent = text;
    counter.setAttribute("data-shown", String(shown));
    counter.setAttribute("data-total", String(total));
  }
  function applyFilters() {
    var active = [];
    selects.forEach(function (s) { if (s.value !== "") active.push([s.getAttribute("data-filter"), s.value]); });
    var updates = [];
    data.nodes.forEach(function (n) {
      var ok = n.id === data.ego || active.every(function (f) { return passes(n, f[0], f[1]); });
      var hide = !ok;
      if (Boolean(hidden.get(n.id)) !== hide) {
        hidden.set(n.id, hide);
        updates.push({ id: n.id, hidden: hide });
      }
    });
    if (updates.length) nodes.update(updates);
    if (selectedId !== null && hidden.get(selectedId)) clearSelection();
    updateCounter();
    renderResults();
    declutter();
  }
  selects.forEach(function (s) { s.addEventListener("change", applyFilters); });
  document.getElementById("reset").addEventListener("click", function () {
    selects.forEach(function (s) { s.value = ""; });
    applyFilters();
  });
  document.getElementById("fit").addEventListener("click", function () {
    network.fit({ animation: { duration: 300 }, maxZoomLevel: 1.2 });
  });

  /* ---- selection and details ---- */
  var edgeLabelled = [];
  function showEdgeLabels(id) {
    /* roles on the lines of the selected node (two-mode views too large to label every line) */
    var updates = edgeLabelled.map(function (eid) { return { id: eid, label: "" }; });
    edgeLabelled = [];
    if (id !== null && byId.get(id)) {
      network.getConnectedEdges(id).forEach(function (eid) {
        var e = edges.get(eid);
        if (e && e.rl !== undefined && !e.label) {
          edgeLabelled.push(eid);
          updates.push({ id: eid, label: e.rl });
        }
      });
    }
    if (updates.length) edges.update(updates);
  }
  function clearSelection() {
    selectedId = null;
    network.unselectAll();
    showDetails(null);
    declutter();
  }
  function neighbourList(id) {
    var out = [];
    network.getConnectedEdges(id).forEach(function (eid) {
      var e = edges.get(eid);
      if (!e) return;
      var other = e.from === id ? e.to : e.from;
      if (!hidden.get(other) && byId.get(other)) out.push([other, e.sp || 1]);
    });
    out.sort(function (a, b) {
      return (b[1] - a[1]) || byId.get(a[0]).name.localeCompare(byId.get(b[0]).name, data.lang);
    });
    return out;
  }
  function showDetails(id) {
    showEdgeLabels(id);
    var card = document.getElementById("details");
    var title = document.getElementById("details-title");
    var textBox = document.getElementById("details-text");
    var list = document.getElementById("neighbours");
    var heading = document.getElementById("neighbours-heading");
    list.textContent = "";
    if (id === null || !byId.get(id)) {
      title.textContent = "";
      textBox.textContent = "";
      heading.hidden = true;
      card.hidden = true;
      document.body.classList.remove("card-open");
      return;
    }
    var n = byId.get(id);
    card.hidden = false;
    /* the hover tooltip never covers the card: hidden while the card is open */
    document.body.classList.add("card-open");
    title.textContent = n.name;
    textBox.textContent = String(n.title || "").split("\n").slice(1).join("\n");
    var neighbours = neighbourList(id);
    heading.hidden = neighbours.length === 0;
    var limit = 25;
    neighbours.slice(0, limit).forEach(function (pair) {
      var li = document.createElement("li");
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = byId.get(pair[0]).name;
      if (pair[1] > 1) {
        var meta = document.createElement("span");
        meta.className = "meta";
        meta.textContent = "(" + fmt(pair[1]) + ")";
        b.appendChild(meta);
      }
      b.addEventListener("click", function () { selectNode(pair[0]); });
      li.appendChild(b);
      list.appendChild(li);
    });
    if (neighbours.length > limit) {
      var more = document.createElement("li");
      more.className = "small";
      more.textContent = fill(T.more, { n: fmt(neighbours.length - limit) });
      list.appendChild(more);
    }
  }
  /* a chosen node is framed with its neighbours at a readable zoom: never closer than
     READABLE_MAX, never further out than the whole network */
  var READABLE_MAX = 1.6;
  function frame(id) {
    var around = [id];
    network.getConnectedNodes(id).forEach(function (m) { if (!hidden.get(m) && around.length < 60) around.push(m); });
    var box = null;
    around.forEach(function (m) {
      var p = network.getPosition(m);
      var r = radius(m);
      if (box === null) box = { x0: p.x - r, x1: p.x + r, y0: p.y - r, y1: p.y + r };
      else {
        box.x0 = Math.min(box.x0, p.x - r); box.x1 = Math.max(box.x1, p.x + r);
        box.y0 = Math.min(box.y0, p.y - r); box.y1 = Math.max(box.y1, p.y + r);
      }
    });
    var card = document.getElementById("details");
    var width = container.clientWidth - (card && !card.hidden ? card.offsetWidth + 24 : 0);
    var height = container.clientHeight;
    var scale = Math.min(Math.max(1, width - 80) / Math.max(1, box.x1 - box.x0), Math.max(1, height - 80) / Math.max(1, box.y1 - box.y0));
    scale = Math.max(Math.min(scale, READABLE_MAX), Math.min(fitScale, READABLE_MAX));
    var centre = { x: (box.x0 + box.x1) / 2, y: (box.y0 + box.y1) / 2 };
    /* keep the framed nodes left of the details card */
    if (card && !card.hidden) centre.x += (card.offsetWidth + 24) / 2 / scale;
    network.moveTo({ position: centre, scale: scale, animation: { duration: 350 } });
  }
  window.samverkanFrame = frame;
  function selectNode(id) {
    if (!byId.get(id)) return;
    selectedId = id;
    network.selectNodes([id]);
    showDetails(id);
    frame(id);
    declutter();
  }
  document.getElementById("details-close").addEventListener("click", clearSelection);
  network.on("click", function (params) {
    if (params.nodes && params.nodes.length) {
      selectedId = params.nodes[0];
      showDetails(selectedId);
      declutter();
    } else if (selectedId !== null) {
      selectedId = null;
      showDetails(null);
      declutter();
    }
  });

  /* ---- search ---- */
  var input = document.getElementById("search");
  var results = document.getElementById("search-results");
  var matches = [];
  function addHint(textValue) {
    var li = document.createElement("li");
    li.className = "hint";
    li.textContent = textValue;
    results.appendChild(li);
  }
  function renderResults() {
    results.textContent = "";
    matches = [];
    var q = fold(input.value.trim());
    if (!q) return;
    var hiddenMatches = 0;
    data.nodes.forEach(function (n, i) {
      if (folded[i].indexOf(q) < 0) return;
      if (hidden.get(n.id)) { hiddenMatches += 1; return; }
      matches.push(i);
    });
    matches.sort(function (a, b) {
      var pa = folded[a].indexOf(q) === 0 ? 0 : 1, pb = folded[b].indexOf(q) === 0 ? 0 : 1;
      return (pa - pb) || (data.nodes[b].size - data.nodes[a].size) ||
        data.nodes[a].name.localeCompare(data.nodes[b].name, data.lang);
    });
    matches = matches.map(function (i) { return data.nodes[i].id; });
    matches.slice(0, 8).forEach(function (id, k) {
      var li = document.createElement("li");
      if (k === 0) li.className = "active";
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = byId.get(id).name;
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = byId.get(id).typeLabel || "";
      b.appendChild(meta);
      b.addEventListener("click", function () { selectNode(id); });
      li.appendChild(b);
      results.appendChild(li);
    });
    if (matches.length > 8) addHint(fill(T.more, { n: fmt(matches.length - 8) }));
    if (!matches.length) addHint(T.search_none);
    if (hiddenMatches) addHint(hiddenMatches === 1 ? T.search_hidden_one : fill(T.search_hidden, { n: fmt(hiddenMatches) }));
  }
  input.addEventListener("input", renderResults);
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      ev.preventDefault();
      if (!matches.length) renderResults();
      if (matches.length) selectNode(matches[0]);
    } else if (ev.key === "Escape") {
      input.value = "";
      renderResults();
    }
  });

  /* ---- first drawing: fit, labels, then say we are ready ---- */
  network.fit({ animation: false, maxZoomLevel: 1.2 });
  // labels reach beyond the nodes' bounding box: leave a margin so outer labels are not cut
  network.moveTo({ scale: network.getScale() * 0.88, animation: false });
  fitScale = network.getScale() || 1;
  if (data.options.edges.font && data.edges.some(function (e) { return e.label; })) {
    network.setOptions({ edges: { font: { size: Math.round(Math.min(40, 11 / fitScale)) } } });
  }
  updateCounter();
  if (data.ego !== null && byId.get(data.ego)) {
    selectedId = data.ego;  // selected and labelled; its details open on a click
    network.selectNodes([data.ego]);
  }
  network.once("afterDrawing", function () {
    view.ready = true;
    view.readyMs = Math.round(performance.now());
    document.body.setAttribute("data-ready", "1");
  });
  declutter();
})();
