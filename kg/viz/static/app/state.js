/* The view's state in the URL fragment, so that a view can be cited and reopened as it was:
   #from=2020-05-01&to=2020-07-31&hide=person&notype=open+letter&sel=IRI&open=cluster:0 */
(function () {
  var LISTS = ["hide", "notype", "open"];
  KG.readState = function () {
    var p = new URLSearchParams(location.hash.replace(/^#/, "")), st = {};
    ["from", "to", "sel"].forEach(function (k) { if (p.get(k)) st[k] = p.get(k); });
    LISTS.forEach(function (k) { st[k] = p.getAll(k); });
    return st;
  };
  KG.writeState = function (st) {
    var p = new URLSearchParams();
    ["from", "to"].forEach(function (k) { if (st[k]) p.set(k, st[k]); });
    LISTS.forEach(function (k) { (st[k] || []).forEach(function (v) { p.append(k, v); }); });
    if (st.sel) p.set("sel", st.sel);
    var hash = p.toString();
    if (hash === location.hash.replace(/^#/, "")) return;
    try {
      history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
    } catch (err) {  /* a sandboxed frame (notebooks) may refuse: the state then stays unwritten */
      KG.stateError = String(err);
    }
  };
  KG.state = {hide: [], notype: [], open: []};
  KG.saveState = function () { KG.writeState(KG.state); };
})();
