"""Fact sheets, the comparison, the what-changed page and the open-data exports, as a reader, a screen
reader and a calendar program get them. The whole site is built for 1 January 2026 (see conftest.py)."""

from __future__ import annotations

import json

import jsonschema
import pytest
from icalendar import Calendar

from helpers import ACTIONS, article, page, text
from test_languages import EU_ORDER


def prefix(lang: str) -> str:
    return "" if lang == "nl" else f"{lang}/"


def sheet_url(lang: str, action: str) -> str:
    return f"{prefix(lang)}key-action-2/{ACTIONS[action]}/{action}/"


def open_data(site, lang: str = "nl") -> dict:
    return json.loads((site / prefix(lang) / "key-action-2" / "actions.json").read_text("utf-8"))


@pytest.mark.parametrize("lang", EU_ORDER)
def test_every_fact_sheet_opens_with_its_summary_and_cites_numbered_sources(site, lang):
    for action in ACTIONS:
        doc = page(site, sheet_url(lang, action))
        assert doc.get("lang") == lang
        body = article(doc)
        order = list(body.iter())
        summary = body.cssselect("dl.pg-summary")[0]
        assert order.index(summary) < order.index(body.cssselect("h2")[0]), f"{lang} {action}: summary first"
        assert summary.cssselect("div.pg-summary__next dd .pg-next"), f"{lang} {action}: next deadline first"
        assert body.cssselect("ul.pg-deadlines time[datetime]")
        notes = {li.get("id") for li in body.cssselect("ol.pg-sources > li")}
        refs = {a.get("href").lstrip("#") for a in body.cssselect(".pg-ref a")}
        assert refs and refs <= notes, f"{lang} {action}: every reference has its note"
        names = [a.get("aria-label") for a in body.cssselect("ol.pg-sources a")]
        assert len(names) == len(set(names)), f"{lang} {action}: one distinct name per source link"


@pytest.mark.parametrize(
    ("lang", "date", "amount"),
    [
        ("nl", "5 maart 2026", "€ 120.000"),
        ("en", "5 March 2026", "€120,000"),
        ("de", "5. März 2026", "120.000 €"),
        ("fr", "5 mars 2026", "120 000 €"),
    ],
)
def test_dates_and_amounts_are_formatted_for_the_locale(site, lang, date, amount):
    body = text(article(page(site, sheet_url(lang, "cooperation-partnerships"))))
    assert date in body
    assert amount in body


def test_amounts_say_what_kind_of_amount_they_are(site):
    def grant(action: str) -> str:
        summary = article(page(site, sheet_url("en", action))).cssselect("dl.pg-summary")[0]
        row = next(d for d in summary.cssselect("div") if text(d.cssselect("dt")[0]) == "Funding")
        return text(row.cssselect("dd")[0])

    assert "lump sum per project: €120,000, €250,000 or €400,000" in grant("cooperation-partnerships")
    alliances = grant("alliances-for-innovation")
    assert "up to €4,000,000 per project" in alliances and "Lot 2" in alliances
    assert "€1,000,000 to" not in alliances  # no minimum the sources do not state


def test_third_party_sources_carry_a_visible_unchecked_marker(site):
    for action in ACTIONS:
        record = next(a for a in open_data(site, "en")["actions"] if a["id"] == action)
        third = {
            fact["source"]["id"]
            for call in record["calls"]
            for fact in [*call["facts"].values(), *call["deadlines"]]
            if fact["source"]["confidence"] == "third-party"
        }
        notes = article(page(site, sheet_url("en", action))).cssselect("ol.pg-sources > li")
        marked = [li for li in notes if li.cssselect("strong.pg-unchecked")]
        assert len(marked) == len(third), action


def test_fact_sheets_name_the_call_they_show(site):
    for record in open_data(site)["actions"]:
        call = text(article(page(site, sheet_url("nl", record["id"]))).cssselect(".pg-call")[0])
        assert str(record["calls"][0]["year"]) in call, record["id"]


def test_an_action_with_several_calls_shows_the_earlier_ones_collapsed(site):
    body = article(page(site, sheet_url("en", "small-scale-partnerships")))
    earlier = body.cssselect("details.pg-earlier")
    assert [text(d.cssselect("summary")[0]) for d in earlier] == ["2025 call"]
    assert earlier[0].cssselect("ul.pg-deadlines time")


