// Search in a real browser: the sample portal served on 127.0.0.1, queried
// as readers type, with and without diacritics, by number and by name.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { serve } from "./server.mjs";
import { launch } from "./browser.mjs";

const SITE = process.env.SITE;
// The same portal built with search blocks of a few records, as a large
// site's (scripts/test.sh builds it with CONGKHAI_SEARCH_BLOCK).
const BLOCKED_SITE = process.env.BLOCKED_SITE;
let server, url, browser, blocked;
const timings = [];

before(async () => {
  assert.ok(SITE && fs.existsSync(path.join(SITE, "tim-kiem/index.html")), `SITE must point to a built site, got ${SITE}`);
  ({ server, url } = await serve(SITE));
  if (BLOCKED_SITE) blocked = await serve(BLOCKED_SITE);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  blocked?.server.close();
  if (timings.length) {
    const sorted = [...timings].sort((a, b) => a - b);
    const report = { samples: sorted.length, median_ms: sorted[Math.floor(sorted.length / 2)], max_ms: sorted[sorted.length - 1] };
    console.log("time from page load to first results:", JSON.stringify(report));
    if (process.env.TIMINGS) fs.writeFileSync(process.env.TIMINGS, JSON.stringify(report));
  }
});

/** Opens the search page with ?q= and returns the result links (text, href). */
async function search(q, params = "", site = url) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto(`${site}/tim-kiem/?q=${encodeURIComponent(q)}${params}`);
  await settled(page);
  const ms = await page.evaluate(() => document.querySelector("[data-search-results]").dataset.firstResultsMs);
  if (ms) timings.push(Number(ms));
  const links = await page.$$eval("[data-search-results] li a", (as) => as.map((a) => ({ text: a.textContent, href: a.getAttribute("href") })));
  assert.deepEqual(errors, []);
  return { page, links };
}

/** Waits until the search has answered and every passage is shown. */
async function settled(page) {
  await page.waitForFunction(() => {
    const s = document.getElementById("search-status").textContent;
    return s && !s.includes("…") && document.querySelector("[data-search-results]").getAttribute("aria-busy") !== "true";
  });
}

const hrefsOf = (page) => page.$$eval("[data-search-results] li a", (as) => as.map((a) => a.getAttribute("href")));
const statusOf = (page) => page.$eval("#search-status", (e) => e.textContent);

async function top(q, n = 3, params = "") {
  const { page, links } = await search(q, params);
  await page.close();
  return links.slice(0, n).map((l) => l.href);
}

test("without diacritics: 'ky luat' finds disciplinary decisions", async () => {
  const hrefs = await top("ky luat", 5);
  assert.equal(hrefs.length, 5);
  assert.ok(hrefs.every((h) => h.startsWith("/ky-luat/")), hrefs.join(", "));
});

test("with diacritics and in capitals: 'KỶ LUẬT' finds the same", async () => {
  assert.deepEqual(await top("KỶ LUẬT", 5), await top("ky luat", 5));
});

test("'dang uy' finds the party committees' records", async () => {
  const hrefs = await top("dang uy", 10);
  assert.ok(hrefs.some((h) => h.includes("duhs") || h.includes("dubn") || h.includes("dang-uy")), hrefs.join(", "));
});

test("'thu hoi dat' finds conclusions that recover land", async () => {
  const hrefs = await top("thu hoi dat", 5);
  assert.ok(hrefs.includes("/ket-luan/kl-2025-015/"), hrefs.join(", "));
});

test("an agency's former name finds the agency", async () => {
  const agencies = JSON.parse(fs.readFileSync(path.join(SITE, "data/agencies.json"), "utf8")).rows;
  const renamed = agencies.find((a) => a.formerly);
  assert.ok(renamed, "the sample has an agency with a former name");
  const former = renamed.formerly.split("; ")[0];
  const hrefs = await top(former, 3);
  assert.ok(hrefs.includes(`/co-quan/${renamed.id}/`), `${former}: ${hrefs.join(", ")}`);
});

test("a document number finds its record first", async () => {
  assert.equal((await top("118/QĐ-UBND", 1))[0], "/ky-luat/qd-2024-ubnd-118/");
  assert.equal((await top("21/KL-TTr", 1))[0], "/ket-luan/kl-2025-021/");
  assert.equal((await top("12-QĐ/UBKTTU", 1))[0], "/ky-luat/qd-2024-ubkt-012/");
});

