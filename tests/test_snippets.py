"""Every snippet runs, and the output a page shows under it is the output it prints now."""
import pytest

from book import checks, notebooks, snippets
from conftest import BOOK, LANGS, ROOT

EXAMPLES = snippets.examples(BOOK)
# Snippets that train for about a minute (lesson 8's 76 trainings) are not run a second time here: the run their
# output is compared with is the lesson notebook's, of the same code (`make notebooks`, which `make test` runs
# first, cached by code; tests/test_notebooks.py checks that the cell is the file). `make check` runs them too.
FROM_NOTEBOOK = {"recall_cells"}


def test_there_are_snippets():
    assert len(EXAMPLES) >= 8 and FROM_NOTEBOOK <= {p.stem for p in EXAMPLES}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_snippet_output_is_current(path):
    shown = snippets.output_path(BOOK, path)
    assert shown.exists(), f"{shown} is missing: run `make outputs`"
    if path.stem in FROM_NOTEBOOK:
        printed = notebook_runs(path)
        assert printed, f"no lesson notebook runs {path.name}"
        assert all(run == shown.read_text(encoding="utf-8") for run in printed), f"{shown} is not what it prints"
        return
    assert not [str(p) for p in checks.outputs_are_current(BOOK, only={path.stem})]


def notebook_runs(path):
    """What the cell holding `path` printed in each lesson notebook (each language) that runs it: its current run."""
    notebooks.run_all(BOOK)
    spec, printed = path.relative_to(ROOT).as_posix(), []
    for lang in LANGS:
        for slug in BOOK.lessons():
            for cell in notebooks.build(BOOK, lang, slug).cells:
                if cell.cell_type == "code" and cell.metadata.get("snippet") == spec:
                    printed.append("".join(o.text for o in cell.outputs if o.get("name") == "stdout"))
    return printed


def test_the_library_is_not_run_as_an_example():
    assert BOOK.library and not set(BOOK.library_files()) & set(EXAMPLES)
    assert all(path.is_file() for path in BOOK.library_files())
