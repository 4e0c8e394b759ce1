"""MkDocs adapter: give the theme templates this edition's texts in the language being built.

Events:
- on_env: put `pg` (a function: key -> resolved text), the current language and `pg_official_url` (an
  official guide address -> the same page in the reader's language) into the Jinja globals, for
  overrides/ (disclaimer banner, language switcher label, 404 page). Runs once per language pass,
  after mkdocs-static-i18n has set the current language.

Reads data/ (through the package, cached per build); writes nothing. `programme-guide check` (and the build,
before it starts) reads the keys the overrides pass to `pg` from the templates themselves; a key that is data
(not written in the template) and has no text stops the build with the data error, not a traceback.
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError

import i18n
from programme_guide.errors import DataError
from programme_guide.generate import load_beside
from programme_guide.pages import official_url

# Hooks


def on_env(env, config, files):
    catalog = load_beside(config.config_file_path)
    lang = i18n.current_language(config, catalog.guide.source_language)
    env.globals["pg"] = lambda key, **values: _text(catalog, lang, key, values)
    env.globals["pg_lang"] = lang
    env.globals["pg_source"] = catalog.guide.source_language
    env.globals["pg_language"] = catalog.guide.language(lang)
    env.globals["pg_official"] = catalog.guide.official
    env.globals["pg_official_url"] = lambda url: official_url(url, lang, catalog.guide)
    return env


# Helpers


def _text(catalog, lang: str, key: str, values: dict):
    try:
        return catalog.text(lang, key, **values)
    except DataError as exc:
        raise PluginError(exc.format(catalog.guide.data_dir.parent)) from None
