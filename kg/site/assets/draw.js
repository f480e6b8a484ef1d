// The graph and timeline drawings of a SELECT result, for the SPARQL page (sparql.js).
// Every string of the data goes into the SVG as a text node, never as markup.
"use strict";
window.kgDraw = (() => {
  const SVG = "http://www.w3.org/2000/svg";
  const el = (tag, text, attrs) => {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  };
  const svg = (tag, attrs, text) => {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = String(text);
    return node;
  };

  // The IRIs of each row as nodes, linked from the row's first IRI; labels from a literal column
  // named like the IRI's (?x_label, ?xLabel) or, for the first IRI, ?label.
  function drawGraph({ vars, rows }, shorten) {
    const nodes = new Map(), edges = [];
    const iriVars = vars.filter((v) => rows.some((r) => r[v] && r[v].type === "uri"));
    const labelOf = (row, v, first) => {
      for (const k of [v + "_label", v + "Label", first ? "label" : ""]) if (k && row[k] && row[k].type === "literal") return row[k].value;
      return null;
    };
    for (const row of rows) {
      const present = iriVars.filter((v) => row[v] && row[v].type === "uri");
      present.forEach((v, i) => {
        const iri = row[v].value;
        const node = nodes.get(iri) || { iri, label: shorten(iri), column: v, i: nodes.size };
        const label = labelOf(row, v, i === 0);
        if (label) node.label = label;
        nodes.set(iri, node);
        if (i > 0 && iri !== row[present[0]].value) edges.push([row[present[0]].value, iri, v]);
      });
    }
    const list = [...nodes.values()].slice(0, 400);
    const keep = new Set(list.map((n) => n.iri));
    const links = edges.filter(([a, b]) => keep.has(a) && keep.has(b));
    layout(list, links);
    const W = 1000, H = 640;
    const xs = list.map((n) => n.x), ys = list.map((n) => n.y);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const sx = (x) => 40 + ((x - x0) / (x1 - x0 || 1)) * (W - 280), sy = (y) => 30 + ((y - y0) / (y1 - y0 || 1)) * (H - 60);
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "kg-graph", role: "img" });
    for (const [a, b, v] of links) {
      const A = nodes.get(a), B = nodes.get(b);
      root.appendChild(svg("line", { x1: sx(A.x), y1: sy(A.y), x2: sx(B.x), y2: sy(B.y) })).appendChild(svg("title", {}, v));
    }
    const columns = [...new Set(list.map((n) => n.column))];
    for (const n of list) {
      const g = root.appendChild(svg("g", { class: "node" }));
      g.appendChild(svg("circle", { cx: sx(n.x), cy: sy(n.y), r: 6, class: "c" + (columns.indexOf(n.column) % 6) })).appendChild(svg("title", {}, n.iri));
      g.appendChild(svg("text", { x: sx(n.x) + 8, y: sy(n.y) + 4 }, n.label.length > 40 ? n.label.slice(0, 39) + "…" : n.label));
    }
    const wrap = el("div", null, { class: "figure" });
    wrap.appendChild(root);
    wrap.appendChild(el("p", `${list.length} nodes and ${links.length} links${nodes.size > list.length ? ` (the first ${list.length} of ${nodes.size} nodes)` : ""}.`, { class: "caption" }));
    return wrap;
  }

  // A small deterministic force layout (nodes start on a circle; 200 steps).
  function layout(list, links) {
    const index = new Map(list.map((n, i) => [n.iri, i]));
    const n = list.length;
    list.forEach((node, i) => {
      node.x = Math.cos((2 * Math.PI * i) / n) * 100;
      node.y = Math.sin((2 * Math.PI * i) / n) * 100;
    });
    const k = Math.sqrt((400 * 400) / Math.max(n, 1));
    for (let step = 0, t = 40; step < 200; step++, t *= 0.98) {
      const dx = new Float64Array(n), dy = new Float64Array(n);
      for (let i = 0; i < n; i++)
        for (let j = i + 1; j < n; j++) {
          const x = list[i].x - list[j].x, y = list[i].y - list[j].y, d2 = x * x + y * y + 0.01, f = (k * k) / d2;
          dx[i] += x * f; dy[i] += y * f; dx[j] -= x * f; dy[j] -= y * f;
        }
      for (const [a, b] of links) {
        const i = index.get(a), j = index.get(b);
        const x = list[i].x - list[j].x, y = list[i].y - list[j].y, d = Math.sqrt(x * x + y * y) + 0.01, f = d / k;
        dx[i] -= x * f; dy[i] -= y * f; dx[j] += x * f; dy[j] += y * f;
      }
      for (let i = 0; i < n; i++) {
        const d = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]) + 1e-9;
        list[i].x += (dx[i] / d) * Math.min(d, t);
        list[i].y += (dy[i] / d) * Math.min(d, t);
      }
    }
  }

  // Each row with a date as a mark (or a bar from its first to its second date: an uncertain
  // begin), labelled by its first plain literal.
  function drawTimeline({ vars, rows }, shorten) {
    const XSD = "http://www.w3.org/2001/XMLSchema#";
    const typed = (b) => b && (b.datatype === XSD + "date" || b.datatype === XSD + "dateTime");
    const isDate = (b) => b && b.type === "literal" && /^\d{4}-\d{2}-\d{2}/.test(b.value);
    // columns typed as dates first (an EDTF column may hold ranges and months), else date-like text
    let dateVars = vars.filter((v) => rows.some((r) => typed(r[v])));
    if (!dateVars.length) dateVars = vars.filter((v) => rows.some((r) => isDate(r[v])));
    const wrap = el("div", null, { class: "figure" });
    if (!dateVars.length) {
      wrap.appendChild(el("p", "No column of this result holds dates: nothing to draw on a timeline."));
      return wrap;
    }
    const literal = (v) => !dateVars.includes(v) && rows.some((r) => r[v] && r[v].type === "literal");
    const labelVar = vars.find((v) => /(^|_)label$/i.test(v) && literal(v)) || vars.find(literal);
    const day = (s) => Date.parse(s.slice(0, 10) + "T00:00:00Z");
    const items = rows
      .filter((r) => isDate(r[dateVars[0]]))
      .map((r) => {
        const a = day(r[dateVars[0]].value), b = dateVars[1] && isDate(r[dateVars[1]]) ? day(r[dateVars[1]].value) : a;
        const iriVar = vars.find((v) => r[v] && r[v].type === "uri");
        return { a: Math.min(a, b), b: Math.max(a, b), label: labelVar && r[labelVar] ? r[labelVar].value : iriVar ? shorten(r[iriVar].value) : "", iri: iriVar ? r[iriVar].value : "" };
      })
      .sort((p, q) => p.a - q.a || p.b - q.b);
    // rows more than two years before all the rest (the 1984 Joint Declaration) stand in a
    // margin of their own, left of a break in the axis, instead of squeezing the rest to a sliver
    let cut = 0;
    for (let i = 1, end = items.length ? items[0].b : 0; i < items.length; end = Math.max(end, items[i].b), i++) {
      if (items[i].a - end > 2 * 365 * 864e5) cut = i;
    }
    const lo = Math.min(...items.slice(cut).map((i) => i.a)), hi = Math.max(...items.map((i) => i.b));
    // as wide as the page gives it, so that 12 px text is drawn at 12 px
    const W = Math.max(640, Math.round(document.getElementById("kg-results")?.clientWidth || 1000));
    const row = 18, H = 40 + items.length * row, left = cut ? 90 : 20, right = Math.round(W / 2);
    const x = (t) => (t < lo ? 30 : left + ((t - lo) / (hi - lo || 1)) * (right - left));
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "kg-timeline", role: "img" });
    if (cut) {
      const years = [...new Set(items.slice(0, cut).map((i) => new Date(i.a).getUTCFullYear()))];
      root.appendChild(svg("text", { x: 14, y: 14, class: "year" }, years.length > 1 ? `${years[0]}–${years.at(-1)}` : years[0]));
      root.appendChild(svg("path", { d: `M${left - 22} 20 l6 ${H / 2 - 20} l-6 6 l6 ${H / 2 - 6}`, class: "break" }));
    }
    const first = new Date(lo).getUTCFullYear(), last = new Date(hi).getUTCFullYear();
    const every = Math.max(1, Math.ceil((last - first) / 12)); // at most a dozen year marks
    for (let year = first; year <= last + 1; year++) {
      const t = Date.UTC(year, 0, 1);
      if (t < lo || t > hi || year % every) continue;
      root.appendChild(svg("line", { x1: x(t), x2: x(t), y1: 20, y2: H, class: "grid" }));
      root.appendChild(svg("text", { x: x(t) + 3, y: 14, class: "year" }, year));
    }
    items.forEach((item, i) => {
      const y = 30 + i * row;
      const mark = item.b > item.a
        ? svg("rect", { x: x(item.a), y: y - 5, width: Math.max(2, x(item.b) - x(item.a)), height: 10, class: "bar" })
        : svg("circle", { cx: x(item.a), cy: y, r: 5, class: "dot" });
      root.appendChild(mark).appendChild(svg("title", {}, `${new Date(item.a).toISOString().slice(0, 10)}${item.b > item.a ? " – " + new Date(item.b).toISOString().slice(0, 10) : ""}`));
      const chars = Math.floor((W - right - 20) / 6.6);
      root.appendChild(svg("text", { x: right + 15, y: y + 4 }, item.label.length > chars ? item.label.slice(0, chars - 1) + "…" : item.label));
    });
    wrap.appendChild(root);
    wrap.appendChild(el("p", `${items.length} dated rows, ${dateVars.slice(0, 2).join(" to ")}.`, { class: "caption" }));
    return wrap;
  }

  return { graph: drawGraph, timeline: drawTimeline };
})();
