"""The PDF of the whole Key Action 2 guide in each language: built with the site, complete, readable in its
script, with bookmarks and working links, and linked from every page of its language. The session's site writes
the PDFs of SITE_PDF_LANGUAGES (tests/conftest.py: one language per script and letter set); its other languages'
pages must then link none."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from lxml import html
from pypdf import PdfReader

from conftest import ROOT, SITE_PDF_LANGUAGES, mkdocs_build, sample_project, site_path_prefix
from helpers import ACTIONS, article, normalise, page, seed_blocks, text
from programme_guide.model import load_guide

GUIDE = load_guide(ROOT / "data")
LANGUAGES = list(GUIDE.language_codes)
SOURCE = GUIDE.source_language
PDF = "programme-guide-ka2-{}.pdf"
# The pages a PDF holds, below the language folder, in the guide's order: the overview, then each family page
# with the fact sheets of its actions.
FAMILIES = list(dict.fromkeys(ACTIONS.values()))
PAGES = ["key-action-2/"] + [
    url
    for family in FAMILIES
    for url in [f"key-action-2/{family}/"]
    + [f"key-action-2/{family}/{action}/" for action, of in ACTIONS.items() if of == family]
]
# Letters each of these languages needs beyond plain Latin, and that its PDF must show as text.
LETTERS = {"el": "αβγδεήίόύώ", "bg": "бвгджзийклпт", "mt": "ħġżċ", "ga": "áéíóú"}


def folder(lang: str) -> str:
    return "" if lang == SOURCE else f"{lang}/"


def pdf_path(site: Path, lang: str) -> Path:
    return site / folder(lang) / PDF.format(lang)


@cache
def reader(path: Path) -> PdfReader:
    return PdfReader(path)


def page_text(pdf_page) -> str:
    """A PDF page's text, its lines joined again where WeasyPrint hyphenated a word (U+2010 at the line end)."""
    return re.sub("\u2010\n", "", pdf_page.extract_text())


@cache
def pdf_text(path: Path) -> str:
    return normalise("\n".join(page_text(p) for p in reader(path).pages))


def outline_titles(items) -> list[str]:
    titles = []
    for item in items:
        titles.extend(outline_titles(item) if isinstance(item, list) else [normalise(item.title)])
    return titles


def outline_tree(items) -> list[tuple[str, list]]:
    """The bookmarks as (title, children) pairs."""
    nodes: list[tuple[str, list]] = []
    for item in items:
        if isinstance(item, list):
            nodes[-1][1].extend(outline_tree(item))
        else:
            nodes.append((normalise(item.title), []))
    return nodes


@cache
def heading(site: Path, lang: str, url: str) -> str:
    return text(article(page(site, folder(lang) + url)).cssselect("h1")[0])


@pytest.mark.parametrize("lang", SITE_PDF_LANGUAGES)
def test_each_pdf_has_bookmarks_for_the_overview_and_every_fact_sheet(site, lang):
    pdf = reader(pdf_path(site, lang))
    assert len(pdf.pages) > len(PAGES), f"{lang}: {len(pdf.pages)} pages for {len(PAGES)} site pages"
    assert pdf.trailer["/Root"]["/Lang"] == lang, "the document's language decides hyphenation and screen readers"
    titles = outline_titles(pdf.outline)
    wanted = [heading(site, lang, url) for url in PAGES]
    position = -1
    for title in wanted:  # each page's bookmark, after the one of the page before it
        assert title in titles[position + 1 :], f"{lang}: no bookmark for {title!r} in the guide's order"
        position = titles.index(title, position + 1)
    # The overview and the families at the top level, each fact sheet below its family.
    top = dict(outline_tree(pdf.outline))
    assert wanted[0] in top
    for action, family in ACTIONS.items():
        below = [title for title, _ in top[heading(site, lang, f"key-action-2/{family}/")]]
        assert heading(site, lang, f"key-action-2/{family}/{action}/") in below, f"{lang}: {action}"


def test_dutch_pdf_holds_every_paragraph_of_the_seed(site):
    title, blocks = seed_blocks()
    shown = pdf_text(pdf_path(site, SOURCE))
    assert title in shown
    missing = [block[:60] for block in blocks if normalise(block[:60]) not in shown]
    assert not missing, f"{len(missing)} of {len(blocks)} seed paragraphs missing from the Dutch PDF: {missing[:3]}"


