// A return visit reuses the last boot: a memory snapshot of the freshly booted interpreter (Pyodide 314's
// `_makeSnapshot` / `makeMemorySnapshot` / `_loadSnapshot`), kept in Cache Storage. Used by runner-worker.js.
//
// Why a snapshot. Measured in headless Chromium on localhost (a 2-core machine shared with other work):
// a boot spends ~0.3 s compiling and instantiating pyodide.asm.wasm, then 1.8-2.9 s in the interpreter's
// own start (Python compiling and running the modules Pyodide imports at boot; 0.65-0.8 s with the
// standard library compiled beforehand, book/stdlib.py). Restoring a snapshot skips that start: the
// wasm is compiled while the snapshot is read and checked, then the memory is copied in (`make bench`:
// a return visit's Run -> first output 0.53 s, against 2.69 s before; a cold one 0.98 s).
// Tried and rejected: keeping it gzip-compressed (4.8 MB instead of 31 MB, but reading and decompressing
// took 230-370 ms against 80-200 ms for the raw bytes). Kept: only the 64 KB pages that are not all zeros
// (see pack): half the bytes to read and hash, for a ~15 ms scan when saving.
//
// What it holds. Pyodide's wasm memory right after loadPyodide(), before this runner sets its streams
// and prelude (those are set again after a restore). Only wasm memory is in it: the file system
// (MEMFS) lives in JS, so the standard library is installed again by Pyodide on every boot, and
// packages loaded later (numpy: its .so files are wasm modules of their own) are not in it.
//
// When it is used. Its key is a SHA-256 of the bytes this boot really uses: pyodide-lock.json and
// python_stdlib.zip, as the worker downloads them and hands them to loadPyodide (lockFileContents,
// stdLibURL; the interpreter's memory caches the zip's directory, so another zip would break it), with
// FORMAT and the boot options. The wasm itself is checked by Pyodide: a snapshot records the BUILD_ID of
// pyodide.asm.mjs + .wasm, and restoring it under another build throws. The snapshot's own SHA-256 is
// stored beside it and checked while Pyodide loads. Anything wrong (another key, a digest that differs, a
// restore that throws) discards it: the runtime boots normally and saves a fresh one. A new deploy
// therefore never restores memory made from other files.

import "./download.js";    // self.BookDownload: its sha256 (the worker imports it too)

const CACHE = "runner-snapshot";
const FORMAT = "1";   // bump when what a snapshot holds changes (e.g. taken at another point of the boot)

const hex = (bytes) => self.BookDownload.sha256(bytes);

export class Snapshots {
  // files: promises of the bytes of the lock and of the standard library that this boot gives loadPyodide;
  // options: the loadPyodide options of this boot (the parts that end up in Python's memory: env).
  constructor(config, options, files) {
    this.files = files;
    this.prefix = new URL("runner-snapshot/", config.indexURL).href;   // a name in the cache, never fetched
    this.options = JSON.stringify(options.env);
  }

  async key() {
    const parts = await Promise.all(this.files);
    const head = new TextEncoder().encode(`${FORMAT}\n${this.options}\n`);
    return hex(await new Blob([head, ...parts]).arrayBuffer());
  }

  // The stored snapshot, if there is one: {bytes, ready}. `bytes` has its final size at once and is filled
  // while Pyodide compiles its wasm (it needs only the size before that); `ready` resolves once it is
  // filled from stored bytes that match their SHA-256 and were saved for the files this boot uses, and
  // rejects otherwise. Only one snapshot is kept, so it is read before its key is known to match: a stale
  // one is read for nothing once, after a deploy, then removed.
  async find() {
    const cache = await open();
    const [request] = await cache?.keys() || [];
    if (!request) return null;             // a first visit: boot at once, no lookups
    const hit = await cache.match(request);
    const size = Number(hit?.headers.get("x-size"));
    if (!size) return null;
    const bytes = new Uint8Array(size);
    const filled = hit.arrayBuffer().then(async (stored) => {
      if (await hex(stored) !== hit.headers.get("x-sha256")) throw new Error("the stored snapshot is corrupt");
      unpack(new Uint8Array(stored), bytes);
    });
    const current = this.key().then((key) => {
      if (request.url !== this.prefix + key) throw new Error("the stored snapshot is for other files");
    });
    const ready = Promise.all([filled, current]);
    ready.catch(() => {});                  // seen by the boot
    return { bytes, ready };
  }

  async discard() {
    const cache = await open();
    for (const request of await cache?.keys() || []) await cache.delete(request);
  }

  // Take the snapshot now (synchronous, ~35 ms: a copy of wasm memory), store it in the background
  // (while the first run goes on: a run that never ends leaves it unsaved, as does closing the tab at once).
  save(pyodide) {
    const memory = pyodide.makeMemorySnapshot();
    return (async () => {
      const [key, cache] = await Promise.all([this.key(), open()]);
      if (!cache) return;
      const stored = await new Blob(pack(memory)).arrayBuffer();
      const headers = { "content-type": "application/octet-stream", "x-sha256": await hex(stored),
        "x-size": String(memory.byteLength) };
      await this.discard();
      await cache.put(this.prefix + key, new Response(stored, { headers }));
    })().catch(() => {});   // no room, or storage refused: the next visit boots normally
  }
}

// Half of a fresh interpreter's 31 MB of memory is pages of zeros: only the others are stored,
// after their list, so a return visit reads and hashes 15 MB.
// Stored: [count, page numbers...] as uint32, then those pages, in that order.
const PAGE = 65536;

function pack(memory) {
  const words = new BigUint64Array(memory.buffer, memory.byteOffset, memory.byteLength >> 3);
  const pages = [];
  for (let page = 0; page * PAGE < memory.byteLength; page++) {
    const end = Math.min((page + 1) * PAGE >> 3, words.length);
    for (let i = page * PAGE >> 3; i < end; i++) if (words[i]) { pages.push(page); break; }
  }
  return [new Uint32Array([pages.length, ...pages]), ...pages.map((page) => memory.subarray(page * PAGE, (page + 1) * PAGE))];
}

function unpack(stored, memory) {
  const count = new Uint32Array(stored.buffer, 0, 1)[0];
  const pages = new Uint32Array(stored.buffer, 4, count);
  let at = 4 * (count + 1);
  for (const page of pages) {
    const part = stored.subarray(at, at + Math.min(PAGE, memory.byteLength - page * PAGE));
    memory.set(part, page * PAGE);
    at += part.byteLength;
  }
  if (at !== stored.byteLength) throw new Error("the stored snapshot is corrupt");
}

// Cache Storage exists only in secure contexts (https, localhost); elsewhere no snapshot is kept.
async function open() {
  try {
    return await self.caches.open(CACHE);
  } catch {
    return null;
  }
}
