// The committed search engine (themes/default/static/search/*.wasm) must read
// the index that the current builder writes: instantiate it in Node, load the
// built site's shards and query them through the same interface the page uses.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";

const SITE = process.env.SITE;
// The same portal built with shards of a few records a block, as a large
// site's are (scripts/test.sh builds it with CONGKHAI_SEARCH_BLOCK).
const BLOCKED_SITE = process.env.BLOCKED_SITE;
const WASM = new URL("../../themes/default/static/search/congkhai-search.wasm", import.meta.url);
const enc = new TextEncoder();
const dec = new TextDecoder();

async function engine(site = SITE) {
  const { instance } = await WebAssembly.instantiate(fs.readFileSync(WASM), {});
  const w = instance.exports;
  const dir = path.join(site, "search");
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
  const docs = JSON.parse(fs.readFileSync(path.join(dir, "docs.json"), "utf8"));
  w.configure(manifest.depth, manifest.blocks);
  const write = (parts) => {
    const total = parts.reduce((n, p) => n + p.length, 0);
    const ptr = w.input(total);
    const view = new Uint8Array(w.memory.buffer, ptr, total);
    let at = 0;
    for (const p of parts) { view.set(p, at); at += p.length; }
    return total;
  };
  const out = () => new Uint8Array(w.memory.buffer, w.output_ptr(), w.output_len()).slice();
  const file = (key, b) => (key === "" ? "index" : "index-" + Buffer.from(key).toString("hex")) + (b ? `.${b}` : "") + ".bin";
  // Loads blocks [from, to) of the query's shards, and their summaries.
  function load(q, from, to) {
    const n = w.summaries(write([enc.encode(q)]));
    for (const key of n ? dec.decode(out()).split("\n").slice(0, n) : []) {
      if (!manifest.shards.includes(file(key, 0))) continue;
      const data = fs.readFileSync(path.join(dir, file(key, "s")));
      const k = enc.encode(key);
      assert.equal(w.load_summary(k.length, write([k, data]) - k.length), 1, `summary of ${key} loads`);
    }
    for (let b = from; b < to; b++) {
      const n = w.plan(write([enc.encode(q)]), b);
      for (const key of n ? dec.decode(out()).split("\n").slice(0, n) : []) {
        if (!manifest.shards.includes(file(key, 0))) continue;
        const data = fs.readFileSync(path.join(dir, file(key, b)));
        const k = enc.encode(key);
        assert.equal(w.load(k.length, b, write([k, data]) - k.length), 1, `shard ${key} block ${b} loads`);
      }
    }
  }
  // The results over the first `blocks` blocks (all by default).
  function search(q, blocks = manifest.blocks) {
    load(q, 0, blocks);
    const count = w.search(write([enc.encode(q)]), blocks);
    const view = new DataView(out().buffer);
    return Array.from({ length: count }, (_, i) => ({ doc: view.getUint32(i * 8, true), score: view.getUint32(i * 8 + 4, true) }));
  }
  const best = (q, from) => w.best(write([enc.encode(q)]), from);
  const meta = (doc) => {
    const [u, t, n] = JSON.parse(fs.readFileSync(path.join(dir, "meta", `${Math.floor(doc / manifest.chunk)}.json`), "utf8"))[doc % manifest.chunk];
    const x = JSON.parse(fs.readFileSync(path.join(dir, "x", `${Math.floor(doc / manifest.text_chunk)}.json`), "utf8"))[doc % manifest.text_chunk];
    return { u, t, n, x };
  };
  return { w, search, best, meta, docs, manifest };
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
  w.configure(0, 1);
  const junk = enc.encode("not an index at all");
  const view = new Uint8Array(w.memory.buffer, w.input(junk.length), junk.length);
  view.set(junk);
  assert.equal(w.load(0, 0, junk.length), 0);
});

test("a site searched block by block finds what one block finds, and its final results do not change", { skip: !BLOCKED_SITE && "BLOCKED_SITE not set" }, async () => {
  const one = await engine();
  const blocked = await engine(BLOCKED_SITE);
  assert.equal(one.manifest.blocks, 1);
  assert.ok(blocked.manifest.blocks > 3, `${blocked.manifest.blocks} blocks`);
  assert.equal(blocked.manifest.docs, one.manifest.docs);
  const queries = ["ky luat ", "Đảng ủy", "thu hoi dat", "118/QĐ-UBND", "so y te", "thanh tra"];
  let early = 0;
  for (const q of queries) {
    const all = one.search(q);
    assert.ok(all.length > 0, q);
    assert.deepEqual(blocked.search(q), all, `${q}: every block`);
    for (let b = 1; b <= blocked.manifest.blocks; b++) {
      const found = blocked.search(q, b);
      const best = blocked.best(q, b);
      let final = 0;
      while (final < found.length && found[final].score >= best) final++;
      assert.deepEqual(found.slice(0, final), all.slice(0, final), `${q}: ${b} blocks`);
      if (b === 1 && final > 0) early++;
    }
  }
  assert.ok(early > 0, "some query has final results in the first block");
});
