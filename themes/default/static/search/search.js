// congkhai search page: loads the WASM engine and the index on first use,
// shows results as you type, narrows them by facets, and keeps the address
// in sync so that a search can be shared. No dependencies; results are built
// with DOM methods (textContent), never parsed as markup.
(() => {
  "use strict";
  const root = document.querySelector("[data-search-results]");
  const input = document.getElementById("q");
  if (!root || !input) return;
  const base = root.dataset.base;
  const prefix = root.dataset.prefix;
  const lang = root.dataset.lang;
  const L = JSON.parse(root.dataset.labels);
  const status = document.getElementById("search-status");
  const facetsEl = document.getElementById("search-facets");
  const FACETS = ["type", "year", "agency", "source", "sector", "penalty"];
  const PAGE = 20;
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();

  let ready = null;
  let wasm = null;
  let manifest = null;
  let table = null;
  const chunks = new Map();
  let hits = [];
  let shown = PAGE;
  let seq = 0;
  const started = performance.now();

  const params = new URLSearchParams(location.search);
  const filters = {};
  for (const f of FACETS) if (params.get(f)) filters[f] = params.get(f);
  input.value = params.get("q") || "";

  function init() {
    if (!ready) {
      ready = (async () => {
        status.textContent = L.loading;
        const [m, t, w] = await Promise.all([
          fetch(base + "manifest.json").then((r) => r.json()),
          fetch(base + "docs.json").then((r) => r.json()),
          WebAssembly.instantiateStreaming(fetch(base + "congkhai-search.wasm"), {}),
        ]);
        manifest = m;
        table = t;
        wasm = w.instance.exports;
        wasm.configure(manifest.depth);
      })();
    }
    return ready;
  }

  // Copies bytes into the engine's input buffer.
  function write(parts) {
    const total = parts.reduce((n, p) => n + p.length, 0);
    const ptr = wasm.input(total);
    const view = new Uint8Array(wasm.memory.buffer, ptr, total);
    let at = 0;
    for (const p of parts) {
      view.set(p, at);
      at += p.length;
    }
    return total;
  }

  function output() {
    return new Uint8Array(wasm.memory.buffer, wasm.output_ptr(), wasm.output_len()).slice();
  }

  function shardFile(key) {
    if (key === "") return "index.bin";
    return "index-" + Array.from(encoder.encode(key), (b) => b.toString(16).padStart(2, "0")).join("") + ".bin";
  }

  async function loadShards(q) {
    const n = wasm.plan(write([encoder.encode(q)]));
    if (n === 0) return;
    const keys = decoder.decode(output()).split("\n").slice(0, n);
    const files = new Set(manifest.shards);
    await Promise.all(
      keys.map(async (key) => {
        const file = shardFile(key);
        if (!files.has(file)) return;
        const data = new Uint8Array(await (await fetch(base + file)).arrayBuffer());
        const k = encoder.encode(key);
        wasm.load(k.length, write([k, data]) - k.length);
      }),
    );
  }

  function facetValue(f, doc) {
    const row = table.docs[doc];
    switch (f) {
      case "type": return table.types[row[0]];
      case "year": return row[1] ? String(row[1]) : null;
      case "agency": return row[2] >= 0 ? table.agencies[row[2]][0] : null;
      case "sector": return row[3] >= 0 ? table.sectors[row[3]] : null;
      case "penalty": return row[4] >= 0 ? table.penalties[row[4]] : null;
      case "source": return row[6] >= 0 ? table.sources[row[6]] : null;
    }
    return null;
  }

  function facetLabel(f, v) {
    if (f === "type") return L["type." + v] || v;
    if (f === "agency") return (table.agencies.find((a) => a[0] === v) || [v, v])[1];
    if (f === "sector" || f === "penalty" || f === "source") return L[f + "." + v] || v;
    return v;
  }

  function matches(doc, except) {
    return FACETS.every((f) => f === except || !filters[f] || facetValue(f, doc) === filters[f]);
  }

  function syncAddress() {
    const p = new URLSearchParams();
    if (input.value.trim()) p.set("q", input.value);
    for (const f of FACETS) if (filters[f]) p.set(f, filters[f]);
    const qs = p.toString();
    history.replaceState(null, "", location.pathname + (qs ? "?" + qs : ""));
  }

  async function meta(doc) {
    const n = Math.floor(doc / manifest.chunk);
    if (!chunks.has(n)) chunks.set(n, fetch(base + "meta/" + n + ".json").then((r) => r.json()));
    return (await chunks.get(n))[doc % manifest.chunk];
  }

  function formatDate(d) {
    if (!d) return "";
    const y = Math.floor(d / 10000), m = Math.floor(d / 100) % 100, day = d % 100;
    if (lang === "vi") return String(day).padStart(2, "0") + "/" + String(m).padStart(2, "0") + "/" + y;
    return new Date(Date.UTC(y, m - 1, day)).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function renderFacets() {
    facetsEl.replaceChildren();
    for (const f of FACETS) {
      const counts = new Map();
      for (const h of hits) {
        if (!matches(h.doc, f)) continue;
        const v = facetValue(f, h.doc);
        if (v !== null) counts.set(v, (counts.get(v) || 0) + 1);
      }
      if (counts.size === 0 && !filters[f]) continue;
      const wrap = el("div", "facet-group");
      const id = "facet-" + f;
      const label = el("label", null, L[f]);
      label.htmlFor = id;
      const select = el("select");
      select.id = id;
      select.name = f;
      select.append(el("option", null, L.all));
      select.options[0].value = "";
      const values = [...counts.keys()].sort((a, b) => (f === "year" ? b.localeCompare(a) : facetLabel(f, a).localeCompare(facetLabel(f, b), lang)));
      for (const v of values) {
        const o = el("option", null, facetLabel(f, v) + " (" + counts.get(v) + ")");
        o.value = v;
        o.selected = filters[f] === v;
        select.append(o);
      }
      select.addEventListener("change", () => {
        if (select.value) filters[f] = select.value; else delete filters[f];
        shown = PAGE;
        syncAddress();
        show();
      });
      wrap.append(label, " ", select);
      facetsEl.append(wrap);
    }
  }

  async function show() {
    const my = ++seq;
    renderFacets();
    const visible = hits.filter((h) => matches(h.doc));
    const items = await Promise.all(visible.slice(0, shown).map(async (h) => ({ h, m: await meta(h.doc) })));
    if (my !== seq) return;
    const list = el("ol");
    for (const { h, m } of items) {
      const row = table.docs[h.doc];
      const li = el("li");
      const type = table.types[row[0]];
      const title = type === "decision" ? L["penalty." + table.penalties[row[4]]] + ": " + m.t : m.t;
      const a = el("a", null, title);
      a.href = prefix + m.u;
      const bits = [L["type." + type]];
      if (m.n) bits.push(m.n);
      if (row[5]) bits.push(formatDate(row[5]));
      if (row[2] >= 0 && type !== "agency") bits.push(table.agencies[row[2]][1]);
      li.append(a, el("div", "result-meta", bits.join(" · ")));
      if (m.x) li.append(el("p", null, m.x));
      list.append(li);
    }
    const nodes = [list];
    if (visible.length > shown) {
      const more = el("button", "more", "+" + Math.min(PAGE, visible.length - shown));
      more.type = "button";
      more.addEventListener("click", () => { shown += PAGE; show(); });
      nodes.push(more);
    }
    root.replaceChildren(...nodes);
    status.textContent = visible.length ? visible.length + " " + L.found : L.no_results;
    if (!root.dataset.firstResultsMs && items.length) root.dataset.firstResultsMs = String(Math.round(performance.now() - started));
  }

  async function run() {
    const q = input.value;
    syncAddress();
    const my = ++seq;
    if (!q.trim()) {
      hits = [];
      facetsEl.replaceChildren();
      root.replaceChildren();
      status.textContent = "";
      return;
    }
    await init();
    await loadShards(q);
    if (my !== seq) return;
    const n = wasm.search(write([encoder.encode(q)]));
    const out = new DataView(output().buffer);
    hits = [];
    for (let i = 0; i < n; i++) hits.push({ doc: out.getUint32(i * 8, true), score: out.getUint32(i * 8 + 4, true) });
    // Best score first (number, then title matches), newest first among equals.
    hits.sort((a, b) => b.score - a.score || table.docs[b.doc][5] - table.docs[a.doc][5] || a.doc - b.doc);
    shown = PAGE;
    await show();
  }

  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  });
  input.form?.addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(timer);
    run();
  });
  if (input.value.trim()) run();
})();
