"""A new lesson, ready to build and to pass every check (`make lesson name=... title_zh=... title_en=...`).

It writes the lesson's own files from book/templates/ and adds its nav entry:
- docs/<lang>/lessons/NN-<name>.md in every language: title, Source box, a PyTorch / NumPy pair of
  tabs (the NumPy one runnable in the browser), Summary, Exercises with a self-checking quiz;
- snippets/<name>.py (torch) and snippets/np_<name>.py (its NumPy twin), and their outputs, run;
- `- lessons/NN-<name>.md` after the last lesson in mkdocs.yml's nav, comments kept;
- the translation record of every translated page.
Nothing else: the home page's list, the notebooks, the checks and the tests find the lesson in the nav.
"""
import re
from pathlib import Path

from . import snippets, translations
from .pages import Page

TEMPLATES = Path(__file__).with_name("templates")
NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
NAV_LESSON = re.compile(r"^([ \t]*)-[ \t]+(?:[^:#\n]+:[ \t]+)?lessons/[^\s#]+\.md\b")


def fill(template, **values):
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    return text


def new_lesson(book, name, titles):
    """Scaffold lesson `name` with `titles` ({lang: title}); return the files written or changed.

    Raises ValueError (nothing written) when the name or a title is unusable."""
    if not NAME.fullmatch(name or ""):
        raise ValueError(f"name={name!r}: use lower-case letters, digits and dashes, e.g. name=my-lesson")
    if any(not titles.get(lang, "").strip() for lang in book.languages):
        raise ValueError('every language needs a title: title_zh="我的一课" title_en="My lesson"')
    existing = [p for lang in book.languages for p in (book.docs / lang / "lessons").glob("*.md")]
    if any(p.name.split("-", 1)[-1] == f"{name}.md" for p in existing):
        raise ValueError(f"a lesson named {name} exists already")
    number = max((int(m[1]) for p in existing if (m := re.match(r"(\d+)-", p.name))), default=0) + 1
    slug, snippet = f"{number:02d}-{name}", name.replace("-", "_")
    code = {"torch": book.snippets / f"{snippet}.py", "numpy": book.snippets / f"np_{snippet}.py"}
    if any(path.exists() for path in code.values()):
        raise ValueError(f"{book.rel(code['torch'])} or its twin exists already: pick another name")
    config = (book.root / "mkdocs.yml").read_text(encoding="utf-8").split("\n")
    last = [i for i, line in enumerate(config) if NAV_LESSON.match(line)]
    if not last:
        raise ValueError("mkdocs.yml: no `- lessons/...` entry in the nav to add the new lesson after")

    title = {lang: titles[lang].strip() for lang in book.languages}
    code["torch"].write_text(fill("snippet.py", title=title["en"].replace('"', "'")), encoding="utf-8")
    code["numpy"].write_text(fill("np_snippet.py", snippet=snippet), encoding="utf-8")
    try:
        written = snippets.write_outputs(book, {path.stem for path in code.values()})
    except RuntimeError as err:
        for path in code.values():
            path.unlink()
        raise ValueError(f"{book.rel(code['torch'])} did not run (is torch installed? `make lesson` installs it)"
                         ) from err

    page = {lang: Page(book, lang, book.lesson_page(slug)) for lang in book.languages}
    for lang in book.languages:
        page[lang].file.write_text(fill(f"lesson.{lang}.md", title=title[lang], snippet=snippet), encoding="utf-8")
    for lang in book.other_languages(book.default_language):
        translations.mark_translated(Page(book, lang, book.lesson_page(slug)))

    indent = NAV_LESSON.match(config[last[-1]]).group(1)
    config.insert(last[-1] + 1, f"{indent}- {book.lesson_page(slug)}")
    (book.root / "mkdocs.yml").write_text("\n".join(config), encoding="utf-8")
    changed = [*code.values(), *written, *(p.file for p in page.values()), book.root / "mkdocs.yml"]
    return slug, [book.rel(path) for path in changed]
