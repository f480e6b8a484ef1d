// Search over labels, names and quotes of every page, offline (the index is search-index.js).
// Results are built as text nodes: no string of the data is read as markup.
"use strict";
(() => {
  const input = document.getElementById("kg-search");
  const hits = document.getElementById("kg-hits");
  const count = document.getElementById("kg-count");
  const entries = (window.KG_SEARCH || []).map(([path, kind, label, text]) => ({
    path, kind, label, haystack: (label + " \u2022 " + text).toLowerCase(), text,
  }));
  // The words around a hit, within the one name or quote that holds it (the texts are joined
  // by " \u2022 "), cut at spaces and marked "…" where cut: a quote is never shown cut unmarked.
  function excerpt(text, where) {
    const sep = " \u2022 ";
    const first = text.lastIndexOf(sep, where);
    const start = first < 0 ? 0 : first + sep.length;
    const next = text.indexOf(sep, where);
    const end = next < 0 ? text.length : next;
    let from = Math.max(start, where - 60);
    let to = Math.min(end, where + 100);
    if (from > start) from = Math.max(text.lastIndexOf(" ", from) + 1, start);
    if (to < end) { const space = text.indexOf(" ", to); to = space < 0 || space > end ? end : space; }
    return (from > start ? "…" : "") + text.slice(from, to) + (to < end ? "…" : "");
  }
  function search() {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    hits.replaceChildren();
    count.textContent = "";
    if (!words.length) return;
    const found = entries.filter((e) => words.every((w) => e.haystack.includes(w)));
    found.sort((a, b) => Number(!a.label.toLowerCase().includes(words[0])) - Number(!b.label.toLowerCase().includes(words[0])) || a.label.localeCompare(b.label));
    for (const e of found.slice(0, 50)) {
      const li = hits.appendChild(document.createElement("li"));
      const a = li.appendChild(document.createElement("a"));
      a.href = e.path + ".html";
      a.textContent = e.label;
      const kind = li.appendChild(document.createElement("span"));
      kind.className = "kind";
      kind.textContent = " " + e.kind;
      const where = e.text.toLowerCase().indexOf(words[0]);
      if (where >= 0 && !e.label.toLowerCase().includes(words[0])) {
        const snippet = li.appendChild(document.createElement("q"));
        snippet.textContent = excerpt(e.text, where);
      }
    }
    count.textContent = `${found.length} page${found.length === 1 ? "" : "s"}` + (found.length > 50 ? " (the first 50 shown)" : "");
  }
  input.addEventListener("input", search);
  const initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; search(); }
  document.body.setAttribute("data-ready", "");
})();
