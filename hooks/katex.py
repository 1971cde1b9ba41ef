"""Render the formulas at build time with the site's pinned KaTeX (node_modules/katex).

pymdownx.arithmatex (generic mode) wraps every formula as `<span class="arithmatex">\\(...\\)</span>`
or `<div class="arithmatex">\\[...\\]</div>`. This hook replaces the TeX inside with KaTeX's HTML,
so readers download KaTeX's CSS and fonts but none of its JavaScript, and formulas never flash
unrendered. A formula KaTeX cannot parse fails the build with the formula in the message.
"""
import html
import json
import re
import subprocess
from pathlib import Path

RENDER = Path(__file__).with_name("katex_render.cjs")
ROOT = RENDER.parent.parent
ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)
DELIMITERS = {"span": (r"\(", r"\)"), "div": (r"\[", r"\]")}


def _tex(tag, body):
    left, right = DELIMITERS[tag]
    body = html.unescape(body).strip()
    if not (body.startswith(left) and body.endswith(right)):
        raise SystemExit(f"unexpected arithmatex output: {body[:80]!r}")
    return body[len(left):-len(right)].strip()


def render(formulas):
    """[(tex, display), ...] -> [html, ...] in one node call."""
    result = subprocess.run(["node", str(RENDER)], input=json.dumps(formulas), cwd=ROOT,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(result.stderr.strip() or "KaTeX rendering failed (is `npm ci` done?)")
    return json.loads(result.stdout)


def on_page_content(content, page, config, files):
    matches = list(ARITHMATEX.finditer(content))
    if not matches:
        return content
    rendered = iter(render([(_tex(m[1], m[2]), m[1] == "div") for m in matches]))
    return ARITHMATEX.sub(lambda m: f'<{m[1]} class="arithmatex">{next(rendered)}</{m[1]}>', content)
