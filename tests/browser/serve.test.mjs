// Live reload in a real browser: `congkhai serve` on a new portal; a broken
// edit shows the diagnostics in an overlay, the fix reloads the page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { launch } from "./browser.mjs";

const BIN = process.env.CONGKHAI;
let dir, server, browser, url;

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

before(async () => {
  assert.ok(BIN && fs.existsSync(BIN), `CONGKHAI must point to the binary, got ${BIN}`);
  dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "congkhai-serve-")), "cong");
  execFileSync(BIN, ["new", dir], { stdio: "ignore" });
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  server = spawn(BIN, ["serve", dir, "--port", String(port), "--as-of", "2026-01-01"], { stdio: "ignore" });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(url + "/")).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.kill();
});

test("a broken edit shows an overlay; the fix reloads the page", async () => {
  const page = await browser.newPage();
  await page.goto(url + "/ket-luan/kl-2025-001/");
  const file = path.join(dir, "content/conclusions/kl-2025-001.md");
  const original = fs.readFileSync(file, "utf8");
  fs.writeFileSync(file, original.replace("\nsigned_on: 2025-06-12", "\nsignd_on: 2025-06-12"));
  const overlay = page.locator("#congkhai-overlay");
  await overlay.waitFor({ timeout: 15000 });
  const text = await overlay.textContent();
  assert.match(text, /content\/conclusions\/kl-2025-001\.md:\d+:\d+/);
  assert.match(text, /signd_on/);
  assert.match(text, /signed_on/);
  fs.writeFileSync(file, original.replace("sử dụng đất tại UBND xã Ví Dụ", "đã sửa xong"));
  await page.waitForFunction(() => document.querySelector("h1")?.textContent.includes("đã sửa xong"), null, { timeout: 15000 });
  assert.equal(await page.locator("#congkhai-overlay").count(), 0);
  await page.close();
});

test("a template that fails on a page shows in the overlay with its file and line", async () => {
  const templates = path.join(dir, "templates");
  fs.mkdirSync(templates, { recursive: true });
  const file = path.join(templates, "page.html");
  fs.writeFileSync(
    file,
    '{% extends "base.html" %}\n{% block main %}\n<h1>{{ page.title }}</h1>\n{{ body.khong_co.truong }}\n{% endblock %}\n',
  );
  const page = await browser.newPage();
  // Wait for the rebuild that reads the new template: the page answers 500.
  let status = 0;
  for (let i = 0; i < 200 && status !== 500; i++) {
    status = (await fetch(url + "/trang/gioi-thieu/")).status;
    if (status !== 500) await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(status, 500, "the failing page is an error, not a 404");
  await page.goto(url + "/trang/gioi-thieu/");
  const overlay = page.locator("#congkhai-overlay");
  await overlay.waitFor({ timeout: 15000 });
  const text = await overlay.textContent();
  assert.match(text, /templates\/page\.html:4:\d+/);
  assert.match(text, /khong_co/);
  fs.rmSync(file);
  await page.waitForFunction(() => !document.querySelector("#congkhai-overlay") && document.querySelector("main"), null, { timeout: 15000 });
  await page.close();
});
