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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from . import datacache
from .edits import EditLinks
from .locales import Catalog
from .pages import Page, render_site, site_targets, states_in

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

    def sitemap(self) -> Iterator[SitemapEntry]:
        for path, languages in self.translated.items():
            alternates = self.alternates(path)
            for lang in languages:
                yield SitemapEntry(self.href(lang, path), alternates)

    def write_sitemap(self, folder: Path, lastmod: date) -> None:
        """Write the sitemap into ``folder``: every advertised page with the same alternates as its head, dated
        ``lastmod``, as sitemap.xml and, compressed, sitemap.xml.gz (dated midnight UTC of ``lastmod`` in its
        header, as MkDocs dates its own). The XML is written as it is made, so a site of many thousand pages is
        never held in memory whole (at 50 times the guide's size the sitemap is 77 MB)."""
        mtime = int(datetime(lastmod.year, lastmod.month, lastmod.day, tzinfo=UTC).timestamp())
        template = site_templates().get_template("sitemap.xml.j2")
        chunks = template.generate(entries=self.sitemap(), lastmod=lastmod.isoformat())
        with (
            (folder / SITEMAP).open("wb") as plain,
            (folder / f"{SITEMAP}.gz").open("wb") as raw,
            gzip.GzipFile(fileobj=raw, filename=f"{SITEMAP}.gz", mode="wb", mtime=mtime) as compressed,
        ):
            for batch in _batches(chunks):
                data = batch.encode("utf-8")
                plain.write(data)
                compressed.write(data)


def site_for(
    catalog: Catalog,
    url: str,
    languages: Sequence[str],
    pages: list[Page] | None = None,
    edit: EditLinks | None = None,
) -> Site:
    """The site at ``url`` in ``languages`` (the configured ones, in site order). ``pages``: the pages the caller
    rendered already, with ``edit`` (see :func:`translated_languages`)."""
    translated = translated_languages(catalog, tuple(languages), pages, edit)
    return Site(url or "/", catalog.guide.source_language, translated)


def translated_languages(
    catalog: Catalog, languages: tuple[str, ...], pages: list[Page] | None = None, edit: EditLinks | None = None
) -> dict[str, tuple[str, ...]]:
    """Page path -> the languages (in site order) whose version of it has no Dutch fallback text.

    ``pages``: rendered pages, of some of ``languages`` at least (default: all of them are rendered). A language
    not among them is worked out from the pages of one that is, other than the source, without rendering it
    (:func:`pages.states_in`); one such language is rendered if none is given."""
    source = catalog.guide.source_language
    if pages is None:
        pages = render_site(catalog, list(languages), edit=edit)
    elif source in languages and not any(page.lang == source for page in pages):
        pages = [*pages, *render_site(catalog, [source], edit=edit)]
    states: dict[tuple[str, str], frozenset[str]] = {(page.lang, page.url): page.states for page in pages}
    rendered = {page.lang for page in pages}
    unknown = [lang for lang in languages if lang not in rendered]
    if unknown:
        model = next((page.lang for page in pages if page.lang != source), None)
        if model is None:
            model = next(lang for lang in catalog.guide.language_codes if lang != source)
            pages = [*pages, *render_site(catalog, [model], edit=edit)]
        targets = site_targets(catalog)
        for page in (page for page in pages if page.lang == model):
            target = targets[page.page_id]
            for lang in unknown:
                states[lang, page.url] = page.states if lang == model else states_in(catalog, lang, page, target, edit)
    translated: dict[str, list[str]] = {}
    for page in pages:
        translated.setdefault(page.url, [])
    for url, langs in translated.items():
        langs.extend(lang for lang in languages if "missing" not in states[lang, url])
    return {path: tuple(langs) for path, langs in translated.items()}


def _batches(chunks: Iterable[str], size: int = 1 << 16) -> Iterator[str]:
    """The strings of ``chunks`` joined into pieces of about ``size`` characters."""
    batch: list[str] = []
    length = 0
    for chunk in chunks:
        batch.append(chunk)
        length += len(chunk)
        if length >= size:
            yield "".join(batch)
            batch, length = [], 0
    if batch:
        yield "".join(batch)


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
