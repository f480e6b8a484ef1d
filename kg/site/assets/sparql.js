// The SPARQL page: the named queries as examples, kg's prefixes predeclared, results as a
// table, a graph or a timeline, CSV/JSON downloads and the query in the URL.
// Runs against Oxigraph's WebAssembly build over the published graph (static site), or
// against the endpoint named by <body data-endpoint> (kg serve). Data is shown as text only.
"use strict";
(() => {
  const EXAMPLES = window.KG_EXAMPLES || [];
  const PREFIXES = window.KG_PREFIXES || {};
  const ENDPOINT = document.body.dataset.endpoint || "";
  const SVG = "http://www.w3.org/2000/svg";
  const $ = (id) => document.getElementById(id);
  const editor = $("kg-query"), status = $("kg-status"), out = $("kg-results"), params = $("kg-params");
  let current = null; // the example whose text is in the editor
  let last = null; // {vars, bindings, json} of the last SELECT
  let view = "table";
  let store = null;

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

  // ------------------------------------------------------------------ query text

  // Comments, strings and IRIs blanked out (same length), so that keywords and braces are found
  // only where they are syntax.
  const TOKENS = /#[^\n]*|"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\s]*>/g;
  const blank = (q) => q.replace(TOKENS, (m) => " ".repeat(m.length));

  function prologue(q) {
    const declared = new Set([...blank(q).matchAll(/PREFIX\s+([\w-]*):/gi)].map((m) => m[1].toLowerCase()));
    return Object.entries(PREFIXES)
      .filter(([p]) => !declared.has(p))
      .map(([p, iri]) => `PREFIX ${p}: <${iri}>\n`)
      .join("");
  }

  // A parameter value as an RDF term, as `kg query --param` reads it.
  function term(value) {
    if (/^<[^<>"{}|^`\\\s]*>$/.test(value)) return value;
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `"${value}"^^<http://www.w3.org/2001/XMLSchema#date>`;
    if (/^-?\d+$/.test(value)) return `"${value}"^^<http://www.w3.org/2001/XMLSchema#integer>`;
    const escaped = value.replace(/[\\"\n\r\t]/g, (c) => ({ "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t" })[c]);
    return `"${escaped}"`;
  }

  // Bind parameters by a VALUES block at the top of the WHERE clause (what kg does for endpoints).
  function bind(q, bindings) {
    const names = Object.keys(bindings);
    if (!names.length) return q;
    const b = blank(q);
    const kw = /\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b/i.exec(b);
    let at = b.indexOf("{", kw ? kw.index : 0);
    if (kw && kw[1].toUpperCase() === "CONSTRUCT" && !/^CONSTRUCT\s+WHERE\b/i.test(b.slice(kw.index))) {
      at = b.indexOf("{", b.indexOf("}", at) + 1);
    }
    const block = ` VALUES (${names.map((n) => "?" + n).join(" ")}) { (${names.map((n) => term(bindings[n])).join(" ")}) }\n`;
    return q.slice(0, at + 1) + block + q.slice(at + 1);
  }

  function defaultView(q) {
    const m = /#\s*defaultView:\s*(\w+)/i.exec(q);
    const name = m ? m[1].toLowerCase() : "table";
    return ["table", "graph", "timeline"].includes(name) ? name : "table";
  }

  // ------------------------------------------------------------------ engines

  async function wasmStore() {
    if (store) return store;
    const bundle = window.KG_OXIGRAPH;
    if (!bundle || window.KG_GRAPH === undefined) throw new Error("the query engine or the graph did not load");
    const t0 = performance.now();
    const url = URL.createObjectURL(new Blob([bundle.js], { type: "text/javascript" }));
    const ox = await import(url);
    URL.revokeObjectURL(url);
    let bytes;
    if (Uint8Array.fromBase64) bytes = Uint8Array.fromBase64(bundle.wasm);
    else {
      const bin = atob(bundle.wasm);
      bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    }
    await ox.default({ module_or_path: bytes });
    const t1 = performance.now();
    const s = new ox.Store();
    // the site's own N-Quads, written by kg: no need to check each term again
    s.load(window.KG_GRAPH, { format: "application/n-quads", unchecked: true, no_transaction: true });
    // what the first answer cost (read by benchmarks/site.py)
    window.kgTimings = { engine_ms: t1 - t0, graph_ms: performance.now() - t1, quads: s.size };
    store = s;
    return s;
  }

  // -> {kind: "select"|"ask"|"graph", text}
  async function execute(full) {
    const kw = /\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b/i.exec(blank(full));
    const isGraph = Boolean(kw && /^(CONSTRUCT|DESCRIBE)$/i.test(kw[1]));
    if (ENDPOINT) {
      const response = await fetch(ENDPOINT, {
        method: "POST",
        headers: {
          "Content-Type": "application/sparql-query",
          Accept: isGraph ? "text/turtle" : "application/sparql-results+json",
        },
        body: full,
      });
      const text = await response.text();
      if (!response.ok) throw new Error(text || `the endpoint answered ${response.status}`);
      return { kind: isGraph ? "graph" : "json", text };
    }
    const s = await wasmStore();
    const text = s.query(full, {
      use_default_graph_as_union: true,
      results_format: isGraph ? "text/turtle" : "application/sparql-results+json",
    });
    return { kind: isGraph ? "graph" : "json", text };
  }

  // ------------------------------------------------------------------ running

  function bindings() {
    const found = {};
    for (const input of params.querySelectorAll("input[data-param]")) {
      if (input.value.trim() !== "") found[input.dataset.param] = input.value;
    }
    return found;
  }

  function fixLines(message, shift) {
    return String(message).replace(/(\d+):(\d+)/, (m, line, col) => `${Math.max(1, Number(line) - shift)}:${col}`);
  }

  async function run(pushUrl = true) {
    const text = editor.value;
    const named = current && text === current.text ? current : null;
    const bound = named ? bindings() : {};
    const missing = named ? named.params.filter((p) => p.required && !(p.name in bound)) : [];
    if (missing.length) {
      status.textContent = `This query needs a value for ${missing.map((p) => p.name).join(", ")}.`;
      return;
    }
    const head = prologue(text);
    const full = head + bind(text, bound);
    if (pushUrl) saveUrl(text, bound);
    status.textContent = "Running…";
    document.body.removeAttribute("data-answered");
    const t0 = performance.now();
    try {
      const result = await execute(full);
      const ms = Math.round(performance.now() - t0);
      out.replaceChildren();
      if (result.kind === "graph") {
        last = null;
        out.appendChild(el("pre", result.text, { class: "turtle" }));
        status.textContent = `Graph result (Turtle), ${ms} ms.`;
      } else {
        const json = JSON.parse(result.text);
        if ("boolean" in json) {
          last = null;
          out.appendChild(el("p", `ASK: ${json.boolean}`));
          status.textContent = `${json.boolean}, ${ms} ms.`;
        } else {
          // A named query's parameters are not columns of its answer (as with `kg query NAME`).
          const drop = new Set(named ? named.params.map((p) => p.name) : []);
          const vars = json.head.vars.filter((v) => !drop.has(v));
          const rows = json.results.bindings.map((b) => Object.fromEntries(Object.entries(b).filter(([k]) => !drop.has(k))));
          last = { vars, rows };
          status.textContent = `${rows.length} row${rows.length === 1 ? "" : "s"}, ${ms} ms.`;
          show(view);
        }
      }
    } catch (err) {
      out.replaceChildren();
      last = null;
      status.textContent = "The query cannot run: " + fixLines(err && err.message ? err.message : err, head.split("\n").length - 1);
    }
    document.body.setAttribute("data-answered", String(Date.now()));
  }

  function saveUrl(text, bound) {
    const hash = new URLSearchParams({ query: text });
    for (const [k, v] of Object.entries(bound)) hash.set("param." + k, v);
    if (current && text === current.text) hash.set("example", current.name);
    history.replaceState(null, "", "#" + hash.toString());
  }

  // ------------------------------------------------------------------ views

  const ID = "https://w3id.org/hk-timeline-kg/id/";
  const PAGE = /^https:\/\/w3id\.org\/hk-timeline-kg\/(id\/(?:event|actor|place|source|claim|post|relation)\/[A-Za-z0-9._~-]+)$/;
  function shorten(iri) {
    if (iri.startsWith(ID)) return iri.slice(ID.length);
    let best = "";
    for (const [p, ns] of Object.entries(PREFIXES)) if (iri.startsWith(ns) && ns.length > (PREFIXES[best] || "").length) best = p;
    return best ? `${best}:${iri.slice(PREFIXES[best].length)}` : iri;
  }
  function cell(b) {
    if (!b) return el("span", "");
    if (b.type === "uri") {
      const m = PAGE.exec(b.value);
      if (m) return el("a", shorten(b.value), { href: m[1] + (ENDPOINT ? "" : ".html"), title: b.value });
      return el("span", shorten(b.value), { title: b.value, class: "iri" });
    }
    const node = el("span", b.value);
    if (b["xml:lang"]) node.appendChild(el("sup", "@" + b["xml:lang"]));
    return node;
  }

  function show(name) {
    view = name;
    for (const b of document.querySelectorAll("[data-view]")) b.setAttribute("aria-pressed", String(b.dataset.view === name));
    if (!last) return;
    out.replaceChildren();
    if (name === "graph") out.appendChild(drawGraph(last));
    else if (name === "timeline") out.appendChild(drawTimeline(last));
    else out.appendChild(drawTable(last));
  }

  function drawTable({ vars, rows }) {
    const table = el("table", null, { class: "results" });
    const tr = el("tr");
    for (const v of vars) tr.appendChild(el("th", v));
    table.appendChild(el("thead")).appendChild(tr);
    const body = table.appendChild(el("tbody"));
    for (const row of rows) {
      const r = body.appendChild(el("tr"));
      for (const v of vars) r.appendChild(el("td")).appendChild(cell(row[v]));
    }
    return table;
  }

  // The IRIs of each row as nodes, linked from the row's first IRI; labels from a literal column
  // named like the IRI's (?x_label, ?xLabel) or, for the first IRI, ?label.
  function drawGraph({ vars, rows }) {
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
  function drawTimeline({ vars, rows }) {
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
    const lo = Math.min(...items.map((i) => i.a)), hi = Math.max(...items.map((i) => i.b));
    const W = 1000, row = 18, H = 40 + items.length * row, left = 20, right = 500;
    const x = (t) => left + ((t - lo) / (hi - lo || 1)) * (right - left);
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "kg-timeline", role: "img" });
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
      root.appendChild(svg("text", { x: right + 15, y: y + 4 }, item.label.length > 68 ? item.label.slice(0, 67) + "…" : item.label));
    });
    wrap.appendChild(root);
    wrap.appendChild(el("p", `${items.length} dated rows, ${dateVars.slice(0, 2).join(" to ")}.`, { class: "caption" }));
    return wrap;
  }

  // ------------------------------------------------------------------ downloads

  function csv() {
    const q = (s) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    const lines = [last.vars.join(",")];
    for (const r of last.rows) lines.push(last.vars.map((v) => q(r[v] ? r[v].value : "")).join(","));
    return lines.join("\r\n") + "\r\n";
  }
  function download(kind) {
    if (!last) return;
    const json = { head: { vars: last.vars }, results: { bindings: last.rows } };
    const [data, type] = kind === "csv" ? [csv(), "text/csv"] : [JSON.stringify(json, null, 2), "application/sparql-results+json"];
    const a = el("a", null, { href: URL.createObjectURL(new Blob([data], { type })), download: `result.${kind === "csv" ? "csv" : "json"}` });
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  // ------------------------------------------------------------------ examples and start

  function choose(example, values) {
    current = example;
    editor.value = example.text;
    params.replaceChildren();
    for (const p of example.params) {
      const id = "kg-param-" + p.name;
      const wrap = params.appendChild(el("p"));
      wrap.appendChild(el("label", `?${p.name}${p.required ? "" : " (optional)"}`, { for: id }));
      const input = wrap.appendChild(el("input", null, { id, "data-param": p.name, placeholder: p.example || "", title: p.description }));
      input.value = values && p.name in values ? values[p.name] : p.required ? p.example || "" : "";
    }
    view = defaultView(example.text);
  }

  const list = $("kg-examples");
  for (const ex of EXAMPLES) {
    const li = list.appendChild(el("li"));
    const button = li.appendChild(el("button", ex.title, { type: "button", "data-example": ex.name }));
    li.appendChild(el("span", ex.question, { class: "question" }));
    button.addEventListener("click", () => {
      choose(ex);
      run();
    });
  }
  $("kg-run").addEventListener("click", () => {
    if (current && editor.value !== current.text) current = null, params.replaceChildren();
    view = defaultView(editor.value);
    run();
  });
  for (const b of document.querySelectorAll("[data-view]")) b.addEventListener("click", () => show(b.dataset.view));
  $("kg-csv").addEventListener("click", () => download("csv"));
  $("kg-json").addEventListener("click", () => download("json"));

  const hash = new URLSearchParams(location.hash.slice(1));
  const wanted = EXAMPLES.find((e) => e.name === hash.get("example"));
  if (hash.get("query")) {
    const values = {};
    for (const [k, v] of hash) if (k.startsWith("param.")) values[k.slice(6)] = v;
    if (wanted && wanted.text === hash.get("query")) choose(wanted, values);
    else editor.value = hash.get("query");
    view = defaultView(editor.value);
    run(false);
  } else if (EXAMPLES.length) {
    choose(EXAMPLES.find((e) => e.name === "timeline-between") || EXAMPLES[0]);
    run(false);
  }
  window.kgSparql = { run, show, choose: (name, values) => choose(EXAMPLES.find((e) => e.name === name), values), last: () => last };
})();
