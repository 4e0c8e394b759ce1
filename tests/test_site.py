"""The built site as a reader gets it: the Dutch seed text in full, English with the same structure,
generated pages that are full citizens (navigation, language switcher, sitemap, search)."""

from __future__ import annotations

import json
from urllib.parse import urljoin

import pytest
from lxml import etree

from helpers import article, normalise, page, seed_blocks, text

PAGES = [
    "",
    "key-action-2/",
    "key-action-2/partnerships-for-cooperation/",
    "key-action-2/partnerships-for-excellence/",
    "key-action-2/partnerships-for-innovation/",
    "key-action-2/capacity-building/",
    "key-action-2/european-sport-events/",
    "translations/",
    "about/",
    "glossary/",
]


def test_dutch_overview_has_every_seed_paragraph_and_list_item_in_order(site):
    title, blocks = seed_blocks()
    doc = page(site, "key-action-2/")
    assert doc.get("lang") == "nl"
    assert text(article(doc).cssselect("h1")[0]) == title
    shown = [text(el) for el in article(doc).cssselect("p, li")]
    positions = []
    for block in blocks:
        assert block in shown, f"seed text missing on the Dutch KA2 page: {block[:80]}"
        positions.append(shown.index(block))
    assert positions == sorted(positions), "seed paragraphs and list items appear out of order"
    assert len(blocks) == 47


def structure(doc) -> list[tuple[str, int]]:
    """Headings and list lengths of the article, in order."""
    out = []
    for el in article(doc).iter("h1", "h2", "h3", "ul", "ol"):
        out.append((el.tag, len(el.findall("li")) if el.tag in ("ul", "ol") else 0))
    return out


@pytest.mark.parametrize("url", PAGES)
def test_english_page_has_the_same_structure_as_dutch(site, url):
    assert structure(page(site, f"en/{url}")) == structure(page(site, url))
    assert page(site, f"en/{url}").get("lang") == "en"


@pytest.mark.parametrize("lang", ["", "en/"])
@pytest.mark.parametrize("url", PAGES)
def test_language_switcher_leads_to_the_same_page_in_the_other_language(site, lang, url):
    doc = page(site, f"{lang}{url}")
    links = {a.get("hreflang"): a.get("href") for a in doc.cssselect("a.pg-lang__link")}
    here = f"https://example.invalid/{lang}{url}"
    assert urljoin(here, links["nl"]) == f"https://example.invalid/{url}"
    assert urljoin(here, links["en"]) == f"https://example.invalid/en/{url}"
    current = [a for a in doc.cssselect("a.pg-lang__link") if a.get("aria-current") == "true"]
    assert [a.get("hreflang") for a in current] == [lang.rstrip("/") or "nl"]


def test_overview_links_every_action_family_page(site):
    doc = page(site, "key-action-2/")
    here = "https://example.invalid/key-action-2/"
    hrefs = [urljoin(here, a.get("href")) for a in article(doc).cssselect("ul.pg-families a")]
    assert hrefs == [f"https://example.invalid/{url}" for url in PAGES[2:7]]
    for url in PAGES[2:7]:
        assert (site / url / "index.html").exists()


@pytest.mark.parametrize("lang", ["", "en/"])
def test_every_page_is_in_the_navigation(site, lang):
    doc = page(site, lang or "")
    nav = doc.cssselect("nav.md-nav--primary")[0]
    here = f"https://example.invalid/{lang}"
    targets = {urljoin(here, a.get("href")) for a in nav.cssselect("a.md-nav__link[href]")}
    for url in PAGES:
        assert f"https://example.invalid/{lang}{url}" in targets, url


def test_family_page_lists_its_actions(site):
    doc = page(site, "key-action-2/partnerships-for-cooperation/")
    headings = [text(h) for h in article(doc).cssselect("h3")]
    assert headings == [
        "Samenwerkingspartnerschappen",
        "Kleinschalige partnerschappen",
        "Europese partnerschappen voor schoolontwikkeling",
    ]
    assert "KA220" in text(article(doc))


