// The Web Worker behind the Run buttons (docs/javascripts/runner.js): it boots Pyodide once
// and runs the reader's code on request, so the page stays responsive while Python works.
// Stop terminates this worker (no SharedArrayBuffer, no interrupt buffer needed).
//
// In:  {type: "boot", config}  |  {type: "run", id, code, filename, config}
//      config = {indexURL, lockURL, packagesURL, library}: absolute URLs computed by the page, and the
//      book's library modules (extra.book.library in mkdocs.yml: a run starts from their files again)
// Out: {type: "progress", stage: "download" | "restore" | "start" | "packages" | "run", loaded, total, names,
//      fresh}  (fresh: the snapshot could not be restored, Python starts from scratch)
//      {type: "ready", restored}  (restored: booted from the snapshot of an earlier boot, runner-snapshot.js)
//      {type: "out", id, stream, text}  {type: "capped", id}  {type: "done", id, ok}
//      {type: "packages-failed", id, names, urls, reason, refused}  {type: "fatal", message, crashed}  (the page then
//      terminates this worker and the next Run starts a new one)

import { Snapshots } from "./runner-snapshot.js";

const MAX_LINES = 2000;   // lines of output sent to the page per run; the rest is dropped (the page says so)
const STALL_MS = 10000;   // a download that receives nothing for this long is given up
const HOME = "/home/pyodide";

let config = null;
let pyodide = null;
let runPython = null;       // _runner_run of PRELUDE, as a JS function
let booting = null;         // promise of the booted runtime
let run = null;             // the run in progress: {id, lines}
let packageError = null;    // why the last package download failed: {reason, refused}
const downloads = new Map();  // url -> {loaded, total, done}, for the progress line
const started = new Map();    // url -> {response: promise, abort} fetched early (prefetch), for the first fetch of it

const post = (message) => self.postMessage(message);

// --- downloads: progress, stall timeout, integrity ----------------------------------------------
// Pyodide fetches its files with the global fetch(); we wrap it to report progress (the progress
// line says how many MB of the runtime have arrived), to give up on a stalled connection, and to
// turn a failed runtime download into a "fatal" message (Pyodide itself would wait forever).
const realFetch = self.fetch.bind(self);
let lastReport = 0;

// A fetch started before anyone asks for it; the first self.fetch of that URL takes it over (with its stall
// timeout, which then aborts this fetch too).
function early(url) {
  if (!started.has(url)) {
    const abort = new AbortController();
    started.set(url, { response: realFetch(url, { signal: abort.signal }), abort });
  }
  return started.get(url).response;
}

function report(stage, force) {
  const now = performance.now();
  if (!force && now - lastReport < 100) return;
  lastReport = now;
  let loaded = 0, total = 0;
  for (const d of downloads.values()) { loaded += d.loaded; total += Math.max(d.total, d.loaded); }
  post({ type: "progress", stage, loaded, total });
}

self.fetch = async (input, init = {}) => {
  const url = new URL(input instanceof Request ? input.url : String(input), self.location.href).href;
  const runtime = [config.indexURL + "pyodide.asm.wasm", config.indexURL + "python_stdlib.zip", config.lockURL]
    .includes(url);
  const stage = runtime ? "download" : "packages";
  const { integrity, ...options } = init;
  const abort = new AbortController();
  let timer;
  const arm = () => { timer = setTimeout(() => abort.abort(), STALL_MS); };
  const fail = (reason, refused = false) => {
    clearTimeout(timer);
    const message = `${url}: ${reason}`;
    if (runtime) post({ type: "fatal", message });
    else packageError = { reason, refused };
    return new Error(message);
  };
  arm();
  let response;
  try {
    const head = started.get(url);
    started.delete(url);
    abort.signal.addEventListener("abort", () => head?.abort.abort());
    response = await (head ? head.response.catch(() => realFetch(url, { ...options, signal: abort.signal }))
      : realFetch(url, { ...options, signal: abort.signal }));
  } catch (error) {
    throw fail(abort.signal.aborted ? `nothing received for ${STALL_MS / 1000} s` : String(error.message || error));
  }
  clearTimeout(timer);
  if (!response.ok) throw fail(`HTTP ${response.status}`);
  const entry = { loaded: 0, total: Number(response.headers.get("content-length")) || 0 };
  downloads.set(url, entry);
  // Count the bytes on a clone: Pyodide gets the response itself, so the browser can still
  // cache the compiled wasm for the next boot (it cannot for a Response built here).
  const reader = (integrity ? response : response.clone()).body.getReader();
  const counted = (async () => {
    const chunks = [];
    for (;;) {
      arm();
      let chunk;
      try {
        chunk = await reader.read();
      } catch (error) {
        throw fail(abort.signal.aborted ? "download stalled" : String(error.message || error));
      }
      clearTimeout(timer);
      if (chunk.done) break;
      entry.loaded += chunk.value.byteLength;
      if (integrity) chunks.push(chunk.value);
      report(stage);
    }
    entry.done = true;
    report(stage, true);
    const all = [...downloads.values()];
    if (runtime && all.every((d) => d.done) && downloads.has(config.indexURL + "pyodide.asm.wasm")) {
      post({ type: "progress", stage: "start" });
    }
    return chunks;
  })();
  if (!integrity) {
    counted.catch(() => {});    // reported by fail()
    return response;
  }
  // Pyodide asks for `integrity` (the lock's sha256) on every wheel. fetch() would hold the whole
  // body back until checked, hiding progress and stalls, so the same check is made here instead.
  const bytes = new Uint8Array(await new Blob(await counted).arrayBuffer());
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  if ("sha256-" + btoa(String.fromCharCode(...digest)) !== integrity) {
    throw fail("its sha256 is not the one in pyodide-lock.json", true);
  }
  return new Response(bytes, { status: response.status, statusText: response.statusText, headers: response.headers });
};

