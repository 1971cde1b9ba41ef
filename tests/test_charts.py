"""Figures drawn from what snippets print (book/charts.py): the table read, the lines drawn, the pages that ask."""
import base64
import re

import pytest

from book import charts, notebooks
from book.pages import Page
from conftest import BOOK, LANGS, page_path

OUTPUT = """training
  k     A      B
  0   1.0e-04  0.5
 10   1.0e-02  0.25
 20   1.0e+00  1.0

accuracy
  N   A
  1  0.5
"""
POINT = re.compile(r"(-?[\d.]+),(-?[\d.]+)")


def polylines(svg):
    """[[(x, y), ...] per drawn line] of a chart's SVG."""
    return [[tuple(map(float, p)) for p in POINT.findall(points)] for points in re.findall(r'points="([^"]*)"', svg)]


def test_a_table_is_found_by_its_header_and_ends_at_a_blank_line():
    assert charts.table(OUTPUT, "k") == {"k": [0, 10, 20], "A": [1e-4, 1e-2, 1], "B": [0.5, 0.25, 1]}
    assert charts.table(OUTPUT, "N") == {"N": [1], "A": [0.5]}


@pytest.mark.parametrize("text, first, message", [
    (OUTPUT, "T", "no table whose header starts with 'T'"),
    ("k A\n0 1\n1 2 3\n", "k", "does not have 2 numbers"),
])
def test_a_table_that_is_not_there_is_an_error(text, first, message):
    with pytest.raises(charts.ChartError, match=re.escape(message)):
        charts.table(text, first)


def test_every_column_is_a_line_through_its_numbers():
    data = charts.table(OUTPUT, "k")
    svg = charts.svg(data, "k", ["A", "B"], log=False, label="two lines")
    lines = polylines(svg)
    assert len(lines) == 2 and all(len(line) == 3 for line in lines)
    for line, column in zip(lines, ["A", "B"]):
        xs, ys = zip(*line)
        assert xs == tuple(sorted(xs))                       # k grows to the right
        order = sorted(range(3), key=lambda i: data[column][i])
        assert sorted(range(3), key=lambda i: -ys[i]) == order   # larger numbers are drawn higher
    assert 'role="img" aria-label="two lines"' in svg


def test_a_log_scale_spaces_decades_evenly():
    (line,) = polylines(charts.svg(charts.table(OUTPUT, "k"), "k", ["A"], log=True))
    (_, y0), (_, y1), (_, y2) = line
    assert y0 - y1 == pytest.approx(y1 - y2, abs=0.2)       # 1e-4 -> 1e-2 -> 1: equal steps
    with pytest.raises(charts.ChartError, match="above 0"):
        charts.svg({"k": [0, 1], "A": [0, 1]}, "k", ["A"], log=True)


def test_a_missing_column_is_an_error():
    with pytest.raises(charts.ChartError, match=r"no column \['C'\]"):
        charts.svg(charts.table(OUTPUT, "k"), "k", ["C"])


def chart_divs():
    """(lang, page, div) of every chart the pages ask for."""
    return [(lang, name, m.group(0)) for lang in LANGS for name in BOOK.pages(lang)
            for m in charts.CHART.finditer(Page(BOOK, lang, name).text)]


def test_some_lesson_draws_a_chart():
    assert chart_divs()


@pytest.mark.parametrize("lang, name, div", chart_divs())
def test_every_chart_on_a_page_is_drawn_from_its_snippets_output(site, lang, name, div):
    """The built page holds the SVG of the snippet's current output, in place of the div."""
    built = page_path(site, lang, name.removesuffix(".md")).read_text(encoding="utf-8")
    assert 'class="book-chart"' in built and "<div class=\"book-chart\"" not in built
    svg = charts.chart(div, BOOK.outputs)
    assert svg in built
    attrs = dict(charts.ATTR.findall(div))
    assert attrs.get("label") and attrs.get("x") and attrs.get("y"), "a chart needs its axes and a text alternative"


@pytest.mark.parametrize("lang", LANGS)
def test_a_notebook_carries_its_lessons_charts_as_pictures(lang):
    """Outside the site there is no stylesheet: the chart travels as an SVG with its own colours."""
    names = sorted({name for lang_, name, _ in chart_divs() if lang_ == lang})
    for name in names:
        nb = notebooks.build(BOOK, lang, name.removesuffix(".md").split("/")[-1], "http://example.org/")
        svgs = [base64.b64decode(a["image/svg+xml"]) for cell in nb.cells
                for a in cell.get("attachments", {}).values()]
        drawn = [s for s in svgs if b'class="book-chart"' in s]
        assert len(drawn) == sum(1 for lang_, n, _ in chart_divs() if (lang_, n) == (lang, name))
        assert all(b"<style>" in s for s in drawn)
