// The Web Worker behind the Run buttons (docs/javascripts/runner.js): it boots Pyodide once
// and runs the reader's code on request, so the page stays responsive while Python works.
// Stop terminates this worker (no SharedArrayBuffer, no interrupt buffer needed).
//
// In:  {type: "boot", config}  |  {type: "run", id, code, filename, config}
//      config = {indexURL, lockURL, packagesURL, snippetsURL, library}: absolute URLs computed by the page,
//      and the book's library modules (extra.book.library in mkdocs.yml)
// Out: {type: "progress", stage: "download" | "start" | "packages" | "run", loaded, total, names}
//      {type: "ready"}  {type: "out", id, stream, text}  {type: "capped", id}  {type: "done", id, ok}
//      {type: "packages-failed", id, names, urls, reason}  {type: "fatal", message, crashed}  (the page then
//      terminates this worker and the next Run starts a new one)

const MAX_LINES = 2000;   // lines of output sent to the page per run; the rest is dropped (the page says so)
const STALL_MS = 10000;   // a download that receives nothing for this long is given up
const HOME = "/home/pyodide";

let config = null;
let pyodide = null;
let runPython = null;       // _runner_run of PRELUDE, as a JS function
let booting = null;         // promise of the booted runtime
let run = null;             // the run in progress: {id, lines}
let packageError = null;    // why the last package download failed
const downloads = new Map();  // url -> {loaded, total, done}, for the progress line
const snippetFiles = new Set();  // files of the book's snippets/ already written into Pyodide's file system

const post = (message) => self.postMessage(message);

// --- downloads: progress, stall timeout, integrity ----------------------------------------------
// Pyodide fetches its files with the global fetch(); we wrap it to report progress (the progress
// line says how many MB of the runtime have arrived), to give up on a stalled connection, and to
// turn a failed runtime download into a "fatal" message (Pyodide itself would wait forever).
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

self.fetch = async (input, init = {}) => {
  const url = new URL(input instanceof Request ? input.url : String(input), self.location.href).href;
  const runtime = [config.indexURL + "pyodide.asm.wasm", config.indexURL + "python_stdlib.zip", config.lockURL]
    .includes(url);
  const stage = runtime ? "download" : "packages";
  const { integrity, ...options } = init;
  const abort = new AbortController();
  let timer;
  const arm = () => { timer = setTimeout(() => abort.abort(), STALL_MS); };
  const fail = (reason) => {
    clearTimeout(timer);
    const message = `${url}: ${reason}`;
    if (runtime) post({ type: "fatal", message });
    else packageError = reason;
    return new Error(message);
  };
  arm();
  let response;
  try {
    response = await realFetch(url, { ...options, signal: abort.signal });
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
    throw fail("its sha256 is not the one in pyodide-lock.json");
  }
  return new Response(bytes, { status: response.status, statusText: response.statusText, headers: response.headers });
};

// --- Python ------------------------------------------------------------------------------------
// Each run is a fresh `__main__`, as `python file.py` would be; the interpreter (and what it has
// imported) lives on, so a second run needs neither download nor boot. A traceback starts at the
// reader's own code: the frames of this runner and of Pyodide are dropped.
const PRELUDE = `
import linecache, os, sys, traceback

sys.path.insert(0, "${HOME}")   # the library modules, next to the code as in snippets/, data/ beside them

def _runner_run(code, filename, library):
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
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

async function boot() {
  post({ type: "progress", stage: "download", loaded: 0, total: 0 });
  const { loadPyodide } = await import(config.indexURL + "pyodide.mjs");
  const py = await loadPyodide({
    indexURL: config.indexURL,
    lockFileURL: config.lockURL,
    ...(config.packagesURL ? { packageBaseUrl: config.packagesURL } : {}),
    env: { HOME },
  });
  py.setStdout({ write: stdout.write });
  py.setStderr({ write: stderr.write });
  py.setStdin({ stdin: () => null });    // no keyboard here: input() raises EOFError
  py.FS.mkdirTree(`${HOME}/data`);
  py.runPython(PRELUDE);
  runPython = py.globals.get("_runner_run");
  post({ type: "ready" });
  return py;
}

// The book's library modules (extra.book.library) and their data reach Pyodide from the site's
// vendor/snippets/, served by hooks/vendor.py straight from snippets/: the files the tests check are
// the files that run here, laid out as in snippets/ (modules beside the code, data/ below).
// (Registering them as a wheel in the lock would need `pyodide lockfile add-wheels`, i.e.
// pyodide-build, which needs Python >= 3.12, and a rebuilt wheel at every edit.)
async function provide(file) {
  if (snippetFiles.has(file)) return pyodide.FS.readFile(`${HOME}/${file}`, { encoding: "utf8" });
  const response = await realFetch(config.snippetsURL + file);
  if (!response.ok) throw new Error(`${config.snippetsURL + file}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  pyodide.FS.writeFile(`${HOME}/${file}`, bytes);
  snippetFiles.add(file);
  return new TextDecoder().decode(bytes);
}

// The library modules the code imports (and that those import), and the data/ files any of them names;
// returns the code with the modules' text appended, so that their own imports (numpy) are loaded too.
async function provideLibrary(code) {
  let source = code;
  const done = new Set();
  for (;;) {
    const imports = pyodide.pyodide_py.code.find_imports(source).toJs();
    const wanted = config.library.filter((name) => imports.includes(name) && !done.has(name));
    if (!wanted.length) break;
    for (const name of wanted) {
      done.add(name);
      source += "\n" + await provide(`${name}.py`);
    }
  }
  if (!done.size) return code;
  for (const m of source.matchAll(/\bdata\/([\w.-]+\.(?:json|txt))\b/g)) await provide("data/" + m[1]);
  return source;
}

// Packages of Pyodide's lock (numpy) that the code imports, loaded with the lock's sha256.
async function loadPackages(id, code) {
  const byImport = new Map();
  for (const pkg of Object.values(pyodide.lockfile.packages)) {
    for (const name of pkg.imports || []) byImport.set(name, pkg);
  }
  const imports = pyodide.pyodide_py.code.find_imports(code).toJs();
  const wanted = [...new Set(imports.map((name) => byImport.get(name)).filter(Boolean))]
    .filter((pkg) => !(pkg.name in pyodide.loadedPackages));
  if (!wanted.length) return true;
  const names = wanted.map((pkg) => pkg.name);
  downloads.clear();
  packageError = null;
  post({ type: "progress", stage: "packages", names, loaded: 0, total: 0 });
  const errors = [];
  await pyodide.loadPackage(names, { messageCallback: () => {}, errorCallback: (m) => errors.push(m) });
  const missing = wanted.filter((pkg) => !(pkg.name in pyodide.loadedPackages));
  if (!missing.length) return true;
  const base = config.packagesURL || config.lockURL;
  post({
    type: "packages-failed", id, names: missing.map((pkg) => pkg.name),
    urls: missing.map((pkg) => new URL(pkg.file_name, base).href),
    reason: packageError || errors.join(" ") || "unknown error",
  });
  return false;
}

async function runCode({ id, code, filename }) {
  pyodide = await booting;
  const source = await provideLibrary(code);
  if (!await loadPackages(id, source)) { post({ type: "done", id, ok: false }); return; }
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
  booting ??= boot();
  queue = queue.then(() => (data.type === "run" ? runCode(data) : booting)).catch((error) => {
    post({ type: "fatal", message: String(error && error.message || error) });
  });
};
