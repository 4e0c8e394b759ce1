"""Finish a built site: every step after the HTML pages that needs no site engine.

A site engine (MkDocs today) turns the Markdown tree of `programme-guide generate` into HTML pages: the source
language at the site root, every other language under ``<code>/``, each page at ``<url>index.html``. This
module does the rest, on the built folder, from data/ and the engine's own page list:

- ``exports``: per language, ``key-action-2/actions.json``, ``deadlines.ics`` and each fact sheet's
  ``<action>.ics``; at the root ``schemas/actions.schema.json`` (:func:`write_exports`);
- ``not-found``: a 404 page in each language's folder, in that language, where the engine wrote none (or one
  in another language, as mkdocs-static-i18n does at the root) (:func:`write_not_found_pages`);
- ``alternates``: ``sitemap.xml`` (and ``.gz``) with every advertised page and its hreflang alternates, and the
  same hreflang links in each page's head where they differ (:func:`write_alternates`);
- ``pdf``: the PDF of the guide in each built language that has none yet (:func:`programme_guide.pdf.build_pdfs`,
  made from the built pages);
- ``search``: the Pagefind index, one per language, over the whole site (:func:`index_search`).

The MkDocs hooks call the same functions during the build (hooks/exports.py, hooks/not_found.py,
hooks/alternates.py, hooks/pdf.py, hooks/search.py), so on a site MkDocs built with the project's hooks,
`finish` changes nothing but what is missing. The steps that need every language of the site at once
(:data:`SITE_STEPS`) are what `programme-guide build` runs after merging the languages it built in parallel. A
new post-build step goes into :data:`STEPS` and :func:`finish` (and into :func:`finish_merged` if it needs
every language at once), and its hook calls the same function.

Languages: the site's languages are the ones in data/languages.yml; per-language files are written for those
whose home page is in the site, and the sitemap and hreflang links advertise all of them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import escape

from .alternates import Site, site_for, site_templates
from .deadlines import build_moment
from .errors import DataError
from .exports import SCHEMA_URL_PATH, actions_json, deadlines_ics, schema_bytes
from .locales import Catalog
from .pages import COMPARE_ROWS_FILE, compare_data, site_targets
from .pdf import build_pdfs, pdf_name

STEPS = ("exports", "not-found", "alternates", "pdf", "search")
SITE_STEPS = ("search",)  # the steps that need every language of the site at once
NOT_FOUND = "404.html"
PAGEFIND_ENTRY = Path("pagefind") / "pagefind-entry.json"
NOT_INDEXED = ".pg-notices"  # the notices above translated pages (overrides/main.html)
INDEXED = "**/index.html"  # the pages; 404 pages and other HTML files stay out of the search


class FinishError(Exception):
    """A step could not be done; the message says what and why."""


@dataclass(frozen=True)
class BuiltSite:
    """A built site folder and what finish needs to know about it."""

    folder: Path
    catalog: Catalog
    url: str  # the site's address, ending in '/'
    root_language: str  # the language of the pages at the site root
    built: tuple[str, ...]  # the languages with a home page in the folder, in site order

    @property
    def languages(self) -> tuple[str, ...]:
        """Every language of the site (data/languages.yml), in site order."""
        return tuple(self.catalog.guide.language_codes)

    def prefix(self, lang: str) -> str:
        """The folder of ``lang`` below the site root: '' for the root language, else '<lang>/'."""
        return language_folder(lang, self.root_language)


def language_folder(lang: str, root_language: str) -> str:
    return "" if lang == root_language else f"{lang}/"


def inspect(folder: Path, catalog: Catalog, url: str | None = None) -> BuiltSite:
    """What is in the built site ``folder``: its root language, the languages built, its address (``url``, else
    the canonical address of the root home page)."""
    home = folder / "index.html"
    if not home.is_file():
        raise FinishError(f"{folder}: no index.html at the top; give the folder of a built site")
    head = home.read_text("utf-8", errors="replace")
    root = _page_lang(head) or catalog.guide.source_language
    if root not in catalog.guide.language_codes:
        raise FinishError(f"{home}: its language '{root}' is not one of data/languages.yml")
    if url is None:
        url = _attribute(_canonical(head), "href")
        if not url:
            raise FinishError(f"{home}: no canonical link to take the site's address from; give it with --site-url")
    url = url if url.endswith("/") else f"{url}/"
    built = tuple(
        code for code in catalog.guide.language_codes if (folder / language_folder(code, root) / "index.html").is_file()
    )
    return BuiltSite(folder, catalog, url, root, built)


def finish(
    site: BuiltSite, steps: Sequence[str] = STEPS, say: Callable[[str], None] = print, pages=None
) -> dict[str, str]:
    """Run ``steps`` (in the order of :data:`STEPS`) on the built site; return what each did, by step.
    ``pages``: the rendered pages of every language, if the caller has them (the alternates step needs them)."""
    unknown = [step for step in steps if step not in STEPS]
    if unknown:
        raise ValueError(f"unknown finish step: {', '.join(unknown)}; the steps are {', '.join(STEPS)}")
    done: dict[str, str] = {}
    for step in STEPS:
        if step not in steps:
            continue
        if step == "exports":
            for lang in site.built:
                write_exports(site.catalog, site.folder, lang, site.prefix(lang))
            done[step] = f"open data of {len(site.built)} languages"
        elif step == "not-found":
            written = write_not_found_pages(site)
            done[step] = f"{len(written)} 404 pages written, {len(site.built) - len(written)} kept"
        elif step == "alternates":
            done[step] = write_alternates(site, pages)
        elif step == "pdf":
            done[step] = write_pdfs(site)
        elif step == "search":
            index_search(site.folder)
            done[step] = "Pagefind index of the whole site"
        say(f"{step}: {done[step]}")
    return done


def finish_merged(folder: Path, say: Callable[[str], None] = print) -> None:
    """The steps that need every language of the site at once (:data:`SITE_STEPS`), on a site whose languages
    were built apart and merged (programme_guide.build); the per-language steps ran in each language's pass.
    A new site-wide step goes into SITE_STEPS, here and into :func:`finish`."""
    index_search(folder)
    say("search: Pagefind index of the whole site")


# Open data


def write_exports(catalog: Catalog, site: Path, lang: str, prefix: str) -> None:
    """Write ``lang``'s open data into its folder ``prefix`` ('' or '<lang>/') of the built site ``site``:
    ``<overview>/actions.json`` and ``deadlines.ics``, ``<fact sheet>/<action>.ics``, the comparison page's
    ``rows.json`` (:func:`pages.compare_data`); with the source language also ``schemas/actions.schema.json`` at
    the site root."""
    if catalog.facts is None:
        return
    targets = site_targets(catalog)
    overview = next(t for t in targets.values() if t.kind == "overview")
    folder = site / prefix / overview.url
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "actions.json").write_bytes(actions_json(catalog, lang))
    (folder / "deadlines.ics").write_bytes(deadlines_ics(catalog, lang))
    for action in catalog.facts.actions:
        sheet = site / prefix / targets[f"action-{action}"].url
        sheet.mkdir(parents=True, exist_ok=True)
        (sheet / f"{action}.ics").write_bytes(deadlines_ics(catalog, lang, [action]))
    compare = site / prefix / targets["compare"].url
    compare.mkdir(parents=True, exist_ok=True)
    rows = json.dumps(compare_data(catalog, lang), ensure_ascii=False, separators=(",", ":"))
    (compare / COMPARE_ROWS_FILE).write_text(rows, "utf-8")
    if lang == catalog.guide.source_language:
        schema = site / SCHEMA_URL_PATH
        schema.parent.mkdir(parents=True, exist_ok=True)
        schema.write_bytes(schema_bytes())


# 404 pages


def not_found_file(prefix: str) -> str:
    """Where the 404 page of the language in folder ``prefix`` ('' or '<lang>/') lies below the site root."""
    return f"{prefix}{NOT_FOUND}"


def write_not_found_pages(site: BuiltSite) -> list[str]:
    """A 404 page for each built language that has none in its own language; return the files written.

    The page is plain HTML with the language's texts (templates/not-found.html.j2) and absolute links, as a
    server shows it at any address. The root language's page sends a reader whose address lies in another
    language's folder to that language's 404 page (assets/not-found.js), for hosts that serve one 404 page."""
    written = []
    base = urlsplit(site.url).path or "/"
    template = site_templates().get_template("not-found.html.j2")
    for lang in site.built:
        target = site.folder / not_found_file(site.prefix(lang))
        if target.is_file() and _html_lang(target) == lang:
            continue
        text = lambda key, lang=lang: site.catalog.text(lang, key)  # noqa: E731 - a short alias for the template
        page = template.render(
            lang=lang,
            t=text,
            home=f"{base}{site.prefix(lang)}",
            script=f"{base}assets/not-found.js" if lang == site.root_language else None,
            source=site.root_language,
            languages=" ".join(site.built),
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, "utf-8")
        written.append(not_found_file(site.prefix(lang)))
    return written


def _html_lang(page: Path) -> str | None:
    with page.open(encoding="utf-8", errors="replace") as handle:
        return _attribute(re.search(r"<html\b[^>]*>", handle.read(4096)), "lang")


# Sitemap and hreflang links


LINK = re.compile(r"<link\b[^>]*>")
ALTERNATE_LINK = re.compile(r"[ \t]*<link\b(?=[^>]*\brel=\"alternate\")(?=[^>]*\bhreflang=)[^>]*>\n?")


def write_alternates(site: BuiltSite, pages=None) -> str:
    """Write the sitemap and make every page's hreflang links the engine's; return what was done."""
    if site.root_language != site.catalog.guide.source_language:
        return "skipped: the site root holds a preview language, not the source language"
    edition = site_for(site.catalog, site.url, site.languages, pages)
    moment = build_moment(site.catalog.guide.data_dir)
    edition.write_sitemap(site.folder, moment.date())
    changed = 0
    for lang in site.built:
        for target in site_targets(site.catalog).values():
            page = site.folder / site.prefix(lang) / target.url / "index.html"
            if page.is_file() and _set_alternates(page, edition, target.url):
                changed += 1
    return f"sitemap written, hreflang links changed in {changed} pages"


def _set_alternates(page: Path, edition: Site, path: str) -> bool:
    """Give ``page`` (at ``path`` below its language folder) the engine's hreflang links; True if it changed."""
    html = page.read_text("utf-8")
    head_end = html.find("</head>")
    if head_end < 0:
        return False
    head = html[:head_end]
    expected = [(alt.lang, alt.href) for alt in edition.alternates(path)]
    found = [(_attribute(m, "hreflang"), _attribute(m, "href")) for m in ALTERNATE_LINK.finditer(head)]
    if found == expected:
        return False
    head = ALTERNATE_LINK.sub("", head)
    links = "".join(f'\n<link rel="alternate" hreflang="{lang}" href="{escape(href)}">' for lang, href in expected)
    canonical = _canonical(head)
    at = canonical.end() if canonical else len(head)
    page.write_text(head[:at] + links + head[at:] + html[head_end:], "utf-8")
    return True


