"""MkDocs adapter: the theme's templates are compiled once, not again in every language pass of every build.

Events:
- on_env: give the theme's Jinja environment the engine's bytecode cache (programme_guide.datacache), in a
  folder of its own per MkDocs and Material version. Jinja checks each compiled template against its source, so
  an edited override is compiled afresh; `PROGRAMME_GUIDE_CACHE=off` switches the cache off.

Reads and writes the cache folder only; the built pages are the same bytes with or without it.
"""

from __future__ import annotations

from importlib.metadata import version

from programme_guide import datacache

THEME = f"theme-mkdocs-{version('mkdocs')}-material-{version('mkdocs-material')}"

# Hooks


def on_env(env, config, files):
    env.bytecode_cache = datacache.template_cache(THEME)
    return env
