// Accessibility and phone layout of every page type, as a reader meets
// them: axe-core (WCAG 2.1 A and AA) at 360 px and 1280 px with no
// violations, no sideways scrolling at 360 px, a header that leaves the
// content in view on a phone, a navigation on one row at 1280 px, and a
// printed page that carries the portal, its address and the as-of date.
// Run by scripts/test.sh with SITE=<built site folder>.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { serve } from "./server.mjs";
import { launch } from "./browser.mjs";
import { pageTypes, first } from "./pages.mjs";

const SITE = process.env.SITE;
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
let server, url, browser;

before(async () => {
  assert.ok(SITE && fs.existsSync(path.join(SITE, "index.html")), `SITE must point to a built site, got ${SITE}`);
  ({ server, url } = await serve(SITE));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function open(width, p) {
  const context = await browser.newContext({ viewport: { width, height: 800 }, bypassCSP: true });
  const page = await context.newPage();
  const res = await page.goto(url + p);
  assert.equal(res.status(), p.startsWith("/404") ? 200 : 200);
  return { page, context };
}

for (const width of [360, 1280]) {
  test(`axe-core finds no WCAG 2.1 A/AA violation at ${width}px`, async () => {
    const found = [];
    for (const [name, p] of pageTypes(SITE)) {
      const { page, context } = await open(width, p);
      if (p.includes("?q=")) await page.waitForSelector("#search-results li, .search-empty", { timeout: 10000 }).catch(() => {});
      await page.evaluate(AXE);
      const result = await page.evaluate(() =>
        axe.run(document, {
          runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
          rules: { "landmark-unique": { enabled: true } },
        }),
      );
      for (const v of result.violations) {
        found.push(`${name} (${p}): ${v.id} [${v.impact}] ×${v.nodes.length}: ${v.nodes[0].target.join(" ")}`);
      }
      await context.close();
    }
    assert.deepEqual(found, []);
  });
}

test("at 360px no page scrolls sideways and the header leaves the content in view", async () => {
  const problems = [];
  for (const [name, p] of pageTypes(SITE)) {
    const { page, context } = await open(360, p);
    const { scroll, header, tables, chartText } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      header: document.querySelector(".site-header").getBoundingClientRect().height,
      tables: [...document.querySelectorAll(".table-scroll")].filter((t) => t.scrollWidth > t.clientWidth + 1).length,
      // The smallest chart text as shown: its size times the chart's scale.
      chartText: Math.min(...[...document.querySelectorAll("svg.chart")].filter((svg) => svg.getBoundingClientRect().width > 0).flatMap((svg) => {
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return [...svg.querySelectorAll("text")].map((t) => Number(t.getAttribute("font-size")) * scale);
      })),
    }));
    if (chartText < 12) problems.push(`${name}: chart text ${chartText.toFixed(1)}px`);
    if (scroll > 360) problems.push(`${name}: ${scroll}px wide`);
    if (tables) problems.push(`${name}: ${tables} table(s) scroll sideways`);
    if (header > 120) problems.push(`${name}: header ${Math.round(header)}px tall`);
    await context.close();
  }
  assert.deepEqual(problems, []);
});

test("at 1280px the navigation fits one row", async () => {
  const { page, context } = await open(1280, "/");
  const rows = await page.evaluate(() => new Set([...document.querySelectorAll(".main-nav li")].filter((li) => li.offsetParent).map((li) => Math.round(li.getBoundingClientRect().top))).size);
  assert.equal(rows, 1);
  await context.close();
});

test("a printed page carries the portal's name, its address and the as-of date", async () => {
  const p = first(SITE, "ket-luan", /^kl-/);
  const { page, context } = await open(1280, p);
  await page.emulateMedia({ media: "print" });
  const text = await page.evaluate(() => document.body.innerText);
  const title = await page.evaluate(() => document.querySelector(".brand").textContent.trim());
  const asOf = await page.evaluate(() => document.querySelector(".as-of time").textContent.trim());
  assert.ok(text.includes(title), "the portal's name is printed");
  assert.ok(text.includes(asOf), "the as-of date is printed");
  const canonical = await page.evaluate(() => document.querySelector('link[rel="canonical"]').href);
  assert.ok(text.includes(canonical), "the page's address is printed");
  // Fixed in print media: Chromium repeats it on every printed page.
  const position = await page.evaluate(() => getComputedStyle(document.querySelector(".print-meta")).position);
  assert.equal(position, "fixed");
  await context.close();
});

test("the English side is English, and Vietnamese content on it says so", async () => {
  const conclusion = first(SITE, "ket-luan", /^kl-/);
  const { page: vi, context: c1 } = await open(1280, conclusion);
  const viBrand = await vi.evaluate(() => document.querySelector(".brand").textContent.trim());
  await c1.close();
  const { page, context } = await open(1280, "/en" + conclusion);
  const r = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    brand: document.querySelector(".brand").textContent.trim(),
    brandLang: document.querySelector(".brand").getAttribute("lang"),
    h1: document.querySelector("h1 [lang='vi']") !== null,
    body: document.querySelector("#h-findings + div[lang='vi']") !== null,
    footer: [...document.querySelectorAll(".footer-links a")].map((a) => [a.textContent.trim(), a.getAttribute("lang")]),
  }));
  assert.equal(r.lang, "en");
  // The sample declares title_en: the English side shows it, unmarked.
  assert.notEqual(r.brand, viBrand);
  assert.equal(r.brandLang, null);
  assert.ok(r.h1, "the conclusion's Vietnamese title is marked lang=vi");
  assert.ok(r.body, "the conclusion's Vietnamese text is marked lang=vi");
  for (const [text, lang] of r.footer) {
    assert.ok(lang === "vi" || !/[ăâđêôơư]/i.test(text), `footer link "${text}" is English or marked Vietnamese`);
  }
  await context.close();
});

test("on a phone each cell of a card names its column, in the page's language", async () => {
  for (const [p, due] of [["/kien-nghi/", "Thời hạn: "], ["/en/kien-nghi/", "Due: "]]) {
    const { page, context } = await open(360, p);
    const labels = await page.evaluate(() =>
      [...document.querySelector(".table-scroll tbody tr").querySelectorAll("td")].map((td) => getComputedStyle(td, "::before").content),
    );
    assert.ok(labels.length > 0 && labels.every((l) => l !== "none" && l.length > 2), `${p}: ${labels}`);
    assert.ok(labels.includes(JSON.stringify(due)), `${p}: ${labels}`);
    await context.close();
  }
  // Every table shown as cards, on every page type, labels every cell.
  for (const [name, p] of pageTypes(SITE)) {
    const { page, context } = await open(360, p);
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll(".table-scroll table")].flatMap((table) => {
        const row = table.querySelector("tbody tr");
        if (!row || getComputedStyle(row).display !== "block") return [];
        return [...row.querySelectorAll("td")]
          .filter((td) => { const c = getComputedStyle(td, "::before").content; return c === "none" || c.length <= 2; })
          .map((td) => `${table.className} td ${[...row.children].indexOf(td) + 1}: ${td.textContent.trim().slice(0, 30)}`);
      }),
    );
    assert.deepEqual(unlabelled, [], `${name} (${p})`);
    await context.close();
  }
});
