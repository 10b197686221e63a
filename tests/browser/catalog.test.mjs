// The DCAT catalogue of the built site is valid JSON-LD (expanded by the
// jsonld reference implementation, with no document loader: nothing may be
// fetched), describes every dataset with its licence and modification date,
// and every download address it gives is a file of the output.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import jsonld from "jsonld";

const SITE = process.env.SITE;
const DCAT = "http://www.w3.org/ns/dcat#";
const DCT = "http://purl.org/dc/terms/";

const noFetch = async (url) => {
  throw new Error(`the catalogue must not need ${url}`);
};

test("the catalogue expands as JSON-LD and every download is in the output", async () => {
  const doc = JSON.parse(fs.readFileSync(path.join(SITE, "data/catalog.jsonld"), "utf8"));
  const expanded = await jsonld.expand(doc, { documentLoader: noFetch, safe: true });
  const catalog = expanded.find((n) => (n["@type"] || []).includes(`${DCAT}Catalog`));
  assert.ok(catalog, "a dcat:Catalog node");
  const datasets = catalog[`${DCAT}dataset`];
  const names = datasets.map((d) => d[`${DCT}identifier`][0]["@value"]).sort();
  const files = fs.readdirSync(path.join(SITE, "data")).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5));
  for (const f of files) assert.ok(names.includes(f), `dataset ${f} is catalogued`);
  assert.ok(names.includes("changes"), "the change log is catalogued");
  const base = new URL(catalog["@id"]).origin;
  for (const d of datasets) {
    assert.ok(d[`${DCT}license`][0]["@id"].startsWith("https://"), "a licence address");
    assert.match(d[`${DCT}modified`][0]["@value"], /^\d{4}-\d{2}-\d{2}$/);
    for (const dist of d[`${DCAT}distribution`]) {
      const url = new URL(dist[`${DCAT}downloadURL`][0]["@id"]);
      assert.equal(url.origin, base);
      const file = path.join(SITE, decodeURIComponent(url.pathname));
      assert.ok(fs.statSync(file).isFile(), `${url.pathname} is in the output`);
      const size = Number(dist[`${DCAT}byteSize`][0]["@value"]);
      assert.equal(size, fs.statSync(file).size, `${url.pathname}: byte size`);
    }
  }
});
