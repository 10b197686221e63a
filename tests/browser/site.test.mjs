// Browser tests of the built sample portal: layout at desktop and phone
// widths, no errors or blocked resources. Run by scripts/test.sh with
// SITE=<built site folder>; with SHOTS=<folder>, each page is also saved as
// a full-page screenshot (scripts/screenshots.sh makes the review set).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { serve } from "./server.mjs";
import { launch } from "./browser.mjs";

const SITE = process.env.SITE;
const SHOTS = process.env.SHOTS;
let server, url, browser;

before(async () => {
  assert.ok(SITE && fs.existsSync(path.join(SITE, "index.html")), `SITE must point to a built site, got ${SITE}`);
  ({ server, url } = await serve(SITE));
  browser = await launch();
  if (SHOTS) fs.mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.close();
});

const PAGES = [
  ["home", "/"],
  ["conclusion", "/ket-luan/kl-2025-015/"],
  ["overdue", "/kien-nghi/qua-han/"],
  ["recoveries", "/thu-hoi/"],
  ["agency", "/co-quan/ubnd-xa-an-binh/"],
  ["decision", "/ky-luat/qd-2026-ubnd-091/"],
  ["english-home", "/en/"],
  ["handovers", "/kien-nghi/chuyen-tiep/"],
  ["agency-year", "/co-quan/ubnd-xa-tan-phong/nam/2026/"],
  ["conclusion-with-documents", "/ket-luan/kl-2024-003/"],
  ["changes", "/thay-doi/"],
  ["data", "/du-lieu/"],
];

for (const [width, height] of [[1280, 900], [375, 800], [320, 640]]) {
  for (const [name, p] of PAGES) {
    test(`${name} at ${width}px: no overflow, no errors, no blocked content`, async () => {
      const page = await browser.newPage({ viewport: { width, height } });
      const problems = [];
      page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
      page.on("pageerror", (e) => problems.push(String(e)));
      page.on("requestfailed", (r) => problems.push(`failed ${r.url()}`));
      const res = await page.goto(url + p);
      assert.equal(res.status(), 200);
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scroll <= width + 1, `horizontal overflow: ${scroll}px wide at ${width}px`);
      assert.equal(await page.locator("h1").count(), 1);
      const css = await page.evaluate(() => getComputedStyle(document.querySelector(".site-header")).backgroundColor);
      assert.notEqual(css, "rgba(0, 0, 0, 0)", "the stylesheet is applied despite the CSP");
      if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true });
      assert.deepEqual(problems, []);
      await page.close();
    });
  }
}

test("keyboard users reach the skip link first and it leads to the content", async () => {
  const page = await browser.newPage();
  await page.goto(url + "/");
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => document.activeElement.className);
  assert.equal(focused, "skip");
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("href")), "#main");
  await page.close();
});

test("a printed conclusion hides the navigation", async () => {
  const page = await browser.newPage();
  await page.goto(url + "/ket-luan/kl-2025-015/");
  await page.emulateMedia({ media: "print" });
  const shown = await page.evaluate(() => getComputedStyle(document.querySelector(".site-header")).display);
  assert.equal(shown, "none");
  await page.close();
});

test("the source filter of the conclusion list leads to that source's conclusions only", async () => {
  const data = JSON.parse(fs.readFileSync(path.join(SITE, "data/conclusions.json"), "utf8")).rows;
  const audits = data.filter((c) => c.source === "state_audit").map((c) => c.number).sort();
  assert.ok(audits.length > 0, "the sample has a State Audit notice");
  const page = await browser.newPage();
  await page.goto(url + "/ket-luan/");
  await page.locator("nav.filters summary", { hasText: "Theo nguồn" }).click();
  await page.locator("nav.filters a", { hasText: "Kiến nghị của Kiểm toán nhà nước" }).click();
  await page.waitForURL(/\/ket-luan\/nguon\/state_audit\/$/);
  const numbers = (await page.$$eval("table tbody th .docno", (els) => els.map((e) => e.textContent))).sort();
  assert.deepEqual(numbers, audits);
  await page.close();
});

test("a withdrawn conclusion is marked in the list and on its page", async () => {
  const data = JSON.parse(fs.readFileSync(path.join(SITE, "data/conclusions.json"), "utf8")).rows;
  const withdrawn = data.find((c) => c.status === "withdrawn");
  assert.ok(withdrawn, "the sample has a withdrawn conclusion");
  const page = await browser.newPage();
  await page.goto(url + "/ket-luan/");
  const row = page.locator("table tbody tr", { has: page.locator(".docno", { hasText: withdrawn.number }) });
  assert.equal(await row.locator(".badge-withdrawn").count(), 1);
  await row.locator("a").first().click();
  await page.waitForURL(new RegExp(`/ket-luan/${withdrawn.id}/$`));
  assert.match(await page.title(), /Đã hủy bỏ/);
  assert.equal(await page.locator(".notice-withdrawn").count(), 1);
  await page.close();
});
