"""Every snippet runs, and the output a page shows under it is the output it prints now."""
import pytest

import _outputs

EXAMPLES = _outputs.examples()


def test_there_are_snippets():
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_snippet_output_is_current(path):
    shown = _outputs.output_path(path)
    assert shown.exists(), f"{shown} is missing: run `make outputs`"
    assert _outputs.run(path) == shown.read_text(), (
        f"{path.name} no longer prints what the page shows: run `make outputs` and review the diff")


def test_every_output_has_its_snippet():
    stems = {p.stem for p in EXAMPLES}
    orphans = [p.name for p in _outputs.OUT.glob("*.txt") if p.stem not in stems]
    assert not orphans, f"outputs without a snippet: {orphans}"
