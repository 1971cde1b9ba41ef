"""The book "available offline" (docs/javascripts/offline.js): what each language's offline copy holds, written
at build time as a manifest that the page and the service worker read, and the service worker itself.

A language's copy is
- its pages in the nav (home, every lesson, playground, about: `Book.nav_pages`), and the page that says a page is
  not in the copy (FALLBACK: that page of every language);
- every file those pages load, found in the built HTML: stylesheets, scripts, images and figures, the
  widgets' data (`data-src`), what the stylesheets load (KaTeX's fonts), and, from Material's settings in the
  page (#__config), its search worker and the language's search index and sitemap (instant navigation
  reads the sitemap);
- what scripts load without any page naming it (LOADED_BY_SCRIPTS): the runner's worker, the runtime, the
  package folder and the book's modules, and the offline code itself.

`write(book, site)` (hooks/offline.py, after the build; `python -m book offline SITE` after changing a built
site) writes each language's total size into the built javascripts/offline.js (`const SIZES = {...}`), so that a
page shows the size before anything is downloaded, and then, at the site root,
- offline-manifest.json: {"revision", "languages": {lang: {"bytes", "files": [url]}}, "files": {url: {"size",
  "sha256"}}}; URLs relative to the site root, a page by its folder ("en/lessons/01-weight-sharing/");
- sw.js: the service worker, generated so that its bytes change with the revision: a new build is a new
  service worker for the browser, which installs it beside the old one (docs/javascripts/offline-sw.js).
The sizes live in one script that every page loads, not in the pages: a new build that changes one page then
changes two files of the copy, and an update downloads those two.
"""
import hashlib
import json
import posixpath
import re
from pathlib import Path

from . import pyodide

MANIFEST = "offline-manifest.json"
SERVICE_WORKER = "sw.js"
# Loaded by scripts, named by no page: a folder (ending in /) stands for every file in it, when it exists.
LOADED_BY_SCRIPTS = (
    "javascripts/runner-worker.js",   # runner.js starts it on Run
    "javascripts/runner-snapshot.js", # the worker imports it (a return visit restores the last boot)
    "vendor/pyodide/",                # the runtime the worker boots (hooks/vendor.py)
    "vendor/pyodide-packages/",       # the runner's packages: the site's lock, the book's wheel, numpy's (make mirror)
    "javascripts/download.js",        # the runner's worker and the offline copy's code import it
    "javascripts/offline-cache.js",   # offline.js loads it on press, and on later visits to show the state
    "javascripts/offline-sw.js",      # sw.js imports the three
)
SW_IMPORTS = ("javascripts/download.js", "javascripts/offline-cache.js", "javascripts/offline-sw.js")

# Offline, a page the copy does not hold (a notebook page, the other language) is this page of the language asked
# for (docs/<lang>/offline.md, outside the nav): the service worker sends the reader there. Every copy holds it in
# every language (their HTML: the rest they load is the copy's own).
FALLBACK = "offline.md"

SCRIPT = "javascripts/offline.js"
SIZES = re.compile(r"const SIZES = \{[^}\n]*\};")          # in SCRIPT: {lang: bytes}, {} in the source
SUBRESOURCE = re.compile(r'<(?:script|img|source|link|object)\b[^>]*?\s(?:src|href|data)="([^"]+)"')
SITE_DATA = re.compile(r'\sdata-src="([^"]+)"')          # book.js's Book.data: relative to the site root
CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)""")


def _local(base, ref):
    """`ref` as seen from the site path `base` (a folder, '' for the root): a site path, or None off the site."""
    ref = ref.split("#")[0].split("?")[0]
    if not ref or re.match(r"^[a-z][a-z0-9+.-]*:|^//", ref, re.I):
        return None
    path = posixpath.normpath(posixpath.join(base, ref))
    return None if path.startswith("..") else path


def _file(site, url):
    """The built file a site URL serves: a page's folder serves its index.html."""
    url = url.split("?")[0]
    return site / url / "index.html" if url.endswith("/") or url in ("", ".") else site / url


