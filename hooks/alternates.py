"""MkDocs adapter: tell search engines which languages each page really exists in.

Events:
- on_env: put `pg_alternates` (a function: a page's URL -> its hreflang alternates) and `pg_sitemap_xml` (a
  function: the build date -> the sitemap) into the Jinja globals, for overrides/main.html (canonical and
  hreflang links in the head) and overrides/sitemap.xml. Runs once per language pass.

The rules (only pages without Dutch fallback text are advertised, x-default is the Dutch page) and the
sitemap's XML are the engine's, in programme_guide.alternates, which `programme-guide finish` also uses.

Reads data/ (through the package, cached per build); writes nothing. The site's pages and its sitemap are the
same in every language pass of a build, so they are worked out in the first and kept for the others.
"""

from __future__ import annotations

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
    site, sitemaps = _site(catalog, config.site_url or "/", languages)
    env.globals["pg_alternates"] = lambda url: site.alternates(site.path(url, lang))
    env.globals["pg_sitemap_xml"] = lambda built_on: _sitemap(site, sitemaps, built_on.date())
    return env


# Helpers

# Every pass of a build has the same site and writes the same sitemap over the last one's: both are made once.
_last: dict = {}


def _site(catalog, url: str, languages: list[str]) -> tuple[Site, dict]:
    # The pages hooks/generate.py rendered (the languages this process writes, and the source language): the
    # other languages' states are worked out from them.
    pages, edit = last_rendered(catalog) or (None, None)
    key = (url, tuple(languages), id(pages))
    if _last.get("catalog") is not catalog or _last.get("key") != key:
        _last.clear()
        site = site_for(catalog, url, languages, pages, edit)
        _last.update(catalog=catalog, key=key, site=site, sitemaps={})
    return _last["site"], _last["sitemaps"]


def _sitemap(site: Site, sitemaps: dict, built_on) -> str:
    if built_on not in sitemaps:
        sitemaps[built_on] = site.sitemap_xml(built_on)
    return sitemaps[built_on]
