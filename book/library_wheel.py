"""The book's Python for the browser: the library modules declared in mkdocs.yml (extra.book.library), with
the data/ they read, as one pure-Python wheel in the site's own Pyodide lock.

    python -m book pyodide-lock        # make pyodide-lock: after changing a library module or its data

writes, in pyodide-packages/ (served as vendor/pyodide-packages/ by hooks/vendor.py; both files committed):

    book_library-1.0+<hash>-py3-none-any.whl   the modules at the top, data/ beside them, as in snippets/, and
                                               in its .dist-info/licenses/ what they come under (licences())
    pyodide-lock.json                          Pyodide's lock (node_modules/pyodide) plus that wheel

The wheel is packed by `wheel pack` and the lock written by pyodide-build (`pyodide lockfile add-wheels`),
which needs Python >= 3.12: they run in a small tool environment, .venv-pyodide/, made from the first
python3.12+ found on PATH or among pyenv's versions. Nothing else needs it: the site builds and `make serve`
runs with Python 3.11 alone, and `stale()` (a test, with 3.11) says when the committed files no longer match.

The in-page runner loads the wheel as Pyodide loads numpy: `loadPackagesFromImports` finds `import numpy_nn`
among the lock's `imports`, and Pyodide's loader checks the file against the lock's sha256. <hash> is the
hash of the wheel's contents, so a new build never meets an old wheel in a browser's cache.
"""
import ast
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from . import runtime

NAME = "book_library"
TOOLS = ".venv-pyodide"
PINS = "requirements/pyodide-build.txt"
EPOCH = "315532800"                             # 1980-01-01: the same sources give the same wheel, byte for byte
# pyodide-lock's PackageSpec defaults: pyodide-build writes every entry with them, whether or not Pyodide's own
# lock spells them out (314.0.3's has no `tool`), so entries are compared as pyodide-build normalises them.
ENTRY_DEFAULTS = {"sha256": "", "package_type": "package", "imports": [], "depends": [], "unvendored_tests": False,
                  "tool": {}}


def contents(book):
    """What the wheel holds: {path in the wheel: bytes}, the library modules and the data they read."""
    files = {path.name: path.read_bytes() for path in book.library_files()}
    files.update({f"data/{path.name}": path.read_bytes() for path in book.data_files()})
    return dict(sorted(files.items()))


def licences(book):
    """The wheel's licence files, {path in its .dist-info: bytes}: the code's MIT licence, the GPL that a data
    file comes under (the corpus of lesson 7), and snippets/data/README.md, which says which file that is and
    where it comes from (LICENSE-text.md)."""
    return {"licenses/LICENSE": (book.root / "LICENSE").read_bytes(),
            "licenses/LICENSE-GPL-3.0.txt": (book.root / "LICENSE-GPL-3.0.txt").read_bytes(),
            "licenses/data-README.md": (book.data / "README.md").read_bytes()}


def version(book):
    digest = hashlib.sha256()
    for name, data in {**contents(book), **licences(book)}.items():
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return "1.0+" + digest.hexdigest()[:12]


def wheel_name(book):
    return f"{NAME}-{version(book)}-py3-none-any.whl"


def requires(book):
    """The packages of Pyodide's lock that the modules import (numpy): the wheel's Requires-Dist."""
    lock = json.loads((runtime.pyodide_folder(book) / "pyodide-lock.json").read_text())
    by_import = {name: pkg["name"] for pkg in lock["packages"].values() for name in pkg.get("imports", [])}
    found = set()
    for path in book.library_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level
                     else [])
            found.update(by_import[n.split(".")[0]] for n in names if n.split(".")[0] in by_import)
    return sorted(found)


def metadata(book):
    lines = ["Metadata-Version: 2.1", f"Name: {NAME}", f"Version: {version(book)}",
             "Summary: The book's library modules and their data, for the in-page runner (book/library_wheel.py)",
             "License: MIT, except the data that licenses/data-README.md names: GPL-3.0-or-later"]
    return "\n".join(lines + [f"Requires-Dist: {name}" for name in requires(book)]) + "\n"


# --- building (Python >= 3.12, in the tool environment) ------------------------------------------------------
def find_python():
    """A python3.12+ on PATH or among pyenv's versions, or None."""
    names = [shutil.which(f"python3.{minor}") for minor in range(20, 11, -1)]
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    if pyenv.is_dir():
        names += [str(p / "bin" / "python3") for p in sorted(pyenv.iterdir(), reverse=True)]
    for name in filter(None, names):
        try:
            out = subprocess.run([name, "-c", "import sys; print(sys.version_info >= (3, 12))"],
                                 capture_output=True, text=True, timeout=30).stdout
        except OSError:
            continue
        if out.strip() == "True":
            return name
    return None


