"""Tell readers when a translated page may be out of date.

A translated page records in its front matter which version of its counterpart (the same
file name in the other language folder) it was translated from:

    ---
    translation_of: 3f2a9c0d1b7e   # source_hash() of the source page when it was translated
    translation_behind: true       # optional: knowingly behind (the checker lets it pass)
    ---

English pages are translations of the Chinese ones, unless the Chinese page is the one that
carries `translation_of`. When the source page has changed since, this hook puts a short
notice under the translation's title, in the translation's language. It logs nothing, so
`mkdocs build --strict` is not affected.

`scripts/lessons.py` (the lesson checker, `mark-translated`) imports the functions below:
there is one definition of the hash.
"""
import hashlib
import re
from pathlib import Path

from mkdocs.utils.meta import get_data

LANGS = ("zh", "en")
KEY = "translation_of"
BEHIND = "translation_behind"
# Read the recorded hash from the raw front matter: YAML would turn 012345678901 into a number.
KEY_LINE = re.compile(r"^translation_of:[ \t]*[\"']?([0-9a-fA-F]*)[\"']?[ \t]*(?:#.*)?$", re.M)
FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*\n", re.S)

NOTICE = {
    "en": ('!!! warning "This translation may be out of date"\n'
           "    The Chinese original of this page has changed since it was translated. "
           "Use the language menu to read the current 简体中文 version.\n"),
    "zh": ('!!! warning "此译文可能已过期"\n'
           "    本页的英文原文在翻译之后又有改动，这份译文可能没有跟上。"
           "可以用语言菜单切换到 English 阅读最新版本。\n"),
}


def source_hash(text):
    """sha256 of a page's text with its front matter removed, first 12 hex digits."""
    body, _ = get_data(text.replace("\r\n", "\n"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]


def front_matter(text):
    """(meta dict, recorded translation_of or None) of a page's text."""
    _, meta = get_data(text.replace("\r\n", "\n"))
    m = FRONT.match(text.replace("\r\n", "\n"))
    found = KEY_LINE.search(m.group(1)) if m else None
    return meta, (found.group(1).lower() if found else None)


def counterpart(path, docs_dir):
    """The same page in the other language folder: docs/en/x.md <-> docs/zh/x.md."""
    rel = Path(path).resolve().relative_to(Path(docs_dir).resolve())
    other = LANGS[1] if rel.parts[0] == LANGS[0] else LANGS[0]
    return Path(docs_dir) / other / Path(*rel.parts[1:])


def stale(path, docs_dir):
    """For a page that records `translation_of`: (recorded, current) when its source changed since."""
    _, recorded = front_matter(Path(path).read_text(encoding="utf-8"))
    source = counterpart(path, docs_dir)
    if recorded is None or not source.is_file():
        return None
    current = source_hash(source.read_text(encoding="utf-8"))
    return (recorded, current) if recorded != current else None


def on_page_markdown(markdown, page, config, files, **kwargs):
    path = page.file.abs_src_path
    if not path or not path.endswith(".md"):
        return markdown
    try:
        lang = Path(path).resolve().relative_to(Path(config["docs_dir"]).resolve()).parts[0]
        if lang not in LANGS or not stale(path, config["docs_dir"]):
            return markdown
    except (ValueError, OSError):
        return markdown
    # Under the page's first-line title (mkdocs takes the title from a leading h1), else on top.
    lines = markdown.split("\n")
    at = 1 if lines and lines[0].startswith("# ") else 0
    return "\n".join(lines[:at] + ["", NOTICE[lang]] + lines[at:])
