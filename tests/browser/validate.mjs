// Validates every HTML file of a built site with html-validate.
import { HtmlValidate, FileSystemConfigLoader } from "html-validate";
import fs from "node:fs";
import path from "node:path";

const site = process.argv[2];
const files = [];
(function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith(".html")) files.push(p);
  }
})(site);
const config = JSON.parse(fs.readFileSync(new URL("./.htmlvalidate.json", import.meta.url)));
const validator = new HtmlValidate(config);
let errors = 0;
for (const f of files) {
  const report = await validator.validateFile(f);
  for (const r of report.results) {
    for (const m of r.messages) {
      errors++;
      console.error(`${f}:${m.line}:${m.column} ${m.ruleId} ${m.message}`);
    }
  }
}
console.log(`html-validate: ${files.length} pages, ${errors} problems`);
process.exit(errors > 0 || files.length === 0 ? 1 : 0);
