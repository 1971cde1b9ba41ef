"""The book's wheel and the site's Pyodide lock (book/library_wheel.py): committed, current, and what
pyodide-build writes.

With Python 3.11 alone, `stale()` compares the committed files with the sources (the wheel's files, its
METADATA, the lock's entry and sha256, the rest of the lock against Pyodide's). Where a Python >= 3.12 is
found (this machine: pyenv's 3.12), a copy of the book runs `python -m book pyodide-lock` itself and must
write the same bytes.
"""
import hashlib
import importlib.util
import json
import logging
import shutil
import subprocess
import sys
import zipfile
from types import SimpleNamespace

import pytest

from book import Book, library_wheel, runtime
from conftest import BOOK, ROOT

NO_PYTHON312 = library_wheel.find_python() is None


def test_the_committed_wheel_and_lock_are_current():
    assert library_wheel.stale(BOOK) == [], "run `make pyodide-lock` and commit pyodide-packages/"


def test_the_wheel_holds_the_library_and_its_data_as_in_snippets():
    with zipfile.ZipFile(runtime.packages_folder(BOOK) / library_wheel.wheel_name(BOOK)) as z:
        names = set(z.namelist())
    assert {f"{name}.py" for name in BOOK.library} <= names
    assert {f"data/{path.name}" for path in BOOK.data_files()} <= names
    assert "data/README.md" not in names
    entry = json.loads(runtime.lock_file(BOOK).read_text())["packages"]["book-library"]
    assert entry["depends"] == ["numpy"] and sorted(entry["imports"]) == sorted(BOOK.library)


def test_the_wheel_carries_the_licences_of_what_it_holds():
    """The wheel carries lesson 7's corpus, which is GPL-3.0-or-later, beside MIT code (LICENSE-text.md): both
    licences, and the data README that names the corpus, are in its .dist-info/licenses/; METADATA says so."""
    info = f"{library_wheel.NAME}-{library_wheel.version(BOOK)}.dist-info/"
    with zipfile.ZipFile(runtime.packages_folder(BOOK) / library_wheel.wheel_name(BOOK)) as z:
        held = {n[len(info):]: z.read(n) for n in z.namelist() if n.startswith(f"{info}licenses/")}
        meta = z.read(f"{info}METADATA").decode()
    assert held == library_wheel.licences(BOOK)
    assert "License: MIT, except the data that licenses/data-README.md names: GPL-3.0-or-later\n" in meta
    assert held["licenses/LICENSE"].startswith(b"MIT License")
    assert held["licenses/LICENSE-GPL-3.0.txt"].split()[:5] == [b"GNU", b"GENERAL", b"PUBLIC", b"LICENSE", b"Version"]
    readme = held["licenses/data-README.md"].decode()
    assert "`tang_poems.txt` is **not** under the book's MIT licence" in readme and "GPL-3.0-or-later" in readme


@pytest.fixture()
def copy(pristine, tmp_path):
    root = tmp_path / "book"
    shutil.copytree(pristine, root, symlinks=True)
    return Book(root)


def test_a_changed_module_or_data_file_makes_them_stale(copy):
    assert library_wheel.stale(copy) == []
    with open(copy.data / "hello_rnn_init.json", "a") as f:
        f.write(" ")
    assert library_wheel.stale(copy) == [f"pyodide-packages/{library_wheel.wheel_name(copy)} is missing "
                                         "(the library modules or their data changed)"]
    lock = json.loads(runtime.lock_file(BOOK).read_text())
    lock["packages"]["numpy"]["sha256"] = "0" * 64
    runtime.lock_file(copy).write_text(library_wheel.one_package_a_line(lock))
    (copy.data / "hello_rnn_init.json").write_bytes((BOOK.data / "hello_rnn_init.json").read_bytes())
    assert library_wheel.stale(copy) == [f"pyodide-packages/pyodide-lock.json is not Pyodide {runtime.version(BOOK)}'s "
                                         "lock (node_modules/pyodide) plus the book's wheel"]
    lock["packages"]["numpy"]["sha256"] = json.loads(runtime.lock_file(BOOK).read_text())["packages"]["numpy"][
        "sha256"]
    runtime.lock_file(copy).write_text(json.dumps(lock))            # the same lock on one line, as pyodide-build writes
    assert library_wheel.stale(copy) == ["pyodide-packages/pyodide-lock.json is not written one package a line, as "
                                         "`make pyodide-lock` writes it"]


