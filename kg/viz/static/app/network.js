/* The network: vis-network with positions computed in Python, clusters that open on click,
   and labels by level of detail: at each zoom, labels are given to the most connected nodes in
   view first, at 13 px (the 30 most connected) or 12 px on screen, and only where they do not
   overlap a label already placed; the others appear as the user zooms in. */
(function () {
  var HIDE = 0.5;       /* canvas px: below vis-network's drawThreshold at any zoom (the default size) */
  var TOP = 30, TOP_PX = 13, PX = 12, PAD = 3;
  var measureCtx = document.createElement("canvas").getContext("2d");
  var widths = {}, measured = 0;

  KG.makeNetwork = function (container) {
    var D = KG.data, options = D.options;
    KG.nodes = new vis.DataSet(sized(D.nodes, options));
    KG.edges = new vis.DataSet(D.edges.map(unlabelled));
    KG.edgeLabels = {};  /* the edges given their label, by id */
    if (options.configure && options.configure.enabled) {  /* pyvis's show_buttons() */
      options.configure.container = document.getElementById("config");
      document.getElementById("kg-config-section").hidden = false;
    }
    /* vis-network draws the whole graph, synchronously, on setData, on each cluster() and on
       each data update: the data is set with drawing held back, and the page draws once, when
       its first view is ready (KG.startDrawing) */
    network = new vis.Network(container, {}, options);
    network.body.emitter.emit("_blockRedraw");
    /* setData also fits the view, measuring every label first unless the drawing has no size:
       the page fits it itself, from the positions (fit below) */
    container.style.display = "none";
    network.setData({nodes: KG.nodes, edges: KG.edges});
    container.style.display = "";
    KG.edgeFont = options.edges && options.edges.font ? options.edges.font.size : undefined;
    KG.arrows = KG.arrowsShown = arrowsOn(options);
    KG.clusters = {};
    (D.clusters || []).forEach(function (c) { KG.clusters[c.id] = c; KG.closeCluster(c.id); });
    KG.timings.clusters = Math.round(performance.now());
    return network;
  };

  /* What vis-network gets of the nodes: a size from their value, as its scaling would give it
     (given a value, it scales every node again, and formats its label again, on every data
     update: most of a second at 20,000 nodes), and no label until the page gives it one (it
     lays out every label's text at every draw, drawn or not). The data (KG.data, kgData) keeps
     the values and labels. */
  function sized(nodes, options) {
    var sc = (options.nodes && options.nodes.scaling) || {}, lo = Infinity, hi = -Infinity;
    var min = sc.min === undefined ? 10 : sc.min, max = sc.max === undefined ? 30 : sc.max;
    nodes.forEach(function (n) {
      if (typeof n.value === "number") { lo = Math.min(lo, n.value); hi = Math.max(hi, n.value); }
    });
    KG.dashed = {}; KG.dashesOn = {};
    return nodes.map(function (n) {
      var copy = without(n, "value");
      copy.label = "";
      if (n.shapeProperties && n.shapeProperties.borderDashes) {  /* dashed once zoomed in (KG.relabel) */
        KG.dashed[n.id] = n.shapeProperties;
        copy.shapeProperties = Object.assign({}, n.shapeProperties, {borderDashes: false});
      }
      if (typeof n.value === "number") {
        copy.size = min + (hi === lo ? 0.5 : Math.max(0, (n.value - lo) / (hi - lo))) * (max - min);
      } else if (n.value !== undefined) {
        copy.value = n.value;
      }
      return copy;
    });
  }
  /* the edges without their labels until they are shown (zoomed in, KG.relabel) */
  function unlabelled(e) { return without(e, "label"); }
  /* a copy of an object without one key (not `delete`, which leaves a slow object behind) */
  function without(o, key) {
    var copy = {};
    for (var k in o) if (k !== key && Object.prototype.hasOwnProperty.call(o, k)) copy[k] = o[k];
    return copy;
  }
  /* the label a node is given when it has room: its own, or its cluster's */
  KG.labelText = function (id) {
    var c = KG.clusters[id], n = KG.byId[id];
    var text = c ? c.label : n ? n.label : undefined;
    return text === undefined || text === null ? "" : String(text);
  };

  /* draw once, now, and from now on whenever something changes */
  KG.startDrawing = function () {
    KG.drawing = true;
    network.body.emitter.emit("_allowRedraw");
    network.redraw();
  };
  /* run `change` (option and data updates, each of which vis-network would draw) with drawing
     held back, then draw once if it says something changed */
  var depth = 0, dirty = false;
  function batch(change) {
    if (KG.drawing && !depth++) network.body.emitter.emit("_blockRedraw");
    try {
      dirty = change() || dirty;
    } finally {
      if (KG.drawing && !--depth) {
        network.body.emitter.emit("_allowRedraw");
        if (dirty) network.redraw();
        dirty = false;
      }
    }
  }
  KG.batch = batch;

  /* arrowheads and dashed borders (the uncertain dates) by level of detail too: drawn once
     they are ARROW_PX long, and a dash and its gap DASH_PX, on screen (an arrowhead's fill
     costs as much as its edge, a dashed border several plain ones; smaller, they cannot be
     seen) */
  var ARROW_PX = 2, DASH_PX = 1.5;
  function dashLength(shapeProperties) {  /* the pattern's period, canvas px */
    var d = shapeProperties.borderDashes;
    return Array.isArray(d) ? d.reduce(function (a, b) { return a + b; }, 0) : 10;  /* true: [5, 5] */
  }
  function arrowsOn(options) {
    var a = options.edges && options.edges.arrows;
    return !!(a && a.to && (a.to === true || a.to.enabled !== false));
  }
  function arrowLength() {  /* vis-network's: 15 x scaleFactor + 3 x the line's width, canvas px */
    var e = network.edgesHandler.options, a = e.arrows.to;
    return 15 * (a.scaleFactor || 1) + 3 * (e.width || 1);
  }

  KG.closeCluster = function (cid) {
    var c = KG.clusters[cid], members = {};
    c.members.forEach(function (m) { members[m] = true; });
    var more = c.apart ? " (" + c.apart + " more drawn apart, linked to other events too)" : "";
    network.cluster({
      joinCondition: function (n) { return members[n.id] === true; },
      clusterNodeProperties: {
        id: c.id, label: c.label, kgLabel: c.label, kgCluster: true, shape: "hexagon", size: 28,
        x: c.x, y: c.y, borderWidth: 2, font: {size: HIDE},
        color: {background: "#ffffff", border: "#555555"},
        title: c.label + more + "\nclick to show them"
      }
    });
    c.open = false;
  };

  KG.openCluster = function (cid) {
    if (!KG.clusters[cid] || KG.clusters[cid].open) return;
    /* the members where the layout put them (vis-network's default stacks them all on the
       cluster's spot, where nothing seems to open) */
    network.openCluster(cid, {releaseFunction: function (at, positions) { return positions; }});
    KG.clusters[cid].open = true;
    if (KG.state.open.indexOf(cid) < 0) KG.state.open.push(cid);
  };

  /* the id a node is drawn under: itself, or the closed cluster holding it */
  KG.drawnId = function (id) {
    var path = network.findNode(id);
    return path.length ? path[0] : id;
  };

  /* a text's width in canvas px as vis-network measures it (Label: measureText of each line in
     `SIZEpx FACE`, the font it draws with, at the size it draws at), cached by font */
  function textWidth(text, size, face) {
    var font = size + "px " + face, key = font + "\n" + text, w = widths[key];
    if (w === undefined) {
      if (++measured > 50000) { widths = {}; measured = 0; }  /* the sizes change with the zoom */
      measureCtx.font = font.replace(/"/g, "");
      w = widths[key] = text.split("\n").reduce(function (m, line) {
        return Math.max(m, measureCtx.measureText(line).width);
      }, 0);
    }
    return w;
  }

  function priority(id) {
    var n = network.body.nodes[id], k = 0;
    if (n.options.kgCluster) return 1e6;
    for (var i = 0; i < n.edges.length; i++) if (n.edges[i].options.hidden !== true) k++;
    return k;
  }

  /* the nodes drawn now, most connected first */
  KG.drawnNodes = function () {
    var ids = network.body.nodeIndices.filter(function (id) {
      return network.body.nodes[id].options.hidden !== true;
    });
    var p = {};
    ids.forEach(function (id) { p[id] = priority(id); });
    return ids.sort(function (a, b) { return p[b] - p[a] || (a < b ? -1 : 1); });
  };

  /* a node label's box on screen at `px` as vis-network draws it (ShapeBase, Label with the
     'hanging' baseline, for every shape used): centred under the node, its top half a font size
     and 4 canvas px below the shape (2 x size high), one font size high a line, as wide as its
     widest line. `rough`: a box no wider than the label (0.22 em a character, less than any
     character's width), enough to reject a label without measuring it. */
  function labelBox(id, px, s, rough) {
    var n = network.body.nodes[id], text = KG.labelText(id);
    if (!text) return null;
    var p = network.canvasToDOM({x: n.x, y: n.y}), size = px / s, lines = text.split("\n");
    var top = p.y + ((n.options.size || 10) + size / 2 + 4) * s;
    var w = rough ? 0.22 * px * Math.max.apply(null, lines.map(function (l) { return l.length; }))
      : textWidth(text, size, n.labelModule.fontOptions.face) * s;
    return {x0: p.x - w / 2, x1: p.x + w / 2, y0: top, y1: top + lines.length * px};
  }
  /* a box grown by `pad` screen px on every side: the room a label keeps around it (its white
     outline, and air) */
  function grown(b, pad) { return {x0: b.x0 - pad, x1: b.x1 + pad, y0: b.y0 - pad, y1: b.y1 + pad}; }
  function overlaps(a, b) { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1; }
  KG.labelBox = labelBox;

  /* an edge label's box on screen at EDGE_PX as vis-network draws it (a straight edge: the
     label centred on its middle and turned along it, one font size high): the box around the
     turned text */
  var EDGE_SCALE = 0.9, EDGE_PX = 10, EDGE_PAD = 2;
  function edgeLabelBox(id, text, s) {
    var e = network.body.edges[id], size = EDGE_PX / s;
    var p = network.canvasToDOM({x: (e.from.x + e.to.x) / 2, y: (e.from.y + e.to.y) / 2});
    var a = Math.atan2(e.to.y - e.from.y, e.to.x - e.from.x), cos = Math.abs(Math.cos(a)), sin = Math.abs(Math.sin(a));
    var tw = textWidth(text, size, e.labelModule.fontOptions.face) * s, th = text.split("\n").length * EDGE_PX;
    var w = (tw * cos + th * sin) / 2, h = (tw * sin + th * cos) / 2;
    return {x0: p.x - w, x1: p.x + w, y0: p.y - h, y1: p.y + h};
  }
  KG.edgeLabelBox = edgeLabelBox;

  /* the edges in view given their label (EDGE_PX on screen, at their middle) where it overlaps
     no label placed before it (`cells`: the node labels' grid), the edges of the most connected
     nodes first */
  function edgeLabels(s, box, cells) {
    var want = {}, ids = network.body.edgeIndices.filter(function (id) {
      var e = network.body.edges[id], d = KG.edgeById[id];
      return d && d.label && e.options.hidden !== true && e.from && e.to &&
        e.from.options.hidden !== true && e.to.options.hidden !== true;
    });
    var degree = function (id) { var e = network.body.edges[id]; return e.from.edges.length + e.to.edges.length; };
    var rank = {};
    ids.forEach(function (id) { rank[id] = degree(id); });
    ids.sort(function (a, b) { return rank[b] - rank[a] || (a < b ? -1 : 1); });
    ids.forEach(function (id) {
      var text = String(KG.edgeById[id].label), b = grown(edgeLabelBox(id, text, s), EDGE_PAD);
      if (b.x0 < 0 || b.y0 < 0 || b.x1 > box.width || b.y1 > box.height || cells(b, false)) return;
      cells(b, true);
      want[id] = text;
    });
    return want;
  }

  /* the first view: the most connected nodes, in order, each moved (if need be) to the nearest
     spot on a spiral where its label, at its size on screen, is inside the drawing and clear of
     the labels placed before it */
  KG.spreadLabels = function () {
    var ids = KG.drawnNodes().slice(0, TOP + 1), s = network.getScale();
    var area = network.body.container.getBoundingClientRect(), placed = [];
    if (!(s > 0 && isFinite(s))) return;
    ids.forEach(function (id) {
      var b0 = labelBox(id, TOP_PX, s), n = network.body.nodes[id];
      if (!b0) return;
      b0 = grown(b0, PAD);
      for (var k = 0; k < 900; k++) {
        var r = 5 * Math.sqrt(k), a = k * 2.39996;
        var dx = 2 * r * Math.cos(a), dy = r * Math.sin(a);
        var b = {x0: b0.x0 + dx, x1: b0.x1 + dx, y0: b0.y0 + dy, y1: b0.y1 + dy};
        if (b.x0 < 2 || b.y0 < 2 || b.x1 > area.width - 2 || b.y1 > area.height - 2) continue;
        if (placed.some(function (o) { return overlaps(o, b); })) continue;
        n.x += dx / s; n.y += dy / s;
        placed.push(b);
        return;
      }
    });
  };

  /* give labels to the nodes in view, most connected first, where they fit */
  KG.relabel = function () {
    if (!network) return;
    var s = network.getScale(), box = network.body.container.getBoundingClientRect();
    if (!(s > 0 && isFinite(s))) return;
    var placed = [], CELL = 80, grid = {}, want = {}, rank = 0;
    function cells(b, add) {
      for (var gx = Math.floor(b.x0 / CELL); gx <= Math.floor(b.x1 / CELL); gx++) {
        for (var gy = Math.floor(b.y0 / CELL); gy <= Math.floor(b.y1 / CELL); gy++) {
          var k = gx + ":" + gy;
          if (add) { (grid[k] = grid[k] || []).push(b); continue; }
          if ((grid[k] || []).some(function (o) { return overlaps(o, b); })) return true;
        }
      }
      return false;
    }
    var misses = 0;  /* a screen holds a few hundred labels: stop looking after 400 misses in a row */
    KG.drawnNodes().forEach(function (id) {
      if (misses > 400 && rank >= TOP) return;
      var px = rank < TOP ? TOP_PX : PX, n = network.body.nodes[id];
      rank++;
      var p = network.canvasToDOM({x: n.x, y: n.y});
      if (p.x < -10 || p.y < -10 || p.x > box.width + 10 || p.y > box.height) return;
      var b = labelBox(id, px, s, true);
      if (!b || cells(grown(b, PAD), false)) { misses++; return; }
      b = grown(labelBox(id, px, s), PAD);
      if (!(b.x0 >= 0 && b.x1 <= box.width && b.y0 >= 0 && b.y1 <= box.height)) return;
      if (cells(b, false)) { misses++; return; }
      misses = 0;
      cells(b, true); placed.push(id);
      want[id] = px / s;
    });
    var edgeWant = s >= EDGE_SCALE ? edgeLabels(s, box, cells) : null;
    batch(function () {
      var changes = {}, changed = false;
      function change(id, what) { changes[id] = Object.assign(changes[id] || {id: id}, what); }
      network.body.nodeIndices.forEach(function (id) {
        var n = network.body.nodes[id], size = want[id] || HIDE, text = want[id] ? KG.labelText(id) : "";
        if (Math.abs((n.options.font.size || HIDE) - size) < 1e-9 && (n.options.kgCluster || (n.options.label || "") === text)) return;
        changed = true;
        if (n.options.kgCluster) network.clustering.updateClusteredNode(id, {font: {size: size}});
        else change(id, {font: {size: size}, label: text});
      });
      var edgePx = edgeWant ? EDGE_PX / s : HIDE;  /* edge labels once zoomed in */
      if (edgeWant) {  /* those that fit, straight to the drawn edges, as for the nodes */
        Object.keys(edgeWant).concat(Object.keys(KG.edgeLabels)).forEach(function (id) {
          var text = edgeWant[id] || "", e = network.body.edges[id];
          if ((KG.edgeLabels[id] || "") === text || !e) return;
          changed = true;
          e.setOptions({label: text});
          if (text) KG.edgeLabels[id] = text; else delete KG.edgeLabels[id];
        });
      }
      if (KG.edgeFont !== edgePx) {
        KG.edgeFont = edgePx; changed = true;
        network.setOptions({edges: {font: {size: edgePx}}});
      }
      Object.keys(KG.dashed).forEach(function (id) {
        var sp = KG.dashed[id], on = dashLength(sp) * s >= DASH_PX;
        if (!!KG.dashesOn[id] === on) return;
        KG.dashesOn[id] = on; changed = true;
        change(id, {shapeProperties: on ? sp : Object.assign({}, sp, {borderDashes: false})});
      });
      /* straight to the drawn nodes: through the data set, each update costs passes over the
         whole graph (visible nodes, clusters, physics), of no use for a label or a border */
      Object.keys(changes).forEach(function (id) { network.body.nodes[id].setOptions(changes[id]); });
      var arrows = KG.arrows && arrowLength() * s >= ARROW_PX;
      if (KG.arrowsShown !== arrows) {
        KG.arrowsShown = arrows; changed = true;
        network.setOptions({edges: {arrows: {to: {enabled: arrows}}}});
      }
      return changed;
    });
    KG.labelled = placed;
    KG.labelScale = s;
  };

  /* fit, with a margin for the labels at the edges; computed here from the positions, since
     vis-network's fit() measures every node's label first */
  function fit(ids) {
    ids = ids && ids.length ? ids : network.body.nodeIndices;
    var area = network.body.container.getBoundingClientRect();
    if (!ids.length || !area.width || !area.height) return;
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    ids.forEach(function (id) {
      var n = network.body.nodes[id], r = n.options.size || 10;
      x0 = Math.min(x0, n.x - r); x1 = Math.max(x1, n.x + r); y0 = Math.min(y0, n.y - r); y1 = Math.max(y1, n.y + r);
    });
    var scale = Math.min(area.width / Math.max(x1 - x0, 1), area.height / Math.max(y1 - y0, 1), 1.5) * 0.88;
    network.moveTo({position: {x: (x0 + x1) / 2, y: (y0 + y1) / 2}, scale: scale, animation: false});
  }

  /* widen (or heighten) the layout to the drawing's shape, up to twice, so that it fills it */
  function stretch() {
    var ids = network.body.nodeIndices, box = network.body.container.getBoundingClientRect();
    if (ids.length < 3 || !box.width || !box.height) return;
    var xs = ids.map(function (id) { return network.body.nodes[id].x; });
    var ys = ids.map(function (id) { return network.body.nodes[id].y; });
    var w = Math.max.apply(null, xs) - Math.min.apply(null, xs), h = Math.max.apply(null, ys) - Math.min.apply(null, ys);
    if (!w || !h) return;
    var k = (box.width / box.height) / (w / h), fx = Math.min(2, Math.max(1, k)), fy = Math.min(2, Math.max(1, 1 / k));
    ids.forEach(function (id) { var n = network.body.nodes[id]; n.x *= fx; n.y *= fy; });
    Object.keys(KG.clusters).forEach(function (cid) {  /* members follow when a cluster opens */
      KG.clusters[cid].members.forEach(function (m) {
        var n = network.body.nodes[m];
        if (n) { n.x *= fx; n.y *= fy; }
      });
    });
  }

  /* the first view: fitted, the most connected nodes moved apart until their labels fit */
  KG.firstView = function () {
    stretch();
    fit();
    KG.spreadLabels();
    KG.relabel();
    KG.firstScale = network.getScale();
  };

  /* fit the drawing to some nodes (a cluster just opened), and label it again */
  KG.fitTo = function (ids) {
    fit(ids.filter(function (id) { return network.body.nodes[id] && network.body.nodes[id].options.hidden !== true; }));
    KG.relabel();
  };

  /* fit the drawing to the nodes shown (after a filter) and label it again */
  KG.refit = function () {
    fit(KG.drawnNodes());
    KG.relabel();
  };

  var pending = false;
  KG.relabelSoon = function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; KG.relabel(); });
  };
})();