@pytest.mark.parametrize("lang", sorted(LETTERS))
def test_pdf_shows_the_letters_of_its_language_in_the_named_fonts(site, lang):
    path = pdf_path(site, lang)
    shown = pdf_text(path)
    assert set(LETTERS[lang]) <= set(shown), f"{lang}: letters missing: {set(LETTERS[lang]) - set(shown)}"
    for url in PAGES:
        assert heading(site, lang, url) in shown, f"{lang}: the title of {url} is not in the PDF's text"
    fonts = set()
    for pdf_page in reader(path).pages:
        for font in (pdf_page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    # Only DejaVu (print CSS): a glyph DejaVu lacked would have come from a fallback font, or as a box.
    assert fonts and all("DejaVu" in name for name in fonts), fonts


@pytest.mark.parametrize("lang", [SOURCE, "el", "ga"])
def test_pdf_links_lead_into_the_document_or_to_absolute_addresses(site, lang):
    uris, internal = [], 0
    for pdf_page in reader(pdf_path(site, lang)).pages:
        for annotation in pdf_page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A")
            if action is not None and "/URI" in action:
                uris.append(str(action["/URI"]))
            elif "/Dest" in annotation or (action is not None and "/D" in action):
                internal += 1
    assert uris and internal, f"{lang}: {len(uris)} web links, {internal} links inside the document"
    assert all(urlsplit(uri).scheme in ("https", "http", "mailto") for uri in uris), [
        uri for uri in uris if urlsplit(uri).scheme not in ("https", "http", "mailto")
    ][:5]


def test_translated_pdf_opens_with_the_edition_and_draft_notices(site):
    first = normalise(page_text(reader(pdf_path(site, "en")).pages[0]))
    home = page(site, "en/")
    disclaimer = text(home.cssselect(".pg-disclaimer")[0])
    assert disclaimer.split(".")[0] in first
    draft = text(page(site, "en/key-action-2/").cssselect(".pg-notice--draft")[0])
    assert draft[:60] in first


def test_every_page_links_the_pdf_of_its_language_when_the_build_wrote_one(site):
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*.pdf")) == sorted(
        (folder(lang) + PDF.format(lang)) for lang in SITE_PDF_LANGUAGES
    )
    prefix = site_path_prefix(site)
    checked = without = 0
    for path in sorted(site.rglob("*.html")):
        doc = html.parse(str(path)).getroot()
        lang = doc.get("lang")
        if doc.cssselect("meta[http-equiv=refresh]") or lang not in LANGUAGES:
            continue
        links = doc.cssselect('a[type="application/pdf"]')
        where = path.relative_to(site)
        if lang not in SITE_PDF_LANGUAGES:  # no PDF written, so no link that would lead nowhere
            assert not links, f"{where}: links a PDF the build did not write"
            without += 1
            continue
        assert len(links) == 1, f"{where}: {len(links)} PDF links"
        href = links[0].get("href")
        if href.startswith("/"):
            assert href.startswith(prefix), f"{where}: {href}"
            target = site / unquote(href[len(prefix) :])
        else:
            target = Path(unquote(urljoin(path.as_uri(), href)[len("file://") :]))
        assert target.resolve() == pdf_path(site, lang).resolve(), f"{where} ({lang}) links {href}"
        checked += 1
    assert checked > len(SITE_PDF_LANGUAGES) * len(PAGES)
    assert without > (len(LANGUAGES) - len(SITE_PDF_LANGUAGES)) * len(PAGES)


@pytest.mark.slow  # three builds of the sample, one with a PDF
def test_a_preview_writes_the_pdf_of_its_language_only_and_can_skip_it(tmp_path):
    """On the sample data (Dutch, English, Polish): a Polish preview writes the Polish PDF only; with
    PROGRAMME_GUIDE_PDF=0 it writes none and its pages link none; an unknown code stops the build."""
    project = sample_project(tmp_path / "project")
    site = tmp_path / "site"
    result = mkdocs_build(project, site, BUILD_ONLY_LOCALE="pl", PROGRAMME_GUIDE_PDF="1")
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*.pdf")) == [PDF.format("pl")]
    assert set("ąęłńśźż") & set(pdf_text(site / PDF.format("pl")))
    assert page(site, "").cssselect('a[type="application/pdf"]')

    skipped = tmp_path / "skipped"
    result = mkdocs_build(project, skipped, BUILD_ONLY_LOCALE="pl", PROGRAMME_GUIDE_PDF="0")
    assert result.returncode == 0, result.stderr[-3000:]
    assert (skipped / "index.html").is_file()
    assert not list(skipped.rglob("*.pdf"))
    assert not page(skipped, "").cssselect('a[type="application/pdf"]'), "a link to a PDF that was not written"

    result = mkdocs_build(project, tmp_path / "unknown", BUILD_ONLY_LOCALE="pl", PROGRAMME_GUIDE_PDF="pl,xx")
    assert result.returncode != 0
    assert "PROGRAMME_GUIDE_PDF=pl,xx: xx is not a configured language" in result.stderr, result.stderr[-2000:]
