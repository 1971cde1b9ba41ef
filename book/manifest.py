"""The book as an installable app: a web app manifest for each language, and its icons, made at build time.

Each language's root gets `manifest.webmanifest` (en/manifest.webmanifest, ...), which every page of that language
links (overrides/main.html): its name is the language's site_name, its colours are palette.css's --book-app-theme
and --book-app-background, and its URLs are relative to where it lives, so that the app works wherever the site is
deployed, a sub-path too: `start_url` is the language's home page, `scope` the site's root (both languages, and
the offline copy's pages). An installed app opens its start_url; once the reader has made the book available
offline (offline.js), the service worker serves it from the offline copy, online or not.

The icons (192 and 512 px) are the book's logo (theme.logo, else Material's icon theme.icon.logo, else Material's
default) in white on the theme colour, drawn by Chromium itself (`chromium --headless --screenshot`): the book
has no image library, and Chromium draws SVG as the site's readers see it. They are cached in .cache/icons/ by
what they are made of, so a build launches Chromium only when the logo or the colours change. Without Chromium
(a `make serve` on a machine without it) the manifest has no icons and browsers do not offer to install the
site; the deploy ($CI) stops instead.
"""
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

FILE = "manifest.webmanifest"
ICONS = "assets/icons"               # in the built site: icon-192.png, icon-512.png
SIZES = (192, 512)
PALETTE = "stylesheets/palette.css"  # in docs/
COLOUR = re.compile(r"--book-app-(theme|background):\s*(#[0-9a-fA-F]{3,8})\s*;")
DEFAULT_ICON = "material/library"    # Material's own logo when mkdocs.yml names none (its partials/logo.html)
LOGO_SHARE = 0.6                     # of the icon's side: inside the safe zone of a maskable icon (80 %)


def colours(book):
    """{"theme": "#4051b5", "background": "#ffffff"} from palette.css."""
    found = dict(COLOUR.findall((book.docs / PALETTE).read_text(encoding="utf-8")))
    missing = {"theme", "background"} - set(found)
    if missing:
        raise ValueError(f"docs/{PALETTE} sets no --book-app-{' nor --book-app-'.join(sorted(missing))}")
    return found


def logo(book):
    """The book's logo as SVG text: theme.logo (an .svg under a language folder), else theme.icon.logo."""
    theme = book.config.get("theme") or {}
    if theme.get("logo"):
        path = next((book.docs / lang / theme["logo"] for lang in book.languages
                     if (book.docs / lang / theme["logo"]).is_file()), None)
        if path is None or path.suffix != ".svg":
            raise ValueError(f"theme.logo {theme['logo']!r}: the app's icons are made from an SVG logo in docs/")
        return path.read_text(encoding="utf-8")
    import material
    icon = (theme.get("icon") or {}).get("logo") or DEFAULT_ICON
    return (Path(material.__file__).parent / "templates" / ".icons" / f"{icon}.svg").read_text(encoding="utf-8")


def icon_page(svg, colour):
    """An HTML page that is the icon: the logo in white, centred on `colour`."""
    share = f"{LOGO_SHARE * 100:g}%"
    return (f"<!doctype html><html><head><style>html, body {{ margin: 0; width: 100%; height: 100%; "
            f"background: {colour}; }} body {{ display: flex; align-items: center; justify-content: center; }} "
            f"svg {{ width: {share}; height: {share}; fill: #fff; }}</style></head><body>{svg}</body></html>")


def chromium():
    """The Chromium that draws the icons (book/browser.py's), or None."""
    from .browser import CHROMIUM
    return shutil.which(CHROMIUM)


def cache_dir(book):
    return book.root / ".cache" / "icons"


def icons(book):
    """{size: path of the PNG} of the app's icons, drawn once (cached by logo, colour and sizes); None when no
    Chromium is there to draw them."""
    page = icon_page(logo(book), colours(book)["theme"])
    folder = cache_dir(book) / hashlib.sha256(
        (page + repr(SIZES)).encode()).hexdigest()[:16]
    made = {size: folder / f"icon-{size}.png" for size in SIZES}
    if all(path.is_file() for path in made.values()):
        return made
    browser = chromium()
    if browser is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "icon.html"
        html.write_text(page, encoding="utf-8")
        for size, path in made.items():
            subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                            "--no-first-run", "--force-device-scale-factor=1", f"--window-size={size},{size}",
                            f"--user-data-dir={tmp}/profile", f"--screenshot={path}", html.as_uri()],
                           check=True, capture_output=True, timeout=120)
            if png_size(path) != (size, size):
                path.unlink()
                raise RuntimeError(f"Chromium drew the {size} px icon {png_size(path)} px large")
    return made


def png_size(path):
    """(width, height) of a PNG file, from its header."""
    data = Path(path).read_bytes()[:24]
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def manifest(book, lang, with_icons=True):
    """The web app manifest of `lang` (a dict), its URLs relative to where it lives (the language's root)."""
    to_root = "../" * book.prefix(lang).count("/") or "./"    # from the language's root ('' or 'en/') to the site's
    name = book.setting(lang, "site_name")
    colour = colours(book)
    found = {
        "name": name,
        "short_name": name,
        "description": book.setting(lang, "site_description") or "",
        "lang": lang,
        "dir": "ltr",
        "start_url": "./",
        "scope": to_root,
        "display": "standalone",
        "theme_color": colour["theme"],
        "background_color": colour["background"],
    }
    if with_icons:
        found["icons"] = [{"src": f"{to_root}{ICONS}/icon-{size}.png", "sizes": f"{size}x{size}", "type": "image/png",
                           "purpose": "any"} for size in SIZES]
        found["icons"].append({**found["icons"][-1], "purpose": "maskable"})   # the logo is inside the safe zone
    return found


def write(book, site):
    """Each language's manifest, and the icons, into the built site at `site`. Returns whether it has icons."""
    site = Path(site)
    made = icons(book)
    if made is None and os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        raise RuntimeError("no Chromium to draw the app's icons (book/browser.py's CHROMIUM): `make chromium`")
    if made:
        (site / ICONS).mkdir(parents=True, exist_ok=True)
        for size, path in made.items():
            shutil.copyfile(path, site / ICONS / f"icon-{size}.png")
    for lang in book.languages:
        target = site / book.prefix(lang) / FILE
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(manifest(book, lang, with_icons=bool(made)), ensure_ascii=False, indent=1),
                          encoding="utf-8")
    return bool(made)
