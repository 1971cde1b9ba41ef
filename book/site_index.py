"""Each language's own search index and sitemap, from the merged ones the plugins write.

Material reads both at its `base` (overrides/main.html makes that the page's language root): the search
index at `<base>search/search_index.json`, the sitemap at `<base>sitemap.xml`. Its instant navigation only
follows links the sitemap lists, and its language selector looks the current page up in the other
language's sitemap (a missing `en/sitemap.xml` sent a reader who switched language to the English home
page). So each language gets both files under its root, listing its own pages only:
- search/search_index.json (Chinese) and en/search/search_index.json (English), each doc's location
  relative to that root: an English reader's search finds English pages;
- sitemap.xml and en/sitemap.xml, each page with its alternates in every language.
The split is idempotent: a file that holds one language's entries only is left as it is.
"""
import gzip
import json
import re
from pathlib import Path

URL = re.compile(r"\s*<url>.*?</url>", re.S)
LOC = re.compile(r"<loc>([^<]*)</loc>")


def language_of(book, path):
    """The language of a site path ('en/lessons/x/' -> 'en'): the longest language prefix it starts with."""
    langs = sorted(book.languages, key=lambda lang: len(book.prefix(lang)), reverse=True)
    return next(lang for lang in langs if path.startswith(book.prefix(lang)))


def split_index(book, data):
    """{lang: search index} from the merged index: each language's docs, located from its root."""
    split = {}
    for lang in book.languages:
        prefix = book.prefix(lang)
        docs = [dict(doc, location=doc["location"][len(prefix):]) for doc in data["docs"]
                if language_of(book, doc["location"]) == lang]
        split[lang] = dict(data, docs=docs)
    return split


def split_sitemap(book, xml, site_url):
    """{lang: sitemap} from the merged sitemap: the <url> entries of each language's pages."""
    head, urls = xml.split("<url>", 1)[0].rstrip(), URL.findall(xml)
    tail = "\n</urlset>\n"
    split = {}
    for lang in book.languages:
        mine = [u for u in urls if language_of(book, LOC.search(u)[1][len(site_url):]) == lang]
        split[lang] = head + "".join(mine) + tail
    return split


def write_per_language(book, site_dir, site_url):
    """Split the merged search index and sitemap under `site_dir` into one of each per language."""
    site_dir = Path(site_dir)
    index = site_dir / "search" / "search_index.json"
    if index.exists():
        data = json.loads(index.read_text(encoding="utf-8"))
        if any(language_of(book, doc["location"]) != book.default_language for doc in data["docs"]):
            for lang, part in split_index(book, data).items():
                target = site_dir / book.prefix(lang) / "search" / "search_index.json"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(json.dumps(part, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    sitemap = site_dir / "sitemap.xml"
    if sitemap.exists() and site_url:
        xml = sitemap.read_text(encoding="utf-8")
        locs = [loc[len(site_url):] for loc in LOC.findall(xml) if loc.startswith(site_url)]
        if any(language_of(book, loc) != book.default_language for loc in locs):
            for lang, part in split_sitemap(book, xml, site_url).items():
                target = site_dir / book.prefix(lang) / "sitemap.xml"
                target.write_text(part, encoding="utf-8")
                with gzip.open(target.with_suffix(".xml.gz"), "wb") as out:
                    out.write(part.encode("utf-8"))
