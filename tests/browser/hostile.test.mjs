// The hostile fixture built and opened in Chromium: no script from content
// runs, on any page visited or in search results.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { serve } from "./server.mjs";
import { launch } from "./browser.mjs";

const SITE = process.env.HOSTILE_SITE;
let server, url, browser;

before(async () => {
  assert.ok(SITE && fs.existsSync(path.join(SITE, "index.html")), `HOSTILE_SITE must point to the built hostile fixture, got ${SITE}`);
  ({ server, url } = await serve(SITE));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function visit(p, extra = async () => {}) {
  const page = await browser.newPage();
  const fired = [];
  page.on("dialog", async (d) => { fired.push(d.message()); await d.dismiss(); });
  await page.goto(url + p);
  await extra(page);
  await page.waitForTimeout(200);
  const scripts = await page.$$eval("script", (ss) => ss.map((s) => s.getAttribute("src") || "inline:" + s.textContent));
  await page.close();
  return { fired, scripts };
}

for (const p of ["/", "/en/", "/ket-luan/kl-2025-015/", "/ky-luat/qd-2025-118/", "/trang/gioi-thieu/", "/co-quan/ubnd-xa-an-binh/", "/thu-hoi/", "/kien-nghi/", "/du-lieu/"]) {
  test(`no content script runs on ${p}`, async () => {
    const { fired, scripts } = await visit(p);
    assert.deepEqual(fired, []);
    assert.ok(scripts.every((s) => s.startsWith("/")), scripts.join(", "));
  });
}

test("search results show hostile text without running it", async () => {
  const { fired } = await visit("/tim-kiem/?q=script", async (page) => {
    await page.waitForSelector("[data-search-results] li a");
    // The passages under the results, with the matches marked, arrive last.
    await page.waitForSelector("[data-search-results] .snippet mark");
    const elements = await page.$$eval("[data-search-results] *", (es) => es.map((e) => e.tagName + [...e.attributes].map((a) => " " + a.name).join("")));
    assert.ok(elements.every((e) => /^(OL|LI|A href|SPAN|MARK|DIV class|P class|BUTTON class type)$/.test(e)), elements.join(", "));
    const text = await page.$eval("[data-search-results]", (e) => e.textContent);
    assert.match(text, /<script>/, "the text is shown as text");
    const marks = await page.$$eval("[data-search-results] mark", (ms) => ms.map((m) => m.textContent.toLowerCase()));
    assert.ok(marks.length > 0 && marks.every((m) => m === "script"), marks.join(", "));
  });
  assert.deepEqual(fired, []);
});
