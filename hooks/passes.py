"""MkDocs adapter: build some of the site's languages only, each where a build of all puts it.

`programme-guide build` (programme_guide.build) runs several `mkdocs build` processes side by side, each for
a share of the languages, and merges their folders into one site; this hook restricts a process to its share.

Events:
- on_post_build (priority -90: in the first pass, after the other hooks' handlers and before
  mkdocs-static-i18n's, which starts the other languages' passes): when PROGRAMME_GUIDE_PASSES names
  languages (comma-separated codes; empty: the source language only), build only those after the first
  pass (hooks/i18n.py restrict_passes). Every page still lists every language (switcher, hreflang, sitemap);
  the search index is left to the merged site (hooks/search.py). Without the variable nothing changes.

Reads the environment; writes nothing.
"""

from __future__ import annotations

import os

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

import i18n

VARIABLE = "PROGRAMME_GUIDE_PASSES"

# Hooks


@event_priority(-90)
def on_post_build(config):
    value = os.environ.get(VARIABLE)
    if value is None or not i18n.is_first_pass(config):
        return
    try:
        i18n.restrict_passes(config, [code.strip() for code in value.split(",") if code.strip()])
    except ValueError as exc:
        raise PluginError(f"{VARIABLE}: {exc}") from None
