"""Fact sheets, the comparison, the what-changed page and the open-data exports, as a reader, a screen
reader and a calendar program get them. Sites are built for 1 January 2026 (see conftest.py).

How they behave is checked on the sample data (tests/samples/basic: three actions with facts, one without, in
Dutch, English and Polish); that every action of the guide has its fact sheet and open data in every language,
and the Maltese word for "or", on the whole site."""

from __future__ import annotations

import json

import jsonschema
import pytest
from icalendar import Calendar

from helpers import ACTIONS, EU_ORDER, article, page, prefix, text

SAMPLE_ACTIONS = {  # tests/samples/basic: the actions with facts, and their family's folder
    "cooperation-partnerships": "partnerships-for-cooperation",
    "small-scale-partnerships": "partnerships-for-cooperation",
    "alliances-for-innovation": "partnerships-for-innovation",
}


def sheet_url(lang: str, action: str, actions: dict[str, str] = SAMPLE_ACTIONS) -> str:
    return f"{prefix(lang)}key-action-2/{actions[action]}/{action}/"


def open_data(site, lang: str = "nl") -> dict:
    return json.loads((site / prefix(lang) / "key-action-2" / "actions.json").read_text("utf-8"))


@pytest.mark.parametrize("lang", ["nl", "en", "pl"])
def test_every_fact_sheet_opens_with_its_summary_and_cites_numbered_sources(sample_site, lang):
    for action in SAMPLE_ACTIONS:
        assert_summary_and_sources(sample_site, lang, action, SAMPLE_ACTIONS)


def assert_summary_and_sources(site, lang: str, action: str, actions: dict[str, str]) -> None:
    doc = page(site, sheet_url(lang, action, actions))
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
        ("pl", "5 marca 2026", "120 000 €"),
    ],
)
def test_dates_and_amounts_are_formatted_for_the_locale(sample_site, lang, date, amount):
    body = text(article(page(sample_site, sheet_url(lang, "cooperation-partnerships"))))
    assert date in body
    assert amount in body.replace("\u00a0", " ").replace("\u202f", " ")


def test_amounts_say_what_kind_of_amount_they_are(sample_site):
    def grant(action: str) -> str:
        summary = article(page(sample_site, sheet_url("en", action))).cssselect("dl.pg-summary")[0]
        row = next(d for d in summary.cssselect("div") if text(d.cssselect("dt")[0]) == "Funding")
        return text(row.cssselect("dd")[0])

    assert "lump sum per project: €120,000, €250,000 or €400,000" in grant("cooperation-partnerships")
    alliances = grant("alliances-for-innovation")
    assert "up to €4,000,000 per project" in alliances and "Lot 2" in alliances
    assert "€1,000,000 to" not in alliances  # the earlier call's range is not this call's minimum


def test_third_party_sources_carry_a_visible_unchecked_marker(sample_site):
    counted = 0
    for action in SAMPLE_ACTIONS:
        record = next(a for a in open_data(sample_site, "en")["actions"] if a["id"] == action)
        third = {
            fact["source"]["id"]
            for call in record["calls"]
            for fact in [*call["facts"].values(), *call["deadlines"]]
            if fact["source"]["confidence"] == "third-party"
        }
        notes = article(page(sample_site, sheet_url("en", action))).cssselect("ol.pg-sources > li")
        marked = [li for li in notes if li.cssselect("strong.pg-unchecked")]
        assert len(marked) == len(third), action
        counted += len(third)
    assert counted, "the sample cites no third-party source"


def test_fact_sheets_name_the_call_they_show(sample_site):
    records = open_data(sample_site)["actions"]
    assert [r["id"] for r in records] == list(SAMPLE_ACTIONS)
    for record in records:
        call = text(article(page(sample_site, sheet_url("nl", record["id"]))).cssselect(".pg-call")[0])
        assert str(record["calls"][0]["year"]) in call, record["id"]


