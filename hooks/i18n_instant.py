"""Let mkdocs-static-i18n and Material's instant navigation live together.

static-i18n warns that its per-page language links go stale after an instant
navigation (the header is not re-rendered). `docs/javascripts/language.js`
recomputes those links on every page change, so the warning is answered; this
filter silences exactly that one message so `mkdocs build --strict` can pass.
"""
import logging

MESSAGE = "language switcher contextual link is not compatible"


class _DropInstantWarning(logging.Filter):
    def filter(self, record):
        return MESSAGE not in record.getMessage()


logging.getLogger("mkdocs.plugins.mkdocs_static_i18n.reconfigure").addFilter(_DropInstantWarning())
