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

import "./download.js";    // self.BookDownload: the download the offline copy uses too
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
const downloads = new Map();  // url -> {loaded, total, done}: what the progress line counts now
const started = new Map();    // url -> a download (a wheel's) or a request (the wasm's) started before Pyodide asks

const post = (message) => self.postMessage(message);

// --- downloads: progress, stall timeout, integrity -------------------------------------------------
// Every file comes through BookDownload.download (download.js): progress (the line under the code says how many
// MB have arrived), a stall timeout, and a failed runtime download turned into a "fatal" message (Pyodide itself
// would wait for ever). The boot downloads the lock and the standard library itself and hands them to loadPyodide
// (lockFileContents, and stdLibURL: a blob: URL of the bytes), so the snapshot is named by the very bytes that
// Python runs on. Pyodide 314 fetches two kinds of file itself, with no option to hand it them: pyodide.asm.wasm
// (compiled as it streams, and kept compiled by the browser for the next boot: it must be the network's own
// response), and the packages' wheels (loadPackagesFromImports, each with the lock's sha256 as `integrity`). For
// those two, and only those, self.fetch is wrapped: it answers with a download of BookDownload's, started early for
// the wheels the code seems to import (see prefetch). The wasm's request starts with the boot, so that the progress
// line counts the whole runtime from the start, but its body is read only once Pyodide asks for it (measured:
// reading it while the standard library is read made a return visit's first output ~70 ms later).
const { download } = self.BookDownload;
const realFetch = self.fetch.bind(self);
let lastReport = 0;

function report(stage, force) {
  const now = performance.now();
  if (!force && now - lastReport < 100) return;
  lastReport = now;
  let loaded = 0, total = 0;
  for (const d of downloads.values()) { loaded += d.loaded; total += Math.max(d.total, d.loaded); }
  post({ type: "progress", stage, loaded, total });
}

// A download of `url` for `stage` ("download": the runtime, "packages": a wheel), counted by the progress line
// once shown (show): {entry, response, finished}. `options`: BookDownload's (sha256, or streamed: true).
function track(url, stage, options = {}, shown = true, entry = { loaded: 0, total: 0, done: false }) {
  let end;
  const finished = new Promise((resolve, reject) => { end = (error) => (error ? reject(error) : resolve()); });
  const response = download(url, {
    ...options, stallMs: STALL_MS, streamed: options.streamed ? end : undefined,
    onBytes: (n, total) => {
      entry.loaded += n;
      entry.total = total;
      if (downloads.get(url) === entry) report(stage);
    },
  });
  response.then(() => options.streamed || end(), end);
  finished.then(() => { entry.done = true; if (downloads.get(url) === entry) report(stage, true); }, () => {});
  const tracked = { entry, stage, response, finished };
  if (shown) show(url, tracked);
  return tracked;
}

function show(url, tracked) {
  downloads.set(url, tracked.entry);
  if (!tracked.entry.done) report(tracked.stage, true);
}

// The runtime's files: the lock and the standard library, downloaded whole (promises of their bytes), and the wasm,
// streamed to Pyodide, which asks for it once those two are in: with it the runtime is in ("start"). A failure is
// the boot's "fatal".
const runtimeFile = (url) => track(url, "download").response.then((response) => response.arrayBuffer())
  .then((buffer) => new Uint8Array(buffer));

// `early`: the request the boot started, {response, abort, entry} (entry: its line in the progress, sized already).
function wasm(early) {
  const url = config.indexURL + "pyodide.asm.wasm";
  const tracked = track(url, "download", { streamed: true, early }, true, early?.entry);
  tracked.finished.then(() => post({ type: "progress", stage: "start" }),
    (error) => post({ type: "fatal", message: error.message }));
  return tracked;
}

self.fetch = async (input, init = {}) => {
  const url = new URL(input instanceof Request ? input.url : String(input), self.location.href).href;
  const isWasm = url === config.indexURL + "pyodide.asm.wasm";
  if (!isWasm && !init.integrity) return realFetch(input, init);      // the standard library's blob: URL
  let tracked = started.get(url);
  started.delete(url);
  if (isWasm) tracked = wasm(tracked);     // the request the boot started (a second boot: a new one)
  else if (tracked) show(url, tracked);
  else tracked = track(url, "packages", { sha256: hexOf(init.integrity) });
  try {
    return await tracked.response;
  } catch (error) {
    if (!isWasm) packageError = { reason: error.reason || error.message, refused: error.kind === "refused" };
    throw error;
  }
};

