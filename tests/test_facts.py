"""Fact sheets, the comparison and the open-data exports, as a reader and a calendar program get them."""

from __future__ import annotations

import json

import jsonschema
import pytest
from icalendar import Calendar

from helpers import article, page, text
from test_languages import EU_ORDER

ACTIONS = {
    "cooperation-partnerships": "partnerships-for-cooperation",
    "small-scale-partnerships": "partnerships-for-cooperation",
    "school-development": "partnerships-for-cooperation",
    "vocational-excellence": "partnerships-for-excellence",
    "teacher-academies": "partnerships-for-excellence",
    "mundus-joint-masters": "partnerships-for-excellence",
    "mundus-design-measures": "partnerships-for-excellence",
    "alliances-for-innovation": "partnerships-for-innovation",
    "capacity-higher-education": "capacity-building",
    "capacity-vet": "capacity-building",
    "capacity-youth": "capacity-building",
    "capacity-sport": "capacity-building",
    "sport-events": "european-sport-events",
}


def sheet_url(lang: str, action: str) -> str:
    prefix = "" if lang == "nl" else f"{lang}/"
    return f"{prefix}key-action-2/{ACTIONS[action]}/{action}/"


@pytest.mark.parametrize("lang", EU_ORDER)
def test_every_action_has_a_fact_sheet_with_the_same_layout(site, lang):
    reference = None
    for action in ACTIONS:
        doc = page(site, sheet_url(lang, action))
        assert doc.get("lang") == lang
        body = article(doc)
        assert body.cssselect("table.pg-keyfacts"), f"{lang} {action}"
        assert body.cssselect("ul.pg-deadlines time[datetime]")
        assert body.cssselect("ul.pg-sources li")
        layout = len(body.cssselect("h2"))
        if action == "cooperation-partnerships":
            reference = layout
    assert reference == 4  # key facts, award criteria, deadlines, sources


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


def test_third_party_facts_carry_a_visible_unchecked_marker(site):
    body = article(page(site, sheet_url("en", "cooperation-partnerships")))
    markers = body.cssselect(".pg-unchecked")
    assert markers and all(text(m) for m in markers)
    official = article(page(site, sheet_url("nl", "vocational-excellence")))
    assert "officiële bron" in text(official)


def test_fact_sheets_name_their_call_year(site):
    assert "2026" in text(article(page(site, sheet_url("nl", "vocational-excellence"))).cssselect(".pg-call")[0])
    assert "2025" in text(article(page(site, sheet_url("nl", "teacher-academies"))).cssselect(".pg-call")[0])


@pytest.mark.parametrize("lang", ["nl", "en", "el"])
def test_comparison_table_is_complete_without_javascript(site, lang):
    prefix = "" if lang == "nl" else f"{lang}/"
    rows = page(site, f"{prefix}key-action-2/compare/").cssselect("table.pg-compare tbody tr")
    assert [row.cssselect("th")[0].get("data-id") for row in rows] == list(ACTIONS)


@pytest.mark.parametrize("lang", ["nl", "en", "pl"])
def test_icalendar_export_parses_with_one_event_per_deadline(site, lang):
    prefix = "" if lang == "nl" else f"{lang}/"
    calendar = Calendar.from_ical((site / prefix / "key-action-2" / "deadlines.ics").read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 15
    assert len({str(e["uid"]) for e in events}) == 15
    timed = [e for e in events if hasattr(e["dtstart"].dt, "hour")]
    assert timed and all(str(e["dtstart"].dt.tzinfo) == "Europe/Brussels" for e in timed)
    cove = next(e for e in timed if e["dtstart"].dt.date().isoformat() == "2026-09-03")
    assert cove["dtstart"].dt.utcoffset().total_seconds() == 7200  # 17:00 CEST
    tentative = [e for e in events if e.get("status") == "TENTATIVE"]
    assert {e["dtstart"].dt.isoformat() for e in tentative} == {"2026-03-05", "2026-02-26"}  # third-party dates
    assert all(e.get("description") for e in tentative)


@pytest.mark.parametrize("lang", EU_ORDER)
def test_json_export_validates_against_the_published_schema(site, lang):
    prefix = "" if lang == "nl" else f"{lang}/"
    schema = json.loads((site / "schemas" / "actions.schema.json").read_text("utf-8"))
    document = json.loads((site / prefix / "key-action-2" / "actions.json").read_text("utf-8"))
    jsonschema.validate(document, schema)
    assert document["language"] == lang
    assert [a["id"] for a in document["actions"]] == list(ACTIONS)


FINDER_PROFILES = [
    ("school", "school-authority", 6, {"cooperation-partnerships", "small-scale-partnerships", "school-development"}),
    (
        "higher-education",
        "higher-education-institution",
        3,
        # Alliances need partners from at least 4 countries; Capacity Building's minimum is not known
        {"cooperation-partnerships", "mundus-joint-masters", "mundus-design-measures", "capacity-higher-education"},
    ),
    ("sport", "sport-organisation", 2, {"small-scale-partnerships", "capacity-sport"}),
    ("school", "teacher-education", 6, {"cooperation-partnerships", "small-scale-partnerships", "teacher-academies"}),
]


@pytest.mark.browser
def test_finder_returns_the_actions_that_fit_a_profile(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        )
        tab = browser.new_page()
        tab.goto((site / "en" / "key-action-2" / "compare" / "index.html").as_uri())
        for field, applicant, partners, expected in FINDER_PROFILES:
            tab.select_option("#pg-finder-field", field)
            tab.select_option("#pg-finder-applicant", applicant)
            tab.fill("#pg-finder-partners", str(partners))
            tab.click("#pg-finder button[type=submit]")
            found = set(tab.eval_on_selector_all("#pg-finder-list li", "items => items.map(i => i.dataset.action)"))
            assert found == expected, (field, applicant, partners)
            reasons = {
                item["action"]: item["text"]
                for item in tab.eval_on_selector_all(
                    "#pg-finder-list li", "items => items.map(i => ({action: i.dataset.action, text: i.innerText}))"
                )
            }
            if "teacher-academies" in reasons:
                assert "2025" in reasons["teacher-academies"]  # facts from an older call say so
            if "capacity-higher-education" in reasons:
                assert reasons["capacity-higher-education"] != reasons["cooperation-partnerships"]
        tab.select_option("#pg-filter-body", "national-agency")
        visible = tab.eval_on_selector_all("#pg-compare tbody tr:not([hidden])", "rows => rows.length")
        assert visible == 3
        browser.close()


def test_comparison_marks_third_party_figures(site):
    rows = {
        row.cssselect("th")[0].get("data-id"): row
        for row in page(site, "en/key-action-2/compare/").cssselect("table.pg-compare tbody tr")
    }
    assert rows["capacity-youth"].cssselect(".pg-unchecked")
    assert not rows["vocational-excellence"].cssselect(".pg-unchecked")


def test_lists_of_alternatives_use_the_page_language(site):
    body = text(article(page(site, sheet_url("mt", "cooperation-partnerships"))))
    assert " jew " in body and ", or " not in body and " or €" not in body
