/* hk-timeline-kg map: the world from the page's TopoJSON (topojson-client), projected here
   (Web Mercator) into SVG, the events at their places' coordinates, those sharing a place laid
   around it in a sunflower of constant screen spacing; drag to pan, wheel or buttons to zoom.
   The details panel is the other views' (KG.showNode of panel.js). `kgMap` is there for
   scripting. Every data string enters the DOM as text. */
(function () {
  var SVG = "http://www.w3.org/2000/svg", R = 6, STEP = 7.5, MAXLAT = 85;
  var svg = document.getElementById("kg-map");
  var world = JSON.parse(document.getElementById("kg-world").textContent);
  var view = {k: 1, tx: 0, ty: 0};
  var markers = [], groups = [], dragged = false;

  function project(lon, lat) {
    var phi = Math.max(-MAXLAT, Math.min(MAXLAT, lat)) * Math.PI / 180;
    return [lon, -Math.log(Math.tan(Math.PI / 4 + phi / 2)) * 180 / Math.PI];
  }
  function node(tag, attrs, parent) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(e);
    return e;
  }
  function ringsOf(geometry, out) {
    if (!geometry) return out;
    var t = geometry.type, c = geometry.coordinates;
    if (t === "Polygon") out.push.apply(out, c);
    else if (t === "MultiPolygon") c.forEach(function (p) { out.push.apply(out, p); });
    else if (t === "LineString") out.push(c);
    else if (t === "MultiLineString") out.push.apply(out, c);
    else if (t === "GeometryCollection") geometry.geometries.forEach(function (g) { ringsOf(g, out); });
    return out;
  }
  function xy(lon, lat) {
    var p = project(lon, lat);
    return p[0].toFixed(3) + "," + p[1].toFixed(3);
  }
  /* A ring's longitudes made continuous across the antimeridian (the TopoJSON is spherical);
     a ring around a pole is closed along the map's edge, and a ring reaching past +-180 is
     drawn again a world to the side, so Chukotka and Fiji show on both ends. */
  function polygonPath(ring) {
    var pts = [], lon0 = ring[0][0], lo = Infinity, hi = -Infinity;
    ring.forEach(function (p) {
      var lon = p[0];
      while (lon - lon0 > 180) lon -= 360;
      while (lon - lon0 < -180) lon += 360;
      pts.push([lon, p[1]]); lon0 = lon; lo = Math.min(lo, lon); hi = Math.max(hi, lon);
    });
    var first = pts[0], last = pts[pts.length - 1];
    if (Math.abs(last[0] - first[0]) > 180) {  /* around a pole */
      var pole = pts.reduce(function (s, p) { return s + p[1]; }, 0) < 0 ? -90 : 90;
      pts.push([last[0], pole], [first[0], pole]);
    }
    var shifts = [0];
    if (hi > 180) shifts.push(-360);
    if (lo < -180) shifts.push(360);
    return shifts.map(function (d) {
      return "M" + pts.map(function (p) { return xy(p[0] + d, p[1]); }).join("L") + "Z";
    }).join("");
  }
  /* a line is broken where it jumps across the antimeridian */
  function linePath(line) {
    var out = "", prev = null;
    line.forEach(function (p) {
      out += (prev && Math.abs(p[0] - prev[0]) <= 180 ? "L" : "M") + xy(p[0], p[1]);
      prev = p;
    });
    return out;
  }
  /* Points closer than `eps` degrees to the last one kept are dropped: the world drawn whole
     needs a fraction of the 1:50m points, and drawing it costs the browser that much less. */
  function thin(line, eps) {
    if (!eps) return line;
    var kept = [line[0]];
    for (var i = 1; i < line.length - 1; i++) {
      var a = kept[kept.length - 1], p = line[i];
      if (Math.abs(p[0] - a[0]) > eps || Math.abs(p[1] - a[1]) > eps) kept.push(p);
    }
    kept.push(line[line.length - 1]);
    return kept;
  }
  function pathOf(lines, close, eps) {
    return lines.map(function (l) { return thin(l, eps); })
      .filter(function (l) { return l.length >= (close ? 4 : 2); })
      .map(close ? polygonPath : linePath).join("");
  }

  /* the world: land, then borders between countries and the coast as meshes; twice, thinned
     for the zooms below DETAIL pixels a degree and whole above */
  var objects = world.objects.countries, DETAIL = 8, COARSE = 0.15;
  var stage = node("g", {id: "kg-world-layer"}, svg);
  var rings = [];
  topojson.feature(world, objects).features.forEach(function (f) { ringsOf(f.geometry, rings); });
  var borders = ringsOf(topojson.mesh(world, objects, function (a, b) { return a !== b; }), []);
  var coast = ringsOf(topojson.mesh(world, objects, function (a, b) { return a === b; }), []);
  var strokes = {"vector-effect": "non-scaling-stroke"};
  var levels = [0, COARSE].map(function (eps) {
    var layer = node("g", {"class": eps ? "kg-coarse" : "kg-detail"}, stage);
    node("path", {"class": "kg-land", d: pathOf(rings, true, eps)}, layer);
    node("path", Object.assign({"class": "kg-borders", d: pathOf(borders, false, eps)}, strokes), layer);
    node("path", Object.assign({"class": "kg-coast", d: pathOf(coast, false, eps)}, strokes), layer);
    return layer;
  });
  var dots = node("g", {id: "kg-markers"}, svg);
  var names = node("g", {id: "kg-place-labels"}, svg);
  var measure = node("text", {"class": "kg-measure", visibility: "hidden"}, svg);
  var widths = {};
  function textWidth(text) {  /* measured once per text: each measure costs the page a layout */
    if (!(text in widths)) { measure.textContent = text; widths[text] = measure.getComputedTextLength(); }
    return widths[text];
  }
  function spread(n) { return n > 1 ? STEP * Math.sqrt(n) + R : R; }  /* a sunflower's radius */

  /* events by place */
  var byPlace = {};
  KG.data.markers.forEach(function (m) {
    var key = m.place;
    if (!byPlace[key]) { byPlace[key] = {place: m.place, via: m.via, lat: m.lat, lon: m.lon, list: []}; groups.push(byPlace[key]); }
    byPlace[key].list.push(m);
  });
  function label(id) { return KG.byId[id] ? KG.byId[id].kgLabel : id; }
  function placeName(g) {
    var name = KG.data.places[g.place] || g.place;
    return g.via ? name + " (at " + (KG.data.places[g.via] || g.via) + ")" : name;
  }
  function byDate(a, b) {
    var x = KG.byId[a.id] || {}, y = KG.byId[b.id] || {};
    return (x.kgEb || "").localeCompare(y.kgEb || "") || label(a.id).localeCompare(label(b.id));
  }
  groups.sort(function (a, b) { return b.list.length - a.list.length || placeName(a).localeCompare(placeName(b)); });
  groups.forEach(function (g) {
    g.xy = project(g.lon, g.lat);
    g.name = KG.short(KG.data.places[g.place] || g.place, 28);
    g.list.sort(byDate);
    g.list.forEach(function (m) {
      var n = KG.byId[m.id] || {};
      m.el = node("circle", {"class": "kg-marker", r: R, fill: m.color, "data-id": m.id, tabindex: "0", role: "button"}, dots);
      var tip = node("title", {}, m.el);
      tip.textContent = label(m.id) + (n.kgEdtf ? " (" + n.kgEdtf + ")" : "") + (n.kgType ? ", " + n.kgType : "") +
        " \u2014 " + placeName(g);
      m.el.addEventListener("click", function (ev) {
        ev.stopPropagation();
        if (!dragged) KG.select(m.id, "map");
      });
      m.el.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); KG.select(m.id, "map"); }
      });
      markers.push(m);
    });
  });
  var byEvent = {};
  markers.forEach(function (m) { byEvent[m.id] = m; });

  /* Places whose sunflowers would overlap at this zoom are drawn as one, around their weighted
     centre, its label naming the largest; zooming in parts them. A grid of cells keeps it
     linear in the places. */
  var clusters = [], laidAt = null, CELL = 64, LABELS = 200;
  function cluster() {
    var k = view.k, grid = {}, reachR = 0;
    clusters = [];
    groups.forEach(function (g) {
      var x = g.xy[0] * k, y = g.xy[1] * k, n = g.list.length, r = spread(n), hit = null;
      var gx = Math.floor(x / CELL), gy = Math.floor(y / CELL), reach = Math.ceil((reachR + r) / CELL);
      for (var i = -reach; i <= reach && !hit; i++) {
        for (var j = -reach; j <= reach && !hit; j++) {
          (grid[(gx + i) + ":" + (gy + j)] || []).some(function (c) {
            if (Math.hypot(c.x - x, c.y - y) < c.r + r + 2) hit = c;
            return hit !== null;
          });
        }
      }
      if (hit) {
        var total = hit.count + n;
        hit.x = (hit.x * hit.count + x * n) / total; hit.y = (hit.y * hit.count + y * n) / total;
        hit.count = total; hit.r = spread(total); hit.groups.push(g);
      } else {
        hit = {x: x, y: y, count: n, r: r, groups: [g]};
        clusters.push(hit);
        (grid[gx + ":" + gy] = grid[gx + ":" + gy] || []).push(hit);
      }
      reachR = Math.max(reachR, hit.r);
    });
  }
  function layout() {
    cluster();
    /* the labels first (measuring text costs a layout of whatever changed), then the markers */
    var boxes = [], texts = [];
    clusters.slice(0, LABELS).forEach(function (c) {
      var more = c.groups.length - 1;
      var text = c.groups[0].name + (more ? " + " + more + " place" + (more > 1 ? "s" : "") : "") + " \u00b7 " + c.count;
      var x = c.x + c.r + 4, box = [x, c.y - 9, x + textWidth(text), c.y + 5];
      if (boxes.some(function (b) { return b[0] < box[2] && box[0] < b[2] && b[1] < box[3] && box[1] < b[3]; })) return;
      boxes.push(box);
      texts.push([text, x, c.y + 4]);
    });
    KG.clear(names);
    texts.forEach(function (t) {
      node("text", {"class": "kg-place-label", x: t[1].toFixed(1), y: t[2].toFixed(1)}, names).textContent = t[0];
    });
    clusters.forEach(function (c) {
      var list = c.groups.length > 1 ? [].concat.apply([], c.groups.map(function (g) { return g.list; })).sort(byDate) :
        c.groups[0].list;
      list.forEach(function (m, i) {
        var angle = i * 2.39996323, r = list.length > 1 ? STEP * Math.sqrt(i + 0.5) : 0;
        m.el.setAttribute("cx", (c.x + r * Math.cos(angle)).toFixed(1));
        m.el.setAttribute("cy", (c.y + r * Math.sin(angle)).toFixed(1));
      });
    });
    laidAt = view.k;
  }
  function redraw() {
    if (laidAt !== view.k) layout();
    stage.setAttribute("transform", "translate(" + view.tx + " " + view.ty + ") scale(" + view.k + ")");
    levels[0].setAttribute("display", view.k >= DETAIL ? "inline" : "none");
    levels[1].setAttribute("display", view.k >= DETAIL ? "none" : "inline");
    var moved = "translate(" + view.tx + " " + view.ty + ")";
    dots.setAttribute("transform", moved);
    names.setAttribute("transform", moved);
  }
  /* the map's size on screen, less what the details panel covers when it floats over the map's
     right side (below 1200 px): fits, zoom buttons and selections work in what is seen */
  function size() {
    var b = svg.getBoundingClientRect();
    return [Math.max((b.width || 800) - KG.coveredRight(svg), 120), b.height || 500];
  }
  function limits() { var s = size(); return [s[0] / 720, 4000]; }
  function zoomView(factor, px, py) {
    var lim = limits(), k = Math.max(lim[0], Math.min(lim[1], view.k * factor));
    view.tx = px - (px - view.tx) * k / view.k; view.ty = py - (py - view.ty) * k / view.k; view.k = k;
  }
  function zoomAt(factor, px, py) { zoomView(factor, px, py); redraw(); }
  var pending = false;
  function redrawSoon() {  /* the wheel and the pointer move faster than frames: one redraw a frame */
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; redraw(); });
  }
  /* fit a box of projected units [x0, y0, x1, y1], at least `span` units wide, with room for the sunflowers */
  function fit(box, span) {
    var s = size(), side = 50, pad = 60, lim = limits(), right = 40;
    groups.slice(0, LABELS).forEach(function (g) {  /* room on the right for the places' labels */
      right = Math.max(right, spread(g.list.length) + 12 + textWidth(g.name + " \u00b7 " + g.list.length));
    });
    var w = Math.max(box[2] - box[0], span), h = Math.max(box[3] - box[1], span * s[1] / s[0]);
    var cx = (box[0] + box[2]) / 2, cy = (box[1] + box[3]) / 2;
    view.k = Math.max(lim[0], Math.min(lim[1], (s[0] - side - right) / w, (s[1] - 2 * pad) / h));
    view.tx = side + (s[0] - side - right) / 2 - cx * view.k; view.ty = s[1] / 2 - cy * view.k;
    redraw();
  }
  function fitEvents() {
    if (!groups.length) { fit([-180, -80, 180, 85], 360); return; }
    var xs = groups.map(function (g) { return g.xy[0]; }), ys = groups.map(function (g) { return g.xy[1]; });
    fit([Math.min.apply(null, xs), Math.min.apply(null, ys), Math.max.apply(null, xs), Math.max.apply(null, ys)], 40);
  }

  /* pan by dragging (a drag is no click), zoom by wheel, double click and buttons */
  var start = null;
  svg.addEventListener("pointerdown", function (ev) {
    start = {x: ev.clientX, y: ev.clientY, tx: view.tx, ty: view.ty}; dragged = false;
  });
  svg.addEventListener("pointermove", function (ev) {
    if (!start) return;
    var dx = ev.clientX - start.x, dy = ev.clientY - start.y;
    if (!dragged && Math.abs(dx) + Math.abs(dy) < 4) return;
    if (!dragged) { dragged = true; svg.setPointerCapture(ev.pointerId); svg.classList.add("kg-dragging"); }
    view.tx = start.tx + dx; view.ty = start.ty + dy; redrawSoon();
  });
  function end() { start = null; svg.classList.remove("kg-dragging"); }
  svg.addEventListener("pointerup", end);
  svg.addEventListener("pointercancel", end);
  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var b = svg.getBoundingClientRect();
    zoomView(Math.exp(-ev.deltaY * 0.002), ev.clientX - b.left, ev.clientY - b.top);
    redrawSoon();
  }, {passive: false});
  svg.addEventListener("dblclick", function (ev) {
    var b = svg.getBoundingClientRect();
    zoomAt(2, ev.clientX - b.left, ev.clientY - b.top);
  });
  function centre(factor) { var s = size(); zoomAt(factor, s[0] / 2, s[1] / 2); }
  document.getElementById("kg-zoom-in").addEventListener("click", function () { centre(1.6); });
  document.getElementById("kg-zoom-out").addEventListener("click", function () { centre(1 / 1.6); });
  document.getElementById("kg-zoom-fit").addEventListener("click", fitEvents);

  /* selection: the event's marker, or the markers of a selected actor's or place's events */
  KG.select = function (id, from) {
    if (!KG.byId[id]) return;
    markers.forEach(function (m) { m.el.classList.remove("kg-selected", "kg-related"); });
    var m = byEvent[id];
    if (m) {
      m.el.classList.add("kg-selected");
      dots.appendChild(m.el);  /* drawn last, above its neighbours */
    } else {
      KG.adjacent[id].forEach(function (e) {
        var other = byEvent[KG.other(e, id)];
        if (other) other.el.classList.add("kg-related");
      });
    }
    KG.showNode(id);  /* opens the panel, which may float over the marker: then the map moves */
    if (m) {
      var x = +m.el.getAttribute("cx") + view.tx, y = +m.el.getAttribute("cy") + view.ty, s = size();
      if (x < 12 || y < 12 || x > s[0] - 12 || y > s[1] - 12) {
        view.tx += s[0] / 2 - x; view.ty += s[1] / 2 - y; redraw();
      }
    }
    KG.state.sel = id;  /* in the URL fragment, so that map.html#sel=IRI reopens on it */
    KG.saveState();
  };

  /* the legend: types with their counts on the map; places; the events without coordinates */
  var onMap = {};
  markers.forEach(function (mk) {
    var t = (KG.byId[mk.id] || {}).kgType || "no type";
    onMap[t] = (onMap[t] || 0) + 1;
  });
  var types = document.getElementById("kg-types");
  KG.data.eventTypes.forEach(function (t) {
    var row = KG.el("div"), sw = KG.el("span", null, "kg-swatch");
    sw.style.setProperty("--kg-colour", t.color);
    row.appendChild(sw); row.appendChild(KG.el("span", t.label));
    row.appendChild(KG.el("span", (onMap[t.label] || 0) + "/" + t.count, "kg-count"));
    row.title = (onMap[t.label] || 0) + " of " + t.count + " on the map";
    types.appendChild(row);
  });
  var places = document.getElementById("kg-places");
  groups.forEach(function (g) {
    var row = KG.el("div"), b = KG.el("button", placeName(g));
    b.type = "button";
    b.addEventListener("click", function () { fit([g.xy[0], g.xy[1], g.xy[0], g.xy[1]], 0.25); });
    row.appendChild(b); row.appendChild(KG.el("span", String(g.list.length), "kg-count"));
    places.appendChild(row);
  });
  if (!groups.length) places.appendChild(KG.el("p", "none", "kg-hint"));
  var missing = KG.data.nodes.filter(function (n) { return n.kgCat === "event" && !byEvent[n.id]; });
  missing.sort(function (a, b) { return (a.kgEb || "").localeCompare(b.kgEb || "") || a.kgLabel.localeCompare(b.kgLabel); });
  document.getElementById("kg-unplaced-note").textContent = missing.length ?
    missing.length + " event" + (missing.length === 1 ? " has" : "s have") + " no place with coordinates:" :
    (markers.length ? "Every event of the view is on the map." : "No event matches the selection.");
  var list = document.getElementById("kg-unplaced");
  missing.forEach(function (n) {
    var li = KG.el("li"), b = KG.el("button", n.kgLabel);
    b.type = "button";
    b.addEventListener("click", function () { KG.select(n.id, "list"); });
    li.appendChild(b);
    if (n.kgEdtf) li.appendChild(KG.el("span", " (" + n.kgEdtf + ")"));
    list.appendChild(li);
  });

  document.getElementById("kg-controls-toggle").addEventListener("click", function (ev) {
    var closed = document.body.classList.toggle("kg-controls-closed");
    ev.currentTarget.setAttribute("aria-expanded", closed ? "false" : "true");
  });
  document.getElementById("kg-panel-close").addEventListener("click", function () {
    document.body.classList.remove("kg-panel-open");
    document.body.classList.add("kg-panel-closed");
  });
  new ResizeObserver(redraw).observe(svg);
  fitEvents();
  var st = KG.readState();
  if (st.sel) KG.select(st.sel, "url");
  window.kgMap = {
    view: view, markers: markers.length, places: groups.length, unplaced: missing.length,
    fit: fitEvents, zoomAt: zoomAt, project: project
  };
  requestAnimationFrame(function () { document.body.setAttribute("data-drawn", "true"); });
})();
