// The SPARQL page: the named queries as examples, kg's prefixes predeclared, results as a
// table, a graph or a timeline (draw.js), CSV/JSON downloads and the query in the URL.
// Runs against Oxigraph's WebAssembly build over the published graph (static site), or
// against the endpoint named by <body data-endpoint> (kg serve). Data is shown as text only.
"use strict";
(() => {
  const EXAMPLES = window.KG_EXAMPLES || [];
  const PREFIXES = window.KG_PREFIXES || {};
  const ENDPOINT = document.body.dataset.endpoint || "";
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

  // A parameter that names a resource, looked up as kg looks it up (kg/backends/lookup.py:
  // the same three queries, in the same order), then bound as the resource's IRI.
  const LOOKUP = window.KG_LOOKUP;
  const literal = (s) => `"${s.replace(/[\\"\n\r\t]/g, (c) => ({ "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t" })[c])}"`;
  const IRI = /^[A-Za-z][A-Za-z0-9+.-]*:[^<>"{}|^`\\\s]*$/;
  async function find(text, kinds) {
    let wanted = text.trim();
    if (/^<.*>$/.test(wanted)) wanted = wanted.slice(1, -1);
    const classes = new Set(kinds.map((k) => LOOKUP.kinds[k][0]));
    const typed = async (q) => {
      const result = JSON.parse((await execute(prologue(q) + q)).text).results.bindings;
      return [...new Set(result.filter((b) => classes.has(b.class.value)).map((b) => b.node.value))].sort();
    };
    // (a replacement function: a `$&` typed by the user stays text)
    const iris = [...new Set([wanted, LOOKUP.id + wanted, ...kinds.map((k) => LOOKUP.kinds[k][1] + wanted)])].filter((c) => IRI.test(c));
    let hits = iris.length ? await typed(LOOKUP.by_iri.replace("%(iris)s", () => iris.map((c) => `<${c}>`).join(" "))) : [];
    if (hits.length) return hits.slice(0, 1);
    hits = await typed(LOOKUP.by_name.replace("%(names)s", () => `${literal(wanted)}@en ${literal(wanted)}`));
    if (hits.length) return hits;
    const any = LOOKUP.any_case.replace("%(classes)s", () => [...classes].sort().map((c) => `<${c}>`).join(" "));
    hits = await typed(any.replace("%(text)s", () => literal(wanted)));
    const what = kinds.length > 1 ? `${kinds.slice(0, -1).join(", ")} or ${kinds[kinds.length - 1]}` : kinds[0];
    if (!hits.length) throw new Error(`no ${what} named '${wanted}'`); // as kg says it, without suggestions
    return hits;
  }
  async function bindNames(named, bound) {
    const out = { ...bound };
    for (const p of named.params) {
      if (!p.lookup || !p.lookup.length || !(p.name in out)) continue;
      const hits = await find(out[p.name], p.lookup);
      if (hits.length > 1) throw new Error(`'${out[p.name].trim()}' names ${hits.length} resources (${hits.map(shorten).join(", ")}): give one of these ids`);
      out[p.name] = `<${hits[0]}>`;
    }
    return out;
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
    if (pushUrl) saveUrl(text, bound);
    status.textContent = "Running…";
    document.body.removeAttribute("data-answered");
    const t0 = performance.now();
    try {
      const result = await execute(head + bind(text, named ? await bindNames(named, bound) : bound));
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
    if (name === "graph") out.appendChild(window.kgDraw.graph(last, shorten));
    else if (name === "timeline") out.appendChild(window.kgDraw.timeline(last, shorten));
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
  editor.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) $("kg-run").click(); // Ctrl+Enter runs, as in YASGUI
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
