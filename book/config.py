"""The book as mkdocs.yml describes it: languages, URL prefixes, nav, folders, the library modules.

Everything here is read from mkdocs.yml (the i18n plugin's block and `extra.book`) and from the
requirements locks, so that no other file restates it. A `Book` is one checkout: the real one, or
a temporary copy that a test builds (`Book(copy_root)`).
"""
import re
from pathlib import Path

from mkdocs.utils.yaml import yaml_load

CONFIG_FILE = "mkdocs.yml"
_READ = {}   # root -> (mtime of mkdocs.yml, Book): see Book.at


class Book:
    """A checkout of the book: the folder holding mkdocs.yml."""

    def __init__(self, root):
        self.root = Path(root).resolve()
        with open(self.root / CONFIG_FILE, "rb") as f:
            self.config = yaml_load(f)
        extra = self.config.get("extra") or {}
        self.settings = extra.get("book") or {}
        self.docs = self.root / self.config.get("docs_dir", "docs")
        self.snippets = self.root / self.settings.get("snippets", "snippets")
        self.outputs = self.snippets / "out"
        self.data = self.snippets / "data"
        i18n = self.plugin("i18n")
        self.languages = tuple(lang["locale"] for lang in i18n["languages"] if lang.get("build", True))
        self.default_language = next(lang["locale"] for lang in i18n["languages"] if lang.get("default"))
        self.library = tuple(self.settings.get("library") or ())   # module names, e.g. ("numpy_nn",)

    @classmethod
    def at(cls, root):
        """The book at `root`, read again only when mkdocs.yml changes (hooks ask on every page)."""
        root = Path(root).resolve()
        stamp = (root / CONFIG_FILE).stat().st_mtime_ns
        if root not in _READ or _READ[root][0] != stamp:
            _READ[root] = (stamp, cls(root))
        return _READ[root][1]

    @classmethod
    def of(cls, config):
        """The book a MkDocs config (in a hook) belongs to."""
        return cls.at(Path(config.config_file_path).parent)

    @classmethod
    def find(cls, start="."):
        """The book containing `start` (a folder or file): the nearest folder up with mkdocs.yml."""
        here = Path(start).resolve()
        for folder in (here, *here.parents):
            if (folder / CONFIG_FILE).is_file():
                return cls(folder)
        raise FileNotFoundError(f"no {CONFIG_FILE} in {here} or above it: run this inside the book")

    def plugin(self, name):
        """The settings of plugin `name` in mkdocs.yml's plugins list ({} when it has none)."""
        for item in self.config.get("plugins") or []:
            if item == name:
                return {}
            if isinstance(item, dict) and name in item:
                return item[name] or {}
        raise KeyError(f"{CONFIG_FILE} does not use the {name} plugin")

    # --- languages and URLs ------------------------------------------------------------------------
    def prefix(self, lang):
        """Where a language lives on the site (static-i18n's folder layout): '' (default) or 'en/'."""
        return "" if lang == self.default_language else f"{lang}/"

    def url(self, lang, page):
        """docs-relative page ('lessons/06-bptt.md') -> its path on the site ('en/lessons/06-bptt/')."""
        stem = page[:-3] if page.endswith(".md") else page
        stem = "" if stem == "index" else stem[:-len("index")] if stem.endswith("/index") else stem + "/"
        return self.prefix(lang) + stem

    def other_languages(self, lang):
        return [other for other in self.languages if other != lang]

    def setting(self, lang, key):
        """A site setting as `lang` has it (site_name, site_description, copyright, ...): the i18n plugin's entry
        for that language when it sets one, else mkdocs.yml's own."""
        entry = next(e for e in self.plugin("i18n")["languages"] if e["locale"] == lang)
        return entry[key] if key in entry else self.config.get(key)

    def language_name(self, lang):
        """The language's own name, as the language selector shows it ('简体中文', 'English')."""
        return next(e["name"] for e in self.plugin("i18n")["languages"] if e["locale"] == lang)

    # --- pages and nav -----------------------------------------------------------------------------
    def page_file(self, lang, page):
        return self.docs / lang / page

    def pages(self, lang):
        """The docs-relative paths of every Markdown page in `lang`, sorted."""
        folder = self.docs / lang
        return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.md"))

    def nav_pages(self):
        """Every page the nav lists, in order (docs-relative, as in mkdocs.yml)."""
        found = []

        def walk(item):
            if isinstance(item, str):
                if item.endswith(".md") and "://" not in item:
                    found.append(item)
            elif isinstance(item, dict):
                for value in item.values():
                    walk(value)
            elif isinstance(item, list):
                for value in item:
                    walk(value)
        walk(self.config.get("nav") or [])
        return found

    def nav_tree(self, lang):
        """The nav as `lang` shows it: [(title, page or None, [children])], a section's title translated
        (the i18n plugin's nav_translations), a page without one titled by its first heading."""
        from .pages import Page
        entry = next(e for e in self.plugin("i18n")["languages"] if e["locale"] == lang)
        names = entry.get("nav_translations") or {}

        def items(nav):
            found = []
            for item in nav:
                title, value = next(iter(item.items())) if isinstance(item, dict) else (None, item)
                if isinstance(value, list):
                    found.append((names.get(title, title), None, items(value)))
                elif isinstance(value, str) and value.endswith(".md") and "://" not in value:
                    found.append((names.get(title, title) if title else Page(self, lang, value).title, value, []))
            return found
        return items(self.config.get("nav") or [])

    def page_of(self, path):
        """(lang, docs-relative page) of a file in a language folder, else None."""
        try:
            lang, page = Path(path).resolve().relative_to(self.docs).as_posix().split("/", 1)
        except ValueError:
            return None
        return (lang, page) if lang in self.languages else None

    def lessons(self):
        """The lessons, in nav order, by slug ('01-weight-sharing', ...): nav entries under lessons/."""
        return [page[len("lessons/"):-3] for page in self.nav_pages() if page.startswith("lessons/")]

    def lesson_page(self, slug):
        return f"lessons/{slug}.md"

    # --- code ----------------------------------------------------------------------------------------
    def library_files(self):
        """The library modules' files in snippets/ (numpy_nn.py, ...), as the pages' code imports them."""
        return [self.snippets / f"{name}.py" for name in self.library]

    def data_files(self):
        """What the library reads: the files in snippets/data/ but its README (where they come from)."""
        return sorted(p for p in self.data.iterdir() if p.is_file() and p.suffix != ".md")

    def pins(self, *names):
        """'name==version' of each package in the test lock (requirements/test.txt), in the order asked."""
        text = (self.root / "requirements" / "test.txt").read_text(encoding="utf-8")
        found = {}
        for m in re.finditer(r"^([A-Za-z0-9_.-]+)==([^\s;#]+)", text, re.M):
            found[m[1].lower()] = f"{m[1]}=={m[2]}"
        return [found[name.lower()] for name in names]

    def rel(self, path):
        """A path inside the book, relative to its root, with forward slashes."""
        return Path(path).resolve().relative_to(self.root).as_posix()

