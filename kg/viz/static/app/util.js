/* hk-timeline-kg page: shared helpers. The page's globals for scripting are `network` (the
   vis-network instance) and `timeline` (the vis-timeline instance); `KG` holds the page's own
   functions and `kgData` the data it was drawn from. Every data string enters the DOM as text. */
"use strict";
var network = null;
var timeline = null;
var KG = {timings: {script: Math.round(performance.now())}};
(function () {
  KG.data = JSON.parse(document.getElementById("kg-data").textContent);
  KG.timings.parsed = Math.round(performance.now());
  window.kgData = KG.data;
  window.kgFirstDraw = null;

  KG.el = function (tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.appendChild(document.createTextNode(String(text)));
    if (cls) e.className = cls;
    return e;
  };
  KG.isHttp = function (u) { return typeof u === "string" && /^https?:\/\//i.test(u); };
  KG.link = function (url, text) {
    if (!KG.isHttp(url)) return KG.el("span", text);
    var a = KG.el("a", text);
    a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer";
    return a;
  };
  /* how much of an element's right side the details panel covers: below 1200 px it floats */
  KG.coveredRight = function (element) {
    var panel = document.getElementById("kg-panel");
    if (!panel || !panel.offsetWidth || getComputedStyle(panel).position !== "absolute") return 0;
    var a = element.getBoundingClientRect(), b = panel.getBoundingClientRect();
    return Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left));
  };
  KG.clear = function (node) { while (node.firstChild) node.removeChild(node.firstChild); };
  KG.short = function (text, n) {
    text = String(text || "");
    return text.length <= n ? text : text.slice(0, n - 1).replace(/\s+$/, "") + "\u2026";
  };

  /* nodes and edges by id, and each node's edges, from the data (clusters do not change them) */
  KG.byId = {};
  KG.adjacent = {};
  KG.data.nodes.forEach(function (n) {
    if (n.kgCat === undefined) n.kgCat = "other";  /* a node added with pyvis's add_node */
    if (n.kgLabel === undefined) n.kgLabel = n.label === undefined ? String(n.id) : String(n.label);
    KG.byId[n.id] = n; KG.adjacent[n.id] = [];
  });
  KG.edgeById = {};
  KG.data.edges.forEach(function (e, i) {
    if (e.id === undefined) e.id = "edge" + i;
    KG.edgeById[e.id] = e;
    if (!KG.adjacent[e.from] || !KG.adjacent[e.to]) return;
    KG.adjacent[e.from].push(e);
    if (e.to !== e.from) KG.adjacent[e.to].push(e);
  });
  KG.other = function (e, id) { return e.from === id ? e.to : e.from; };
  KG.isEvent = function (id) { return KG.byId[id] && KG.byId[id].kgCat === "event"; };
})();
