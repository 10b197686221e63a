// Measures a reader's first search the way the issue tracker states it:
// headless Chromium opens the search page of a built site with ?q=…, with an
// empty cache, and this reports every byte fetched (as sent, and gzipped at
// level 9 as a static host would serve it) by kind, and the time from
// navigation to the first results drawn.
//
//   SITE=public QUERY="dang uy" RUNS=5 node tests/browser/search-speed.mjs
//
// Prints one JSON object (the medians over RUNS) and writes it to $OUT if set;
// with MAX_KB set, fails when the first search fetches more (gzipped).
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { serve } from "./server.mjs";
import { launch } from "./browser.mjs";

const SITE = process.env.SITE;
const QUERY = process.env.QUERY || "dang uy";
const RUNS = Number(process.env.RUNS || 5);
if (!SITE || !fs.existsSync(path.join(SITE, "tim-kiem/index.html"))) {
  console.error(`SITE must point to a built site, got ${SITE}`);
  process.exit(2);
}

function kind(url) {
  const p = new URL(url).pathname;
  if (p.endsWith(".wasm")) return "engine";
  if (p.endsWith("/search/docs.json")) return "docs";
  if (p.endsWith("/search/manifest.json")) return "manifest";
  if (/\/search\/index[-.]/.test(p)) return "shards";
  if (p.includes("/search/meta/")) return "result lines";
  if (p.includes("/search/x/")) return "passages";
  return "page";
}

// The bytes the server sent for an address: read from the site folder, as
// server.mjs serves them. (Asking the browser for each response's body
// missed the largest one, docs.json, without an error.)
function served(u) {
  const site = path.resolve(SITE);
  let file = path.join(site, decodeURIComponent(new URL(u).pathname));
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
  return fs.existsSync(file) ? fs.readFileSync(file) : fs.readFileSync(path.join(site, "404.html"));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const { server, url } = await serve(SITE);
const browser = await launch();
const runs = [];
let sizes = null;
try {
  // One more run than RUNS: the first only counts bytes, the others only
  // time.
  for (let i = 0; i <= RUNS; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const urls = [];
    if (i === 0) page.on("requestfinished", (r) => urls.push(r.url()));
    await page.goto(`${url}/tim-kiem/?q=${encodeURIComponent(QUERY)}`);
    // First results drawn, then the first page complete: on a large site
    // results already final are drawn while older blocks are searched, and
    // the status ends in "…" until the page is complete.
    await page.waitForFunction(() => document.querySelector("[data-search-results]").dataset.firstResultsMs, null, { timeout: 60000 });
    await page.waitForFunction(() => !document.getElementById("search-status").textContent.includes("…"), null, { timeout: 60000 });
    const t = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0];
      const first = Number(document.querySelector("[data-search-results]").dataset.firstResultsMs);
      // The page's own marks: when the engine, the table, the shards, the
      // search and the facets were ready.
      const marks = Object.fromEntries(performance.getEntriesByType("mark").filter((m) => m.name.startsWith("search:")).map((m) => [m.name.slice(7), Math.round(m.startTime)]));
      // The first page complete: drawn with its status and facets.
      const page = marks.facets ?? first;
      return { results_ms: first, after_load_ms: Math.max(0, first - nav.loadEventEnd), page_after_load_ms: Math.max(0, page - nav.loadEventEnd), dom_ready_ms: Math.round(nav.domContentLoadedEventEnd), marks };
    });
    // The bytes of a first search include the passages, which come after.
    if (i === 0) await page.waitForSelector("[data-search-results][aria-busy=false]", { timeout: 60000 });
    if (i === 0) await page.waitForLoadState("networkidle");
    const bytes = {};
    for (const u of urls) {
      const b = served(u);
      const k = kind(u);
      bytes[k] ??= { files: 0, raw: 0, gzip: 0 };
      bytes[k].files += 1;
      bytes[k].raw += b.length;
      bytes[k].gzip += zlib.gzipSync(b, { level: 9 }).length;
    }
    const total = Object.values(bytes).reduce((a, x) => ({ files: a.files + x.files, raw: a.raw + x.raw, gzip: a.gzip + x.gzip }), { files: 0, raw: 0, gzip: 0 });
    if (i === 0) sizes = { bytes, total };
    else runs.push(t);
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
const report = {
  query: QUERY,
  runs: RUNS,
  results_ms: median(runs.map((r) => r.results_ms)),
  dom_ready_ms: median(runs.map((r) => r.dom_ready_ms)),
  marks_ms: Object.fromEntries(Object.keys(runs[0].marks).map((k) => [k, median(runs.map((r) => r.marks[k]))])),
  after_load_ms: median(runs.map((r) => r.after_load_ms)),
  page_after_load_ms: median(runs.map((r) => r.page_after_load_ms)),
  total_kb_gzip: Math.round(sizes.total.gzip / 102.4) / 10,
  total_kb_raw: Math.round(sizes.total.raw / 102.4) / 10,
  files: sizes.total.files,
  by_kind_kb_gzip: Object.fromEntries(Object.entries(sizes.bytes).map(([k, v]) => [k, `${Math.round(v.gzip / 102.4) / 10} (${v.files} files)`])),
};
console.log(JSON.stringify(report, null, 1));
if (process.env.OUT) fs.writeFileSync(process.env.OUT, JSON.stringify(report));
if (process.env.MAX_KB && report.total_kb_gzip > Number(process.env.MAX_KB)) {
  console.error(`the first search fetched ${report.total_kb_gzip} KB, over the budget of ${process.env.MAX_KB} KB`);
  process.exit(1);
}
