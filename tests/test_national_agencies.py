"""Where to apply: the national agency of the reader's country on a fact sheet, EACEA's calls, and the
duration in the finder's results.

The list of agencies is data (data/national-agencies.yml); its errors name file and line. In Chromium, a
reader picks a country on a fact sheet and gets its agencies for the action's fields, linked; the choice
survives a reload, and nothing is fetched from another host.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import yaml
from lxml import html

from conftest import ROOT, cli
from helpers import ACTIONS, article, normalise, page, text
from programme_guide.agencies import load_agencies
from programme_guide.errors import DataError

DATA = ROOT / "data"
AGENCIES = yaml.safe_load((DATA / "national-agencies.yml").read_text("utf-8"))
FACTS = yaml.safe_load((DATA / "facts.yml").read_text("utf-8"))


def texts(lang: str) -> dict[str, str]:
    strings = yaml.safe_load((DATA / "locales" / f"{lang}.yml").read_text("utf-8"))["strings"]
    # Dutch: `key: text`, or the plural forms; translations: entries with `text` (the forms of a plural text)
    return {key: value.get("text", value) if isinstance(value, dict) else value for key, value in strings.items()}


def sheet_url(lang: str, action: str) -> str:
    prefix = "" if lang == "nl" else f"{lang}/"
    return f"{prefix}key-action-2/{ACTIONS[action]}/{action}/"


def agencies_of(country: str) -> list[dict]:
    return next(entry["agencies"] for entry in AGENCIES["countries"] if entry["country"] == country)


def managed_by(body: str) -> list[str]:
    guide = yaml.safe_load((DATA / "guide.yml").read_text("utf-8"))
    return [a["id"] for a in guide["actions"] if a["managed_by"] == [body] and a["id"] in ACTIONS]


# The list itself


def test_every_programme_country_has_its_agencies_with_a_source():
    codes = [entry["country"] for entry in AGENCIES["countries"]]
    eu = {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT"}
    eu |= {"LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"}
    associated = {"IS", "LI", "NO", "MK", "RS", "TR"}
    assert len(codes) == len(set(codes)) and set(codes) == eu | associated
    assert AGENCIES["source"]["url"].startswith("https://erasmus-plus.ec.europa.eu/")
    for entry in AGENCIES["countries"]:
        for agency in entry["agencies"]:
            assert agency["source"].startswith(("https://", "http://"))
            assert ("url" in agency) is agency.get("confirmed", True), agency["id"]
    # Belgium has an agency pair per Community, Germany one agency per field of education and one for youth
    assert len({a["region"] for a in agencies_of("BE")}) == 3
    assert len(agencies_of("DE")) == 4


@pytest.mark.parametrize(
    "old, new, needle, message",
    [
        (
            "fields: [youth]\n        url: https://www.jint.be/",
            "fields: [jeugd]\n        url: https://www.jint.be/",
            "fields: [jeugd]",
            "field 'jeugd' is not used in facts.yml",
        ),
        ('  - country: "NO"', "  - country: NO", "  - country: NO", "expected a text, found true or false"),
        ("        url: https://www.erasmusplus.it/\n", "", "id: it-indire", "must say it is not confirmed"),
        ("  - country: RS", "  - country: BE", "  - country: BE", "country BE is listed twice"),
    ],
    ids=["unknown-field", "unquoted-norway", "website-missing", "country-twice"],
)
def test_errors_in_the_list_name_file_and_line(tmp_path, old, new, needle, message):
    broken = tmp_path / "national-agencies.yml"
    source = (DATA / "national-agencies.yml").read_text("utf-8")
    assert old in source
    broken.write_text(source.replace(old, new, 1), "utf-8")
    lines = broken.read_text("utf-8").splitlines()
    line = max(i for i, content in enumerate(lines, 1) if needle in content)
    with pytest.raises(DataError) as caught:
        load_agencies(tmp_path, [f for f in FACTS["actions"]["cooperation-partnerships"][0]["fields"]["value"]])
    reported = [problem.format() for problem in caught.value.problems]
    assert any(f"national-agencies.yml:{line}:" in p and message in p for p in reported), reported


def small_list() -> str:
    """The list's head (source, EACEA's calls) and Germany's agencies for schools and youth, fields the sample data
    (tests/samples/basic) uses too."""
    source = (DATA / "national-agencies.yml").read_text("utf-8")
    head = source[: source.index("countries:\n")]
    agencies = [
        re.search(rf"^      - id: {id}\n(?:        .*\n)+", source, flags=re.M).group(0) for id in ("de-pad", "de-jfe")
    ]
    return head + "countries:\n  - country: DE\n    agencies:\n" + "".join(agencies)


def test_check_command_reports_the_broken_line(sample_copy):
    """`check` of a project (the sample data, three locale files to load) with a list of agencies."""
    path = sample_copy / "data" / "national-agencies.yml"
    path.write_text(small_list(), "utf-8")
    source = path.read_text("utf-8")
    assert "fields: [school]" in source
    path.write_text(source.replace("fields: [school]", "fields: [schools]", 1), "utf-8")
    line = next(i for i, content in enumerate(path.read_text("utf-8").splitlines(), 1) if "[schools]" in content)
    result = cli("check", cwd=sample_copy)
    assert result.returncode == 1
    assert re.search(rf"national-agencies\.yml:{line}: .*field 'schools' is not used", result.stdout + result.stderr)


# The built pages


def test_without_javascript_fact_sheets_link_the_commission_list_and_eacea_calls(site):
    nl = texts("nl")
    for action in managed_by("national-agency"):
        body = article(page(site, sheet_url("nl", action)))
        where = body.cssselect("dl.pg-summary ul.pg-where")[0]
        assert where.cssselect("a[data-pg-agency-list]")[0].get("href") == AGENCIES["source"]["url"]
        assert body.cssselect("div[data-pg-agency]")[0].get("hidden") is not None  # shown by agencies.js only
    for action in managed_by("eacea"):
        where = article(page(site, sheet_url("nl", action))).cssselect("ul.pg-where")[0]
        link = where.cssselect("a[data-pg-eacea-calls]")
        calls = [c for c in FACTS["actions"][action] if c["call"] == max(c["call"] for c in FACTS["actions"][action])]
        if "apply" in calls[0]:
            assert where.cssselect(f"a[href='{calls[0]['apply']['url']}']")
        else:  # no call page confirmed: the portal's Erasmus+ calls, and the page says so
            assert link[0].get("href") == AGENCIES["eacea"]["calls"]["url"]
            assert text(link[0]) == nl["fact.where.eacea_calls"]
            assert nl["fact.where.eacea_search"] in text(where)


# In Chromium


@pytest.fixture
def tab(browser, server):
    """A page that records every request; the test checks none leaves the site."""
    context = browser.new_context()
    tab = context.new_page()
    tab.requests = []
    tab.on("request", lambda request: tab.requests.append(request.url))
    yield tab
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    "lang, action, country", [("nl", "cooperation-partnerships", "IT"), ("el", "school-development", "BE")]
)
def test_picking_a_country_shows_its_agencies_and_is_remembered(tab, server, lang, action, country):
    field_names = texts(lang)
    tab.goto(server + sheet_url(lang, action))
    select = tab.locator("#pg-agency-country")
    names = select.locator("option").all_inner_texts()[1:]
    in_order = tab.evaluate("([names, lang]) => names.slice().sort(new Intl.Collator(lang).compare)", [names, lang])
    assert names == in_order and len(names) == len(AGENCIES["countries"])
    result = tab.locator("#pg-agency-result")
    assert result.get_attribute("aria-live") == "polite"
    select.focus()  # from the keyboard: an arrow key picks the next country and shows its agencies
    tab.keyboard.press("ArrowDown")
    assert select.input_value() and result.inner_text().strip()
    select.select_option(country)
    fields = FACTS["actions"][action][0]["fields"]["value"]
    expected = [a for a in agencies_of(country) if set(a["fields"]) & set(fields)]
    for visit in ("chosen", "reloaded"):
        if visit == "reloaded":
            tab.reload()
            assert tab.locator("#pg-agency-country").input_value() == country
        shown = normalise(result.inner_text())
        for agency in expected:
            assert agency["name"] in shown, (visit, agency["id"])
            if "url" in agency:
                link = result.locator(f"a[href='{agency['url']}']")
                assert link.count() >= 1 and agency["name"] in link.first.inner_text()
                assert link.first.get_attribute("lang") == agency["lang"]
            else:  # the page says the website is not confirmed and links the Commission's list instead
                assert result.locator(f"a[href='{AGENCIES['source']['url']}']").count() >= 1
        for field in fields:
            if any(field in a["fields"] for a in expected):
                assert field_names[f"field.{field}.name"] in shown
    site_host = urlsplit(server).netloc
    assert [url for url in tab.requests if urlsplit(url).netloc != site_host] == []


@pytest.mark.browser
def test_finder_results_show_grant_next_deadline_and_duration(tab, server, site):
    en = texts("en")
    tab.clock.set_fixed_time("2026-01-15T10:00:00Z")
    tab.goto(server + "en/key-action-2/compare/")
    tab.select_option("#pg-finder-field", "school")
    tab.select_option("#pg-finder-applicant", "school")
    tab.fill("#pg-finder-partners", "6")
    tab.fill("#pg-finder-countries", "2")
    tab.click("#pg-finder button[type=submit]")
    items = tab.locator("#pg-finder-list > li, #pg-finder-closed-list > li").all()
    assert items
    for item in items:
        labels = item.locator("dt").all_inner_texts()
        values = dict(zip(labels, item.locator("dd").all_inner_texts(), strict=True))
        for label in ("fact.label.funding", "fact.label.next_deadline", "fact.label.duration"):
            assert values.get(en[label], "").strip(), (item.get_attribute("data-action"), label)
        # the duration as the action's fact sheet states it, or "not known" where it states none
        action = item.get_attribute("data-action")
        summary = article(page(site, sheet_url("en", action))).cssselect("dl.pg-summary")[0]
        stated = [
            dd
            for dt, dd in zip(summary.cssselect("dt"), summary.cssselect("dd"), strict=True)
            if text(dt) == en["fact.label.duration"]
        ]
        if stated:
            for extra in stated[0].cssselect("sup, small"):
                extra.drop_tree()
            assert normalise(values[en["fact.label.duration"]]) == text(stated[0])
        else:
            assert values[en["fact.label.duration"]] == en["compare.unknown"]


def test_agency_data_in_the_page_cannot_end_its_script_element(site):
    """Agency names such as "Jeunesse & Sport" reach the page as JSON with markup characters escaped."""
    doc = html.parse(str(site / sheet_url("nl", "cooperation-partnerships") / "index.html")).getroot()
    script = doc.cssselect("script#pg-agency-data")[0].text
    assert "<" not in script and "&" not in script and "\\u0026" in script
