// Pyodide's standard library compiled to bytecode by Pyodide itself, under node (book/stdlib.py says why).
//
//     node book/stdlib_compile.mjs node_modules/pyodide OUT.zip
//
// Every module of python_stdlib.zip becomes a .pyc in OUT.zip in place of its .py (as `pyodide py-compile`
// does for Pyodide's own packages), compiled by the interpreter that will run it, so its magic number
// is right by construction. The .pyc files are hash-based and unchecked, as no source is left beside them;
// their code names the path the source would have had (/lib/python3XX.zip/...), so tracebacks read the same.
// Other files are copied as they are, dates included: the same input always gives the same zip.
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [runtime, out] = process.argv.slice(2).map((path) => resolve(path));
const { loadPyodide } = await import(pathToFileURL(join(runtime, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: runtime + "/", stdout: () => {}, stderr: (line) => console.error(line) });
pyodide.FS.writeFile("/tmp/source.zip", readFileSync(join(runtime, "python_stdlib.zip")));
pyodide.runPython(`
import importlib.util, marshal, sys, zipfile

ARCHIVE = next(p for p in sys.path if p.endswith(".zip"))   # where Pyodide puts python_stdlib.zip
UNCHECKED_HASH = (0b01).to_bytes(4, "little")               # PEP 552: hash-based, source never checked

with zipfile.ZipFile("/tmp/source.zip") as source, zipfile.ZipFile("/tmp/compiled.zip", "w") as compiled:
    for info in source.infolist():
        data = source.read(info)
        if info.filename.endswith(".py"):
            try:
                code = compile(data, f"{ARCHIVE}/{info.filename}", "exec", dont_inherit=True)
            except SyntaxError:                            # none in Pyodide 314; kept as source if one comes
                compiled.writestr(info, data)
                continue
            pyc = importlib.util.MAGIC_NUMBER + UNCHECKED_HASH + importlib.util.source_hash(data) + marshal.dumps(code)
            compiled.writestr(zipfile.ZipInfo(info.filename + "c", info.date_time), pyc, zipfile.ZIP_DEFLATED)
        else:
            compiled.writestr(info, data)
`);
writeFileSync(out, pyodide.FS.readFile("/tmp/compiled.zip"));
