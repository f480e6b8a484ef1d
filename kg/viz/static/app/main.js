/* The page: the network and the timeline linked (selecting in one selects in the other;
   the timeline's window filters the network), the state read from and kept in the URL
   fragment, collapsible panels. */
(function () {
  var st = KG.readState();
  if (window.innerWidth < 1100) document.body.classList.add("kg-controls-closed");  /* before the first fit */
  var mark = function (what) { KG.timings[what] = Math.round(performance.now()); };
  mark("start");
  KG.makeNetwork(document.getElementById("mynetwork"));
  mark("network");
  KG.makeTimeline(document.getElementById("kg-timeline"));
  mark("timeline");
  KG.makeFilters();
  KG.hidden = {};

  KG.select = function (id, from) {
    var n = KG.byId[id];
    if (!n || KG.hidden[id]) return;
    var ids = (KG.isEvent(id) ? KG.withActors(id) : [id]).filter(function (x) { return !KG.hidden[x]; });
    var drawn = ids.map(KG.drawnId).filter(function (x, i, all) { return all.indexOf(x) === i; });
    network.selectNodes(drawn);
    if (from !== "network") {
      network.focus(KG.drawnId(id), {scale: Math.max(network.getScale(), 0.9), animation: {duration: 250}});
    }
    if (timeline && from !== "timeline") {
      var items = KG.itemsOf(id).filter(function (i) { return KG.items.get(i); });
      timeline.setSelection(items, {focus: items.length > 0, animation: false});
    }
    KG.showNode(id);
    KG.state.sel = id;
    KG.saveState();
  };

  network.on("click", function (p) {
    if (p.nodes.length) {
      var id = p.nodes[0];
      if (KG.clusters[id]) {
        KG.showCluster(id); KG.openCluster(id); KG.saveState(); KG.relabel();
      } else {
        KG.select(id, "network");
      }
    } else if (p.edges.length && KG.edgeById[p.edges[0]]) {
      KG.showEdge(p.edges[0]);
    }
  });
  network.on("zoom", KG.relabelSoon);
  network.on("dragEnd", KG.relabelSoon);
  network.on("animationFinished", KG.relabelSoon);
  network.on("afterDrawing", function () {  /* a zoom by a script or an animation: label again */
    if (KG.labelScale !== undefined && Math.abs(network.getScale() - KG.labelScale) > 1e-9) KG.relabelSoon();
  });
  if (timeline) {
    timeline.on("select", function (p) { if (p.items.length) KG.select(p.items[0], "timeline"); });
    timeline.on("rangechanged", function (p) { if (p.byUser) KG.followWindow(p.start, p.end); });
  }

  /* the first view: the state in the fragment, or everything, fitted and labelled */
  st.open.forEach(function (cid) { if (KG.clusters[cid]) KG.openCluster(cid); });
  KG.setFilters(st);
  KG.firstView();
  mark("firstView");
  KG.applyFilters(!(st.hide.length || st.notype.length || st.from || st.to));
  mark("filters");
  if (st.sel) KG.select(st.sel, "url");

  var waiting = timeline ? 2 : 1;
  function drawn() {
    if (--waiting) return;
    window.kgFirstDraw = performance.now();
    document.body.setAttribute("data-drawn", "true");
  }
  network.once("afterDrawing", drawn);
  if (timeline && KG.timelineShown()) {
    drawn();
  } else if (timeline) {
    timeline.on("changed", function shown() {
      if (!KG.timelineShown()) return;
      timeline.off("changed", shown);
      drawn();
    });
  }
  KG.startDrawing();
  mark("drawn");
  if (KG.data.physics) {  /* pyvis's toggle_physics(True): lay out, then stop */
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: {enabled: false}}); KG.refit();
    });
  }

  function toggle(button, cls) {
    button.addEventListener("click", function () {
      var closed = document.body.classList.toggle(cls);
      button.setAttribute("aria-expanded", closed ? "false" : "true");
    });
  }
  toggle(document.getElementById("kg-controls-toggle"), "kg-controls-closed");
  toggle(document.getElementById("kg-timeline-toggle"), "kg-timeline-closed");
  document.getElementById("kg-panel-close").addEventListener("click", function () {
    document.body.classList.remove("kg-panel-open");
    document.body.classList.add("kg-panel-closed");
  });
  new ResizeObserver(KG.relabelSoon).observe(document.getElementById("mynetwork"));
  window.kgShowNode = KG.showNode;
  window.kgApplyFilters = KG.applyFilters;
  if (!KG.data.nodes.length) {
    KG.clear(document.getElementById("kg-details"));
    document.getElementById("kg-details").appendChild(KG.el("p", "Nothing to draw: no node matches the selection."));
  }
})();
