"""The built site as validators and search engines read it: the Nu HTML Checker, canonical and hreflang
links, the sitemap, a 404 page per language, and no file that makes a page load anything from another host."""

from __future__ import annotations

import dataclasses
import gzip
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from lxml import etree, html

from conftest import ROOT, require_tool
from helpers import normalise, text
from programme_guide import alternates
from programme_guide.edits import EditLinks
from programme_guide.generate import load
from programme_guide.pages import render_site, site_targets, states_in

VNU_VERSION = "26.9.27"
VNU_DIR = ROOT / ".cache" / f"vnu-{VNU_VERSION}"
VNU_JAR = VNU_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
LOADING_ATTRIBUTES = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src", "audio": "src"}
LOADING_LINKS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "preconnect", "dns-prefetch", "manifest"}


# The content model the site was built from, and what it should advertise


@pytest.fixture(scope="module")
def catalog(site):
    return load(site.parent / "data")


@pytest.fixture(scope="module")
def translated(catalog) -> dict[str, list[str]]:
    """Page path -> languages whose version of it has no Dutch fallback text, in the site's language order."""
    out: dict[str, list[str]] = {}
    for page in render_site(catalog):
        out.setdefault(page.url, [])
        if "missing" not in page.states:
            out[page.url].append(page.lang)
    return out


def site_url(site: Path) -> str:
    doc = html.parse(str(site / "index.html")).getroot()
    return doc.cssselect("link[rel=canonical]")[0].get("href")


def page_url(base: str, source: str, lang: str, path: str) -> str:
    return f"{base}{'' if lang == source else lang + '/'}{path}"


def expected_alternates(base: str, source: str, languages: list[str], path: str) -> list[tuple[str, str]]:
    found = [(lang, page_url(base, source, lang, path)) for lang in languages]
    return [*found, ("x-default", page_url(base, source, source, path))]


def built_file(site: Path, source: str, lang: str, path: str) -> Path:
    return site / ("" if lang == source else lang) / path / "index.html"


# Nu HTML Checker


@pytest.fixture(scope="session")
def vnu_jar() -> Path:
    """vnu.jar from the npm package vnu-jar (pinned), installed into the git-ignored .cache/ on first use."""
    require_tool("java", "for the Nu HTML Checker")
    if not VNU_JAR.exists():
        npm = require_tool("npm", f"once, to install vnu-jar@{VNU_VERSION} into {VNU_DIR}")
        command = [npm, "install", "--prefix", str(VNU_DIR), "--no-audit", "--no-fund", "--ignore-scripts"]
        subprocess.run([*command, f"vnu-jar@{VNU_VERSION}"], check=True, capture_output=True, timeout=600)
    return VNU_JAR