// --- Python ------------------------------------------------------------------------------------
// Each run is a fresh `__main__`, as `python file.py` would be; the interpreter (and what it has
// imported) lives on, so a second run needs neither download nor boot. A traceback starts at the
// reader's own code: the frames of this runner and of Pyodide are dropped.
const PRELUDE = `
import linecache, os, sys, traceback

import sysconfig

def _runner_data():
    """A wheel of the site's lock may carry data/ beside its modules, as the book's does (and snippets/):
    the code finds it in its working folder, as \`python file.py\` run in snippets/ would."""
    data, here = os.path.join(sysconfig.get_path("purelib"), "data"), "${HOME}/data"
    if os.path.isdir(data) and not os.path.lexists(here):
        os.symlink(data, here)

def _runner_run(code, filename, library):
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    _runner_data()
    for name in library:           # a run starts from the library's own files, as a new process would
        sys.modules.pop(name, None)
    os.chdir("${HOME}")
    namespace = {"__name__": "__main__", "__file__": filename, "__builtins__": __builtins__}
    try:
        exec(compile(code, filename, "exec"), namespace)
        return True
    except SystemExit as e:
        if e.code in (None, 0):
            return True
        print(f"SystemExit: {e.code}", file=sys.stderr)
        return False
    except BaseException as e:
        tb = e.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename != filename:
            tb = tb.tb_next
        traceback.print_exception(type(e), e, tb)
        return False
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
`;

// stdout and stderr arrive as bytes; whole lines go to the page as they are printed, and what is
// left of a line (print(..., end="")) at the end of a run.
function stream(name, before) {
  const decoder = new TextDecoder();
  let partial = "";
  return {
    write(bytes) {
      before?.end();        // a prompt printed without a newline shows before the error that follows
      const lines = (partial + decoder.decode(bytes, { stream: true })).split("\n");
      partial = lines.pop();
      for (const line of lines) emit(name, line);
      return bytes.length;
    },
    end() {
      const rest = partial + decoder.decode();
      partial = "";
      if (rest) emit(name, rest);
    },
  };
}
const stdout = stream("stdout");
const stderr = stream("stderr", stdout);

function emit(stream, text) {
  if (!run) return;                 // Pyodide's own messages while booting
  if (run.lines >= MAX_LINES) {
    if (!run.capped) { run.capped = true; post({ type: "capped", id: run.id }); }
    return;
  }
  run.lines += 1;
  post({ type: "out", id: run.id, stream, text });
}

// A boot restores the snapshot of the last one when this browser has one for these very files
// (runner-snapshot.js says why, what was measured, and when a snapshot is refused); otherwise it boots
// Python from scratch and saves a snapshot for the next visit, or for the worker that Stop starts.
async function boot() {
  post({ type: "progress", stage: "download", loaded: 0, total: 0 });
  const options = {
    indexURL: config.indexURL,
    lockFileURL: config.lockURL,
    ...(config.packagesURL ? { packageBaseUrl: config.packagesURL } : {}),
    env: { HOME },
  };
  const snapshots = new Snapshots(config, options);
  const unhook = snapshots.intercept();
  let py = null, restored = false;
  try {
    const [{ loadPyodide }, { default: createModule }, saved] = await Promise.all([
      import(config.indexURL + "pyodide.mjs"),
      import(config.indexURL + "pyodide.asm.mjs"),
      snapshots.find().catch(() => null),     // storage unavailable: as if there were none
    ]);
    if (saved) {
      post({ type: "progress", stage: "restore" });
      // Pyodide compiles the wasm while the snapshot is read and checked, and restores it only then
      const createPyodideModule = async (settings) => {
        const module = await createModule(settings);
        await saved.ready;
        return module;
      };
      py = await loadPyodide({ ...options, _loadSnapshot: saved.bytes, createPyodideModule }).catch(() => null);
      restored = Boolean(py);
    }
    if (!py) {
      if (saved) {
        post({ type: "progress", stage: "start", fresh: true });   // the page stops saying "restoring"
        await snapshots.discard();            // corrupt, or made by another build of the runtime
      }
      py = await loadPyodide({ ...options, createPyodideModule: createModule, _makeSnapshot: true });
      snapshots.save(py);                     // before the prelude and the reader's code touch it
    }
  } finally {
    unhook();
    if (!py || restored) snapshots.done();
  }
  try {
    py.setStdout({ write: stdout.write });
    py.setStderr({ write: stderr.write });
    py.setStdin({ stdin: () => null });    // no keyboard here: input() raises EOFError
    py.runPython(PRELUDE);
    runPython = py.globals.get("_runner_run");
  } catch (error) {
    if (restored) await snapshots.discard();   // a snapshot that restores but does not work: never again
    throw error;
  }
  post({ type: "ready", restored });
  return py;
}

