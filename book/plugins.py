"""The one adapter over other MkDocs plugins' internals (the hooks use nothing else of them).

The notebook pages need two things the plugins do not offer as an API:
- mkdocs-static-i18n builds each language in turn and rebuilds every file it sees as a plain File,
  so a generated page must be added after its on_files, to the language's files and its alternates
  (the sitemap, and so Material's instant navigation, knows a page only through them);
- mkdocs-jupyter evicts the HTML cache entries its build did not use, and static-i18n runs one build
  per language: each language needs a cache folder of its own.
And every page needs one thing of the theme's: overrides/main.html writes Material's settings (its config
block, with another "base"), which name Material's search worker by a file name that changes with each
release of Material; it is read from Material's own base.html.

They reach into the plugins' attributes and the theme's template, read in the versions below. A different
installed version stops the build with one message naming the plugin, before anything is touched.
"""
import re
from importlib.metadata import version
from pathlib import Path

from mkdocs.exceptions import PluginError

# Read in these versions; tests/test_book.py checks they are the versions the requirements pin.
READ_IN = {"mkdocs-static-i18n": "1.3.1", "mkdocs-jupyter": "0.26.3", "mkdocs-material": "9.8.1"}


def _read_in(distribution):
    installed = version(distribution)
    if installed != READ_IN[distribution]:
        raise PluginError(f"{distribution} {installed} is installed, but book/plugins.py was written against the "
                          f"internals of {distribution} {READ_IN[distribution]}: install that version "
                          f"(requirements/docs.txt), or read the new one's code and update book/plugins.py")


def _checked(config, name, distribution):
    _read_in(distribution)
    if name not in config.plugins:
        raise PluginError(f"mkdocs.yml does not enable the {name} plugin ({distribution}), which the notebook "
                          "pages need")
    return config.plugins[name]


class I18n:
    """mkdocs-static-i18n, as the notebook pages use it."""

    def __init__(self, config):
        self.plugin = _checked(config, "i18n", "mkdocs-static-i18n")

    @property
    def language(self):
        """The language being built now (static-i18n builds one after the other)."""
        return self.plugin.current_language

    def add_page(self, files, twins):
        """Add the current language's File of `twins` ({lang: File}, the same page in every language) to
        the build and to static-i18n's alternates: the sitemap then lists it with its twins."""
        for file in twins.values():
            file.alternates = twins
        page = twins[self.language]
        files.append(page)
        self.plugin.i18n_files_per_language[self.language].append(page)


class Jupyter:
    """mkdocs-jupyter, as the notebook pages use it."""

    def __init__(self, config):
        self.plugin = _checked(config, "mkdocs-jupyter", "mkdocs-jupyter")

    def cache_in(self, folder):
        """Keep the converted notebooks' HTML in `folder` (one per language: see the module docstring)."""
        self.plugin.config["cache_dir"] = str(folder)


class Material:
    """mkdocs-material, as overrides/main.html uses it."""

    SEARCH = re.compile(r'"search":\s*"([^"]+)"\s*\|\s*url')     # in base.html's config block

    def __init__(self, config):
        _read_in("mkdocs-material")
        self.dirs = [Path(folder) for folder in config.theme.dirs]

    def search_worker(self):
        """The search worker that Material's base.html names (its path in the site: 'assets/javascripts/workers/
        search.<hash>.min.js'), found among the theme's files."""
        base = next((folder / "base.html" for folder in self.dirs if (folder / "base.html").is_file()), None)
        found = self.SEARCH.findall(base.read_text(encoding="utf-8")) if base else []
        if len(found) != 1 or not any((folder / found[0]).is_file() for folder in self.dirs):
            raise PluginError(f"Material's base.html ({base}) no longer names its search worker as book/plugins.py "
                              "reads it: read its config block and update book/plugins.py and overrides/main.html")
        return found[0]