def test_nu_html_checker_reports_no_errors_on_the_built_site(site, vnu_jar):
    command = [
        require_tool("java", "for the Nu HTML Checker"),
        "-jar",
        str(vnu_jar),
        "--errors-only",
        "--skip-non-html",
        "--format",
        "json",
        str(site),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [f"{m.get('url', '')}:{m.get('lastLine', '')}: {m['message']}" for m in messages]
    checked = list(site.rglob("*.html"))
    assert len(checked) > 100
    assert not errors, f"{len(errors)} errors, first ones:\n" + "\n".join(errors[:20])


# Head: language, description, canonical URL, hreflang alternates


def test_every_page_has_its_language_description_canonical_and_hreflang_alternates(site, catalog, translated):
    base = site_url(site)
    source = catalog.guide.source_language
    targets = {t.url: t for t in site_targets(catalog).values()}
    for lang in catalog.guide.language_codes:
        for path, languages in translated.items():
            doc = html.parse(str(built_file(site, source, lang, path))).getroot()
            where = f"{lang}:/{path}"
            assert doc.get("lang") == lang, where
            description = catalog.text(lang, targets[path].description_key).value
            assert [m.get("content") for m in doc.cssselect("meta[name=description]")] == [description], where
            canonical = [link.get("href") for link in doc.cssselect("link[rel=canonical]")]
            assert canonical == [page_url(base, source, lang, path)], where
            alternates = [(a.get("hreflang"), a.get("href")) for a in doc.cssselect("link[rel=alternate][hreflang]")]
            assert alternates == expected_alternates(base, source, languages, path), where


def test_a_page_with_dutch_fallback_text_is_not_advertised_as_a_translation(site):
    """hooks/alternates.py on a catalog where one English text of the KA2 overview is missing."""
    hooks = site.parent / "hooks"
    spec = importlib.util.spec_from_file_location("alternates_hook", hooks / "alternates.py")
    alternates = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = alternates
    sys.path.insert(0, str(hooks))  # as MkDocs loads a hook: its sibling modules (hooks/i18n.py) are importable
    try:
        spec.loader.exec_module(alternates)
    finally:
        sys.path.remove(str(hooks))
    catalog = load(site.parent / "data")
    overview = next(t for t in site_targets(catalog).values() if t.kind == "overview")
    del catalog.locales["en"].entries[overview.title_key]
    translated = alternates.translated_languages(catalog, tuple(catalog.guide.language_codes))
    edition = alternates.Site("https://example.invalid/guide/", catalog.guide.source_language, translated)
    hreflangs = [a.lang for a in edition.alternates(overview.url)]
    assert "en" not in hreflangs
    assert hreflangs[-1] == "x-default"
    assert edition.alternates(overview.url)[-1].href == f"https://example.invalid/guide/{overview.url}"
    locs = {entry.loc for entry in edition.sitemap()}
    assert f"https://example.invalid/guide/en/{overview.url}" not in locs
    assert f"https://example.invalid/guide/{overview.url}" in locs


@pytest.fixture(scope="module")
def mixed_catalog():
    """The live data with one language in each state: German lacks a fact sheet's title, French has an outdated
    text on the overview, Polish is reviewed throughout but for the notice that says so, the rest are drafts."""
    catalog = load(ROOT / "data")
    targets = site_targets(catalog)
    sheet = next(t for t in targets.values() if t.kind == "action")
    overview = next(t for t in targets.values() if t.kind == "overview")
    del catalog.locales["de"].entries[sheet.title_key]
    french = catalog.locales["fr"].entries
    french[overview.description_key] = dataclasses.replace(french[overview.description_key], source="0" * 12)
    polish = catalog.locales["pl"].entries
    for key, entry in polish.items():
        polish[key] = dataclasses.replace(entry, review="reviewed")
    del polish["ui.notice.reviewed"]  # only the notices show it: every Polish page falls back to Dutch there
    return catalog


@pytest.mark.slow
@pytest.mark.parametrize("edit", [None, EditLinks("https://github.com/example/guide")], ids=["plain", "edit-links"])
def test_a_pages_states_in_a_language_not_rendered_are_those_of_rendering_it(mixed_catalog, edit):
    """What a build process that renders some languages only (`programme-guide build`) advertises for the others."""
    catalog = mixed_catalog
    languages = list(catalog.guide.language_codes)
    every = render_site(catalog, languages, edit=edit)
    model = [page for page in every if page.lang == "en"]
    targets = site_targets(catalog)
    states = {(page.lang, page.url): page.states for page in every}
    assert {"missing", "outdated", "reviewed", "draft"} <= set().union(*states.values())
    assert all("missing" in states["pl", page.url] for page in model)
    for lang in (code for code in languages if code not in ("nl", "en")):
        for page in model:
            rendered = states[lang, page.url]
            assert states_in(catalog, lang, page, targets[page.page_id], edit) == rendered, (lang, page.url)
    some = [page for page in every if page.lang in ("nl", "el")]
    assert alternates.translated_languages(catalog, tuple(languages), some, edit) == (
        alternates.translated_languages(catalog, tuple(languages), every, edit)
    )


# Sitemap


def sitemap_entries(tree) -> dict[str, list[tuple[str, str]]]:
    entries = {}
    for url in tree.findall("s:url", SITEMAP_NS):
        loc = url.find("s:loc", SITEMAP_NS).text
        entries[loc] = [(a.get("hreflang"), a.get("href")) for a in url.findall("x:link", SITEMAP_NS)]
    return entries


def test_sitemap_lists_each_advertised_page_with_the_same_alternates_as_its_head(site, catalog, translated):
    base = site_url(site)
    source = catalog.guide.source_language
    raw = (site / "sitemap.xml").read_bytes()
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == raw
    entries = sitemap_entries(etree.fromstring(raw))
    expected = {}
    for path, languages in translated.items():
        for lang in languages:
            expected[page_url(base, source, lang, path)] = expected_alternates(base, source, languages, path)
    assert entries == expected


# 404 pages


def test_each_language_has_its_own_404_page_in_its_language(site, catalog):
    source = catalog.guide.source_language
    for lang in catalog.guide.language_codes:
        page = site / ("404.html" if lang == source else f"{lang}/404.html")
        doc = html.parse(str(page)).getroot()
        assert doc.get("lang") == lang, page
        title = catalog.text(lang, "ui.not_found.title")
        heading = doc.cssselect("article h1")[0]
        assert text(heading) == normalise(title.value), page
        assert heading.get("lang") == (None if title.lang == lang else title.lang), page
        home = doc.cssselect("article a")[-1]
        assert text(home) == normalise(catalog.text(lang, "ui.not_found.home").value)
        home_url = urljoin(f"http://127.0.0.1{urlsplit(site_url(site)).path}404.html", home.get("href"))
        assert home_url == page_url(f"http://127.0.0.1{urlsplit(site_url(site)).path}", source, lang, "")
        assert not doc.cssselect("link[rel=canonical]"), "a 404 page has no address of its own"
    assert not (site / source / "404.html").exists()


# Nothing from other hosts


def external(url: str | None) -> bool:
    return bool(url) and (url.startswith("//") or bool(urlsplit(url).scheme in ("http", "https")))


def test_no_page_loads_a_script_style_font_or_image_from_another_host(site):
    pages = list(site.rglob("*.html"))
    assert len(pages) > 100, f"only {len(pages)} pages built"
    for path in pages:
        doc = html.parse(str(path)).getroot()
        for tag, attribute in LOADING_ATTRIBUTES.items():
            for element in doc.iter(tag):
                assert not external(element.get(attribute)), f"{path}: <{tag} {attribute}={element.get(attribute)}>"
        for link in doc.iter("link"):
            if set((link.get("rel") or "").split()) & LOADING_LINKS:
                assert not external(link.get("href")), f"{path}: <link href={link.get('href')}>"
    for css in site.rglob("*.css"):
        content = css.read_text("utf-8")
        assert "url(http" not in content and "url(//" not in content and "@import" not in content, css
