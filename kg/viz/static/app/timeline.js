/* The timeline: vis-timeline, a point for an event of one day, a range for an interval, and
   for an uncertain date a hatched range over the span it may fall in; lanes by event type or
   by actor. Labels are text nodes (the item template), never HTML. */
(function () {
  var DAY = 864e5;
  /* `opening`: the window [from, to] to open on (the fragment's dates), else the data's */
  KG.makeTimeline = function (container, opening) {
    var D = KG.data, win = opening || D.window;
    if (!D.items || !D.items.length) {
      document.body.classList.add("kg-no-timeline");
      return null;
    }
    KG.itemList = D.items.map(function (it) {
      var copy = Object.assign({}, it);
      copy.start = day(it.start);
      if (it.end) copy.end = day(it.end);
      copy.kgOut = !KG.itemKept(copy);  /* the types left out by the fragment's state */
      return copy;
    });
    KG.items = new vis.DataSet(KG.itemList.filter(function (it) { return !it.kgOut; }));
    KG.groups = new vis.DataSet(D.groups);
    /* vis-timeline draws and measures each item in its window one at a time as it is added,
       but the items a move of the window brings in all at once, in one read and one write of
       the page: so the items are added with the window on an empty stretch of time before the
       first of them, then the window moves to the first view */
    var first = KG.itemList.reduce(function (m, it) { return Math.min(m, +it.start); }, Infinity);
    var w0 = Date.parse(win[0]), width = Date.parse(win[1]) - w0;
    var empty = isFinite(first) && width > 0 ? [first - 2 * width - 365 * DAY, first - width - 365 * DAY] : win;
    timeline = new vis.Timeline(container, KG.items, KG.groups, {
      template: function (item) {
        if (item.uiItems) return KG.el("span", item.uiItems.length + " events");  /* a cluster */
        var n = KG.byId[item.id];
        return KG.el("span", KG.short(n ? n.kgLabel : item.id, 60));
      },
      groupTemplate: function (g) {
        var span = KG.el("span", g.kgLabel, "kg-lane");
        span.title = g.kgLabel;
        if (g.kgColor) span.style.setProperty("--kg-colour", g.kgColor);
        return span;
      },
      start: empty[0], end: empty[1],
      zoomMin: 7 * DAY, zoomMax: 200 * 365 * DAY,
      orientation: {axis: "top", item: "top"},
      stack: true, verticalScroll: true, horizontalScroll: false, zoomKey: "",
      height: "100%", selectable: true, multiselect: false, showCurrentTime: false,
      margin: {item: {horizontal: 6, vertical: 4}, axis: 4},
      groupOrder: "order", tooltip: {followMouse: false},
      cluster: false
    });
    /* vis-timeline shows itself at its first draw after a "rangechanged", which it sends 200 ms
       after a move: sent now for the move below, so that the draw it makes shows it */
    timeline.emit("rangechanged", {start: new Date(win[0]), end: new Date(win[1]), byUser: false});
    timeline.setOptions({
      start: win[0], end: win[1],  /* also where its first draw puts it */
      /* many items: those too close to read are drawn as one numbered item until zoomed in
         (set here, so that they are first grouped at the scale of the first view) */
      cluster: D.items.length > 300 ? {maxItems: 4, titleTemplate: "{count} events", showStipes: false} : false
    });
    timeline.on("changed", clipAxis);
    timeline.on("rangechanged", beyond);
    beyond({start: new Date(win[0]), end: new Date(win[1])});
    return timeline;
  };

  /* the events outside the window, counted on the timeline's bar ("1 earlier event (1984)"):
     the first view leaves a few old ones out; a click moves to the nearest of them */
  function beyond(range) {
    var before = [], after = [];
    KG.itemList.forEach(function (it) {
      if (it.kgOut) return;
      if (+(it.end || it.start) < +range.start) before.push(it);
      else if (+it.start > +range.end) after.push(it);
    });
    before.sort(function (a, b) { return (a.end || a.start) - (b.end || b.start); });
    after.sort(function (a, b) { return a.start - b.start; });
    show("kg-earlier", before[before.length - 1], before.length, "\u25c0 ", " earlier");
    show("kg-later", after[0], after.length, "", " later", " \u25b6");
  }
  function show(id, nearest, n, pre, what, post) {
    var button = document.getElementById(id);
    button.hidden = !n;
    if (!n) return;
    button.textContent = pre + n + what + " event" + (n > 1 ? "s" : "") + " (" + new Date(nearest.start).getFullYear() +
      ")" + (post || "");
    button.title = "Move the timeline to " + KG.short(KG.byId[nearest.id] ? KG.byId[nearest.id].kgLabel : nearest.id, 80);
    button.onclick = function () {
      timeline.focus(nearest.id, {zoom: false, animation: false});
      var w = timeline.getWindow();
      beyond(w);
      if (KG.followWindow) KG.followWindow(w.start, w.end);  /* the network follows, as for a drag */
    };
  }

  /* an axis label the timeline's edge cuts (the next year's "2022" drawn as "2") is hidden
     rather than shown in part */
  function clipAxis() {
    var panel = timeline.dom.top || timeline.dom.bottom;
    if (!panel) return;
    var edge = panel.getBoundingClientRect();
    panel.querySelectorAll(".vis-time-axis .vis-text").forEach(function (label) {
      var b = label.getBoundingClientRect(), cut = b.width > 0 && (b.right > edge.right + 1 || b.left < edge.left - 1);
      if ((label.style.visibility === "hidden") !== cut) label.style.visibility = cut ? "hidden" : "";
    });
  }

  /* a day ("2020-06-30") as the Date vis-timeline would make of it (the local midnight), made
     here: vis-timeline parses date strings with moment.js, a tenth of a second a thousand items */
  function day(text) {
    var m = typeof text === "string" && /^(-?\d{4,})-(\d\d)-(\d\d)$/.exec(text);
    if (!m) return text;
    var d = new Date(2000, 0, 1);
    d.setFullYear(+m[1], +m[2] - 1, +m[3]);
    return d;
  }

  /* the network's events and actors of one timeline item */
  KG.withActors = function (id) {
    return [id].concat((KG.adjacent[id] || []).map(function (e) { return KG.other(e, id); }));
  };
  /* the timeline items of a node: itself if an event, else its events */
  KG.itemsOf = function (id) {
    if (!timeline) return [];
    if (KG.isEvent(id)) return KG.items.get(id) ? [id] : [];
    return (KG.adjacent[id] || []).map(function (e) { return KG.other(e, id); })
      .filter(function (m) { return KG.isEvent(m) && KG.items.get(m); });
  };
  /* shown: vis-timeline keeps itself hidden until its first draw at the window it opens on */
  KG.timelineShown = function () {
    var root = timeline && timeline.dom && timeline.dom.root;
    return !!root && root.style.visibility === "visible";
  };
  KG.dayOf = function (date) { return new Date(date).toISOString().slice(0, 10); };
})();