test("a person's name without accents", async () => {
  const hrefs = await top("tran van b", 3);
  assert.equal(hrefs[0], "/ky-luat/qd-2024-ubkt-019/", hrefs.join(", "));
  assert.equal((await top("mai van r", 1))[0], "/ky-luat/qd-2025-dubn-015/");
});

const fold = (s) => s.normalize("NFD").replace(/\p{M}/gu, "").replace(/[đĐ]/g, "d").toLowerCase();

/** Result titles and snippets of a search, as the reader sees them. */
async function results(q) {
  const { page } = await search(q);
  await page.waitForSelector("[data-search-results][aria-busy=false]");
  const items = await page.$$eval("[data-search-results] li", (lis) =>
    lis.map((li) => ({
      title: li.querySelector("a").textContent,
      snippet: li.querySelector(".snippet")?.textContent || "",
      marks: [...li.querySelectorAll("mark")].map((m) => m.textContent),
    })),
  );
  return { page, items };
}

test("a query with diacritics puts records spelled so first: Đặng before Đảng, and back", async () => {
  const spelled = (items, word) => items.map((r) => (r.title + " " + r.snippet).normalize("NFC").toLowerCase().includes(word));
  for (const [q, word, other] of [["Đặng", "đặng", "đảng"], ["Đảng", "đảng", "đặng"]]) {
    const { page } = await search(q);
    // Every result, not only the first page.
    while (await page.$("[data-search-results] button.more")) {
      const n = await page.$$eval("[data-search-results] li", (l) => l.length);
      await page.click("[data-search-results] button.more");
      await page.waitForFunction((n) => document.querySelectorAll("[data-search-results] li").length > n, n);
    }
    await page.waitForSelector("[data-search-results][aria-busy=false]");
    const items = await page.$$eval("[data-search-results] li", (lis) =>
      lis.map((li) => ({ title: li.querySelector("a").textContent, snippet: li.querySelector(".snippet")?.textContent || "" })),
    );
    await page.close();
    const s = spelled(items, word);
    assert.ok(s[0], `${q}: the first result spells it so: ${items[0].title}`);
    // Once a result lacks the spelling, no later one has it.
    const firstOther = s.indexOf(false);
    assert.ok(firstOther > 0 && s.lastIndexOf(true) < firstOther, `${q}: ${s.join(",")}`);
    assert.ok(spelled(items.slice(firstOther), other).includes(true), `${q}: the other spelling is found too, further down`);
  }
  // Without diacritics: the same records.
  const plain = await search("dang");
  const accented = await search("Đặng");
  const count = async (p) => p.page.evaluate(() => document.getElementById("search-status").textContent);
  assert.equal(await count(plain), await count(accented));
  await plain.page.close();
  await accented.page.close();
});

test("a match in the title ranks above a match in the text only", async () => {
  const words = ["dat", "dai"];
  const { page, items } = await results("dat dai ");
  await page.close();
  const inTitle = items.map((r) => words.filter((w) => new RegExp(`(^|[^\\p{L}])${w}([^\\p{L}]|$)`, "u").test(fold(r.title))).length);
  assert.ok(inTitle.includes(2) && inTitle.includes(0), inTitle.join(","));
  for (let i = 1; i < inTitle.length; i++) assert.ok(inTitle[i] <= inTitle[i - 1], inTitle.join(","));
});

test("results show a passage around the match with the words marked", async () => {
  const { page, items } = await results("thu hoi dat ");
  await page.close();
  assert.ok(items.length > 0);
  for (const r of items) {
    assert.ok(r.marks.length > 0, `marks in ${r.title}`);
    for (const m of r.marks) assert.ok(["thu", "hoi", "dat"].includes(fold(m)), m);
  }
  // The passage is cut around the first match, not always the text's start.
  assert.ok(items.some((r) => r.snippet.startsWith("… ") && r.marks.length), "some passage starts mid-text");
});

test("after a search the summary has the focus; 'more' continues on the first new result", async () => {
  const { page } = await search("ky luat");
  assert.equal(await page.evaluate(() => document.activeElement.id), "search-status");
  const more = page.locator("[data-search-results] button.more");
  assert.match(await more.textContent(), /^Xem thêm \d+ kết quả$/);
  const before = await page.$$eval("[data-search-results] li", (l) => l.length);
  await more.click();
  await page.waitForFunction((n) => document.querySelectorAll("[data-search-results] li").length > n, before);
  const focused = await page.evaluate(() => [...document.querySelectorAll("[data-search-results] li a")].indexOf(document.activeElement));
  assert.equal(focused, before);
  await page.close();
});

