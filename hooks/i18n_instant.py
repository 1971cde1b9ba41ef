"""Let mkdocs-static-i18n and Material's instant navigation live together.

static-i18n points each page's language links (`extra.alternate`, rendered in
the header selector and as `<link rel="alternate">`) at that page's twin. Two
things go wrong with instant navigation: the header is not re-rendered, so the
links go stale; and Material treats every alternate URL as the root of another
language, so a link to an already seen page makes a full reload (and, for
instance, boots the in-page Python runtime again).

So the alternates here point at the language roots (`/`, `/en/`), and
`docs/javascripts/language.js` points the selector at the same page in the
other language after every page change. The plugin's warning about exactly this
incompatibility is answered by the two, and silenced so `--strict` can pass.
"""
import logging
from copy import deepcopy

from mkdocs.plugins import event_priority

MESSAGE = "language switcher contextual link is not compatible"


class _DropInstantWarning(logging.Filter):
    def filter(self, record):
        return MESSAGE not in record.getMessage()


logging.getLogger("mkdocs.plugins.mkdocs_static_i18n.reconfigure").addFilter(_DropInstantWarning())


@event_priority(-100)   # after static-i18n's own on_page_context
def on_page_context(context, page, config, nav):
    i18n = config.plugins.get("i18n")
    if i18n is not None and i18n.extra_alternate:
        config.extra.alternate = deepcopy(i18n.extra_alternate)   # the language roots (attribute, as the plugin sets it)
    return context
