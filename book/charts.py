"""Figures drawn from what a snippet prints: a line chart of a table in snippets/out/<name>.txt.

A page asks for one with an empty div, and the build puts an inline SVG in its place:

    <div class="book-chart" data-snippet="recall_cells" data-table="k" data-columns="RNN GRU LSTM"
         data-scale="log" data-x="k" data-y="‖∂L/∂h_k‖" data-label="..."></div>

The table is the first one in the output whose header row starts with `data-table`: a header of
column names, then rows of numbers, up to the first line that is not one. `data-columns` picks the
lines to draw (default: every column); `data-scale` is `log` or `linear`; `data-x` and `data-y` label
the axes, `data-label` is the figure's text alternative (in the page's language). The numbers are never
typed: change the snippet, run `make outputs`, and the figure follows. Colours and line styles come from
the palette (`--book-series-N` in palette.css), so dark mode and print just work.
"""
import html
import math
import re

CHART = re.compile(r'<div class="book-chart"([^>]*)></div>')
ATTR = re.compile(r'data-([\w-]+)="([^"]*)"')
ATTR_LABEL = re.compile(r'data-label="([^"]*)"')   # a chart's text alternative
WIDTH, HEIGHT = 520, 320
LEFT, RIGHT, TOP, BOTTOM = 78, 112, 16, 48          # margins: axis labels left and below, legend right
DASHES = ["", "7 4", "2 3", "10 3 2 3", "1 0", "4 4"]  # a second cue besides colour: each line its own dash
MARKERS = ["circle", "square", "diamond", "triangle", "circle", "square"]


class ChartError(ValueError):
    """A chart that cannot be drawn: no such table, no such column, a value a log scale cannot show."""