// --- packages: what the code imports, from the site's lock ---------------------------------------
// The site's pyodide-lock.json (vendor/pyodide-packages/, book/library_wheel.py) is Pyodide's lock plus the
// book's wheel: `import numpy_nn` is found among its packages' `imports` as `import numpy` is, and Pyodide's
// loader fetches each file with the lock's sha256 as `integrity` (checked by the fetch wrapper above).
function packagesFor(imports, lock) {
  const byImport = new Map();
  for (const pkg of Object.values(lock.packages)) for (const name of pkg.imports || []) byImport.set(name, pkg);
  const found = new Map();
  const add = (pkg) => {
    if (!pkg || found.has(pkg.name)) return;
    found.set(pkg.name, pkg);
    for (const name of pkg.depends || []) add(lock.packages[name]);
  };
  for (const name of imports) add(byImport.get(name));
  return [...found.values()];
}

// Started with the boot: the site's lock, then the files of the packages the code seems to import (a quick
// look at its import lines; loadPackagesFromImports decides later), so that they download while the
// runtime starts. Pyodide's own fetch of the same URL takes the response (see self.fetch above).
const IMPORT_LINE = /^[ \t]*(?:import[ \t]+([\w., \t]+)|from[ \t]+(\w+))/gm;
function prefetch(code) {
  const lock = early(config.lockURL).then((response) => response.clone().json());
  const imports = [...code.matchAll(IMPORT_LINE)]
    .flatMap((m) => (m[1] || m[2]).split(",").map((part) => part.trim().split(/[.\s]/)[0]));
  lock.then((lock) => {
    for (const pkg of packagesFor(imports, lock)) early(new URL(pkg.file_name, config.packagesURL || config.lockURL).href);
  }).catch(() => {});    // the boot reports a lock that cannot be fetched
}

async function loadPackages(id, code) {
  const imports = pyodide.pyodide_py.code.find_imports(code).toJs();
  const wanted = packagesFor(imports, pyodide.lockfile).filter((pkg) => !(pkg.name in pyodide.loadedPackages));
  if (!wanted.length) return true;
  downloads.clear();
  packageError = null;
  post({ type: "progress", stage: "packages", names: wanted.map((pkg) => pkg.name), loaded: 0, total: 0 });
  const errors = [];
  await pyodide.loadPackagesFromImports(code, { messageCallback: () => {}, errorCallback: (m) => errors.push(m) });
  const missing = wanted.filter((pkg) => !(pkg.name in pyodide.loadedPackages));
  if (!missing.length) return true;
  const base = config.packagesURL || config.lockURL;
  post({
    type: "packages-failed", id, names: missing.map((pkg) => pkg.name),
    urls: missing.map((pkg) => new URL(pkg.file_name, base).href),
    reason: packageError?.reason || errors.join(" ") || "unknown error", refused: Boolean(packageError?.refused),
  });
  return false;
}

async function runCode({ id, code, filename }) {
  pyodide = await booting;
  if (!await loadPackages(id, code)) { post({ type: "done", id, ok: false }); return; }
  post({ type: "progress", stage: "run" });
  run = { id, lines: 0 };
  let ok;
  try {
    ok = runPython(code, filename, config.library);
  } catch (error) {        // not a Python exception (those are printed): the interpreter broke
    post({ type: "fatal", message: String(error && error.message || error), crashed: true });
    return;
  } finally {
    stdout.end();
    stderr.end();
    run = null;
  }
  post({ type: "done", id, ok });
}

// Messages are handled one after another: a run waits for the boot and for the run before it.
let queue = Promise.resolve();
self.onmessage = ({ data }) => {
  config ??= data.config;
  if (!booting && data.type === "run") prefetch(data.code);
  booting ??= boot();
  queue = queue.then(() => (data.type === "run" ? runCode(data) : booting)).catch((error) => {
    post({ type: "fatal", message: String(error && error.message || error) });
  });
};
