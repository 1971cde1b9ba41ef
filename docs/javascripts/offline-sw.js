// The service worker of "Available offline" (offline.js), imported by the generated /sw.js, which defines REVISION,
// the build it belongs to. It is registered only when a reader presses the control; it serves the pages and files
// of the offline copy from Cache Storage (offline-cache.js), and lets everything else through to the network.
//
// Hand-written rather than workbox: workbox-precaching downloads one fixed list in the install event, while here
// the reader chooses a language, the page shows the download's progress, and an update reuses the files an older
// copy holds for whichever languages the reader kept. What is left for a service worker is these few lines.
//
// Offline, a page that the copy does not hold (a notebook page, the other language) would be the browser's own error
// page: the worker sends the reader to the copy's page that says so instead (FALLBACK, in the language of the page
// asked for, under each language's root in LANGUAGES: both written into sw.js by book/offline.py), with the page
// asked for in its query (?from=), and that page links to the copy's home (offline.js).
//
// A page never mixes two builds: this worker serves only its own build's copy, which it completes (every file
// checked against the manifest) before it is installed; a failed download fails the install, and the old worker
// keeps serving the old copy. The new worker then waits, as the browser does by default, until no page of the
// site is open (or the reader presses Update in the only open one, which then reloads); only then does it take
// over and delete the old copy.
/* global REVISION, LANGUAGES, FALLBACK */
const SITE = self.registration.scope;
const CACHE = BookOffline.cacheName(REVISION);

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const langs = await BookOffline.languages(SITE);    // what the reader kept, in this build's copy or an older one
    if (!langs.length) return;
    const manifest = await BookOffline.manifest(SITE);
    if (manifest.revision !== REVISION) throw new Error("the site changed during the update; the next visit retries");
    await BookOffline.fill(SITE, manifest, langs);
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil(BookOffline.drop(CACHE).then(() => self.clients.claim()));
});

self.addEventListener("message", (event) => {
  if (event.data !== "skip-waiting") return;
  event.waitUntil((async () => {
    // every tab of the book: a waiting worker controls none of them, so uncontrolled ones count too
    const open = (await self.clients.matchAll({ type: "window", includeUncontrolled: true }))
      .filter((client) => client.url.startsWith(SITE));
    if (open.length <= 1) await self.skipWaiting();
    else event.source.postMessage("other-tabs");
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || request.cache === "no-store" || !request.url.startsWith(SITE)) return;
  event.respondWith((async () => {
    // a page whatever its query (?q= of a search result); any other file by its exact URL: the runtime's
    // lock is asked for with its version in the query (?v=), and a newer page must not get this build's one
    const hit = await caches.match(request, { cacheName: CACHE, ignoreSearch: request.mode === "navigate" });
    if (hit || request.mode !== "navigate") return hit || fetch(request);
    try {
      return await fetch(request);
    } catch (error) {
      const missing = new URL(LANGUAGES[languageOf(request.url)] + FALLBACK, SITE);
      if (!(await caches.match(missing.href, { cacheName: CACHE }))) throw error;
      missing.searchParams.set("from", request.url.slice(SITE.length));
      return Response.redirect(missing.href, 303);
    }
  })());
});

/** The language whose folder holds `url` (the longest folder that is a prefix of it). */
function languageOf(url) {
  return Object.keys(LANGUAGES).filter((lang) => url.startsWith(SITE + LANGUAGES[lang]))
    .sort((a, b) => LANGUAGES[b].length - LANGUAGES[a].length)[0];
}
