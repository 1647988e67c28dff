/* samverkan "what if … left?": hide organisations and recount the parts of the network, in the page.
 *
 * One global, SamverkanWhatIf. No network requests, no HTML parsing: pure computation on arrays.
 *   var model = SamverkanWhatIf.create(nodes, edges);
 *     nodes: array of ids, or of objects with an "id"; edges: objects with from/to or source/target.
 *   model.summary(["af", "huddinge"])  -> {organisations, components, largest, hidden}
 * Components are counted with union–find (union by size, path halving) over the edges whose ends
 * are both shown; isolates count as components of one; edges to unknown ids are ignored. The same
 * algorithm as samverkan.whatif.network_facts, whose "components" and "largest_component" it
 * reproduces in the page (tests/test_whatif.py runs both on the same graphs).
 */
(function (root) {
  "use strict";

  function idOf(node) {
    return node !== null && typeof node === "object" ? String(node.id) : String(node);
  }

  function create(nodes, edges) {
    var index = new Map();
    var ids = [];
    (nodes || []).forEach(function (node) {
      var id = idOf(node);
      if (!index.has(id)) { index.set(id, ids.length); ids.push(id); }
    });
    var pairs = [];
    (edges || []).forEach(function (edge) {
      var a = index.get(String(edge.from !== undefined ? edge.from : edge.source));
      var b = index.get(String(edge.to !== undefined ? edge.to : edge.target));
      if (a !== undefined && b !== undefined && a !== b) pairs.push([a, b]);
    });

    function summary(hiddenIds) {
      var n = ids.length;
      var hidden = new Uint8Array(n);
      var hiddenCount = 0;
      (hiddenIds || []).forEach(function (id) {
        var k = index.get(String(id));
        if (k !== undefined && !hidden[k]) { hidden[k] = 1; hiddenCount += 1; }
      });
      var parent = new Int32Array(n);
      var size = new Int32Array(n);
      for (var i = 0; i < n; i += 1) { parent[i] = i; size[i] = 1; }
      function find(x) {
        while (parent[x] !== x) { parent[x] = parent[parent[x]]; x = parent[x]; }
        return x;
      }
      var components = n - hiddenCount;
      pairs.forEach(function (pair) {
        if (hidden[pair[0]] || hidden[pair[1]]) return;
        var a = find(pair[0]), b = find(pair[1]);
        if (a === b) return;
        if (size[a] < size[b]) { var t = a; a = b; b = t; }
        parent[b] = a;
        size[a] += size[b];
        components -= 1;
      });
      var largest = 0;
      for (var v = 0; v < n; v += 1) {
        if (!hidden[v] && parent[v] === v && size[v] > largest) largest = size[v];
      }
      return { organisations: n - hiddenCount, components: components, largest: largest, hidden: hiddenCount };
    }

    return { summary: summary, ids: ids.slice() };
  }

  root.SamverkanWhatIf = Object.freeze({ create: create });
})(typeof window !== "undefined" ? window : globalThis);
