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
  // docs.json, the table of every record, only needed to count and filter
  // by facets: fetched with the engine on a site of one block, and on a
  // larger site only when the reader asks for every result counted.
  let table = null;
  let tableReady = null;
  const chunks = new Map();
  const texts = new Map();
  let hits = [];
  let words = [];
  let shown = PAGE;
  // The current query's number (a newer query stops an older one's
  // loading) and the current drawing's (a newer drawing stops an older one).
  let seq = 0;
  let drawn = 0;

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

  function loadTable() {
    tableReady ??= fetch(base + "docs.json").then((r) => r.json()).then((t) => {
      table = readTable(t);
      performance.mark("search:table");
    });
    return tableReady;
  }

  const blocks = () => manifest.blocks || 1;

  // The engine (and the manifest it needs) and, on a site of one block, the
  // table of records load side by side: shards can be fetched before the
  // table has arrived.
  function init() {
    if (!ready) {
      status.textContent = L.loading;
      const manifestReady = fetch(base + "manifest.json").then((r) => r.json());
      // The first query's shards are fetched while the engine compiles.
      manifestReady.then((m) => {
        if ((m.blocks || 1) === 1) loadTable();
        prefetch(input.value, m);
      });
      ready = Promise.all([
        manifestReady,
        WebAssembly.instantiateStreaming(fetch(base + "congkhai-search.wasm"), {}),
      ]).then(([m, w]) => {
        manifest = m;
        wasm = w.instance.exports;
        wasm.configure(manifest.depth, manifest.blocks || 1);
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

  // Block b of a shard (its summary for b = "s"): the manifest lists each
  // shard's first block.
  function shardFile(key, b) {
    const stem = key === "" ? "index" : "index-" + Array.from(encoder.encode(key), (x) => x.toString(16).padStart(2, "0")).join("");
    return stem + (b ? "." + b : "") + ".bin";
  }

  // The shards a query will need, guessed the way the engine plans them
  // (folded words, digits as the letters the index uses, the first `depth`
  // characters; the number's shard and, with diacritics, the spelling
  // shards one character deeper).
  // Only a head start: the engine's own plan decides what is loaded.
  const fetched = new Map();
  function prefetch(q, m) {
    if (!q.trim()) return;
    const digits = "αβγδεζηθικ";
    const enc = (w) => [...w.replace(/[0-9]/g, (d) => digits[d])];
    const all = foldMap(q).folded.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    const keys = new Set(all.map((w) => enc(w).slice(0, m.depth).join("")));
    if (/[0-9]/.test(q)) keys.add("'" + enc(all.join("")).slice(0, m.depth + 1).join(""));
    if (/[\p{M}đĐ]/u.test(q.normalize("NFD"))) for (const w of all) keys.add("~" + enc(w).slice(0, m.depth + 1).join(""));
    const files = new Set(m.shards);
    for (const key of keys) {
      shardBytes(key, 0, files);
      if ((m.blocks || 1) > 1 && !key.startsWith("'")) shardBytes(key, "s", files);
    }
  }

  function shardBytes(key, b, files) {
    if (!files.has(shardFile(key, 0))) return null;
    const id = key + "/" + b;
    if (!fetched.has(id)) fetched.set(id, fetch(base + shardFile(key, b)).then((r) => r.arrayBuffer()));
    return fetched.get(id);
  }

  // Loads blocks [from, to) of every shard the query needs, and with the
  // first, the summaries that say which blocks hold the words that rank.
  async function loadBlocks(q, from, to) {
    const files = new Set(manifest.shards);
    const loads = [];
    // Fetches part b of each key the engine listed and hands it to `load`
    // (key length, data length; both written to the engine's input).
    const fetchEach = (n, b, load) => {
      for (const key of n === 0 ? [] : decoder.decode(output()).split("\n").slice(0, n)) {
        const bytes = shardBytes(key, b, files);
        if (!bytes) continue;
        loads.push(bytes.then((buffer) => {
          fetched.delete(key + "/" + b);
          const k = encoder.encode(key);
          load(k.length, write([k, new Uint8Array(buffer)]) - k.length);
        }));
      }
    };
    if (from === 0) fetchEach(wasm.summaries(write([encoder.encode(q)])), "s", wasm.load_summary);
    for (let b = from; b < to; b++) {
      fetchEach(wasm.plan(write([encoder.encode(q)]), b), b, (k, d) => wasm.load(k, b, d));
    }
    await Promise.all(loads);
  }

  // What is known of the current query's results: over how many blocks
  // they were searched, whether that is all of them, and how many of the
  // first results are final (they reach the best score a record could
  // have, so no record of a later block can come before them).
  let found = { q: null, blocks: 0, complete: false, final: 0 };

  // Searches more blocks, doubling, until the first `want` results are
  // final or every block has been searched; `progress` is called whenever
  // more results are final, so that they are shown while older blocks are
  // searched. False if a newer query began.
  async function searchUpTo(q, want, my, progress) {
    const f = found.q === q ? found : (found = { q, blocks: 0, complete: false, final: 0 });
    const query = () => write([encoder.encode(q)]);
    for (;;) {
      if (f.blocks > 0) {
        const n = wasm.search(query(), f.blocks);
        const out = new DataView(output().buffer);
        hits = [];
        // Best first; records are numbered newest first, which breaks ties.
        for (let i = 0; i < n; i++) hits.push({ doc: out.getUint32(i * 8, true), score: out.getUint32(i * 8 + 4, true) });
        f.complete = f.blocks >= blocks();
        const best = wasm.best(query(), f.blocks);
        let final = 0;
        while (final < hits.length && (f.complete || hits[final].score >= best)) final++;
        if (f.complete || final >= want) {
          f.final = final;
          return true;
        }
        if (progress && final > f.final) {
          f.final = final;
          progress();
        }
      }
      const to = Math.min(blocks(), Math.max(1, f.blocks * 2));
      await loadBlocks(q, f.blocks, to);
      if (my !== seq) return false;
      f.blocks = to;
    }
  }

  // Every result, counted and ready to filter.
  async function searchAll(q, my) {
    const [done] = await Promise.all([searchUpTo(q, Infinity, my), loadTable()]);
    return done && my === seq;
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
  // every facet's counts take one pass. Without the table (a large site's
  // results not all counted yet) no filter is set and none fails.
  function prepare() {
    if (!table) {
      for (const h of hits) h.fails = 0;
      return;
    }
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

  // What a result line shows, from its metadata chunk.
  async function meta(doc) {
    const n = Math.floor(doc / manifest.chunk);
    if (!chunks.has(n)) chunks.set(n, fetch(base + "meta/" + n + ".json").then((r) => r.json()));
    const [u, t, num, type, day, agency, penalty] = (await chunks.get(n))[doc % manifest.chunk];
    return { u, t, n: num, type: manifest.types[type], day, agency, penalty };
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

  function resultItem(m) {
    const type = m.type;
    const li = el("li");
    const a = el("a");
    a.href = prefix + m.u;
    if (type === "decision") a.append(L["penalty." + m.penalty] + ": ");
    const title = el("span");
    appendMarked(title, m.t, findMatches(m.t));
    // Titles and texts are Vietnamese whatever the interface language.
    if (lang !== "vi") title.lang = "vi";
    a.append(title);
    const bits = [L["type." + type]];
    if (m.n) bits.push(m.n);
    if (m.day !== null) bits.push(formatDate(m.day));
    if (m.agency !== null && type !== "agency") bits.push(m.agency);
    li.append(a, el("div", "result-meta", bits.join(" · ")));
    return li;
  }

  // Adds the passage under each result line as its text arrives; the list
  // is marked busy until all have.
  function addSnippets(items, my) {
    root.setAttribute("aria-busy", "true");
    const added = items.map(({ h, li }) =>
      text(h.doc).then((x) => {
        if (my !== drawn || !x) return;
        const p = snippet(x);
        if (lang !== "vi") p.lang = "vi";
        li.append(p);
      }),
    );
    Promise.allSettled(added).then(() => {
      if (my === drawn) root.setAttribute("aria-busy", "false");
    });
  }

  // Draws the result lines in rank order as their chunks arrive (the first
  // lines do not wait for the last chunk), then the facets: counting
  // thousands of hits and drawing the options takes longer than a request.
  async function show(searching = false) {
    const my = ++drawn;
    prepare();
    const visible = hits.filter((h) => h.fails === 0);
    const partial = !found.complete;
    const page = visible.slice(0, partial ? Math.min(shown, found.final) : shown);
    const lines = page.map((h) => meta(h.doc));
    const list = el("ol");
    const items = [];
    for (let i = 0; i < page.length; i++) {
      const m = await lines[i];
      if (my !== drawn) return;
      const item = { h: page[i], li: resultItem(m) };
      items.push(item);
      list.append(item.li);
      if (i === 0) {
        root.replaceChildren(list);
        // Milliseconds from navigation to the first results, for the benchmark.
        if (!root.dataset.firstResultsMs) root.dataset.firstResultsMs = String(Math.round(performance.now()));
      }
    }
    if (!items.length) root.replaceChildren();
    if (searching) {
      // The first results, final, while older blocks are searched.
      status.textContent = L.searching;
      facetsEl.replaceChildren();
      addSnippets(items, my);
      return;
    }
    if (visible.length > shown || (partial && found.final >= shown)) {
      const n = partial ? PAGE : Math.min(PAGE, visible.length - shown);
      const more = el("button", "more", L.more.replace("{n}", n));
      more.type = "button";
      more.addEventListener("click", async () => {
        const first = shown;
        shown += PAGE;
        if (partial && !(await searchUpTo(found.q, shown, seq, () => show(true)))) return;
        await show();
        // Continue where the reader was: on the first new result.
        root.querySelectorAll("li a")[first]?.focus();
      });
      root.append(more);
    }
    if (partial) {
      status.textContent = hits.length ? L.at_least.replace("{n}", hits.length) : L.no_results;
      facetsButton(L.count_all);
    } else {
      status.textContent = visible.length ? visible.length + " " + L.found : L.no_results;
      if (table) renderFacets();
      else if (hits.length) facetsButton(L.filter);
      else facetsEl.replaceChildren();
    }
    performance.mark("search:facets");
    addSnippets(items, my);
  }

  // On a large site, results are searched only as far as the first page
  // needs, and the table the facets count with is not loaded: the reader
  // may ask for all results, counted, with the facets.
  function facetsButton(label) {
    const all = el("button", "count-all", label);
    all.type = "button";
    all.addEventListener("click", async () => {
      all.disabled = true;
      status.textContent = L.loading;
      const my = ++seq;
      if (!(await searchAll(found.q, my))) return;
      await show();
      status.focus();
    });
    facetsEl.replaceChildren(all);
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
    words = queryWords(q);
    shown = PAGE;
    // A filter needs every result, and so does a site of one block.
    const all = blocks() === 1 || FACETS.some((f) => filters[f]);
    if (!(await (all ? searchAll(q, my) : searchUpTo(q, PAGE, my, () => show(true))))) return;
    performance.mark("search:searched");
    await show();
    // After a search the reader is told how it went: the summary has focus.
    if (focus && my === seq) status.focus();
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
