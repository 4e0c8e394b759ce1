"""MkDocs adapter: tell search engines which languages each page really exists in.

Events:
- on_env: put `pg_alternates` (a function: a page's URL -> its hreflang alternates) into the Jinja globals, for
  overrides/main.html (canonical and hreflang links in the head). Runs once per language pass.
- on_post_build (first pass, before mkdocs-static-i18n starts the others): write sitemap.xml and sitemap.xml.gz
  at the site root, dated like MkDocs' own (SOURCE_DATE_EPOCH, which hooks/reproducible.py sets), as they are
  made rather than from one string (overrides/sitemap.xml is empty, so MkDocs writes none of its own).

The rules (only pages without Dutch fallback text are advertised, x-default is the Dutch page) and the
sitemap's XML are the engine's, in programme_guide.alternates, which `programme-guide finish` also uses.

Reads data/ (through the package, cached per build); writes the sitemap. The site's pages are the same in every
language pass of a build, so they are worked out in the first and kept for the others.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.utils import get_build_datetime

import i18n
from programme_guide.alternates import Alternate, Site, SitemapEntry, site_for, translated_languages
from programme_guide.generate import last_rendered, load_beside

__all__ = ["Alternate", "Site", "SitemapEntry", "on_env", "translated_languages"]

# Hooks


def on_env(env, config, files):
    catalog = load_beside(config.config_file_path)
    source = catalog.guide.source_language
    built = set(i18n.build_languages(config, source))
    languages = [code for code in catalog.guide.language_codes if code in built]
    lang = i18n.current_language(config, source)
    site = _site(catalog, config.site_url or "/", languages)
    env.globals["pg_alternates"] = lambda url: site.alternates(site.path(url, lang))
    return env


def on_post_build(config):
    if not i18n.is_first_pass(config):
        return
    site = _last.get("site")
    if site is not None:
        site.write_sitemap(Path(config.site_dir), get_build_datetime().date())


# Helpers

# Every pass of a build has the same site: it is made once.
_last: dict = {}


def _site(catalog, url: str, languages: list[str]) -> Site:
    # The pages hooks/generate.py rendered (the languages this process writes, and the source language): the
    # other languages' states are worked out from them.
    pages, edit = last_rendered(catalog) or (None, None)
    key = (url, tuple(languages), id(pages))
    if _last.get("catalog") is not catalog or _last.get("key") != key:
        _last.clear()
        site = site_for(catalog, url, languages, pages, edit)
        _last.update(catalog=catalog, key=key, site=site)
    return _last["site"]
