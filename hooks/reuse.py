"""MkDocs adapter: a language pass makes nothing the site does not use, and keeps nothing once it is used.

mkdocs-static-i18n runs MkDocs once per language (25 passes for the 24 languages), each time with a new theme
environment and new files.

Events:
- on_config: the plugin does not work out the language switcher's files (which page each language's link leads
  to): the site's switcher needs none (i18n.skip_switcher_files).
- on_files (before the plugin's): a pass takes only its own language's pages and the default language's from the
  docs folder, not every language's (i18n.other_languages_files): the plugin would look at each of them
  (some 3,700 files per pass at 10 times the guide's size) to set them aside. And the plugin keeps the page
  files of the pass being built only, not of every pass before it (i18n.forget_earlier_passes).
- on_post_page (last of the handlers): once a page's HTML is made, the page lets go of it and of its Markdown.
  Without it, the pages of a pass would hold their HTML until the pass ends.
- on_env: the theme's Jinja environment gets the engine's bytecode cache (programme_guide.datacache), in a
  folder of its own per MkDocs and Material version, so its templates are compiled once, not in every pass
  of every build. Jinja checks each compiled template against its source, so an edited override is compiled
  afresh; `PROGRAMME_GUIDE_CACHE=off` switches this cache off.
- on_shutdown (the build or server is done): the process ends without looking through everything it still
  holds for garbage (gc.freeze when it exits): that last collection over the pages, texts and navigation of the
  build took a tenth of a second and more of a preview's time, and nothing is left to free once the process
  ends. Files are closed and logs flushed as before (atexit handlers and object finalisation are unchanged).

Reads and writes the cache folder only; the built site is the same bytes with or without this hook
(tests/test_cache.py, tests/test_i18n_plumbing.py).
"""

from __future__ import annotations

import atexit
import gc
from importlib.metadata import version

from mkdocs.plugins import event_priority

import i18n
from programme_guide import datacache

THEME = f"theme-mkdocs-{version('mkdocs')}-material-{version('mkdocs-material')}"

# Hooks


def on_config(config):
    i18n.skip_switcher_files(config)
    return config


@event_priority(-90)  # before the plugin's
def on_files(files, config):
    for file in i18n.other_languages_files(files, config):
        files.remove(file)
    i18n.forget_earlier_passes(config)
    return files


def on_env(env, config, files):
    env.bytecode_cache = datacache.template_cache(THEME)
    return env


@event_priority(-100)
def on_post_page(output, page, config):
    page.content = None
    if "title" in page.meta:  # the title the navigation of the pass's later pages shows comes from the meta
        page.markdown = ""
    return output


def on_shutdown():
    atexit.unregister(gc.freeze)  # once, however many builds one process runs
    atexit.register(gc.freeze)
