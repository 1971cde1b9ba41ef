"""Compare the text of every page of two built sites: what a refactoring changed for readers.

    python scripts/compare_site.py OLD_SITE NEW_SITE [--context 8]

Both sites should be built with the same SITE_URL. For each HTML page (by path) it prints whether it is
only in one site, and for pages in both, the lines of visible text that differ (scripts, styles and
tags dropped; the text split at block boundaries). Exit status 1 when anything differs.
"""
import argparse
import difflib
import re
import sys
from pathlib import Path

from book.html import text

BLOCK = re.compile(r"</?(?:p|div|h[1-6]|li|tr|pre|table|section|article|nav|header|footer|figure|figcaption|details|"
                   r"summary|blockquote|dt|dd|br)\b[^>]*>", re.I)


def lines(path):
    """A page's visible text, one line per block element."""
    html = path.read_text(encoding="utf-8")
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return [line for line in (text(part) for part in BLOCK.split(html)) if line]


def pages(site):
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--context", type=int, default=0, help="unchanged lines shown around a change")
    args = parser.parse_args(argv)
    old, new = pages(args.old), pages(args.new)
    changed = 0
    for page in sorted(old - new):
        print(f"only in {args.old}: {page}")
    for page in sorted(new - old):
        print(f"only in {args.new}: {page}")
    for page in sorted(old & new):
        a, b = lines(args.old / page), lines(args.new / page)
        if a == b:
            continue
        changed += 1
        print(f"=== {page}")
        for line in difflib.unified_diff(a, b, lineterm="", n=args.context):
            if not line.startswith(("---", "+++")):
                print("   " + line[:300])
    print(f"{len(old & new)} pages in both, {changed} with different text, {len(old ^ new)} in one only")
    return 1 if changed or old ^ new else 0


if __name__ == "__main__":
    sys.exit(main())