def table(text, first):
    """{column: [numbers]} of the first table in `text` whose header row starts with `first`."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        header = line.split()
        if header and header[0] == first:
            rows = []
            for row in lines[i + 1:]:
                if not row.strip():
                    break
                try:
                    rows.append([float(v) for v in row.split()])
                except ValueError:
                    break
                if len(rows[-1]) != len(header):
                    raise ChartError(f"table {first!r}: row {row.strip()!r} does not have {len(header)} numbers")
            if not rows:
                break
            return {name: [r[j] for r in rows] for j, name in enumerate(header)}
    raise ChartError(f"no table whose header starts with {first!r}")


def _ticks(lo, hi, log):
    """Tick values between lo and hi: decades on a log scale, about 5 round numbers on a linear one."""
    if log:
        lo, hi = math.floor(lo), math.ceil(hi)
        every = math.ceil((hi - lo) / 8)                  # at most about 8 labelled decades
        lo -= (hi - lo) % every and every - (hi - lo) % every
        return [10.0 ** e for e in range(lo, hi + 1, every)]
    step = 10 ** math.floor(math.log10((hi - lo) / 4 or 1))
    step *= next(m for m in (1, 2, 2.5, 5, 10) if (hi - lo) / (step * m) <= 5)
    return [k * step for k in range(math.floor(lo / step), math.ceil(hi / step) + 1)]


def _number(v):
    return f"{v:g}" if abs(v) >= 1e-3 or v == 0 else f"{v:.0e}".replace("e-0", "e-")


def _marker(kind, x, y):
    r = 3.5
    if kind == "square":
        return f'<rect class="mark" x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r}" height="{2 * r}"/>'
    if kind == "diamond":
        return f'<path class="mark" d="M{x:.1f},{y - r - 1:.1f}l{r + 1},{r + 1}l-{r + 1},{r + 1}l-{r + 1},-{r + 1}z"/>'
    if kind == "triangle":
        return f'<path class="mark" d="M{x:.1f},{y - r - 1:.1f}l{r + 1},{2 * r}h-{2 * r + 2}z"/>'
    return f'<circle class="mark" cx="{x:.1f}" cy="{y:.1f}" r="{r}"/>'


# Outside the site (a notebook's attachment) there is no stylesheet: the light colours, inside the SVG
STANDALONE = ("<style>text{font:13px sans-serif;fill:#222}.label{font-size:14px}.axes path{fill:none;stroke:#666;"
              "stroke-width:1.5}.grid{stroke:#ddd}.series{fill:none;stroke-width:2.2;stroke:var(--series)}"
              ".series .mark{fill:var(--series);stroke-width:1}.series text{stroke:none}"
              + "".join(f".s{i}{{--series:{c}}}" for i, c in
                        enumerate(["#2979ff", "#ef6c00", "#009688", "#9c27b0", "#795548", "#607d8b"]))
              + "</style>")


def svg(data, x, columns, log=False, x_label="", y_label="", label="", standalone=False):
    """The SVG text of a line chart: data[x] across, data[c] up for each column c. standalone: with
    its own light colours (a file or a notebook attachment) instead of the page's palette."""
    xs = data[x]
    missing = [c for c in columns if c not in data]
    if missing:
        raise ChartError(f"no column {missing} (the table has {list(data)})")
    values = [v for c in columns for v in data[c]]
    if log:
        if min(values) <= 0:
            raise ChartError("a log scale needs numbers above 0")
        values = [math.log10(v) for v in values]
    lo, hi = min(values), max(values)
    yticks = _ticks(lo, hi, log)
    ylo, yhi = (math.log10(yticks[0]), math.log10(yticks[-1])) if log else (yticks[0], yticks[-1])
    w, h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def px(v):
        return LEFT + w * (v - xs[0]) / (xs[-1] - xs[0])

    def py(v):
        v = math.log10(v) if log else v
        return TOP + h * (yhi - v) / (yhi - ylo)

    out = [f'<svg class="book-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{html.escape(label)}"'
           + (' xmlns="http://www.w3.org/2000/svg">' + STANDALONE if standalone else ">")]
    out.append(f'<g class="axes"><path d="M{LEFT},{TOP}V{TOP + h}H{LEFT + w}"/></g>')
    for t in yticks:
        y = py(t)
        out.append(f'<path class="grid" d="M{LEFT},{y:.1f}H{LEFT + w}"/>'
                   f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_number(t)}</text>')
    step = math.ceil(len(xs) / 9)                    # at most 9 labels across
    for v in xs[::step]:
        out.append(f'<text x="{px(v):.1f}" y="{TOP + h + 18}" text-anchor="middle">{_number(v)}</text>')
    out.append(f'<text class="label" x="{LEFT + w / 2}" y="{HEIGHT - 8}" text-anchor="middle">'
               f'{html.escape(x_label)}</text>')
    out.append(f'<text class="label" transform="translate(14 {TOP + h / 2}) rotate(-90)" text-anchor="middle">'
               f'{html.escape(y_label)}</text>')
    for i, c in enumerate(columns):
        points = " ".join(f"{px(a):.1f},{py(b):.1f}" for a, b in zip(xs, data[c]))
        dash = f' stroke-dasharray="{DASHES[i % len(DASHES)]}"' if DASHES[i % len(DASHES)] else ""
        marks = "".join(_marker(MARKERS[i % len(MARKERS)], px(a), py(b)) for a, b in zip(xs, data[c]))
        ly = TOP + 14 + 24 * i
        out.append(f'<g class="series s{i % 6}"><polyline points="{points}"{dash}/>{marks}'
                   f'<path d="M{LEFT + w + 12},{ly}h28"{dash}/>{_marker(MARKERS[i % len(MARKERS)], LEFT + w + 26, ly)}'
                   f'<text x="{LEFT + w + 46}" y="{ly + 4}">{html.escape(c)}</text></g>')
    out.append("</svg>")
    return "".join(out)


def chart(div, outputs, standalone=False):
    """The SVG of one chart div (its HTML text), from the output it names in the folder `outputs` (snippets/out)."""
    a = {k: html.unescape(v) for k, v in ATTR.findall(CHART.search(div).group(1))}
    data = table((outputs / f"{a['snippet']}.txt").read_text(encoding="utf-8"), a["table"])
    first = next(iter(data))
    columns = a["columns"].split() if a.get("columns") else [c for c in data if c != first]
    return svg(data, first, columns, log=a.get("scale") == "log", x_label=a.get("x", ""), y_label=a.get("y", ""),
               label=a.get("label", ""), standalone=standalone)


def render(text, outputs):
    """`text` (a page's HTML) with every chart div replaced by its SVG."""
    return CHART.sub(lambda match: chart(match.group(0), outputs), text)
