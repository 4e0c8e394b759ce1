"""MkDocs adapter: build the site search index (Pagefind) once, after every language is built.

Events:
- on_post_build (priority -200): index the whole site directory (programme_guide.finish.index_search, which
  `programme-guide finish` also runs). mkdocs-static-i18n builds the other languages from inside its own
  on_post_build of the source-language pass, so this handler runs once per language; it returns while that
  plugin is still building and indexes only after the last language. A build of some languages only (one
  process of `programme-guide build`, see hooks/passes.py) leaves the index to the merged site.

Pagefind writes one index per <html lang> into <site>/pagefind/, so a search only finds pages in the
language of the page it runs on. It indexes what overrides/main.html marks with data-pagefind-body (the
article, not the navigation), skips Dutch fallback passages (data-pagefind-ignore, set by the generator)
and the notices above translated pages. overrides/partials/search.html and docs/assets/search.js query it.

Reads the built site; writes <site>/pagefind/.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

import i18n
from programme_guide.finish import FinishError, index_search

# Hooks


@event_priority(-200)
def on_post_build(config):
    if not i18n.is_last_pass(config) or i18n.is_partial(config):
        return
    try:
        index_search(Path(config.site_dir))
    except FinishError as exc:
        raise PluginError(str(exc)) from None
