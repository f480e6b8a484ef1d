/* The page: the network and the timeline linked (selecting in one selects in the other;
   the timeline's window filters the network), the state read from and kept in the URL
   fragment, collapsible panels. On the timeline layout the timeline opens first: the network
   (most of a second for 20,000 edges, all of it in vis-network's setData) is built once the
   timeline has drawn, so that what the reader came for is there at once. */
(function () {
  var st = KG.readState();
  if (window.innerWidth < 1100) document.body.classList.add("kg-controls-closed");  /* before the first fit */
  var mark = function (what) { KG.timings[what] = Math.round(performance.now()); };
  mark("start");
  KG.makeFilters();
  KG.setFilters(st);  /* before the timeline: its items are those of the types shown */
  KG.hidden = {};
  st.open = st.open || [];
  KG.select = function (id, from) {
    var n = KG.byId[id];
    if (!n || KG.hidden[id]) return;
    var ids = (KG.isEvent(id) ? KG.withActors(id) : [id]).filter(function (x) { return !KG.hidden[x]; });
    var drawn = ids.map(KG.drawnId).filter(function (x, i, all) { return all.indexOf(x) === i; });
    network.selectNodes(drawn);
    KG.showNode(id);  /* first: below 1200 px the panel opens over the views' right side */
    if (from !== "network") {  /* centred in what the panel leaves of the drawing */
      var left = -KG.coveredRight(network.body.container) / 2;
      network.focus(KG.drawnId(id), {scale: Math.max(network.getScale(), 0.9), offset: {x: left, y: 0},
        animation: {duration: 250}});
    }
    if (timeline && from !== "timeline") {  /* at the same zoom, unless the items need more */
      var items = KG.itemsOf(id).filter(function (i) { return KG.items.get(i); });
      timeline.setSelection(items);
      if (items.length) {
        timeline.focus(items, {zoom: false, animation: false});
        var w = timeline.getWindow(), px = timeline.dom.center.clientWidth;
        var shift = px ? KG.coveredRight(timeline.dom.center) / 2 * (w.end - w.start) / px : 0;
        if (shift) timeline.setWindow(+w.start + shift, +w.end + shift, {animation: false});
      }
    }
    KG.state.sel = id;
    KG.saveState();
  };

  var waiting = KG.data.items && KG.data.items.length ? 2 : 1;
  function drawn() {
    if (--waiting) return;
    window.kgFirstDraw = performance.now();
    document.body.setAttribute("data-drawn", "true");
  }

  /* the network, its first view (the state in the fragment, or everything, fitted and
     labelled) and the links between the two views */
  function build() {
    KG.makeNetwork(document.getElementById("mynetwork"));
    mark("network");
    network.on("click", function (p) {
      if (p.nodes.length) {
        var id = p.nodes[0];
        if (KG.clusters[id]) {
          KG.openCluster(id); KG.showCluster(id); KG.saveState();
          KG.fitTo(KG.clusters[id].members);  /* zoomed in on them, so that their names show */
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
    st.open.forEach(function (cid) { if (KG.clusters[cid]) KG.openCluster(cid); });
    KG.firstView();
    mark("firstView");
    KG.applyFilters(!(st.hide.length || st.notype.length || st.from || st.to));
    mark("filters");
    if (st.sel) KG.select(st.sel, "url");
    network.once("afterDrawing", drawn);
    KG.startDrawing();
    mark("drawn");
    if (KG.data.physics) {  /* pyvis's toggle_physics(True): lay out, then stop */
      network.once("stabilizationIterationsDone", function () {
        network.setOptions({physics: {enabled: false}}); KG.refit();
      });
    }
    new ResizeObserver(KG.relabelSoon).observe(document.getElementById("mynetwork"));
  }

  /* the timeline shows itself at its first draw at the window it opens on */
  function whenShown(then) {
    if (KG.timelineShown()) { then(); return; }
    timeline.on("changed", function shown() {
      if (!KG.timelineShown()) return;
      timeline.off("changed", shown);
      then();
    });
  }
  /* a view cited with dates (#from=...&to=..., a window dragged on the timeline) reopens on them */
  function opening() {
    var D = KG.data;
    if (!D.window || !(st.from || st.to)) return null;
    var win = [st.from || D.window[0], st.to || D.window[1]];
    return Date.parse(win[0]) < Date.parse(win[1]) ? win : null;
  }
  function timelineDrawn() {
    window.kgTimelineDraw = performance.now();
    mark("timelineDrawn");
    drawn();
  }

  if (KG.data.layout === "timeline") {
    KG.makeTimeline(document.getElementById("kg-timeline"), opening());
    mark("timeline");
    if (timeline) {
      whenShown(function () {
        timelineDrawn();
        setTimeout(build, 0);  /* a task of its own: the browser paints the timeline first */
      });
    } else {
      build();
    }
  } else {
    KG.makeTimeline(document.getElementById("kg-timeline"), opening());  /* drawn at the next frame */
    mark("timeline");
    build();
    if (timeline) whenShown(timelineDrawn);
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
  window.kgShowNode = KG.showNode;
  window.kgApplyFilters = KG.applyFilters;
  if (!KG.data.nodes.length) {
    KG.clear(document.getElementById("kg-details"));
    document.getElementById("kg-details").appendChild(KG.el("p", "Nothing to draw: no node matches the selection."));
  }
})();
