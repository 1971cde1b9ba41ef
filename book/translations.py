"""Translation records: which version of its source page a translated page was translated from.

A translated page says so in its front matter:

    ---
    translation_of: 3f2a9c0d1b7e   # source_hash() of the source page when it was translated
    translation_behind: true       # optional: knowingly behind (the checker lets it pass)
    ---

Pages of the other languages translate the default language's page (the same file name in its
folder), unless the default language's page is the one that carries `translation_of`. The
checker (book/checks.py), `mark-translated` and the notice readers see (hooks/translation_notice.py)
all use these functions: one definition of the hash.
"""
import hashlib
import re

from .pages import Page, split_front_matter

KEY = "translation_of"
BEHIND = "translation_behind"
# Read the recorded hash from the raw front matter: YAML would turn 012345678901 into a number.
KEY_LINE = re.compile(r"^translation_of:[ \t]*[\"']?([0-9a-fA-F]*)[\"']?[ \t]*(?:#.*)?$", re.M)
FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*\n", re.S)
HASH = re.compile(r"[0-9a-f]{12}")

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
    body, _ = split_front_matter(text)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]


def recorded(text):
    """The `translation_of` a page's text records (lower case), or None."""
    m = FRONT.match(text.replace("\r\n", "\n"))
    found = KEY_LINE.search(m.group(1)) if m else None
    return found.group(1).lower() if found else None


def counterpart(page):
    """The same page in the language it is translated from or into (the other of two languages)."""
    book = page.book
    other = book.default_language if page.lang != book.default_language else book.other_languages(page.lang)[0]
    return Page(book, other, page.page)


def pair(book, page):
    """(source, translation) Pages of a docs-relative page that exists in both languages, and a problem:
    'both' when each side records translation_of (only the translation may)."""
    default = Page(book, book.default_language, page)
    other = counterpart(default)
    if recorded(default.text) is None:
        return default, other, None
    return (default, other, "both") if recorded(other.text) is not None else (other, default, None)


def stale(translation):
    """(recorded, current) when `translation` records a source version that is no longer current."""
    was = recorded(translation.text)
    source = counterpart(translation)
    if was is None or not source.file.is_file():
        return None
    now = source_hash(source.text)
    return (was, now) if was != now else None


def current(book, page):
    """The translated side of `page` if it records a version and that version is current, else None."""
    if not all(Page(book, lang, page).file.is_file() for lang in book.languages):
        return None
    _, translation, problem = pair(book, page)
    if problem or recorded(translation.text) is None or stale(translation):
        return None
    return translation


def with_record(text, version):
    """`text` with `translation_of: version` in its front matter and no `translation_behind`."""
    text = text.replace("\r\n", "\n")
    m = FRONT.match(text)
    if not m:
        return f"---\n{KEY}: {version}\n---\n\n{text}"
    head = re.sub(rf"^{BEHIND}:.*\n", "", m.group(1), flags=re.M)
    head = KEY_LINE.sub(f"{KEY}: {version}", head) if KEY_LINE.search(head) else head + f"{KEY}: {version}\n"
    return text[:m.start(1)] + head + text[m.end(1):]


def mark_translated(translation):
    """Record that `translation` (a Page) matches its source as it is now; return the version."""
    source = counterpart(translation)
    if not source.file.is_file():
        raise ValueError(f"there is no {translation.book.rel(source.file)} to be a translation of")
    if recorded(source.text) is not None:
        raise ValueError(f"{translation.book.rel(source.file)} records translation_of, so it is the "
                         "translation: mark that page instead")
    version = source_hash(source.text)
    translation.file.write_text(with_record(translation.text, version), encoding="utf-8")
    return version


def with_notice(markdown, lang):
    """A page's Markdown with the out-of-date notice under its first-line title (else on top)."""
    lines = markdown.split("\n")
    at = 1 if lines and lines[0].startswith("# ") else 0
    return "\n".join(lines[:at] + ["", NOTICE[lang]] + lines[at:])
