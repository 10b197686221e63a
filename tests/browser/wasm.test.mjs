// The committed search engine (themes/default/static/search/*.wasm) must read
// the index that the current builder writes: instantiate it in Node, load the
// built site's shards and query them through the same interface the page uses.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";

const SITE = process.env.SITE;
const WASM = new URL("../../themes/default/static/search/congkhai-search.wasm", import.meta.url);
const enc = new TextEncoder();
const dec = new TextDecoder();

async function engine() {
  const { instance } = await WebAssembly.instantiate(fs.readFileSync(WASM), {});
  const w = instance.exports;
  const dir = path.join(SITE, "search");
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
  const docs = JSON.parse(fs.readFileSync(path.join(dir, "docs.json"), "utf8"));
  w.configure(manifest.depth);
  const write = (parts) => {
    const total = parts.reduce((n, p) => n + p.length, 0);
    const ptr = w.input(total);
    const view = new Uint8Array(w.memory.buffer, ptr, total);
    let at = 0;
    for (const p of parts) { view.set(p, at); at += p.length; }
    return total;
  };
  const out = () => new Uint8Array(w.memory.buffer, w.output_ptr(), w.output_len()).slice();
  const file = (key) => (key === "" ? "index.bin" : "index-" + Buffer.from(key).toString("hex") + ".bin");
  function search(q) {
    const n = w.plan(write([enc.encode(q)]));
    for (const key of n ? dec.decode(out()).split("\n").slice(0, n) : []) {
      if (!manifest.shards.includes(file(key))) continue;
      const data = fs.readFileSync(path.join(dir, file(key)));
      const k = enc.encode(key);
      assert.equal(w.load(k.length, write([k, data]) - k.length), 1, `shard ${key} loads`);
    }
    const count = w.search(write([enc.encode(q)]));
    const view = new DataView(out().buffer);
    return Array.from({ length: count }, (_, i) => ({ doc: view.getUint32(i * 8, true), score: view.getUint32(i * 8 + 4, true) }));
  }
  const meta = (doc) => {
    const [u, t, n] = JSON.parse(fs.readFileSync(path.join(dir, "meta", `${Math.floor(doc / manifest.chunk)}.json`), "utf8"))[doc % manifest.chunk];
    const x = JSON.parse(fs.readFileSync(path.join(dir, "x", `${Math.floor(doc / manifest.text_chunk)}.json`), "utf8"))[doc % manifest.text_chunk];
    return { u, t, n, x };
  };
  return { w, search, meta, docs, manifest };
}

test("the committed engine reads the index the builder writes", async () => {
  const e = await engine();
  const hits = e.search("118/QĐ-UBND");
  assert.ok(hits.length > 0);
  assert.equal(e.meta(hits[0].doc).u, "/ky-luat/qd-2024-ubnd-118/");
  assert.ok(hits[0].score >= 1000000, "an exact number match ranks first");
  const land = e.search("thu hoi dat").map((h) => e.meta(h.doc).u);
  assert.ok(land.includes("/ket-luan/kl-2025-015/"));
  assert.equal(e.docs.type.length, e.manifest.docs);
});

test("records are numbered newest first, so equal scores come out newest first", async () => {
  const e = await engine();
  const days = [];
  for (let i = 0, day = 0; i < e.docs.dated; i++) days.push((day = i === 0 ? e.docs.date[0] : day - e.docs.date[i]));
  assert.ok(days.length > 0 && days.every((d, i) => i === 0 || d <= days[i - 1]));
  const hits = e.search("ky luat ");
  for (let i = 1; i < hits.length; i++) {
    if (hits[i].score === hits[i - 1].score) assert.ok(hits[i].doc > hits[i - 1].doc);
  }
});

test("a query with diacritics ranks that spelling first; without, all spellings alike", async () => {
  const e = await engine();
  const text = (doc) => { const m = e.meta(doc); return `${m.n} ${m.t} ${m.x}`.normalize("NFC"); };
  // Every hit of "Đặng" that spells it so comes before every one that does not.
  const hits = e.search("Đặng");
  const spelled = hits.map((h) => /Đặng/i.test(text(h.doc)));
  assert.ok(spelled.includes(true) && spelled.includes(false), "the sample has both spellings");
  assert.equal(spelled.indexOf(false), spelled.lastIndexOf(true) + 1, spelled.join(","));
  // Without diacritics the same records are found, ranked by title alone.
  assert.deepEqual(new Set(e.search("dang").map((h) => h.doc)), new Set(hits.map((h) => h.doc)));
  const party = e.search("Đảng").map((h) => /Đảng/i.test(text(h.doc)));
  assert.equal(party.indexOf(false), party.lastIndexOf(true) + 1, party.join(","));
});

test("memory does not grow from one query to the next", async () => {
  const e = await engine();
  e.search("ky luat");
  const size = e.w.memory.buffer.byteLength;
  for (let i = 0; i < 200; i++) e.search(i % 2 ? "ky luat dang vien" : "thu hoi tien");
  assert.equal(e.w.memory.buffer.byteLength, size);
});

test("the engine refuses bytes that are not an index", async () => {
  const { instance } = await WebAssembly.instantiate(fs.readFileSync(WASM), {});
  const w = instance.exports;
  w.configure(0);
  const junk = enc.encode("not an index at all");
  const view = new Uint8Array(w.memory.buffer, w.input(junk.length), junk.length);
  view.set(junk);
  assert.equal(w.load(0, junk.length), 0);
});
