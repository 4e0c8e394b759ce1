"""Which languages each page really exists in: hreflang links for a page's head, and the sitemap.

A page counts as translated into a language when none of its texts there falls back to Dutch (no text in
state "missing"); only such pages are advertised, and x-default points at the Dutch page. A page with
Dutch fallback text still exists and links its translated alternates, but none links to it.

Everything here comes from the engine's own page list (:func:`pages.render_site`) and the site's address,
so any site engine can use it: hooks/alternates.py hands it to the theme templates (overrides/main.html,
overrides/sitemap.xml), and :mod:`programme_guide.finish` writes the sitemap and the head links of a site
another engine built.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from . import datacache
from .locales import Catalog
from .pages import Page, render_site

DEFAULT = "x-default"
SITEMAP = "sitemap.xml"


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

    def sitemap_xml(self, lastmod: date) -> str:
        """The sitemap: every advertised page with the same alternates as its head, dated ``lastmod``."""
        template = site_templates().get_template("sitemap.xml.j2")
        return template.render(entries=self.sitemap(), lastmod=lastmod.isoformat())


def site_for(catalog: Catalog, url: str, languages: Sequence[str], pages: list[Page] | None = None) -> Site:
    """The site at ``url`` in ``languages`` (the configured ones, in site order); ``pages``: the rendered pages
    of those languages if the caller has them already."""
    return Site(url or "/", catalog.guide.source_language, translated_languages(catalog, tuple(languages), pages))


def translated_languages(
    catalog: Catalog, languages: tuple[str, ...], pages: list[Page] | None = None
) -> dict[str, tuple[str, ...]]:
    """Page path -> the languages (in site order) whose version of it has no Dutch fallback text."""
    translated: dict[str, list[str]] = {}
    wanted = set(languages)
    for page in pages if pages is not None else render_site(catalog, list(languages)):
        if page.lang not in wanted:
            continue
        langs = translated.setdefault(page.url, [])
        if "missing" not in page.states:
            langs.append(page.lang)
    return {path: tuple(langs) for path, langs in translated.items()}


def gzipped(text: str, name: str, mtime: int) -> bytes:
    """``text`` gzip-compressed as MkDocs writes sitemap.xml.gz: the file name and ``mtime`` in the header."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, filename=f"{name}.gz", mode="wb", mtime=mtime) as compressed:
        compressed.write(text.encode("utf-8"))
    return buffer.getvalue()


@cache
def site_templates() -> Environment:
    """The templates of the files `finish` writes into a built site (templates/*.xml.j2, *.html.j2): HTML
    autoescaping on, whitespace kept as written (as MkDocs renders its theme templates)."""
    return Environment(
        loader=PackageLoader("programme_guide", "templates"),
        bytecode_cache=datacache.template_cache("site"),
        autoescape=True,
        undefined=StrictUndefined,
    )