def test_an_action_with_several_calls_shows_the_earlier_ones_collapsed(sample_site):
    body = article(page(sample_site, sheet_url("en", "cooperation-partnerships")))
    earlier = body.cssselect("details.pg-earlier")
    assert [text(d.cssselect("summary")[0]) for d in earlier] == ["2025 call"]
    assert "open" not in earlier[0].attrib
    assert earlier[0].cssselect("ul.pg-deadlines time")
    assert not article(page(sample_site, sheet_url("en", "small-scale-partnerships"))).cssselect("details.pg-earlier")


@pytest.mark.parametrize("lang", ["nl", "en", "pl"])
def test_comparison_is_complete_without_javascript_and_sorted_on_the_next_deadline(sample_site, lang):
    rows = page(sample_site, f"{prefix(lang)}key-action-2/compare/").cssselect("table.pg-compare tbody tr")
    order = [row.cssselect("th")[0].get("data-id") for row in rows]
    assert sorted(order) == sorted(SAMPLE_ACTIONS)
    records = {a["id"]: a["next_deadline"] for a in open_data(sample_site, lang)["actions"]}
    opened = [a for a in order if records[a]["open"]]
    closed = [a for a in order if not records[a]["open"]]
    assert opened and closed, "the sample has calls of both kinds"
    assert order == opened + closed, "open calls first, closed last"
    assert [records[a]["deadline"]["closes"] for a in opened] == sorted(
        records[a]["deadline"]["closes"] for a in opened
    )
    dates = [records[a]["deadline"]["closes"] for a in closed]
    assert dates == sorted(dates, reverse=True), "the most recently closed first"
    assert {row.get("data-open") for row in rows if row.cssselect("th")[0].get("data-id") in closed} == {"false"}


