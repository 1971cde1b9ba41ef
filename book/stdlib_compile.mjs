// Pyodide's standard library compiled to bytecode by Pyodide itself, under node (book/stdlib.py says why).
//
//     node book/stdlib_compile.mjs node_modules/pyodide OUT.zip
//
// The modules Python imports while Pyodide and the runner's prelude start get a .pyc beside their .py in
// OUT.zip, compiled by the interpreter that will run it, so its magic number is right by construction
// (zipimport takes a .pyc before a .py). The .pyc files are hash-based and unchecked: the zip is read-only.
// Every .py stays, so a traceback through the standard library shows its source lines as in CPython, and
// the zip grows only by the compiled modules. Other files are copied as they are, dates included: the same
// input always gives the same zip.
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [runtime, out] = process.argv.slice(2).map((path) => resolve(path));
const { loadPyodide } = await import(pathToFileURL(join(runtime, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: runtime + "/", stdout: () => {}, stderr: (line) => console.error(line) });
pyodide.FS.writeFile("/tmp/source.zip", readFileSync(join(runtime, "python_stdlib.zip")));
pyodide.runPython(`
import importlib.util, marshal, sys, zipfile

import linecache, os, sysconfig, traceback                  # what runner-worker.js's prelude imports,
sysconfig.get_path("purelib")                               # and what its first run does (_sysconfigdata_*)

ARCHIVE = next(p for p in sys.path if p.endswith(".zip"))   # where Pyodide puts python_stdlib.zip
UNCHECKED_HASH = (0b01).to_bytes(4, "little")               # PEP 552: hash-based, source never checked
AT_BOOT = {m.__file__[len(ARCHIVE) + 1:] for m in list(sys.modules.values())
           if (getattr(m, "__file__", None) or "").startswith(ARCHIVE + "/")}

with zipfile.ZipFile("/tmp/source.zip") as source, zipfile.ZipFile("/tmp/compiled.zip", "w") as compiled:
    for info in source.infolist():
        data = source.read(info)
        compiled.writestr(info, data)
        if info.filename in AT_BOOT:
            code = compile(data, f"{ARCHIVE}/{info.filename}", "exec", dont_inherit=True)
            pyc = importlib.util.MAGIC_NUMBER + UNCHECKED_HASH + importlib.util.source_hash(data) + marshal.dumps(code)
            compiled.writestr(zipfile.ZipInfo(info.filename + "c", info.date_time), pyc, zipfile.ZIP_DEFLATED)
`);
writeFileSync(out, pyodide.FS.readFile("/tmp/compiled.zip"));