def page_needs(site, url):
    """Every file (site path) the page at `url` loads, and those its stylesheets load."""
    html = _file(site, url).read_text(encoding="utf-8")
    refs = {_local(url, ref) for ref in SUBRESOURCE.findall(html)}
    refs |= {_local("", ref) for ref in SITE_DATA.findall(html)}
    config = CONFIG.search(html)
    if config:
        settings = json.loads(config[1])
        base = _local(url, settings["base"]) or ""
        base = "" if base == "." else base + "/"
        refs |= {_local(url, settings["search"]), base + "search/search_index.json", base + "sitemap.xml"}
    found = {ref for ref in refs if ref and (site / ref).is_file()}
    for css in [ref for ref in found if ref.endswith(".css")]:
        folder = posixpath.dirname(css)
        text = (site / css).read_text(encoding="utf-8")
        found |= {ref for ref in (_local(folder, r) for r in CSS_URL.findall(text)) if ref and (site / ref).is_file()}
    return found


def language_urls(book, site, lang):
    """Every URL of `lang`'s offline copy: its nav pages ('./' for the root), what they load, LOADED_BY_SCRIPTS."""
    urls = set()
    for page in book.nav_pages() + [FALLBACK]:
        url = book.url(lang, page)
        urls |= {url or "./"} | page_needs(site, url)
    urls |= {book.url(other, FALLBACK) for other in book.other_languages(lang)}
    for item in LOADED_BY_SCRIPTS:
        if item.endswith("/"):
            urls |= {p.relative_to(site).as_posix() for p in sorted((site / item).rglob("*")) if p.is_file()}
        elif (site / item).is_file():
            urls.add(item)
    # the site's lock is asked for by its versioned URL (book/pyodide.py): kept under that URL, so that a page
    # of a newer build never gets this build's lock from the copy
    lock = pyodide.site_urls(book, book.config["extra"].get("pyodide", {}).get("packages_url", "")).get("lock_url")
    if lock and lock.split("?")[0] in urls:
        urls = (urls - {lock.split("?")[0]}) | {lock}
    return sorted(urls)


def _with_sizes(site, urls, sizes):
    """Write each language's total into the built SCRIPT; the totals. They count SCRIPT, whose length depends on
    them: written again until they agree (the number of digits settles in a step or two)."""
    script = site / SCRIPT
    text = script.read_text(encoding="utf-8") if script.is_file() else ""
    totals = dict.fromkeys(urls, 0)
    for _ in range(5):
        if SIZES.search(text):
            script.write_text(SIZES.sub(f"const SIZES = {json.dumps(totals, separators=(',', ':'))};", text, count=1),
                              encoding="utf-8")
        sizes.update({SCRIPT: script.stat().st_size} if script.is_file() else {})
        again = {lang: sum(sizes[url] for url in urls[lang]) for lang in urls}
        if again == totals:
            return totals
        totals = again
    raise RuntimeError(f"the sizes written into {SCRIPT} do not settle")


def write(book, site):
    """Write the sizes, the manifest and sw.js into the built site at `site` (module docstring); the manifest."""
    site = Path(site)
    urls = {lang: language_urls(book, site, lang) for lang in book.languages}
    sizes = {url: _file(site, url).stat().st_size for lang in urls for url in urls[lang]}
    totals = _with_sizes(site, urls, sizes)
    files = {url: {"size": sizes[url], "sha256": hashlib.sha256(_file(site, url).read_bytes()).hexdigest()}
             for url in sorted(sizes)}
    revision = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:16]
    manifest = {"revision": revision,
                "languages": {lang: {"bytes": totals[lang], "files": urls[lang]} for lang in urls},
                "files": files}
    (site / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    (site / SERVICE_WORKER).write_text(
        "// Written by book/offline.py for this build: the service worker of \"Available offline\". Its revision is\n"
        "// the manifest's: a new build changes these bytes, and the browser installs the new version beside the old.\n"
        f'const REVISION = "{revision}";\n'
        f"const LANGUAGES = {json.dumps({lang: book.prefix(lang) for lang in book.languages})};\n"
        f"const FALLBACK = {json.dumps(book.url(book.default_language, FALLBACK))};   // under each language's root\n"
        f"importScripts({', '.join(json.dumps(s) for s in SW_IMPORTS)});\n", encoding="utf-8")
    return manifest