def test_sitemap_lists_every_page_with_its_alternates(site):
    tree = etree.parse(str(site / "sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locs = {normalise(loc.text) for loc in tree.findall(".//s:loc", ns)}
    for url in PAGES:
        assert any(loc.endswith(f"/{url}") for loc in locs), url
    alternates = tree.findall(".//x:link", ns)
    assert {link.get("hreflang") for link in alternates} >= {"nl", "en"}


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


def test_search_index_contains_generated_pages(site):
    index_files = list(site.rglob("search_index.json")) + list(site.glob("pagefind/pagefind-entry.json"))
    assert index_files
    if (site / "pagefind").exists():
        entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
        assert "nl" in entry["languages"] and "en" in entry["languages"]
    else:
        docs = json.loads((site / "search" / "search_index.json").read_text())["docs"]
        locations = {d["location"] for d in docs}
        assert "key-action-2/" in locations and "en/key-action-2/" in locations


def test_every_internal_link_and_asset_resolves(site):
    from urllib.parse import unquote, urlsplit

    from lxml import html

    home = min((loc.text for loc in etree.parse(str(site / "sitemap.xml")).iterfind(".//{*}loc")), key=len)
    base_path = urlsplit(home).path  # e.g. /programme-guide/: 404 pages link absolutely
    broken = []
    for path in site.rglob("*.html"):
        doc = html.parse(str(path)).getroot()
        for element, attribute in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
            for node in doc.iter(element):
                target = node.get(attribute)
                if not target or urlsplit(target).scheme or target.startswith(("#", "//", "mailto:")):
                    continue
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
    assert not broken, "\n".join(broken[:20])


@pytest.mark.parametrize("lang", ["", "en/", "mt/"])
def test_home_page_leads_to_the_overview_and_the_finder(site, lang):
    here = f"https://example.invalid/{lang}"
    links = [urljoin(here, a.get("href")) for a in article(page(site, lang)).cssselect("a.md-button")]
    assert links == [f"{here}key-action-2/", f"{here}key-action-2/compare/#pg-finder"]


@pytest.mark.parametrize("lang", ["", "en/", "el/"])
def test_overview_opens_with_a_table_of_the_actions_above_the_seed_text(site, lang):
    doc = page(site, f"{lang}key-action-2/")
    body = article(doc)
    order = list(body.iter())
    table = body.cssselect("table.pg-actions")[0]
    assert order.index(table) < order.index(body.cssselect("h2")[0]), "the table comes before the seed text"
    here = f"https://example.invalid/{lang}key-action-2/"
    rows = table.cssselect("tbody tr")
    assert len(rows) == 14
    for row in rows:
        link = urljoin(here, row.cssselect("th a")[0].get("href"))
        assert link.endswith(f"/{row.get('data-id')}/"), link
        assert len(row.cssselect("td")) == 3 and all(text(td) for td in row.cssselect("td"))
    cooperation = rows[0]
    assert "€" in text(cooperation.cssselect("td")[0])
    assert cooperation.cssselect("td .pg-next time[datetime], td .pg-next .pg-state")
    assert body.cssselect("p.pg-asof") and body.cssselect("#pg-status-text")


@pytest.mark.parametrize("url", PAGES[2:7])
def test_family_page_opens_with_its_summary_and_leads_on(site, url):
    body = article(page(site, url))
    lead = body.cssselect("p.pg-lead")[0]
    order = list(body.iter())
    assert order.index(lead) < order.index(body.cssselect("h2")[0])
    assert not text(lead).endswith(";"), "the lead is a sentence, not the guide's list fragment"
    here = f"https://example.invalid/{url}"
    links = {urljoin(here, a.get("href")).split("#")[0] for a in body.cssselect("a[href]")}
    assert "https://example.invalid/key-action-2/compare/" in links
    assert "https://example.invalid/key-action-2/" in links


def test_an_action_without_facts_leads_to_the_comparison_from_its_family_page(site):
    body = article(page(site, "key-action-2/partnerships-for-innovation/"))
    note = body.cssselect("p.pg-no-facts")
    assert len(note) == 1
    assert note[0].cssselect("a")[0].get("href").endswith("compare/")


GLOSSARY_TERMS = ["ka2", "ka220", "ka210", "ka240", "national-agency", "eacea", "call", "lump-sum", "cofinancing"]


@pytest.mark.parametrize("lang", ["", "en/", "el/", "ga/", "pl/"])
def test_glossary_explains_the_abbreviations_and_terms_in_every_language(site, lang):
    doc = page(site, f"{lang}glossary/")
    assert doc.get("lang") == (lang.rstrip("/") or "nl")
    body = article(doc)
    terms = {dt.get("id"): dt for dt in body.cssselect("dl.pg-glossary > dt")}
    assert set(GLOSSARY_TERMS) | {"consortium", "lot", "status"} == set(terms)
    for dt in terms.values():
        explanation = dt.getnext()
        assert explanation.tag == "dd" and len(text(explanation)) > 40
    for code in ("ka210", "ka220", "ka240"):
        assert terms[code].cssselect("abbr[title]")[0].text == code.upper()


@pytest.mark.parametrize("url", ["key-action-2/compare/", "en/key-action-2/compare/", "el/key-action-2/compare/"])
def test_comparison_expands_abbreviations_and_links_them_to_the_glossary(site, url):
    here = f"https://example.invalid/{url}"
    abbrs = {a.text: a for a in article(page(site, url)).cssselect("table.pg-compare abbr")}
    assert {"KA210", "KA220", "KA240", "EACEA"} <= set(abbrs)
    for short, abbr in abbrs.items():
        assert abbr.get("title") and short not in abbr.get("title"), short
        link = urljoin(here, abbr.getparent().get("href"))
        assert link.split("#")[0].endswith("/glossary/") and link.split("#")[1] in GLOSSARY_TERMS, link


@pytest.mark.parametrize("lang", ["", "en/", "el/"])
def test_every_page_ends_with_the_date_it_was_last_updated(site, lang):
    # the day the data last changed: the built copy is outside git, so its newest data file (copied with its time)
    from programme_guide.deadlines import content_date

    changed = content_date(site.parent / "data").isoformat()
    more = ["key-action-2/compare/", "key-action-2/partnerships-for-cooperation/cooperation-partnerships/"]
    for url in [*PAGES, *more]:
        body = article(page(site, f"{lang}{url}"))
        updated = body.cssselect("p.pg-updated")
        assert len(updated) == 1, url
        assert updated[0].get("data-pg-updated") == changed
        assert changed[:4] in text(updated[0])
        order = list(body.iter())
        after = order[order.index(updated[0]) + 1 :]
        assert not [el for el in after if el.tag in ("p", "ul", "ol", "table", "dl", "h2") and text(el)], url