def _canonical(html: str) -> re.Match | None:
    return next((m for m in LINK.finditer(html) if _attribute(m, "rel") == "canonical"), None)


def _attribute(match: re.Match | None, name: str) -> str | None:
    if match is None:
        return None
    found = re.search(rf'\b{name}="([^"]*)"', match.group(0))
    return unescape(found.group(1)) if found else None


# PDFs


def write_pdfs(site: BuiltSite) -> str:
    """The PDF of the guide for every built language that has none; return what was done."""
    missing = [lang for lang in site.built if not (site.folder / site.prefix(lang) / pdf_name(lang)).is_file()]
    try:
        build_pdfs(site.folder, missing, site.catalog)
    except DataError as exc:
        raise FinishError(f"the PDFs could not be written: {exc}") from None
    return f"{len(missing)} PDFs written, {len(site.built) - len(missing)} kept"


# Search


def index_search(site: Path, jobs: int | None = None) -> None:
    """Index the site with Pagefind: one index per language in ``<site>/pagefind/``, the pages only
    (``index.html``), without the notices above translated pages.

    Pagefind runs once per language folder (:func:`search_parts`), ``jobs`` at a time (default one per CPU), each
    into a folder of its own, and the folders are merged (their files moved, not copied): the index files are
    named by their content, the files every run writes (Pagefind's scripts) are the same bytes, and
    pagefind-entry.json lists every language, sorted (Pagefind lists them in a different order on every run).
    The result is byte for byte what one run over the whole site writes, while a run holds one language's pages
    in memory, not all of them (over 2 GB at 50 times the guide's size)."""
    parts = search_parts(site)
    with tempfile.TemporaryDirectory(prefix=".pagefind-", dir=site) as tmp:
        outputs = {lang: Path(tmp) / lang for lang in parts}
        with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
            failed = [
                message
                for message in pool.map(lambda lang: _pagefind(site, parts[lang], outputs[lang]), parts)
                if message
            ]
        if failed:
            raise FinishError(f"Pagefind could not index {site}:\n" + "\n".join(failed))
        merged = Path(tmp) / "pagefind"
        _merge_search_parts(list(outputs.values()), merged)
        target = site / PAGEFIND_ENTRY.parent
        if target.exists():
            shutil.rmtree(target)
        merged.rename(target)


