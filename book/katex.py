"""Formulas rendered at build time with the site's pinned KaTeX (node_modules/katex).

pymdownx.arithmatex (generic mode) wraps every formula as `<span class="arithmatex">\\(...\\)</span>`
or `<div class="arithmatex">\\[...\\]</div>`; `render_page` replaces the TeX inside with KaTeX's HTML,
so readers download KaTeX's CSS and fonts but none of its JavaScript, and formulas never flash
unrendered. A formula KaTeX cannot parse raises ValueError with the formula in the message. One node
process renders every page of a build (starting node for each page took a third of a warm build).
"""
import atexit
import html
import json
import re
import subprocess
from pathlib import Path

RENDER = Path(__file__).with_name("katex_render.cjs")
ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)
DELIMITERS = {"span": (r"\(", r"\)"), "div": (r"\[", r"\]")}


def _tex(tag, body):
    left, right = DELIMITERS[tag]
    body = html.unescape(body).strip()
    if not (body.startswith(left) and body.endswith(right)):
        raise ValueError(f"unexpected arithmatex output: {body[:80]!r}")
    return body[len(left):-len(right)].strip()


_SERVERS = {}   # book root -> the node process that renders its formulas (one per build, or per `mkdocs serve`)


def render(book, formulas):
    """[(tex, display), ...] -> [html, ...], by a node process kept for the book (started on first use)."""
    server = _SERVERS.get(book.root)
    if server is None or server.poll() is not None:
        server = _SERVERS[book.root] = subprocess.Popen(
            ["node", str(RENDER)], cwd=book.root, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, encoding="utf-8")
    server.stdin.write(json.dumps(formulas) + "\n")
    server.stdin.flush()
    answer = server.stdout.readline()
    if not answer:
        server.wait()
        raise ValueError(server.stderr.read().strip() or "KaTeX rendering failed (is `npm ci` done?)")
    answer = json.loads(answer)
    if "error" in answer:
        raise ValueError(answer["error"])
    return answer["html"]


@atexit.register
def _stop():
    for server in _SERVERS.values():
        server.stdin.close()       # end of input: node finishes and exits
        server.wait(timeout=10)


def render_page(book, content):
    """A page's HTML with every arithmatex formula rendered by KaTeX."""
    matches = list(ARITHMATEX.finditer(content))
    if not matches:
        return content
    rendered = iter(render(book, [(_tex(m[1], m[2]), m[1] == "div") for m in matches]))
    return ARITHMATEX.sub(lambda m: f'<{m[1]} class="arithmatex">{next(rendered)}</{m[1]}>', content)
