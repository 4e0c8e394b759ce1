"""The built site as a reader gets it: every page in every language with the same structure, a language switcher
that leads to the same page, navigation, sitemap, search index, the overview's table of actions, family pages,
the glossary and the 'last updated' line. These run on the sample data (tests/samples/basic: Dutch, English,
Polish), built like the whole site; the live guide's own content (the seed text in full, the official guide's
links in every language, every link of the whole site) is checked on the full build at the end."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from urllib.parse import urljoin

import pytest
from lxml import etree

from conftest import SAMPLES, add_interface_texts, copy_project, mkdocs_build
from helpers import PAGES, article, normalise, page, prefix, seed_blocks, structure, text, tree
from programme_guide.finish import INDEXED, NOT_INDEXED, search_parts

SAMPLE_LANGUAGES = ["en", "nl", "pl"]  # tests/samples/basic/data/languages.yml, in its order
HERE = "https://example.invalid/"


def urls(catalog, kinds: tuple[str, ...] | None = None) -> list[str]:
    """The URLs of the site's pages (below the language root), optionally of some kinds only."""
    from programme_guide.pages import site_targets

    found = [t.url for t in site_targets(catalog).values() if kinds is None or t.kind in kinds]
    assert found, f"the sample has no page of the kinds {kinds}"
    return found


@pytest.mark.parametrize("lang", ["en", "pl"])
def test_a_translated_page_has_the_same_structure_as_the_dutch_one(sample_site, sample_catalog, lang):
    for url in urls(sample_catalog):
        doc = page(sample_site, f"{lang}/{url}")
        assert doc.get("lang") == lang
        assert structure(doc) == structure(page(sample_site, url)), f"{lang}/{url}"


@pytest.mark.parametrize("lang", SAMPLE_LANGUAGES)
def test_language_switcher_leads_to_the_same_page_in_every_language(sample_site, sample_catalog, lang):
    for url in urls(sample_catalog):
        doc = page(sample_site, f"{prefix(lang)}{url}")
        links = doc.cssselect("a.pg-lang__link")
        assert [a.get("hreflang") for a in links] == SAMPLE_LANGUAGES
        here = f"{HERE}{prefix(lang)}{url}"
        for link in links:
            assert urljoin(here, link.get("href")) == f"{HERE}{prefix(link.get('hreflang'))}{url}"
        current = [a.get("hreflang") for a in links if a.get("aria-current") == "true"]
        assert current == [lang], url


def test_overview_links_every_action_family_page(sample_site, sample_catalog):
    here = f"{HERE}key-action-2/"
    hrefs = [
        urljoin(here, a.get("href")) for a in article(page(sample_site, "key-action-2/")).cssselect("ul.pg-families a")
    ]
    families = urls(sample_catalog, ("family",))
    assert hrefs == [f"{HERE}{url}" for url in families]
    for url in families:
        assert (sample_site / url / "index.html").exists()


@pytest.mark.parametrize("lang", SAMPLE_LANGUAGES)
def test_every_page_but_the_fact_sheets_is_in_the_navigation(sample_site, sample_catalog, lang):
    nav = page(sample_site, prefix(lang)).cssselect("nav.md-nav--primary")[0]
    here = f"{HERE}{prefix(lang)}"
    targets = {urljoin(here, a.get("href")) for a in nav.cssselect("a.md-nav__link[href]")}
    for url in urls(sample_catalog, ("home", "overview", "family", "glossary", "status", "about")):
        assert f"{here}{url}" in targets, url


def test_family_page_lists_its_actions_with_their_codes(sample_site, sample_catalog):
    guide = sample_catalog.guide
    for family in guide.families:
        body = article(page(sample_site, f"key-action-2/{family.slug}/"))
        names = [sample_catalog.text("nl", f"action.{action}.name").value for action in family.actions]
        assert [text(h) for h in body.cssselect("h3")] == names
        for action in guide.family_actions(family):
            assert action.code is None or action.code in text(body)


