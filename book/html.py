"""Small, layout-independent edits of built HTML: a tokenizer that tells text from tags and code.

Used on the notebook pages that nbconvert renders (book/notebook_pages.py): TeX left for MathJax
is marked for KaTeX, headings get the TOC's ids, and CDN scripts are dropped. None of it depends on
how nbconvert nests its <div>s: text is text wherever it is, and code is what <pre>, <code>,
<script>, <style> and <textarea> hold.
"""
import re

TOKEN = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)")
RAW = {"pre", "code", "script", "style", "textarea"}   # their text is code, never prose
SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)
CDN_SCRIPT = re.compile(r'mathjax|mermaid|cdnjs|src=""', re.I)   # nbconvert's MathJax (src=""), its config, mermaid
DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)((?:[^$\n]|\n(?![ \t]*\n))+?)\$")   # may wrap, not span a paragraph
MATH_PARAGRAPH = re.compile(r'<p>\s*(<div class="arithmatex">.*?</div>)\s*</p>', re.S)
HEADING = re.compile(r"<h([1-6])\b[^>]*>")
ANCHOR_LINK = re.compile(r'<a class="anchor-link" href="#[^"]*">')
CODE_AREA = re.compile(r'<div class="highlight-ipynb\b([^"]*)"(?![^>]*tabindex)')   # nbconvert's code cells
MARKDOWN_CODE = re.compile(r'(<div class="highlight">\s*)<pre>')                # code blocks in its text cells


def tokens(html):
    """(chunk, in_code) for every tag and every run of text; in_code for what RAW elements hold."""
    depth = 0
    for chunk in TOKEN.split(html):
        if not chunk:
            continue
        tag = TAG.match(chunk)
        if tag and tag[2].lower() in RAW and not chunk.endswith("/>"):
            depth = max(0, depth + (-1 if tag[1] else 1))
            yield chunk, False
        else:
            yield chunk, depth > 0


def mark_math(html):
    """$$...$$ and $...$ in prose -> the arithmatex markup that book/katex.py renders; code untouched."""
    out = []
    for chunk, in_code in tokens(html):
        if in_code or chunk.startswith("<"):
            out.append(chunk)
            continue
        chunk = DISPLAY_MATH.sub(lambda m: f'<div class="arithmatex">\\[{m[1]}\\]</div>', chunk)
        out.append(INLINE_MATH.sub(lambda m: f'<span class="arithmatex">\\({m[1]}\\)</span>', chunk))
    return MATH_PARAGRAPH.sub(r"\1", "".join(out))


def without_cdn_scripts(html):
    return SCRIPT.sub(lambda m: "" if CDN_SCRIPT.search(m[0]) else m[0], html)


def with_heading_ids(html, ids):
    """Give the page's headings these ids, in order, and point their anchor links at them (nbconvert
    gives a heading without Latin letters an empty id). Unchanged unless the counts agree."""
    out, ids, count = [], list(ids), 0
    for chunk, in_code in tokens(html):
        if not in_code and (m := HEADING.fullmatch(chunk)):
            if count == len(ids):
                return html
            chunk = f'<h{m[1]} id="{ids[count]}">'
            count += 1
        elif not in_code and ANCHOR_LINK.fullmatch(chunk) and count:
            chunk = f'<a class="anchor-link" href="#{ids[count - 1]}">'
        out.append(chunk)
    return "".join(out) if count == len(ids) else html


def focusable_code(html, label):
    """nbconvert's code cells, and the code blocks of its text cells, made reachable by keyboard as Material
    makes a lesson's code blocks: they scroll sideways, so each takes focus (tabindex="0") and is named
    (`label`, e.g. "Code") for screen readers."""
    import html as entities
    focus = f'tabindex="0" role="group" aria-label="{entities.escape(label, quote=True)}"'
    html = CODE_AREA.sub(lambda m: f'<div class="highlight-ipynb{m[1]}" {focus}', html)
    return MARKDOWN_CODE.sub(lambda m: f"{m[1]}<pre {focus}>", html)


def text(html):
    """The visible text of a page: scripts, styles and tags dropped, entities decoded, spaces folded."""
    import html as entities
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return " ".join(entities.unescape(re.sub(r"<[^>]+>", " ", html)).split())