def search_parts(site: Path) -> dict[str, str]:
    """The pages of each language of a built site, as Pagefind globs: a language folder (``<code>/``, whose
    home page says ``<html lang="<code>">``) holds one language; the rest of the site holds the language of
    the home page at its root."""
    folders = sorted(
        folder.name for folder in site.iterdir() if folder.is_dir() and _html_lang(folder / "index.html") == folder.name
    )
    parts = {lang: f"{lang}/{INDEXED}" for lang in folders}
    root = _html_lang(site / "index.html")
    if root and root not in parts:
        below = sorted(
            folder.name
            for folder in site.iterdir()
            if folder.is_dir()
            and folder.name not in folders
            and folder.name != PAGEFIND_ENTRY.parent.name
            and not folder.name.startswith(".")
        )
        parts[root] = "{" + ",".join(["index.html", *(f"{name}/{INDEXED}" for name in below)]) + "}"
    return dict(sorted(parts.items()))


def _html_lang(page: Path) -> str | None:
    if not page.is_file():
        return None
    with page.open(encoding="utf-8", errors="replace") as handle:
        return _page_lang(handle.read(2048))


def _page_lang(head: str) -> str | None:
    """The ``lang`` of a page's ``<html>`` element, from the start of its HTML."""
    return _attribute(re.search(r"<html\b[^>]*>", head), "lang")


