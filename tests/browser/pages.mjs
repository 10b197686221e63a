// One page of each type of a built site, for the accessibility tests and
// the screenshots (scripts/screenshots.sh).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";

/** The first page of a folder of the site whose address matches `re`. */
export function first(SITE, dir, re = /./) {
  const names = fs.readdirSync(path.join(SITE, dir)).filter((n) => re.test(n) && fs.existsSync(path.join(SITE, dir, n, "index.html")));
  assert.ok(names.length, `a page under /${dir}/`);
  return `/${dir}/${names.sort()[0]}/`;
}

/** One page of each type of the built site at SITE: [name, address]. */
export const pageTypes = (SITE) => [
  ["home", "/"],
  ["conclusion list", "/ket-luan/"],
  ["conclusion", first(SITE, "ket-luan", /^(kl|gs)-/)],
  ["recommendation list", "/kien-nghi/"],
  ["overdue list", "/kien-nghi/qua-han/"],
  ["handovers", "/kien-nghi/chuyen-tiep/"],
  ["decision list", "/ky-luat/"],
  ["decision", first(SITE, "ky-luat", /^qd-/)],
  ["recoveries", "/thu-hoi/"],
  ["agency list", "/co-quan/"],
  ["agency", first(SITE, "co-quan")],
  ["search", "/tim-kiem/?q=dat"],
  ["open data", "/du-lieu/"],
  ["change log", "/thay-doi/"],
  ["page", first(SITE, "trang")],
  ["not found", "/404.html"],
  ["English home", "/en/"],
  ["English conclusion", "/en" + first(SITE, "ket-luan", /^kl-/)],
];