def test_a_stale_wheel_fails_the_strict_build_with_the_fix(copy, caplog):
    """hooks/vendor.py warns (a warning fails `mkdocs build --strict`: make build, make serve, CI) in one line that
    ends with the fix; a current wheel, nothing."""
    spec = importlib.util.spec_from_file_location("vendor_hook", ROOT / "hooks" / "vendor.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    config = SimpleNamespace(config_file_path=str(copy.root / "mkdocs.yml"))
    with caplog.at_level(logging.INFO, logger="mkdocs.hooks.vendor"):
        hook.on_pre_build(config)
        assert caplog.records == []
        with open(copy.data / "hello_rnn_init.json", "a") as f:
            f.write(" ")
        hook.on_pre_build(config)
    [record] = caplog.records
    assert record.name == "mkdocs.hooks.vendor" and record.levelno == logging.WARNING
    assert record.getMessage() == (f"pyodide-packages/{library_wheel.wheel_name(copy)} is missing (the library "
                                   "modules or their data changed): run `make pyodide-lock` and commit "
                                   "pyodide-packages/")


def test_the_lock_is_pyodides_own_as_pyodide_build_normalises_it():
    """Pyodide's lock may leave out fields that pyodide-build writes with their defaults (314.0.3's: `tool`)."""
    pyodides = json.loads((runtime.pyodide_folder(BOOK) / "pyodide-lock.json").read_text())["packages"]
    site = json.loads(runtime.lock_file(BOOK).read_text())["packages"]
    assert set(site) - set(pyodides) == {"book-library"}
    assert all(site[name] == library_wheel.normalised(entry) for name, entry in pyodides.items())


def test_without_python312_the_command_says_what_to_install(copy, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = subprocess.run([sys.executable, "-m", "book", "pyodide-lock"], cwd=copy.root, capture_output=True,
                            text=True, env={"PATH": str(empty), "PYENV_ROOT": str(empty), "HOME": str(empty)})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "pyodide-build needs Python >= 3.12: install python3.12 (or `pyenv install 3.12`), "
        "then run `make pyodide-lock` again"]


@pytest.mark.skipif(NO_PYTHON312, reason="no Python >= 3.12 here: pyodide-build cannot run")
def test_pyodide_build_writes_the_committed_wheel_and_lock(copy):
    tools = library_wheel.tools(BOOK)                      # the checkout's tool environment, made once
    (copy.root / library_wheel.TOOLS).symlink_to(tools.parent)
    for path in runtime.packages_folder(copy).iterdir():
        path.unlink()
    result = subprocess.run([sys.executable, "-m", "book", "pyodide-lock"], cwd=copy.root, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    name = library_wheel.wheel_name(BOOK)
    assert sorted(p.name for p in runtime.packages_folder(copy).iterdir()) == sorted([name, "pyodide-lock.json"])
    members = [{n: z.read(n) for n in z.namelist()}
               for z in map(zipfile.ZipFile, (runtime.packages_folder(book) / name for book in (copy, BOOK)))]
    assert members[0] == members[1]        # the same files, byte for byte (the deflated zip may differ with zlib)
    written, committed = (json.loads(runtime.lock_file(book).read_text()) for book in (copy, BOOK))
    sha = hashlib.sha256((runtime.packages_folder(copy) / name).read_bytes()).hexdigest()
    assert written["packages"]["book-library"].pop("sha256") == sha
    committed["packages"]["book-library"].pop("sha256")
    assert written == committed