def tools(book):
    """The tool environment's bin/ (made on first use), or SystemExit saying in one line what to install."""
    venv = book.root / TOOLS
    pins = (book.root / PINS).read_bytes()
    stamp = venv / "pins.txt"                      # the pins it was made from: new pins, a new environment
    if not (venv / "bin" / "pyodide").exists() or not stamp.is_file() or stamp.read_bytes() != pins:
        python = find_python()
        if python is None:
            raise SystemExit("pyodide-build needs Python >= 3.12: install python3.12 (or `pyenv install 3.12`), "
                             "then run `make pyodide-lock` again")
        subprocess.run([python, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "-r", str(book.root / PINS)], check=True,
                       env=dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1"))
        stamp.write_bytes(pins)
    return venv / "bin"


def build(book):
    """Pack the wheel and write the site's lock; return the two paths."""
    bin_ = tools(book)
    target = runtime.packages_folder(book)
    target.mkdir(exist_ok=True)
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    with tempfile.TemporaryDirectory() as tmp:
        unpacked = Path(tmp) / "unpacked"
        info = unpacked / f"{NAME}-{version(book)}.dist-info"
        info.mkdir(parents=True)
        for name, data in contents(book).items():
            (unpacked / name).parent.mkdir(parents=True, exist_ok=True)
            (unpacked / name).write_bytes(data)
        (info / "METADATA").write_text(metadata(book))
        for name, data in licences(book).items():
            (info / name).parent.mkdir(parents=True, exist_ok=True)
            (info / name).write_bytes(data)
        (info / "WHEEL").write_text("Wheel-Version: 1.0\nGenerator: book (wheel pack)\nRoot-Is-Purelib: true\n"
                                    "Tag: py3-none-any\n")
        (info / "top_level.txt").write_text("".join(f"{name}\n" for name in book.library))
        for path in unpacked.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        subprocess.run([str(bin_ / "wheel"), "pack", "-d", tmp, str(unpacked)], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        for old in target.glob(f"{NAME}-*.whl"):
            old.unlink()
        wheel = target / wheel_name(book)
        shutil.copyfile(Path(tmp) / wheel.name, wheel)
    lock = runtime.lock_file(book)
    subprocess.run([str(bin_ / "pyodide"), "lockfile", "add-wheels", "--input",
                    str(runtime.pyodide_folder(book) / "pyodide-lock.json"), "--output", str(lock),
                    "--base-path", str(target), str(wheel)], check=True, env=env)
    lock.write_text(one_package_a_line(json.loads(lock.read_text())))
    return wheel, lock


def one_package_a_line(lock):
    """The lock as JSON with one package a line, in pyodide-build's order: a review diff shows what changed."""
    lines = [f'{{"info": {json.dumps(lock["info"], sort_keys=True)},', '"packages": {']
    names = sorted(lock["packages"])
    lines += [f"{json.dumps(name)}: {json.dumps(lock['packages'][name], sort_keys=True)}"
              + ("," if i < len(names) - 1 else "") for i, name in enumerate(names)]
    rest = "".join(f", {json.dumps(key)}: {json.dumps(value, sort_keys=True)}"
                   for key, value in sorted(lock.items()) if key not in ("info", "packages"))
    return "\n".join(lines) + "\n}" + rest + "}\n"


def normalised(entry):
    """A lock entry as pyodide-build writes it (ENTRY_DEFAULTS filled in; the deprecated shared_library dropped)."""
    return {**ENTRY_DEFAULTS, **{k: v for k, v in entry.items() if k != "shared_library"}}


# --- checking (any Python) ----------------------------------------------------------------------------------
def stale(book):
    """What no longer matches in the committed wheel and lock: a list of sentences, empty when current."""
    folder, lock_file = runtime.packages_folder(book), runtime.lock_file(book)
    wheel = folder / wheel_name(book)
    if not wheel.is_file():
        return [f"{book.rel(wheel)} is missing (the library modules or their data changed)"]
    problems = []
    info = f"{NAME}-{version(book)}.dist-info/"
    with zipfile.ZipFile(wheel) as z:
        held = {n: z.read(n) for n in z.namelist() if ".dist-info/" not in n}
        meta = z.read(f"{info}METADATA").decode()
        licensed = {n[len(info):]: z.read(n) for n in z.namelist() if n.startswith(f"{info}licenses/")}
    if held != contents(book):
        problems.append(f"{book.rel(wheel)} does not hold the current library modules and data")
    if licensed != licences(book):
        problems.append(f"{book.rel(wheel)} does not hold the current licences (.dist-info/licenses/)")
    if meta != metadata(book):
        problems.append(f"{book.rel(wheel)}: its METADATA is not the current one")
    if not lock_file.is_file():
        return problems + [f"{book.rel(lock_file)} is missing"]
    lock = json.loads(lock_file.read_text())
    pyodides_lock = json.loads((runtime.pyodide_folder(book) / "pyodide-lock.json").read_text())
    entry = lock["packages"].get(NAME.replace("_", "-"), lock["packages"].get(NAME))
    if not entry or entry["file_name"] != wheel.name:
        problems.append(f"{book.rel(lock_file)} does not list {wheel.name}")
    elif entry["sha256"] != hashlib.sha256(wheel.read_bytes()).hexdigest():
        problems.append(f"{book.rel(lock_file)}: the sha256 of {wheel.name} is not the wheel's")
    elif sorted(entry["imports"]) != sorted(book.library) or sorted(entry["depends"]) != requires(book):
        problems.append(f"{book.rel(lock_file)}: {wheel.name}'s imports or depends are not the library's")
    others = {name: normalised(pkg) for name, pkg in lock["packages"].items() if pkg is not entry}
    pyodides = {name: normalised(pkg) for name, pkg in pyodides_lock["packages"].items()}
    if others != pyodides or lock["info"] != pyodides_lock["info"]:
        problems.append(f"{book.rel(lock_file)} is not Pyodide {runtime.version(book)}'s lock "
                        "(node_modules/pyodide) plus the book's wheel")
    elif lock_file.read_text() != one_package_a_line(lock):
        problems.append(f"{book.rel(lock_file)} is not written one package a line, as `make pyodide-lock` "
                        "writes it")
    if len(list(folder.glob(f"{NAME}-*.whl"))) > 1:
        problems.append(f"{runtime.PACKAGES}/ holds more than one {NAME} wheel")
    return problems


def main(book):
    wheel, lock = build(book)
    problems = stale(book)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    print(f"wrote {book.rel(wheel)} and {book.rel(lock)}: commit both")
    return 0
