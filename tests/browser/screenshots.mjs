// Screenshots of every page type at 360 px and 1280 px (full pages), for a
// reviewer to look at: node screenshots.mjs SITE OUT_DIR.
import fs from "node:fs";
import path from "node:path";
import { serve } from "./server.mjs";
import { launch } from "./browser.mjs";
import { pageTypes } from "./pages.mjs";

const [site, out] = process.argv.slice(2);
fs.mkdirSync(out, { recursive: true });
const { server, url } = await serve(site);
const browser = await launch();
for (const width of [360, 1280]) {
  for (const [name, p] of pageTypes(site)) {
    const page = await browser.newPage({ viewport: { width, height: 800 } });
    await page.goto(url + p);
    if (p.includes("?q=")) await page.waitForSelector("#search-results li", { timeout: 10000 }).catch(() => {});
    const file = path.join(out, `${name.replaceAll(" ", "-")}-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(file);
    await page.close();
  }
}
await browser.close();
server.close();
