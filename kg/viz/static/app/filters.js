/* The legend and filters: classes, event types and a date range (set by hand or by the
   timeline's window). An event is shown when its class and type are and its begin may fall in
   the range; people, organisations and places when they are linked to a shown event. Each
   change re-fits the network to what is shown and is kept in the URL fragment. */
(function () {
  var classBox = {}, typeBox = {}, from, to, follow;

  KG.makeFilters = function () {
    var D = KG.data, legend = document.getElementById("kg-legend"), types = document.getElementById("kg-types");
    D.categories.forEach(function (c) {
      var label = KG.el("label"), box = KG.el("input"), glyph = KG.el("span", c.glyph, "kg-glyph");
      box.type = "checkbox"; box.checked = true; box.setAttribute("data-class", c.key);
      glyph.style.color = c.color;
      label.appendChild(box); label.appendChild(glyph); label.appendChild(KG.el("span", c.label));
      label.appendChild(KG.el("span", D.counts[c.key], "kg-count"));
      box.addEventListener("change", KG.applyFilters);
      classBox[c.key] = box; legend.appendChild(label);
    });
    D.eventTypes.forEach(function (t) {
      var label = KG.el("label"), box = KG.el("input"), swatch = KG.el("span", "\u25c6", "kg-glyph");
      box.type = "checkbox"; box.checked = true; box.setAttribute("data-type", t.label);
      swatch.style.color = t.color;
      label.appendChild(box); label.appendChild(swatch); label.appendChild(KG.el("span", t.label));
      label.appendChild(KG.el("span", t.count, "kg-count"));
      box.addEventListener("change", KG.applyFilters);
      typeBox[t.label] = box; types.appendChild(label);
    });
    if (!D.eventTypes.length) document.getElementById("kg-types-section").hidden = true;
    from = document.getElementById("kg-from"); to = document.getElementById("kg-to");
    follow = document.getElementById("kg-follow");
    if (D.dateRange) {
      from.min = to.min = D.dateRange[0]; from.max = to.max = D.dateRange[1];
      from.value = D.dateRange[0]; to.value = D.dateRange[1];
      from.addEventListener("change", KG.applyFilters); to.addEventListener("change", KG.applyFilters);
    } else {
      document.getElementById("kg-dates-section").hidden = true;
    }
    if (!(D.items && D.items.length)) follow.parentNode.hidden = true;
    document.getElementById("kg-reset").addEventListener("click", function () {
      KG.setFilters({});
      KG.applyFilters();
    });
  };

  /* set the controls from a state (the fragment) without applying it */
  KG.setFilters = function (st) {
    var D = KG.data;
    Object.keys(classBox).forEach(function (k) { classBox[k].checked = (st.hide || []).indexOf(k) < 0; });
    Object.keys(typeBox).forEach(function (k) { typeBox[k].checked = (st.notype || []).indexOf(k) < 0; });
    if (D.dateRange) {
      from.value = st.from || D.dateRange[0];
      to.value = st.to || D.dateRange[1];
    }
  };

  /* the timeline's window, dragged or zoomed by the user, becomes the date range */
  KG.followWindow = function (start, end) {
    if (!follow.checked || !KG.data.dateRange) return;
    from.value = KG.dayOf(start); to.value = KG.dayOf(end);
    KG.applyFilters();
  };

  KG.applyFilters = function (keepView) {
    KG.batch(function () { filter(keepView); return true; });
  };

  function filter(keepView) {
    var D = KG.data, lo = from.value || "", hi = to.value || "", show = {}, pass2 = {};
    var allDates = !D.dateRange || ((!lo || lo <= D.dateRange[0]) && (!hi || hi >= D.dateRange[1]));
    var eventFilter = D.eventTypes.some(function (t) { return !typeBox[t.label].checked; }) || !allDates;
    var on = function (cat) { return classBox[cat] ? classBox[cat].checked : true; };
    D.nodes.forEach(function (n) {
      if (n.kgCat !== "event") return;
      var t = n.kgType || "no type", b = n.kgLb || n.kgEb || "";
      show[n.id] = on("event") && (!typeBox[t] || typeBox[t].checked) &&
        (!lo || !b || b >= lo) && (!hi || !n.kgEb || n.kgEb <= hi);
    });
    var near = function (id, ok) {
      return KG.adjacent[id].some(function (e) { return ok(KG.other(e, id)); });
    };
    D.nodes.forEach(function (n) {
      if (n.kgCat === "event") return;
      if (!on(n.kgCat)) { show[n.id] = false; return; }
      if (!eventFilter) { show[n.id] = true; return; }
      if (near(n.id, KG.isEvent)) {
        show[n.id] = near(n.id, function (m) { return show[m] === true; });
        pass2[n.id] = true;
      }
    });
    D.nodes.forEach(function (n) {
      if (show[n.id] !== undefined) return;
      show[n.id] = near(n.id, function (m) { return pass2[m] && show[m]; });
    });
    var nodeChanges = [], edgeChanges = [], shown = 0, shownEdges = 0;
    KG.hidden = KG.hidden || {};
    D.nodes.forEach(function (n) {
      var h = !show[n.id];
      if (!h) shown++;
      if (!!KG.hidden[n.id] !== h) nodeChanges.push({id: n.id, hidden: h});
      KG.hidden[n.id] = h;
    });
    D.edges.forEach(function (e) {
      var h = !!(KG.hidden[e.from] || KG.hidden[e.to]);
      if (!h) shownEdges++;
      if (!!e.kgHidden !== h) { edgeChanges.push({id: e.id, hidden: h}); e.kgHidden = h; }
    });
    if (nodeChanges.length) KG.nodes.update(nodeChanges);
    if (edgeChanges.length) KG.edges.update(edgeChanges);
    Object.keys(KG.clusters).forEach(function (cid) {  /* a closed cluster shows while a member does */
      var c = KG.clusters[cid];
      if (c.open) return;
      var h = c.members.every(function (m) { return KG.hidden[m]; });
      network.clustering.updateClusteredNode(cid, {hidden: h});
    });
    if (timeline) {  /* the timeline keeps its dates; it drops the types and classes left out */
      var itemChanges = [];
      KG.itemList.forEach(function (it) {
        var keep = KG.itemKept(it);
        if (!!it.kgOut !== !keep) { it.kgOut = !keep; itemChanges.push(it.id); }
      });
      if (itemChanges.length) {
        KG.items.clear();
        KG.items.add(KG.itemList.filter(function (it) { return !it.kgOut; }));
      }
    }
    KG.status(shown, shownEdges);
    KG.state.hide = Object.keys(classBox).filter(function (k) { return !classBox[k].checked; });
    KG.state.notype = Object.keys(typeBox).filter(function (k) { return !typeBox[k].checked; });
    KG.state.from = D.dateRange && lo && lo !== D.dateRange[0] ? lo : "";
    KG.state.to = D.dateRange && hi && hi !== D.dateRange[1] ? hi : "";
    KG.saveState();
    if (keepView !== true) KG.refit();
    else if (nodeChanges.length) KG.relabel();
  }

  /* a timeline item is shown while events and its event's type are */
  KG.itemKept = function (it) {
    var n = KG.byId[it.id], t = (n && n.kgType) || "no type", events = classBox.event;
    return (!events || events.checked) && (!typeBox[t] || typeBox[t].checked);
  };

  KG.status = function (shown, shownEdges) {
    document.getElementById("kg-status").textContent = "Showing " + shown + " of " + KG.data.nodes.length +
      " nodes and " + shownEdges + " of " + KG.data.edges.length + " edges.";
  };
})();