@pytest.mark.parametrize("lang", ["nl", "en", "el"])
def test_comparison_is_complete_without_javascript_and_sorted_on_the_next_deadline(site, lang):
    rows = page(site, f"{prefix(lang)}key-action-2/compare/").cssselect("table.pg-compare tbody tr")
    order = [row.cssselect("th")[0].get("data-id") for row in rows]
    assert sorted(order) == sorted(ACTIONS)
    records = {a["id"]: a["next_deadline"] for a in open_data(site, lang)["actions"]}
    opened = [a for a in order if records[a]["open"]]
    closed = [a for a in order if not records[a]["open"]]
    assert order == opened + closed, "open calls first, closed last"
    assert [records[a]["deadline"]["closes"] for a in opened] == sorted(
        records[a]["deadline"]["closes"] for a in opened
    )
    dates = [records[a]["deadline"]["closes"] for a in closed]
    assert dates == sorted(dates, reverse=True), "the most recently closed first"
    assert {row.get("data-open") for row in rows if row.cssselect("th")[0].get("data-id") in closed} <= {"false"}


@pytest.mark.parametrize("lang", ["nl", "en", "pl"])
def test_the_calendar_holds_every_deadline_past_ones_included(site, lang):
    document = open_data(site, lang)
    deadlines = [d for a in document["actions"] for c in a["calls"] for d in c["deadlines"]]
    calendar = Calendar.from_ical((site / prefix(lang) / "key-action-2" / "deadlines.ics").read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == len(deadlines)
    assert len({str(e["uid"]) for e in events}) == len(events)
    timed = [e for e in events if hasattr(e["dtstart"].dt, "hour")]
    assert timed and all(str(e["dtstart"].dt.tzinfo) == "Europe/Brussels" for e in timed)
    tentative = [e for e in events if e.get("status") == "TENTATIVE"]
    assert len(tentative) == sum(d["expected"] for d in deadlines)


@pytest.mark.parametrize("lang", EU_ORDER)
def test_json_export_validates_against_the_published_schema(site, lang):
    schema = json.loads((site / "schemas" / "actions.schema.json").read_text("utf-8"))
    document = open_data(site, lang)
    jsonschema.validate(document, schema)
    assert document["language"] == lang
    assert document["status_as_of"] == "2026-01-01"
    assert [a["id"] for a in document["actions"]] == list(ACTIONS)


def test_the_what_changed_page_lists_every_changed_figure_with_both_values(site):
    body = article(page(site, "en/key-action-2/changes/"))
    for record in open_data(site, "en")["actions"]:
        heading = next(h for h in body.cssselect("h2") if h.cssselect(f"a[href$='/{record['id']}/']"))
        section = []
        for element in heading.itersiblings():
            if element.tag == "h2":
                break
            section.append(element)
        rows = [row for element in section for row in element.cssselect("table.pg-changes tbody tr")]
        if len(record["calls"]) < 2:
            assert not rows and "no earlier call" in " ".join(text(e) for e in section)
            continue
        new, old = record["calls"][0], record["calls"][1]
        changed = {
            group
            for group in set(new["facts"]) | set(old["facts"])
            if group not in ("managed_by", "apply", "note")
            and (new["facts"].get(group) or {}).get("values") != (old["facts"].get(group) or {}).get("values")
        }
        listed = {row.get("data-group") for row in rows} - {"deadlines"}
        assert listed == changed, record["id"]
        for row in rows:
            cells = row.cssselect("td")
            assert len(cells) == 3 and all(text(c) for c in cells)


FINDER_PROFILES = [
    # field, type of organisation (as applicants describe themselves), organisations, countries:
    # actions with an open call, without one
    (
        "school",
        "school",
        6,
        2,
        {"cooperation-partnerships", "small-scale-partnerships", "school-development"},
        set(),
    ),
    (
        "youth",
        "youth-ngo",
        2,
        2,
        # any organisation, and youth organisations
        {"cooperation-partnerships", "small-scale-partnerships", "capacity-youth"},
        set(),
    ),
    (
        "higher-education",
        "higher-education",
        3,
        3,
        # Alliances need partners from at least 4 countries
        {"cooperation-partnerships", "mundus-joint-masters", "mundus-design-measures", "capacity-higher-education"},
        set(),
    ),
    (
        "school",
        "higher-education",
        6,
        6,
        # a university's teacher education: Teacher Academies, which has no open call
        {"cooperation-partnerships", "small-scale-partnerships"},
        {"teacher-academies"},
    ),
    (
        "enterprises",
        "company",
        6,
        6,
        {"alliances-for-innovation"},
        set(),
    ),
]


@pytest.mark.browser
def test_finder_lists_fitting_actions_with_grant_and_deadline_and_closed_ones_apart(server, browser):
    tab = browser.new_page()
    tab.clock.set_fixed_time("2026-01-15T10:00:00Z")
    tab.goto(server + "en/key-action-2/compare/")
    for field, applicant, organisations, countries, opened, closed in FINDER_PROFILES:
        tab.select_option("#pg-finder-field", field)
        tab.select_option("#pg-finder-applicant", applicant)
        tab.fill("#pg-finder-partners", str(organisations))
        tab.fill("#pg-finder-countries", str(countries))
        tab.click("#pg-finder button[type=submit]")
        found = set(tab.eval_on_selector_all("#pg-finder-list > li", "items => items.map(i => i.dataset.action)"))
        apart = set(
            tab.eval_on_selector_all("#pg-finder-closed-list > li", "items => items.map(i => i.dataset.action)")
        )
        assert (found, apart) == (opened, closed), (field, applicant)
        for item in tab.locator("#pg-finder-list > li").all():
            values = item.locator("dd").all_inner_texts()
            assert len(values) in (4, 5) and all(v.strip() for v in values)  # the four facts, and a note
            assert "€" in values[0] or values[0] == "not known"
            assert item.locator(".pg-why li").count() >= 1
        assert tab.evaluate("document.activeElement.id") == "pg-finder-results-heading"
    tab.select_option("#pg-filter-body", "national-agency")
    assert tab.eval_on_selector_all("#pg-compare tbody tr:not([hidden])", "rows => rows.length") == 3
    tab.close()


def test_comparison_marks_third_party_figures(site):
    rows = {
        row.cssselect("th")[0].get("data-id"): row
        for row in page(site, "en/key-action-2/compare/").cssselect("table.pg-compare tbody tr")
    }
    document = {a["id"]: a for a in open_data(site, "en")["actions"]}
    for action, row in rows.items():
        funding = document[action]["calls"][0]["facts"].get("funding")
        grant_cell = row.cssselect("td")[0]
        if funding and funding["source"]["confidence"] == "third-party":
            assert grant_cell.cssselect(".pg-unchecked"), action
        elif funding:
            assert not grant_cell.cssselect(".pg-unchecked"), action


def test_lists_of_alternatives_use_the_page_language(site):
    body = text(article(page(site, sheet_url("mt", "cooperation-partnerships"))))
    assert " jew " in body and ", or " not in body and " or €" not in body


@pytest.mark.parametrize("lang", ["nl", "en", "el"])
def test_fact_sheets_expand_the_action_code_and_eacea(site, lang):
    body = article(page(site, sheet_url(lang, "cooperation-partnerships")))
    abbrs = {a.text: a.get("title") for a in body.cssselect("abbr")}
    assert abbrs.keys() >= {"KA220", "EACEA"}
    assert all(title and len(title) > 10 for title in abbrs.values())
    summary = body.cssselect("dl.pg-summary")[0]
    assert summary.cssselect("a[href$='glossary/#eacea'] abbr")


@pytest.mark.browser
def test_finder_says_what_else_an_action_requires(server, browser):
    tab = browser.new_page()
    tab.clock.set_fixed_time("2026-01-15T10:00:00Z")
    tab.goto(server + "en/key-action-2/compare/")
    tab.select_option("#pg-finder-field", "higher-education")
    tab.select_option("#pg-finder-applicant", "higher-education")
    tab.fill("#pg-finder-partners", "6")
    tab.fill("#pg-finder-countries", "6")
    tab.click("#pg-finder button[type=submit]")
    item = tab.locator("#pg-finder-list > li[data-action=mundus-joint-masters]")
    assert "EU Member States" in item.locator("dd.pg-finder-note").inner_text()
    assert "higher education institutions" in item.locator(".pg-why").inner_text()
    tab.close()