test("filters combine, and one button clears them", async () => {
  const { page, links } = await search("ky luat", "&type=decision&year=2025");
  assert.ok(links.length > 0 && links.every((l) => l.href.startsWith("/ky-luat/qd-2025")));
  await page.click(".clear-filters");
  await page.waitForFunction(() => [...document.querySelectorAll("[data-search-results] li a")].some((a) => !a.getAttribute("href").startsWith("/ky-luat/qd-2025")));
  assert.doesNotMatch(page.url(), /type=|year=/);
  const all = await page.$$eval("[data-search-results] li a", (as) => as.map((a) => a.getAttribute("href")));
  assert.ok(all.some((h) => !h.startsWith("/ky-luat/qd-2025")), all.join(", "));
  await page.close();
});

test("the last word is a prefix while it is typed", async () => {
  const hrefs = await top("cach chu", 5);
  assert.ok(hrefs.length > 0 && hrefs.every((h) => h.startsWith("/ky-luat/")), hrefs.join(", "));
  // A finished short word does not match longer ones: 'thu ' is not 'thuế'.
  const { page, links } = await search("thu ");
  await page.close();
  assert.ok(links.length > 0);
});

test("facets narrow the results and are kept in the address", async () => {
  const { page, links } = await search("dat dai");
  const before = links.length;
  await page.selectOption("#facet-type", "decision");
  await page.waitForFunction(() => [...document.querySelectorAll("[data-search-results] li a")].every((a) => a.getAttribute("href").startsWith("/ky-luat/")));
  const after = await page.$$eval("[data-search-results] li a", (as) => as.length);
  assert.ok(after > 0 && after < before, `${after} of ${before}`);
  assert.match(page.url(), /type=decision/);
  await page.close();
  const hrefs = await top("dat dai", 50, "&type=decision&year=2025");
  assert.ok(hrefs.length > 0 && hrefs.every((h) => h.startsWith("/ky-luat/qd-2025")), hrefs.join(", "));
});

test("the source facet keeps the conclusions of one source", async () => {
  const conclusions = JSON.parse(fs.readFileSync(path.join(SITE, "data/conclusions.json"), "utf8")).rows;
  const party = new Set(conclusions.filter((c) => c.source === "party_inspection").map((c) => `/ket-luan/${c.id}/`));
  assert.ok(party.size > 0, "the sample has a party inspection conclusion");
  const { page } = await search("dang uy");
  await page.selectOption("#facet-source", "party_inspection");
  await page.waitForFunction(() => [...document.querySelectorAll("[data-search-results] li a")].every((a) => a.getAttribute("href").startsWith("/ket-luan/")));
  const hrefs = await page.$$eval("[data-search-results] li a", (as) => as.map((a) => a.getAttribute("href")));
  assert.ok(hrefs.length > 0 && hrefs.every((h) => party.has(h)), hrefs.join(", "));
  assert.match(page.url(), /source=party_inspection/);
  await page.close();
});

test("typing runs the search and updates the address", async () => {
  const page = await browser.newPage();
  await page.goto(`${url}/tim-kiem/`);
  await page.fill("#q", "bao hiem xa hoi");
  await page.waitForSelector("[data-search-results] li a");
  assert.match(page.url(), /\?q=bao\+hiem\+xa\+hoi/);
  const first = await page.$eval("[data-search-results] li a", (a) => a.getAttribute("href"));
  assert.ok(first.startsWith("/ket-luan/"), first);
  // Facets and results are reachable from the keyboard.
  await page.focus("#q");
  const reached = [];
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press("Tab");
    reached.push(await page.evaluate(() => document.activeElement.closest("[data-search-results]") ? "result" : document.activeElement.tagName));
  }
  assert.ok(reached.includes("SELECT") && reached.includes("result"), reached.join(" "));
  await page.close();
});

test("the search box in every page's header leads to the search page", async () => {
  const page = await browser.newPage();
  await page.goto(`${url}/ket-luan/`);
  await page.fill("#q-top", "Đảng ủy");
  await page.press("#q-top", "Enter");
  await page.waitForSelector("[data-search-results] li a");
  assert.match(page.url(), /\/tim-kiem\/\?q=/);
  await page.close();
});

test("the English interface links results to English pages", async () => {
  const page = await browser.newPage();
  await page.goto(`${url}/en/tim-kiem/?q=ky+luat`);
  await page.waitForSelector("[data-search-results] li a");
  const href = await page.$eval("[data-search-results] li a", (a) => a.getAttribute("href"));
  assert.ok(href.startsWith("/en/ky-luat/"), href);
  await page.close();
});