// Pyodide's `integrity` ("sha256-" and base64) as the lock writes it: hex.
const hexOf = (integrity) => [...atob(integrity.replace(/^sha256-/, ""))]
  .map((c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");

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
// `code`: the code of the Run that started it, whose packages download while the runtime boots (prefetch).
async function boot(code) {
  post({ type: "progress", stage: "download", loaded: 0, total: 0 });
  const wasmURL = config.indexURL + "pyodide.asm.wasm";
  const early = { ...self.BookDownload.start(wasmURL), entry: { loaded: 0, total: 0, done: false } };
  started.set(wasmURL, early);                          // its size counts now; its body is read once Pyodide asks
  downloads.set(wasmURL, early.entry);
  early.response.then((response) => {
    early.entry.total = Number(response.headers.get("content-length")) || 0;
    report("download", true);
  }, () => {});
  const lock = runtimeFile(config.lockURL);
  const stdlib = runtimeFile(config.indexURL + "python_stdlib.zip");
  const lockText = lock.then((bytes) => new TextDecoder().decode(bytes));
  lockText.catch(() => {});                 // a lock that cannot be downloaded fails the boot (below)
  prefetch(code, lockText);
  const options = { indexURL: config.indexURL, packageBaseUrl: config.packagesURL, env: { HOME } };
  const snapshots = new Snapshots(config, options, [lock, stdlib]);
  const [{ loadPyodide }, { default: createModule }, saved, stdlibBytes] = await Promise.all([
    import(config.indexURL + "pyodide.mjs"),
    import(config.indexURL + "pyodide.asm.mjs"),
    snapshots.find().catch(() => null),     // storage unavailable: as if there were none
    stdlib,
    lock,
  ]);
  // the standard library by a URL of the bytes downloaded above, the lock by its text (each boot parses its own)
  options.stdLibURL = URL.createObjectURL(new Blob([stdlibBytes]));
  const load = (more) => loadPyodide({ ...options, lockFileContents: lockText, ...more });
  let py = null, restored = false;
  try {
    if (saved) {
      post({ type: "progress", stage: "restore" });
      // Pyodide compiles the wasm while the snapshot is read and checked, and restores it only then
      const createPyodideModule = async (settings) => {
        const module = await createModule(settings);
        await saved.ready;
        return module;
      };
      py = await load({ _loadSnapshot: saved.bytes, createPyodideModule }).catch(() => null);
      restored = Boolean(py);
    }
    if (!py) {
      if (saved) {
        post({ type: "progress", stage: "start", fresh: true });   // the page stops saying "restoring"
        await snapshots.discard();            // corrupt, or made by another build of the runtime
      }
      py = await load({ createPyodideModule: createModule, _makeSnapshot: true });
      snapshots.save(py);                     // before the prelude and the reader's code touch it
    }
  } finally {
    URL.revokeObjectURL(options.stdLibURL);
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

// Started with the boot: the files of the packages the code seems to import (a quick look at its import lines;
// loadPackagesFromImports decides later), as soon as the site's lock is in, so that they download while the runtime
// starts. Pyodide's own fetch of the same URL takes the download (see self.fetch above).
const IMPORT_LINE = /^[ \t]*(?:import[ \t]+([\w., \t]+)|from[ \t]+(\w+))/gm;
function prefetch(code, lockText) {
  const imports = [...code.matchAll(IMPORT_LINE)]
    .flatMap((m) => (m[1] || m[2]).split(",").map((part) => part.trim().split(/[.\s]/)[0]));
  if (!imports.length) return;
  lockText.then((text) => {
    for (const pkg of packagesFor(imports, JSON.parse(text))) {
      const url = new URL(pkg.file_name, config.packagesURL).href;
      if (started.has(url)) continue;
      const tracked = track(url, "packages", { sha256: pkg.sha256 }, false);
      tracked.response.catch(() => {});     // reported when Pyodide asks for it
      started.set(url, tracked);
    }
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
  const base = config.packagesURL;
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
  booting ??= boot(data.type === "run" ? data.code : "");
  queue = queue.then(() => (data.type === "run" ? runCode(data) : booting)).catch((error) => {
    post({ type: "fatal", message: String(error && error.message || error) });
  });
};
