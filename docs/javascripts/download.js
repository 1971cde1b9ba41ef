// One way to download a file, shared by the runner's worker (runner-worker.js, runner-snapshot.js) and the offline
// copy (offline-cache.js, in the page and in its service worker). A plain script that defines self.BookDownload:
// sw.js loads it with importScripts, offline.js with a <script>, the runner's module worker with an import.
//
//   BookDownload.download(url, options)  fetch `url` and read its body chunk by chunk (options below); rejects with
//                                        a BookDownload.Failed
//   BookDownload.start(url)              a fetch started now, to be read by download() later (its `early` option)
//   BookDownload.sha256(bytes)           the SHA-256 of an ArrayBuffer or a view, as 64 hex digits
//   BookDownload.Failed                  an Error with `url`, `kind` ("network", "stalled", "http" or "refused": the
//                                        bytes are not the expected ones), `reason` (message = "url: reason") and,
//                                        for "network", the browser's own error as `cause`
self.BookDownload = (() => {
  const STALL_MS = 15000;   // a download that receives nothing for this long is given up
  // The browser's own fetch, taken when this file loads: the runner's worker wraps self.fetch afterwards (for the
  // files Pyodide fetches itself), and answers from here.
  const fetch = self.fetch.bind(self);

  async function sha256(bytes) {
    const digest = await crypto.subtle.digest("SHA-256", bytes);
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  }

  class Failed extends Error {
    constructor(url, kind, reason, cause) {
      super(`${url}: ${reason}`, cause === undefined ? undefined : { cause });
      Object.assign(this, { url, kind, reason });
    }
  }

  /**
   * Options:
   *   sha256    the hex digest the bytes must have (else a Failed of kind "refused")
   *   onBytes   onBytes(n, total) for each chunk of n bytes received (total: the Content-Length, or 0)
   *   stallMs   give up when nothing arrives for this long (STALL_MS)
   *   init      fetch()'s options ({cache: "no-store"}, say)
   *   early     a fetch of `url` that start() began earlier: it is read instead of a new one (the stall timeout
   *             counts from now, and aborts it too)
   *   streamed  a function: then the network's own response is resolved as soon as it starts, for a reader that
   *             consumes it as it streams (WebAssembly.instantiateStreaming, which lets the browser keep the compiled
   *             module); a copy of its body is counted, and streamed(null) is called at its end, streamed(error) when
   *             it fails. No sha256 then.
   * Otherwise resolves with a Response holding the whole body, checked against `sha256`, with the network's headers
   * (its Content-Length the body's).
   */
  async function download(url, { sha256: expected, onBytes = () => {}, stallMs = STALL_MS, init = {}, streamed,
                                  early } = {}) {
    const abort = early?.abort || new AbortController();
    let timer;
    const arm = () => { clearTimeout(timer); timer = setTimeout(() => abort.abort(), stallMs); };
    const failed = (error) => (error instanceof Failed ? error
      : abort.signal.aborted ? new Failed(url, "stalled", `nothing received for ${stallMs / 1000} s`)
      : new Failed(url, "network", String(error?.message || error), error));
    arm();
    let response;
    try {
      response = await (early ? early.response : fetch(url, { ...init, signal: abort.signal }));
    } catch (error) {
      clearTimeout(timer);
      throw failed(error);
    }
    if (!response.ok) {
      clearTimeout(timer);
      throw new Failed(url, "http", `HTTP ${response.status}`);
    }
    const total = Number(response.headers.get("content-length")) || 0;
    const read = async (body, keep) => {
      const reader = body.getReader();
      const chunks = [];
      try {
        for (;;) {
          arm();
          const { done, value } = await reader.read();
          if (done) return chunks;
          if (keep) chunks.push(value);
          onBytes(value.byteLength, total);
        }
      } catch (error) {
        throw failed(error);
      } finally {
        clearTimeout(timer);
      }
    };
    if (streamed) {
      read(response.clone().body, false).then(() => streamed(null), streamed);
      return response;
    }
    const body = await new Blob(await read(response.body, true)).arrayBuffer();
    if (expected && await sha256(body) !== expected) {
      throw new Failed(url, "refused", `its sha256 is not ${expected}`);
    }
    const headers = new Headers(response.headers);
    headers.set("content-length", String(body.byteLength));    // the bytes as read (a server may have compressed them)
    headers.delete("content-encoding");
    return new Response(body, { status: response.status, statusText: response.statusText, headers });
  }

  /** A fetch of `url` begun now, for download()'s `early` option: {response, abort}. */
  function start(url, init = {}) {
    const abort = new AbortController();
    const response = fetch(url, { ...init, signal: abort.signal });
    response.catch(() => {});               // seen by the download that reads it
    return { response, abort };
  }

  return { download, start, sha256, Failed };
})();