test("without JavaScript the page explains itself and links to the lists", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${url}/tim-kiem/?q=ky+luat`);
  const text = await page.textContent("main");
  assert.match(text, /Tìm kiếm cần JavaScript/);
  const links = await page.$$eval("main noscript, main a", (as) => as.length);
  assert.ok(links > 0);
  const html = await page.content();
  assert.match(html, /href="\/ky-luat\/"/);
  await context.close();
});

test("block by block: the same first page, then every result counted and filtered on request", { skip: !BLOCKED_SITE && "BLOCKED_SITE not set" }, async () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(BLOCKED_SITE, "search/manifest.json"), "utf8"));
  assert.ok(manifest.blocks > 3, `${manifest.blocks} blocks`);
  let partial = 0;
  for (const q of ["ky luat", "thanh tra", "dang uy", "118/QĐ-UBND"]) {
    const one = await search(q);
    const whole = { hrefs: await hrefsOf(one.page), status: await statusOf(one.page) };
    await one.page.close();
    const { page } = await search(q, "", blocked.url);
    assert.deepEqual(await hrefsOf(page), whole.hrefs, `${q}: the first page`);
    const button = page.locator("#search-facets button.count-all");
    if ((await statusOf(page)) !== whole.status) {
      // Not all blocks searched: the status says "or more", facets wait.
      partial++;
      const L = JSON.parse(await page.$eval("[data-search-results]", (e) => e.dataset.labels));
      assert.equal(await statusOf(page), L.at_least.replace("{n}", /\d+/.exec(await statusOf(page))[0]));
      assert.equal(await button.textContent(), L.count_all);
    }
    assert.equal(await page.locator("#search-facets select").count(), 0, `${q}: no facets before the table`);
    await button.click();
    await page.waitForSelector("#facet-type");
    await settled(page);
    assert.equal(await statusOf(page), whole.status, `${q}: every result counted`);
    assert.deepEqual(await hrefsOf(page), whole.hrefs, q);
    if ((await page.$$eval("#facet-type option", (os) => os.map((o) => o.value))).includes("decision")) {
      await page.selectOption("#facet-type", "decision");
      await page.waitForFunction(() => [...document.querySelectorAll("[data-search-results] li a")].every((a) => a.getAttribute("href").startsWith("/ky-luat/")));
    }
    await page.close();
  }
  assert.ok(partial > 0, "some query answered from the first blocks alone");
  // A filter in the address searches every block from the start.
  const one = await top("ky luat", 50, "&type=decision&year=2025");
  const { page } = await search("ky luat", "&type=decision&year=2025", blocked.url);
  assert.deepEqual(await hrefsOf(page), one);
  await page.close();
});

test("block by block: results already final are shown while older blocks load", { skip: !BLOCKED_SITE && "BLOCKED_SITE not set" }, async () => {
  const q = "118/QĐ-UBND";
  const whole = await top(q, 20);
  assert.ok(whole.length > 0);
  const page = await browser.newPage();
  // Every block but the first waits until the first results are checked.
  let release;
  const held = new Promise((r) => (release = r));
  await page.route(/\/search\/index-[0-9a-f]+\.[1-9][0-9]*\.bin$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`${blocked.url}/tim-kiem/?q=${encodeURIComponent(q)}`);
  const L = JSON.parse(await page.$eval("[data-search-results]", (e) => e.dataset.labels));
  await page.waitForFunction((s) => document.getElementById("search-status").textContent === s, L.searching);
  await page.waitForSelector("[data-search-results] li a");
  const early = await hrefsOf(page);
  assert.ok(early.length > 0 && early.length <= whole.length);
  assert.deepEqual(early, whole.slice(0, early.length), "what is shown early is final");
  release();
  await settled(page);
  assert.deepEqual(await hrefsOf(page), whole);
  await page.close();
});

test("block by block: the partial results and their button pass axe-core at 360px and 1280px", { skip: !BLOCKED_SITE && "BLOCKED_SITE not set" }, async () => {
  const AXE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  for (const width of [360, 1280]) {
    const context = await browser.newContext({ viewport: { width, height: 800 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${blocked.url}/tim-kiem/?q=${encodeURIComponent("thanh tra")}`);
    await settled(page);
    assert.equal(await page.locator("#search-facets button.count-all").count(), 1, "the partial state, with its button");
    await page.evaluate(AXE);
    const result = await page.evaluate(() => axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
    assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes[0].target.join(" ")}`), [], `${width}px`);
    await context.close();
  }
});