@pytest.mark.parametrize("lang", ["nl", "en", "pl"])
def test_the_calendar_holds_every_deadline_past_ones_included(sample_site, lang):
    document = open_data(sample_site, lang)
    deadlines = [d for a in document["actions"] for c in a["calls"] for d in c["deadlines"]]
    calendar = Calendar.from_ical((sample_site / prefix(lang) / "key-action-2" / "deadlines.ics").read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == len(deadlines) > 0
    assert len({str(e["uid"]) for e in events}) == len(events)
    timed = [e for e in events if hasattr(e["dtstart"].dt, "hour")]
    assert timed and all(str(e["dtstart"].dt.tzinfo) == "Europe/Brussels" for e in timed)
    tentative = [e for e in events if e.get("status") == "TENTATIVE"]
    assert len(tentative) == sum(d["expected"] for d in deadlines) > 0


@pytest.mark.parametrize("lang", ["nl", "en", "pl"])
def test_json_export_validates_against_the_published_schema(sample_site, lang):
    schema = json.loads((sample_site / "schemas" / "actions.schema.json").read_text("utf-8"))
    document = open_data(sample_site, lang)
    jsonschema.validate(document, schema)
    assert document["language"] == lang
    assert document["status_as_of"] == "2026-01-01"
    assert [a["id"] for a in document["actions"]] == list(SAMPLE_ACTIONS)


def test_the_what_changed_page_lists_every_changed_figure_with_both_values(sample_site):
    body = article(page(sample_site, "en/key-action-2/changes/"))
    compared = 0
    for record in open_data(sample_site, "en")["actions"]:
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
        compared += len(rows)
    assert compared, "the sample has changed figures to list"


# The finder: field, type of organisation (as applicants describe themselves), organisations, countries,
# and the actions it lists with an open call and without one (tests/samples/basic, as of 15 January 2026).
FINDER_PROFILES = [
    # the cooperation partnership's newest call states no minimum: it fits, and says so
    ("school", "school", 2, 2, {"cooperation-partnerships", "small-scale-partnerships"}, set()),
    ("youth", "youth-ngo", 1, 1, {"cooperation-partnerships"}, set()),  # small-scale needs 2 organisations
    ("enterprises", "company", 6, 6, set(), {"alliances-for-innovation"}),  # its only call has closed
    ("enterprises", "company", 6, 3, set(), set()),  # the alliance needs partners from 4 countries
]


@pytest.mark.browser
def test_finder_lists_fitting_actions_with_grant_and_deadline_and_closed_ones_apart(sample_server, browser):
    tab = browser.new_page()
    tab.clock.set_fixed_time("2026-01-15T10:00:00Z")
    tab.goto(sample_server + "en/key-action-2/compare/")
    listed = 0
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
        assert (found, apart) == (opened, closed), (field, applicant, organisations, countries)
        for item in tab.locator("#pg-finder-list > li").all():
            values = item.locator("dd").all_inner_texts()
            assert len(values) in (4, 5) and all(v.strip() for v in values)  # the four facts, and a note
            assert "€" in values[0] or values[0] == "not known"
            assert item.locator(".pg-why li").count() >= 1
            listed += 1
        assert tab.evaluate("document.activeElement.id") == "pg-finder-results-heading"
    assert listed
    tab.select_option("#pg-filter-body", "national-agency")
    assert tab.eval_on_selector_all("#pg-compare tbody tr:not([hidden])", "rows => rows.length") == 2
    tab.close()


def test_comparison_marks_third_party_figures(sample_site):
    rows = {
        row.cssselect("th")[0].get("data-id"): row
        for row in page(sample_site, "en/key-action-2/compare/").cssselect("table.pg-compare tbody tr")
    }
    document = {a["id"]: a for a in open_data(sample_site, "en")["actions"]}
    marked = {}
    for action, row in rows.items():
        funding = document[action]["calls"][0]["facts"].get("funding")
        if funding:
            marked[action] = bool(row.cssselect("td")[0].cssselect(".pg-unchecked"))
            assert marked[action] == (funding["source"]["confidence"] == "third-party"), action
    assert set(marked.values()) == {True, False}, "the sample has figures of both kinds"


@pytest.mark.parametrize("lang", ["nl", "en", "pl"])
def test_fact_sheets_expand_the_action_code_and_eacea(sample_site, lang):
    body = article(page(sample_site, sheet_url(lang, "cooperation-partnerships")))
    abbrs = {a.text: a.get("title") for a in body.cssselect("abbr")}
    assert abbrs.keys() >= {"KA220", "EACEA"}
    assert all(title and len(title) > 10 for title in abbrs.values())
    summary = body.cssselect("dl.pg-summary")[0]
    assert summary.cssselect("a[href$='glossary/#eacea'] abbr")


@pytest.mark.browser
def test_finder_says_what_else_an_action_requires(sample_server, browser):
    tab = browser.new_page()
    tab.clock.set_fixed_time("2026-01-15T10:00:00Z")
    tab.goto(sample_server + "en/key-action-2/compare/")
    tab.select_option("#pg-finder-field", "school")
    tab.select_option("#pg-finder-applicant", "school")
    tab.fill("#pg-finder-partners", "2")
    tab.fill("#pg-finder-countries", "2")
    tab.click("#pg-finder button[type=submit]")
    item = tab.locator("#pg-finder-list > li[data-action=small-scale-partnerships]")
    assert "only one application per round" in item.locator("dd.pg-finder-note").inner_text()
    assert "any public or private organisation" in item.locator(".pg-why").inner_text()
    tab.close()


# Every action of the guide, in every language, on the whole site


@pytest.mark.parametrize("lang", EU_ORDER)
def test_every_action_of_the_guide_has_its_fact_sheet_and_open_data_in_every_language(site, lang):
    for action in ACTIONS:
        assert_summary_and_sources(site, lang, action, ACTIONS)
    schema = json.loads((site / "schemas" / "actions.schema.json").read_text("utf-8"))
    document = open_data(site, lang)
    jsonschema.validate(document, schema)
    assert document["language"] == lang
    assert [a["id"] for a in document["actions"]] == list(ACTIONS)


def test_lists_of_alternatives_use_the_page_language(site):
    body = text(article(page(site, sheet_url("mt", "cooperation-partnerships", ACTIONS))))
    assert " jew " in body and ", or " not in body and " or €" not in body
