"""Every snippet runs, and the output a page shows under it is the output it prints now."""
import pytest

from book import checks, snippets
from conftest import BOOK

EXAMPLES = snippets.examples(BOOK)
# Snippets that train for about a minute (lesson 8's 76 trainings): slow, so `make test-fast` leaves them to
# `make test` and `make check`; the others take seconds.
SLOW = {"recall_cells"}


def test_there_are_snippets():
    assert len(EXAMPLES) >= 8 and SLOW <= {p.stem for p in EXAMPLES}


@pytest.mark.parametrize("path", [pytest.param(p, marks=pytest.mark.slow) if p.stem in SLOW else p for p in EXAMPLES],
                         ids=lambda p: p.stem)
def test_snippet_output_is_current(path):
    shown = snippets.output_path(BOOK, path)
    assert shown.exists(), f"{shown} is missing: run `make outputs`"
    assert not [str(p) for p in checks.outputs_are_current(BOOK, only={path.stem})]


def test_the_library_is_not_run_as_an_example():
    assert BOOK.library and not set(BOOK.library_files()) & set(EXAMPLES)
    assert all(path.is_file() for path in BOOK.library_files())
