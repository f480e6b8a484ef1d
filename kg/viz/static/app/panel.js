/* The details panel: facts, then the quotes behind them, then the connections grouped by
   role, long groups folded, so the quotes are on the first screen. */
(function () {
  var FOLD = 6;
  function details() { return document.getElementById("kg-details"); }
  function row(dl, name, value) {
    if (value === undefined || value === null || value === "") return;
    dl.appendChild(KG.el("dt", name));
    var dd = KG.el("dd");
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = String(value);
    dl.appendChild(dd);
  }
  function open() {
    document.body.classList.remove("kg-panel-closed");
    document.body.classList.add("kg-panel-open");
  }
  function nodeButton(id) {
    var m = KG.byId[id], btn = KG.el("button", m ? m.kgLabel : id);
    btn.type = "button";
    btn.addEventListener("click", function () { KG.select(id, "panel"); });
    return btn;
  }

  KG.showNode = function (id) {
    var n = KG.byId[id], panel = details(), CAT = {};
    if (!n) return;
    KG.data.categories.forEach(function (c) { CAT[c.key] = c.label; });
    KG.clear(panel); open();
    panel.appendChild(KG.el("h2", n.kgLabel));
    var dl = KG.el("dl");
    var more = n.kgCls && n.kgCls.toLowerCase() !== n.kgCat ? " (" + n.kgCls + ")" : "";
    row(dl, "class", (CAT[n.kgCat] || n.kgCat) + more);
    row(dl, "type", n.kgType);
    row(dl, "date", n.kgEdtf);
    if (n.kgEb) {
      var b = n.kgEb === n.kgLb || !n.kgLb ? n.kgEb : n.kgEb + " \u2026 " + n.kgLb;
      var e = n.kgEe && !(n.kgEe === n.kgEb && n.kgLe === n.kgLb) ?
        (n.kgEe === n.kgLe || !n.kgLe ? n.kgEe : n.kgEe + " \u2026 " + n.kgLe) : "";
      row(dl, "begins", b); row(dl, "ends", e);
    }
    if (n.kgUrl) row(dl, "link", KG.link(n.kgUrl, n.kgUrl));
    row(dl, "id", n.id);
    panel.appendChild(dl);
    var qs = (KG.data.quotes || {})[id] || [];
    if (qs.length) {  /* its own quotes first; those about its posts and relations folded when many */
      panel.appendChild(KG.el("h3", "Quotes (" + qs.length + ")"));
      var own = qs.filter(function (q) { return !q[3]; }), other = qs.filter(function (q) { return q[3]; });
      var more = other.length > FOLD ? KG.el("details", null, "kg-role") : panel;
      if (more !== panel) more.appendChild(KG.el("summary", other.length + " about its relations and posts", "kg-role-name"));
      own.concat(other).forEach(function (q, i) {
        var into = i < own.length ? panel : more;
        into.appendChild(KG.el("blockquote", q[0]));
        var cite = KG.el("p", "\u2014 ", "kg-cite");
        cite.appendChild(KG.link(q[2], q[1]));
        if (q[3]) cite.appendChild(KG.el("span", " [" + q[3] + "]"));
        into.appendChild(cite);
      });
      if (more !== panel) panel.appendChild(more);
    }
    var links = KG.adjacent[id].slice().sort(function (a, b) {
      var x = KG.byId[KG.other(a, id)], y = KG.byId[KG.other(b, id)];
      return (x.kgEb || "").localeCompare(y.kgEb || "") || x.kgLabel.localeCompare(y.kgLabel);
    });
    if (!links.length) return;
    panel.appendChild(KG.el("h3", n.kgCat === "event" ? "Actors and relations" : "Connections"));
    var byRole = {}, roles = [];
    links.forEach(function (e) {
      var what = (e.label || "linked") + (e.from === id ? " \u2192" : " \u2190");
      if (!byRole[what]) { byRole[what] = []; roles.push(what); }
      byRole[what].push(e);
    });
    roles.forEach(function (what) {
      var list = byRole[what], ul = KG.el("ul");
      list.forEach(function (e) {
        var other = KG.other(e, id), m = KG.byId[other], li = KG.el("li");
        li.appendChild(nodeButton(other));
        if (m && m.kgEdtf) li.appendChild(KG.el("span", " (" + m.kgEdtf + ")"));
        ul.appendChild(li);
      });
      var box = KG.el(list.length > FOLD ? "details" : "div", null, "kg-role");
      var head = KG.el(list.length > FOLD ? "summary" : "p", what + " (" + list.length + ")", "kg-role-name");
      box.appendChild(head); box.appendChild(ul);
      panel.appendChild(box);
    });
  };

  KG.showEdge = function (eid) {
    var e = KG.edgeById[eid], panel = details();
    if (!e) return;
    KG.clear(panel); open();
    panel.appendChild(KG.el("h2", e.label || "link"));
    var dl = KG.el("dl");
    row(dl, "from", nodeButton(e.from)); row(dl, "to", nodeButton(e.to));
    panel.appendChild(dl);
  };

  KG.showCluster = function (cid) {
    var c = KG.clusters[cid], panel = details();
    KG.clear(panel); open();
    panel.appendChild(KG.el("h2", c.label));
    panel.appendChild(KG.el("p", (c.open ? "Shown around their event; click a name for its details." :
      "Drawn as one node; click it to show them.") +
      (c.apart ? " " + c.apart + " of them are drawn apart, as they are linked to other events too." : "")));
    if (!c.open) return;
    var list = KG.el("ul");
    c.members.slice().sort(function (a, b) {
      return KG.byId[a].kgLabel.localeCompare(KG.byId[b].kgLabel);
    }).forEach(function (m) {
      var li = KG.el("li"), b = KG.el("button", KG.byId[m].kgLabel);
      b.type = "button";
      b.addEventListener("click", function () { KG.select(m, "panel"); });
      li.appendChild(b);
      list.appendChild(li);
    });
    panel.appendChild(list);
  };
})();