def _pagefind(site: Path, glob: str, output: Path) -> str:
    """Run Pagefind on the pages ``glob`` matches; the error output if it failed, else ''."""
    command = [str(_pagefind_binary()), "--site", str(site), "--glob", glob]
    command += ["--exclude-selectors", NOT_INDEXED, "--output-path", str(output), "--silent"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    return "" if result.returncode == 0 else f"{glob}: {result.stderr or result.stdout}"


@cache
def _pagefind_binary() -> Path:
    """Pagefind's program, run directly rather than through ``python -m pagefind`` (an interpreter started for
    each language): $PAGEFIND_BINARY_PATH if set, as Pagefind's Python package does, else the program of the
    pinned pagefind[bin] package."""
    if os.environ.get("PAGEFIND_BINARY_PATH"):
        return Path(os.environ["PAGEFIND_BINARY_PATH"])
    try:
        from pagefind_bin import get_executable  # not pagefind.service, which imports asyncio

        return get_executable()
    except (ImportError, FileNotFoundError):
        raise FinishError("Pagefind's program is missing: install the project again (pip install -e .)") from None


def _merge_search_parts(parts: list[Path], merged: Path) -> None:
    """Move the files of Pagefind's ``parts`` (one folder per language) into one folder ``merged``; a file that
    more than one part holds must be the same bytes in each."""
    entries = []
    for part in parts:
        if not part.is_dir():
            continue
        entry = part / PAGEFIND_ENTRY.name
        if entry.is_file():
            entries.append(json.loads(entry.read_text("utf-8")))
            entry.unlink()
        if not merged.exists():
            part.rename(merged)
            continue
        for file in sorted(part.rglob("*")):
            if not file.is_file():
                continue
            rel = file.relative_to(part)
            target = merged / rel
            if target.exists():
                if target.read_bytes() != file.read_bytes():
                    raise FinishError(f"Pagefind wrote {rel} differently for two languages")
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            file.rename(target)
    if not entries:
        return
    entry = dict(entries[0])
    entry["languages"] = dict(sorted((code, v) for e in entries for code, v in e.get("languages", {}).items()))
    merged.mkdir(parents=True, exist_ok=True)
    (merged / PAGEFIND_ENTRY.name).write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")
