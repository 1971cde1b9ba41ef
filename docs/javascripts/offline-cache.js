// The book's offline copy in Cache Storage: one home for how it is stored, used by the page (offline.js loads
// this file when the reader presses "Available offline") and by the service worker (sw.js imports it).
//
// One cache per build, "book-offline-<revision>" (the revision of offline-manifest.json, book/offline.py),
// holding each file under its absolute URL, with its sha256 in a header, and the languages it holds under
// KEPT. A file is checked against the manifest's sha256 before it is stored: a copy never mixes two builds,
// even when the server changes while it downloads. Files whose sha256 an older copy already holds are copied
// from it, not downloaded again: an update after a new build downloads only what changed. Each file is downloaded
// by download.js (self.BookDownload, which the runner's worker uses too), loaded before this file.
self.BookOffline = (() => {
  const PREFIX = "book-offline-";
  const KEPT = "offline-languages";      // not a file of the site: the languages a copy holds, as JSON
  const SHA = "x-book-sha256";
  const PARALLEL = 4;

  const cacheName = (revision) => PREFIX + revision;
  const ours = async () => (await caches.keys()).filter((name) => name.startsWith(PREFIX));

  // The service worker lets requests with cache: "no-store" through to the network (offline-sw.js), so that a
  // page it controls downloads the new build, not the copy it serves.
  async function manifest(site) {
    const response = await fetch(new URL("offline-manifest.json", site), { cache: "no-store" });
    if (!response.ok) throw new Error(`offline-manifest.json: HTTP ${response.status}`);
    return response.json();
  }

  /** The languages the copy in cache `name` holds ([] when none). */
  async function kept(name, site) {
    const hit = await (await caches.open(name)).match(new URL(KEPT, site));
    return hit ? hit.json() : [];
  }

  /** The languages any copy holds. */
  async function languages(site) {
    const all = await Promise.all((await ours()).map((name) => kept(name, site)));
    return [...new Set(all.flat())];
  }

  /** The file at `url` as the copy stores it: downloaded whole (BookDownload: progress, a stall timeout) and checked
   *  against `sha256`; onBytes(n) per chunk. */
  async function stored(url, sha256, onBytes) {
    let response;
    try {
      response = await self.BookDownload.download(url, { sha256, onBytes, init: { cache: "no-store" } });
    } catch (error) {
      if (error.kind === "refused") {
        throw new Error(`${url}: not the file of this build (sha256); the site may be updating, try again`,
                        { cause: error });
      }
      throw error.kind === "network" ? error.cause : error;     // the browser's own words, as the reader saw them
    }
    const headers = { "content-type": response.headers.get("content-type") || "",
                      "content-length": response.headers.get("content-length"), [SHA]: sha256 };
    return new Response(response.body, { headers });
  }

  /** Put the files of `langs` (manifest.languages) into this build's copy; progress(loaded, total) in bytes. */
  async function fill(site, m, langs, progress = () => {}) {
    const name = cacheName(m.revision);
    const cache = await caches.open(name);
    const older = await Promise.all((await ours()).filter((n) => n !== name).map((n) => caches.open(n)));
    const urls = [...new Set(langs.flatMap((lang) => m.languages[lang].files))];
    const total = urls.reduce((sum, url) => sum + m.files[url].size, 0);
    let loaded = 0;
    const count = (n) => { loaded += n; progress(loaded, total); };
    const one = async (url) => {
      const { sha256, size } = m.files[url];
      const key = new URL(url, site).href;
      for (const c of [cache, ...older]) {
        const hit = await c.match(key);
        if (hit && hit.headers.get(SHA) === sha256) {
          if (c !== cache) await cache.put(key, hit);
          count(size);
          return;
        }
      }
      await cache.put(key, await stored(key, sha256, count));
    };
    const queue = [...urls];
    const worker = async () => {
      while (queue.length) {
        try {
          await one(queue.shift());
        } catch (error) {
          queue.length = 0;                   // the first failure ends the download: the others stop too
          throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    const held = new Set([...(await kept(name, site)), ...langs]);
    await cache.put(new URL(KEPT, site), new Response(JSON.stringify([...held])));
  }

  /** Delete every copy but `keep` (a cache name). */
  async function drop(keep) {
    await Promise.all((await ours()).filter((name) => name !== keep).map((name) => caches.delete(name)));
  }

  return { cacheName, manifest, languages, kept, fill, drop };
})();
