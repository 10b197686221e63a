// congkhai search page: loads the WASM engine and the index on first use,
// shows results as you type, narrows them by facets, and keeps the address
// in sync so that a search can be shared. No dependencies; results are built
// with DOM methods (textContent, text nodes, <mark> elements), never parsed
// as markup.
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
  // Characters of a record's text shown around the first match.
  const SNIPPET = 240;
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();

  let ready = null;
  let wasm = null;
  let manifest = null;
  let table = null;
  const chunks = new Map();
  const texts = new Map();
  let hits = [];
  let words = [];
  let shown = PAGE;
  let seq = 0;

  const params = new URLSearchParams(location.search);
  const filters = {};
  for (const f of FACETS) if (params.get(f)) filters[f] = params.get(f);
  input.value = params.get("q") || "";

  // docs.json holds columns; the dates are day counts, newest first.
  function readTable(t) {
    const n = t.type.length;
    t.day = new Int32Array(n);
    t.year = new Int32Array(n).fill(-1);
    const years = new Map();
    let day = 0;
    for (let i = 0; i < t.dated; i++) {
      day = i === 0 ? t.date[0] : day - t.date[i];
      t.day[i] = day;
      if (!years.has(day)) years.set(day, new Date(day * 86400000).getUTCFullYear());
      t.year[i] = years.get(day);
    }
    t.cols = { type: t.type, year: t.year, agency: t.agency, sector: t.sector, penalty: t.penalty, source: t.source };
    t.lists = { type: t.types, sector: t.sectors, penalty: t.penalties, source: t.sources };
    t.agencyLabel = new Map(t.agencies);
    t.agencyIndex = new Map(t.agencies.map((a, i) => [a[0], i]));
    return t;
  }

  // The engine (and the manifest it needs) and the table of records load
  // side by side: shards can be fetched before the table has arrived.
  let tableReady = null;
  function init() {
    if (!ready) {
      status.textContent = L.loading;
      tableReady = fetch(base + "docs.json").then((r) => r.json()).then((t) => {
        table = readTable(t);
        performance.mark("search:table");
      });
      const manifestReady = fetch(base + "manifest.json").then((r) => r.json());
      // The first query's shards are fetched while the engine compiles.
      manifestReady.then((m) => prefetch(input.value, m));
      ready = Promise.all([
        manifestReady,
        WebAssembly.instantiateStreaming(fetch(base + "congkhai-search.wasm"), {}),
      ]).then(([m, w]) => {
        manifest = m;
        wasm = w.instance.exports;
        wasm.configure(manifest.depth);
        performance.mark("search:engine");
      });
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

  // The shards a query will need, guessed the way the engine plans them
  // (folded words, digits as the letters the index uses, the first `depth`
  // characters; with diacritics, the spelling shards one character deeper).
  // Only a head start: the engine's own plan decides what is loaded.
  const fetched = new Map();
  function prefetch(q, m) {
    if (!q.trim()) return;
    const digits = "αβγδεζηθικ";
    const enc = (w) => [...w.replace(/[0-9]/g, (d) => digits[d])];
    const all = foldMap(q).folded.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    const keys = new Set(all.map((w) => enc(w).slice(0, m.depth).join("")));
    if (/[0-9]/.test(q)) keys.add(enc(all.join("")).slice(0, m.depth).join(""));
    if (/[\p{M}đĐ]/u.test(q.normalize("NFD"))) for (const w of all) keys.add("~" + enc(w).slice(0, m.depth + 1).join(""));
    const files = new Set(m.shards);
    for (const key of keys) shardBytes(key, files);
  }

  function shardBytes(key, files) {
    const file = shardFile(key);
    if (!files.has(file)) return null;
    if (!fetched.has(key)) fetched.set(key, fetch(base + file).then((r) => r.arrayBuffer()));
    return fetched.get(key);
  }

  async function loadShards(q) {
    const n = wasm.plan(write([encoder.encode(q)]));
    if (n === 0) return;
    const keys = decoder.decode(output()).split("\n").slice(0, n);
    const files = new Set(manifest.shards);
    await Promise.all(
      keys.map(async (key) => {
        const bytes = shardBytes(key, files);
        if (!bytes) return;
        const data = new Uint8Array(await bytes);
        fetched.delete(key);
        const k = encoder.encode(key);
        wasm.load(k.length, write([k, data]) - k.length);
      }),
    );
  }

  // A facet value as a number (an index, or the year; -1 for none), and as
  // the text the address and the options carry.
  function valueText(f, c) {
    if (f === "year") return String(c);
    if (f === "agency") return table.agencies[c][0];
    return table.lists[f][c];
  }

  function valueCode(f, v) {
    if (f === "year") return /^\d{4}$/.test(v) ? Number(v) : -2;
    const c = f === "agency" ? table.agencyIndex.get(v) ?? -1 : table.lists[f].indexOf(v);
    return c < 0 ? -2 : c;
  }

  function facetLabel(f, v) {
    if (f === "type") return L["type." + v] || v;
    if (f === "agency") return table.agencyLabel.get(v) || v;
    if (f === "sector" || f === "penalty" || f === "source") return L[f + "." + v] || v;
    return v;
  }

  // Which facets each hit fails (a bit per facet), so that the results and
  // every facet's counts take one pass.
  function prepare() {
    const want = FACETS.map((f) => (filters[f] ? valueCode(f, filters[f]) : null));
    const cols = FACETS.map((f) => table.cols[f]);
    for (const h of hits) {
      let fails = 0;
      for (let i = 0; i < FACETS.length; i++) {
        if (want[i] !== null && cols[i][h.doc] !== want[i]) fails |= 1 << i;
      }
      h.fails = fails;
    }
  }

  function syncAddress() {
    const p = new URLSearchParams();
    if (input.value.trim()) p.set("q", input.value);
    for (const f of FACETS) if (filters[f]) p.set(f, filters[f]);
    const qs = p.toString();
    history.replaceState(null, "", location.pathname + (qs ? "?" + qs : ""));
  }

  // A result line's address, title and number, from its metadata chunk.
  async function meta(doc) {
    const n = Math.floor(doc / manifest.chunk);
    if (!chunks.has(n)) chunks.set(n, fetch(base + "meta/" + n + ".json").then((r) => r.json()));
    const [u, t, num] = (await chunks.get(n))[doc % manifest.chunk];
    return { u, t, n: num };
  }

  // A record's text, that the passage under its result line is cut from.
  function text(doc) {
    const n = Math.floor(doc / manifest.text_chunk);
    if (!texts.has(n)) texts.set(n, fetch(base + "x/" + n + ".json").then((r) => (r.ok ? r.json() : [])));
    return texts.get(n).then((chunk) => chunk[doc % manifest.text_chunk] || "");
  }

  // A record's date (days since 1970) as the interface writes dates.
  function formatDate(day) {
    const d = new Date(day * 86400000);
    if (lang === "vi") return String(d.getUTCDate()).padStart(2, "0") + "/" + String(d.getUTCMonth() + 1).padStart(2, "0") + "/" + d.getUTCFullYear();
    return d.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // Folds text as the index does (no case, no diacritics, đ as d), keeping
  // where each folded character came from so that matches map back.
  function foldMap(text) {
    let folded = "";
    const from = [];
    let at = 0;
    for (const ch of text) {
      const f = ch.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/đ/g, "d");
      for (const c of f) {
        folded += c;
        from.push(at);
      }
      at += ch.length;
    }
    from.push(text.length);
    return { folded, from };
  }

  const isWordChar = (c) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

  const spelling = (s) => s.normalize("NFC").toLowerCase();

  // The query's folded words (and, if typed with diacritics, their
  // spelling); the last one, while typed, matches as a prefix.
  function queryWords(q) {
    const raw = q.split(/[^\p{L}\p{N}\p{M}]+/u).filter(Boolean);
    const marked = /[\p{M}đĐ]/u.test(q.normalize("NFD"));
    const seen = new Set();
    const list = [];
    for (const r of raw) {
      const w = foldMap(r).folded;
      if (seen.has(w)) continue;
      seen.add(w);
      list.push({ w, spelled: marked ? spelling(r) : null });
    }
    const typing = isWordChar(q.slice(-1));
    return list.map((x, i) => ({ ...x, prefix: typing && i === list.length - 1 && x.w.length >= 3 }));
  }

  // Ranges [start, end, spelled as typed] of the text where a query word
  // occurs as a word.
  function findMatches(text) {
    const { folded, from } = foldMap(text);
    const ranges = [];
    for (const { w, prefix, spelled } of words) {
      for (let i = folded.indexOf(w); i >= 0; i = folded.indexOf(w, i + 1)) {
        if (isWordChar(folded[i - 1])) continue;
        if (!prefix && isWordChar(folded[i + w.length])) continue;
        let end = i + w.length;
        while (prefix && isWordChar(folded[end])) end++;
        const exact = spelled !== null && spelling(text.slice(from[i], from[i + w.length])) === spelled;
        ranges.push([from[i], from[end], exact]);
      }
    }
    ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    return ranges.filter((r, i) => i === 0 || r[0] >= ranges[i - 1][1]);
  }

  // Appends text to a node, with the parts that match the query in <mark>.
  function appendMarked(node, text, ranges, offset = 0) {
    let at = 0;
    for (const [a0, b0] of ranges) {
      const a = a0 - offset, b = b0 - offset;
      if (b <= 0 || a >= text.length) continue;
      if (a > at) node.append(text.slice(at, a));
      node.append(el("mark", null, text.slice(Math.max(a, 0), b)));
      at = b;
    }
    if (at < text.length) node.append(text.slice(at));
  }

  // A passage of the record's text around the first match (the first one
  // spelled as typed, if any), matches marked.
  function snippet(text) {
    const ranges = findMatches(text);
    const first = ranges.find((r) => r[2]) || ranges[0];
    let start = 0;
    if (first && first[0] > SNIPPET / 3) {
      start = text.lastIndexOf(" ", first[0] - SNIPPET / 3) + 1;
    }
    let end = Math.min(text.length, start + SNIPPET);
    if (end < text.length) end = Math.max(text.lastIndexOf(" ", end), first ? first[1] : 0, start + 1);
    const p = el("p", "snippet");
    if (start > 0) p.append("… ");
    appendMarked(p, text.slice(start, end), ranges, start);
    if (end < text.length && !text.slice(start, end).endsWith("…")) p.append(" …");
    return p;
  }

  function renderFacets() {
    facetsEl.replaceChildren();
    FACETS.forEach((f, i) => {
      const codes = new Map();
      const others = ~(1 << i);
      const col = table.cols[f];
      for (const h of hits) {
        const c = col[h.doc];
        if ((h.fails & others) === 0 && c >= 0) codes.set(c, (codes.get(c) || 0) + 1);
      }
      const counts = new Map([...codes].map(([c, n]) => [valueText(f, c), n]));
      if (counts.size === 0 && !filters[f]) return;
      const wrap = el("div", "facet-group");
      const id = "facet-" + f;
      const label = el("label", null, L[f]);
      label.htmlFor = id;
      const select = el("select");
      select.id = id;
      select.name = f;
      select.append(el("option", null, L.all));
      select.options[0].value = "";
      // Years newest first; other values most frequent first (a collator
      // for alphabetical order costs ~30 ms to create, on the first search).
      const values = [...counts.keys()].sort((a, b) => (f === "year" ? b - a : counts.get(b) - counts.get(a) || (a < b ? -1 : 1)));
      for (const v of values) {
        const o = el("option", null, facetLabel(f, v) + " (" + counts.get(v) + ")");
        o.value = v;
        o.selected = filters[f] === v;
        select.append(o);
      }
      select.addEventListener("change", () => {
        if (select.value) filters[f] = select.value; else delete filters[f];
        refilter("facet-" + f);
      });
      wrap.append(label, " ", select);
      facetsEl.append(wrap);
    });
    if (FACETS.some((f) => filters[f])) {
      const clear = el("button", "clear-filters", L.clear);
      clear.type = "button";
      clear.addEventListener("click", () => {
        for (const f of FACETS) delete filters[f];
        refilter(null);
      });
      facetsEl.append(clear);
    }
  }

  // After a filter changed: show the results again and give the focus back
  // to the control the reader used (the facets are drawn anew).
  async function refilter(focusId) {
    shown = PAGE;
    syncAddress();
    await show();
    (focusId && document.getElementById(focusId) || status).focus();
  }

  function resultItem(h, m) {
    const type = table.types[table.type[h.doc]];
    const li = el("li");
    const a = el("a");
    a.href = prefix + m.u;
    if (type === "decision") a.append(L["penalty." + table.penalties[table.penalty[h.doc]]] + ": ");
    const title = el("span");
    appendMarked(title, m.t, findMatches(m.t));
    // Titles and texts are Vietnamese whatever the interface language.
    if (lang !== "vi") title.lang = "vi";
    a.append(title);
    const bits = [L["type." + type]];
    if (m.n) bits.push(m.n);
    if (h.doc < table.dated) bits.push(formatDate(table.day[h.doc]));
    if (table.agency[h.doc] >= 0 && type !== "agency") bits.push(table.agencies[table.agency[h.doc]][1]);
    li.append(a, el("div", "result-meta", bits.join(" · ")));
    return li;
  }

  // Adds the passage under each result line as its text arrives; the list
  // is marked busy until all have.
  function addSnippets(items, my) {
    root.setAttribute("aria-busy", "true");
    const added = items.map(({ h, li }) =>
      text(h.doc).then((x) => {
        if (my !== seq || !x) return;
        const p = snippet(x);
        if (lang !== "vi") p.lang = "vi";
        li.append(p);
      }),
    );
    Promise.allSettled(added).then(() => {
      if (my === seq) root.setAttribute("aria-busy", "false");
    });
  }

  // Draws the result lines in rank order as their chunks arrive (the first
  // lines do not wait for the last chunk), then the facets: counting
  // thousands of hits and drawing the options takes longer than a request.
  async function show() {
    const my = ++seq;
    prepare();
    const visible = hits.filter((h) => h.fails === 0);
    const page = visible.slice(0, shown);
    const lines = page.map((h) => meta(h.doc));
    const list = el("ol");
    const items = [];
    for (let i = 0; i < page.length; i++) {
      const m = await lines[i];
      if (my !== seq) return;
      const item = { h: page[i], li: resultItem(page[i], m) };
      items.push(item);
      list.append(item.li);
      if (i === 0) {
        root.replaceChildren(list);
        // Milliseconds from navigation to the first results, for the benchmark.
        if (!root.dataset.firstResultsMs) root.dataset.firstResultsMs = String(Math.round(performance.now()));
      }
    }
    if (!items.length) root.replaceChildren();
    if (visible.length > shown) {
      const n = Math.min(PAGE, visible.length - shown);
      const more = el("button", "more", L.more.replace("{n}", n));
      more.type = "button";
      more.addEventListener("click", async () => {
        const first = shown;
        shown += PAGE;
        await show();
        // Continue where the reader was: on the first new result.
        root.querySelectorAll("li a")[first]?.focus();
      });
      root.append(more);
    }
    status.textContent = visible.length ? visible.length + " " + L.found : L.no_results;
    renderFacets();
    performance.mark("search:facets");
    addSnippets(items, my);
  }

  async function run(focus) {
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
    performance.mark("search:shards");
    await tableReady;
    if (my !== seq) return;
    const n = wasm.search(write([encoder.encode(q)]));
    const out = new DataView(output().buffer);
    hits = [];
    // Best first; records are numbered newest first, which breaks ties.
    for (let i = 0; i < n; i++) hits.push({ doc: out.getUint32(i * 8, true), score: out.getUint32(i * 8 + 4, true) });
    performance.mark("search:searched");
    words = queryWords(q);
    shown = PAGE;
    await show();
    // After a search the reader is told how it went: the summary has focus.
    if (focus && my + 1 === seq) status.focus();
  }

  status.tabIndex = -1;
  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => run(false), 150);
  });
  input.form?.addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(timer);
    run(true);
  });
  if (input.value.trim()) run(true);
})();
