"""MkDocs adapter: tell search engines which languages each page really exists in.

Events:
- on_env: put `pg_alternates` (a function: a page's URL -> its hreflang alternates) and `pg_sitemap` (a
  function: every advertised page with its alternates) into the Jinja globals, for overrides/main.html
  (canonical and hreflang links in the head) and overrides/sitemap.xml. Runs once per language pass.

A page counts as translated into a language when none of its texts there falls back to Dutch (no text in
state "missing"); only such pages are advertised, and x-default points at the Dutch page. A page with
Dutch fallback text still exists and links its translated alternates, but none links to it.

Reads data/ (through the package, cached per build); writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import i18n
from programme_guide.generate import load_beside, render_cached

DEFAULT = "x-default"

# Hooks


def on_env(env, config, files):
    catalog = load_beside(config.config_file_path)
    source = catalog.guide.source_language
    built = set(i18n.build_languages(config, source))
    languages = tuple(code for code in catalog.guide.language_codes if code in built)
    lang = i18n.current_language(config, source)
    site = Site(config.site_url or "/", source, translated_languages(catalog, languages))
    env.globals["pg_alternates"] = lambda url: site.alternates(site.path(url, lang))
    env.globals["pg_sitemap"] = site.sitemap
    return env


# Helpers


@dataclass(frozen=True)
class Alternate:
    lang: str  # an hreflang value: a language code or x-default
    href: str  # absolute URL


@dataclass(frozen=True)
class SitemapEntry:
    loc: str
    alternates: list[Alternate]


@dataclass(frozen=True)
class Site:
    url: str  # site_url, ending in '/'
    source: str
    translated: dict[str, tuple[str, ...]]  # page path below the language root -> languages, in site order

    def href(self, lang: str, path: str) -> str:
        prefix = "" if lang == self.source else f"{lang}/"
        return f"{self.url.rstrip('/')}/{prefix}{path}"

    def path(self, url: str, lang: str) -> str:
        """A page URL of the site ('en/key-action-2/') without its language folder ('key-action-2/')."""
        return url if lang == self.source else url.removeprefix(f"{lang}/")

    def alternates(self, path: str) -> list[Alternate]:
        languages = self.translated.get(path, ())
        found = [Alternate(lang, self.href(lang, path)) for lang in languages]
        return [*found, Alternate(DEFAULT, self.href(self.source, path))] if found else []

    def sitemap(self) -> list[SitemapEntry]:
        entries = []
        for path, languages in self.translated.items():
            alternates = self.alternates(path)
            entries += [SitemapEntry(self.href(lang, path), alternates) for lang in languages]
        return entries


def translated_languages(catalog, languages: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Page path -> the languages (in site order) whose version of it has no Dutch fallback text."""
    translated: dict[str, list[str]] = {}
    for page in render_cached(catalog, list(languages)):
        langs = translated.setdefault(page.url, [])
        if "missing" not in page.states:
            langs.append(page.lang)
    return {path: tuple(langs) for path, langs in translated.items()}
