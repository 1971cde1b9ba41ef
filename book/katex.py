"""Formulas rendered at build time with the site's pinned KaTeX (node_modules/katex).

pymdownx.arithmatex (generic mode) wraps every formula as `<span class="arithmatex">\\(...\\)</span>`
or `<div class="arithmatex">\\[...\\]</div>`; `render_page` replaces the TeX inside with KaTeX's HTML,
so readers download KaTeX's CSS and fonts but none of its JavaScript, and formulas never flash
unrendered. A formula KaTeX cannot parse raises ValueError with the formula in the message.
"""
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


def render(book, formulas):
    """[(tex, display), ...] -> [html, ...] in one node call (node resolves katex from the book)."""
    result = subprocess.run(["node", str(RENDER)], input=json.dumps(formulas), cwd=book.root,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise ValueError(result.stderr.strip() or "KaTeX rendering failed (is `npm ci` done?)")
    return json.loads(result.stdout)


def render_page(book, content):
    """A page's HTML with every arithmatex formula rendered by KaTeX."""
    matches = list(ARITHMATEX.finditer(content))
    if not matches:
        return content
    rendered = iter(render(book, [(_tex(m[1], m[2]), m[1] == "div") for m in matches]))
    return ARITHMATEX.sub(lambda m: f'<{m[1]} class="arithmatex">{next(rendered)}</{m[1]}>', content)