def test_sitemap_lists_every_page_with_its_alternates(sample_site, sample_catalog):
    tree = etree.parse(str(sample_site / "sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locs = {normalise(loc.text) for loc in tree.findall(".//s:loc", ns)}
    for url in urls(sample_catalog):
        for lang in SAMPLE_LANGUAGES:
            assert any(loc.endswith(f"/{prefix(lang)}{url}") for loc in locs), f"{prefix(lang)}{url}"
    assert {link.get("hreflang") for link in tree.findall(".//x:link", ns)} == {*SAMPLE_LANGUAGES, "x-default"}


def test_search_has_one_index_per_language(sample_site):
    entry = json.loads((sample_site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    assert list(entry["languages"]) == sorted(SAMPLE_LANGUAGES)
    assert search_parts(sample_site) == {
        "en": "en/**/index.html",
        "nl": "{index.html,about/**/index.html,assets/**/index.html,glossary/**/index.html,"
        "key-action-2/**/index.html,schemas/**/index.html,translations/**/index.html}",
        "pl": "pl/**/index.html",
    }


def test_the_search_index_made_language_by_language_is_the_one_of_a_single_run_over_the_site(sample_site, tmp_path):
    """index_search runs Pagefind once per language, to hold one language's pages at a time; one run over the
    whole site (its languages sorted in the entry file) gives the same files."""
    copy = tmp_path / "site"
    shutil.copytree(sample_site, copy, ignore=shutil.ignore_patterns("pagefind"))
    command = [sys.executable, "-m", "pagefind", "--site", str(copy), "--glob", INDEXED, "--silent"]
    result = subprocess.run([*command, "--exclude-selectors", NOT_INDEXED], capture_output=True, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    entry = copy / "pagefind" / "pagefind-entry.json"
    data = json.loads(entry.read_text("utf-8"))
    data["languages"] = dict(sorted(data["languages"].items()))
    entry.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")
    assert tree(copy / "pagefind") == tree(sample_site / "pagefind")


@pytest.mark.parametrize("lang", SAMPLE_LANGUAGES)
def test_home_page_leads_to_the_overview_and_the_finder(sample_site, lang):
    here = f"{HERE}{prefix(lang)}"
    links = [urljoin(here, a.get("href")) for a in article(page(sample_site, prefix(lang))).cssselect("a.md-button")]
    assert links == [f"{here}key-action-2/", f"{here}key-action-2/compare/#pg-finder"]


@pytest.mark.parametrize("lang", SAMPLE_LANGUAGES)
def test_overview_opens_with_a_table_of_the_actions_above_its_text(sample_site, sample_catalog, lang):
    body = article(page(sample_site, f"{prefix(lang)}key-action-2/"))
    order = list(body.iter())
    table = body.cssselect("table.pg-actions")[0]
    assert order.index(table) < order.index(body.cssselect("h2")[0]), "the table comes before the guide's text"
    here = f"{HERE}{prefix(lang)}key-action-2/"
    rows = table.cssselect("tbody tr")
    assert [row.get("data-id") for row in rows] == list(sample_catalog.guide.actions)
    for row in rows:
        link = urljoin(here, row.cssselect("th a")[0].get("href"))
        assert link.endswith(f"/{row.get('data-id')}/"), link
        assert len(row.cssselect("td")) == 3 and all(text(td) for td in row.cssselect("td"))
    grant, deadline = rows[0].cssselect("td")[:2]
    assert "€" in text(grant)
    assert deadline.cssselect(".pg-next time[datetime]") and deadline.cssselect(".pg-next .pg-state")
    assert body.cssselect("p.pg-asof") and body.cssselect("#pg-status-text")


def test_family_page_opens_with_its_summary_and_leads_on(sample_site, sample_catalog):
    for url in urls(sample_catalog, ("family",)):
        body = article(page(sample_site, url))
        lead = body.cssselect("p.pg-lead")[0]
        order = list(body.iter())
        assert order.index(lead) < order.index(body.cssselect("h2")[0])
        assert not text(lead).endswith(";"), "the lead is a sentence, not the guide's list fragment"
        here = f"{HERE}{url}"
        links = {urljoin(here, a.get("href")).split("#")[0] for a in body.cssselect("a[href]")}
        assert {f"{HERE}key-action-2/compare/", f"{HERE}key-action-2/"} <= links, url


def test_an_action_without_facts_leads_to_the_comparison_from_its_family_page(sample_site, sample_catalog):
    without = [a for a in sample_catalog.guide.actions if a not in sample_catalog.facts.actions]
    assert without == ["forward-looking-projects"]
    body = article(page(sample_site, "key-action-2/partnerships-for-innovation/"))
    note = body.cssselect("p.pg-no-facts")
    assert len(note) == 1
    assert note[0].cssselect("a")[0].get("href").endswith("compare/")


@pytest.mark.parametrize("lang", SAMPLE_LANGUAGES)
def test_glossary_explains_the_abbreviations_and_terms_in_every_language(sample_site, sample_catalog, lang):
    doc = page(sample_site, f"{prefix(lang)}glossary/")
    assert doc.get("lang") == lang
    terms = {dt.get("id"): dt for dt in article(doc).cssselect("dl.pg-glossary > dt")}
    assert list(terms) == [term.id for term in sample_catalog.guide.glossary]
    for dt in terms.values():
        explanation = dt.getnext()
        assert explanation.tag == "dd" and len(text(explanation)) > 40
    for code in ("ka210", "ka220"):
        assert terms[code].cssselect("abbr[title]")[0].text == code.upper()


@pytest.mark.parametrize("lang", SAMPLE_LANGUAGES)
def test_comparison_expands_abbreviations_and_links_them_to_the_glossary(sample_site, sample_catalog, lang):
    url = f"{prefix(lang)}key-action-2/compare/"
    abbrs = {a.text: a for a in article(page(sample_site, url)).cssselect("table.pg-compare abbr")}
    assert {"KA210", "KA220", "EACEA"} <= set(abbrs)
    glossary = {term.id for term in sample_catalog.guide.glossary}
    for short, abbr in abbrs.items():
        assert abbr.get("title") and short not in abbr.get("title"), short
        link = urljoin(f"{HERE}{url}", abbr.getparent().get("href"))
        assert link.split("#")[0].endswith("/glossary/") and link.split("#")[1] in glossary, link


@pytest.mark.parametrize("lang", SAMPLE_LANGUAGES)
def test_every_page_ends_with_the_date_it_was_last_updated(sample_site, sample_catalog, lang):
    # the day the data last changed: the built copy is outside git, so its newest data file (copied with its time)
    from programme_guide.deadlines import content_date

    changed = content_date(sample_site.parent / "data").isoformat()
    for url in urls(sample_catalog):
        body = article(page(sample_site, f"{prefix(lang)}{url}"))
        updated = body.cssselect("p.pg-updated")
        assert len(updated) == 1, url
        assert updated[0].get("data-pg-updated") == changed
        assert changed[:4] in text(updated[0])
        order = list(body.iter())
        after = order[order.index(updated[0]) + 1 :]
        assert not [el for el in after if el.tag in ("p", "ul", "ol", "table", "dl", "h2") and text(el)], url


def test_a_language_mkdocs_yml_builds_without_texts_in_the_data_stops_the_build(tmp_path):
    """The sample's data has three languages; mkdocs.yml as it is builds all 24: a clear error, no traceback."""
    project = copy_project(tmp_path / "project", SAMPLES / "basic" / "data")
    add_interface_texts(project / "data")
    result = mkdocs_build(project, project / "site")  # stops in its first step, before any page is built
    assert result.returncode == 1
    assert (
        "mkdocs.yml builds bg, es, cs," in result.stderr
        and "which data/languages.yml does not configure" in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not (project / "site" / "index.html").exists()


# The live guide's content, on the whole site


def test_dutch_overview_has_every_seed_paragraph_and_list_item_in_order(site):
    title, blocks = seed_blocks()
    assert blocks, "the seed fixture holds no text"
    doc = page(site, "key-action-2/")
    assert doc.get("lang") == "nl"
    assert text(article(doc).cssselect("h1")[0]) == title
    shown = [text(el) for el in article(doc).cssselect("p, li")]
    positions = []
    for block in blocks:
        assert block in shown, f"seed text missing on the Dutch KA2 page: {block[:80]}"
        positions.append(shown.index(block))
    assert positions == sorted(positions), "seed paragraphs and list items appear out of order"


def test_independent_edition_notice_and_official_link_on_every_page(site):
    official = {
        "": "https://erasmus-plus.ec.europa.eu/nl/programme-guide",
        "en/": "https://erasmus-plus.ec.europa.eu/programme-guide",
        "ga/": "https://erasmus-plus.ec.europa.eu/programme-guide",  # no official Irish guide
    }
    for lang, guide_url in official.items():
        for url in PAGES:
            doc = page(site, f"{lang}{url}")
            banner = doc.cssselect(".pg-disclaimer")[0]
            assert banner.cssselect("a")[0].get("href") == guide_url
            credit = doc.cssselect(".md-copyright a")[0]
            assert "2011/833" in credit.get("href")


def test_every_internal_link_and_asset_resolves(site):
    from urllib.parse import unquote, urlsplit

    from lxml import html

    home = min((loc.text for loc in etree.parse(str(site / "sitemap.xml")).iterfind(".//{*}loc")), key=len)
    base_path = urlsplit(home).path  # e.g. /programme-guide/: 404 pages link absolutely
    broken, checked = [], 0
    for path in site.rglob("*.html"):
        doc = html.parse(str(path)).getroot()
        for element, attribute in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
            for node in doc.iter(element):
                target = node.get(attribute)
                if not target or urlsplit(target).scheme or target.startswith(("#", "//", "mailto:")):
                    continue
                checked += 1
                link_path = unquote(urlsplit(target).path)
                if link_path.startswith("/"):
                    if not link_path.startswith(base_path):
                        broken.append(f"{path.relative_to(site)} -> {target}")
                        continue
                    resolved = (site / link_path[len(base_path) :]).resolve()
                else:
                    resolved = (path.parent / link_path).resolve()
                if resolved.is_dir():
                    resolved = resolved / "index.html"
                if not resolved.exists():
                    broken.append(f"{path.relative_to(site)} -> {target}")
    assert checked > 1000, f"only {checked} links checked"
    assert not broken, "\n".join(broken[:20])
