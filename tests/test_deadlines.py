"""Deadline statuses follow the calendar: in the engine, in two builds dated before and after a deadline,
in the open data and calendars, and in the browser when the reader's clock moves on. The builds use the
sample data (tests/samples/basic)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
import yaml
from icalendar import Calendar

from conftest import cli, mkdocs_build, sample_project
from helpers import article, page, text
from programme_guide.deadlines import build_moment, next_deadline, status
from programme_guide.facts import ActionFacts, CallFacts, Deadline, Source

SOURCE = Source("s", "https://example.org/call", "official", "European Commission", "Call")
RUMOUR = Source("r", "https://example.org/blog", "third-party", "A blog", "Dates")


def deadline(day: str, at: str | None = None, source: Source = SOURCE, expected: bool = False) -> Deadline:
    return Deadline(
        date.fromisoformat(day), time.fromisoformat(at) if at else None, "Europe/Brussels", source, 2027, expected
    )


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_a_deadline_is_upcoming_with_days_left_until_its_closing_time_then_closed():
    item = deadline("2027-03-04", "12:00")  # 11:00 UTC in winter
    assert status(item, utc("2027-02-22T09:00")) == status(item, utc("2027-02-22T22:30"))  # 23:30 in Brussels
    assert status(item, utc("2027-02-22T23:30")).days == 9  # already the 23rd in Brussels
    assert status(item, utc("2027-02-22T09:00")).kind == "upcoming"
    assert status(item, utc("2027-02-22T09:00")).days == 10
    assert status(item, utc("2027-03-04T10:59")).days == 0
    assert status(item, utc("2027-03-04T11:00")).kind == "closed"


def test_a_date_without_a_time_stays_open_until_the_end_of_the_day_in_brussels():
    item = deadline("2027-03-04")
    assert status(item, utc("2027-03-04T22:59")).kind == "upcoming"
    assert status(item, utc("2027-03-04T23:00")).kind == "closed"  # midnight in Brussels


def test_unconfirmed_dates_are_expected_until_they_pass():
    assert status(deadline("2027-03-04", source=RUMOUR), utc("2027-01-01T00:00")).kind == "expected"
    assert status(deadline("2027-03-04", expected=True), utc("2027-01-01T00:00")).kind == "expected"
    assert status(deadline("2027-03-04", expected=True), utc("2027-03-05T00:00")).kind == "closed"


def test_the_next_deadline_is_the_first_open_one_else_the_last_one_closed():
    sheet = ActionFacts("a", [CallFacts(2027, deadlines=[deadline("2027-03-04"), deadline("2027-10-01")])])
    assert next_deadline(sheet, utc("2027-01-01T00:00")).deadline.day == date(2027, 3, 4)
    assert next_deadline(sheet, utc("2027-05-01T00:00")).deadline.day == date(2027, 10, 1)
    after = next_deadline(sheet, utc("2027-11-01T00:00"))
    assert not after.is_open and after.deadline.day == date(2027, 10, 1)
    assert next_deadline(sheet, utc("2027-01-01T00:00")).sort_key() < after.sort_key()


def test_the_build_moment_is_source_date_epoch_else_the_commit_time(tmp_path):
    assert build_moment(tmp_path, {"SOURCE_DATE_EPOCH": "1767225600"}) == utc("2026-01-01T00:00")
    (tmp_path / "facts.yml").write_text("x", "utf-8")
    moment = build_moment(tmp_path, {})  # no git repository here: the newest file's time
    assert abs(moment.timestamp() - (tmp_path / "facts.yml").stat().st_mtime) < 2


# Two builds of the same data, dated before and after a deadline the test adds.

NEW_CALL = {"year": 2099, "reference": "EAC/A99/2098", "source": None}
BEFORE = "4076611200"  # 2099-03-08 00:00 UTC: ten days before 18 March 2099
AFTER = "4077604800"  # 2099-03-19 12:00 UTC: the day after


def add_future_call(project: Path) -> None:
    """Give Small-scale Partnerships a 2099 call whose only deadline is 18 March 2099 at 12:00 (official)."""
    path = project / "data" / "facts.yml"
    data = yaml.safe_load(path.read_text("utf-8"))
    official = next(s["id"] for s in data["sources"] if s["confidence"] == "official")
    data["calls"].append({**NEW_CALL, "source": official})
    latest = data["actions"]["small-scale-partnerships"][0]
    future = {**json.loads(json.dumps(latest, default=str)), "call": 2099}
    future["deadlines"] = [{"date": "2099-03-18", "time": "12:00", "source": official}]
    data["actions"]["small-scale-partnerships"].insert(0, future)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


@pytest.fixture(scope="module")
def dated_sites(tmp_path_factory) -> dict[str, Path]:
    project = sample_project(tmp_path_factory.mktemp("dated"))
    add_future_call(project)
    sites = {}
    for name, epoch in (("before", BEFORE), ("after", AFTER)):
        out = project / f"site-{name}"
        result = mkdocs_build(project, out, SOURCE_DATE_EPOCH=epoch, BUILD_ONLY_LOCALE="en")
        assert result.returncode == 0, result.stderr[-3000:]
        sites[name] = out
    return sites


SHEET = "en/key-action-2/partnerships-for-cooperation/small-scale-partnerships/"


def sheet_page(site: Path):
    # a one-language preview builds the language at the site root
    return page(site, SHEET.removeprefix("en/"))


@pytest.mark.slow
def test_the_fact_sheet_shows_the_next_deadline_first_with_its_status_as_of_the_build(dated_sites):
    before = article(sheet_page(dated_sites["before"]))
    summary = before.cssselect("dl.pg-summary")[0]
    assert text(summary.cssselect("dt")[0]) == "Next deadline"
    assert "18 March 2099, 12:00" in text(summary.cssselect("dd")[0])
    assert text(summary.cssselect(".pg-state--upcoming")[0]) == "closes in 10 days"
    assert "as of 8 March 2099" in text(before.cssselect(".pg-asof")[0])
    assert "2099 call" in text(before.cssselect(".pg-call")[0])

    after = article(sheet_page(dated_sites["after"]))
    next_text = text(after.cssselect("dl.pg-summary dd")[0])
    assert next_text.startswith("No open call in this edition: the last deadline was 18 March 2099 (2099 call)")
    official = after.cssselect("dl.pg-summary .pg-next__official")[0]  # where a newer call would be
    assert official.get("hidden") is None and official.get("href").startswith("https://")
    assert before.cssselect("dl.pg-summary .pg-next__official")[0].get("hidden") is not None
    assert "as of 19 March 2099" in text(after.cssselect(".pg-asof")[0])
    assert after.cssselect(".pg-call--newer")  # every deadline passed: a newer call may exist
    states = [text(s) for s in after.cssselect("ul.pg-deadlines .pg-state")]
    assert states and set(states) == {"closed"}


@pytest.mark.slow
def test_earlier_calls_are_collapsed_below_the_newest(dated_sites):
    body = article(sheet_page(dated_sites["before"]))
    earlier = body.cssselect("details.pg-earlier")
    assert earlier and "open" not in earlier[0].attrib
    years = [text(d.cssselect("summary")[0]) for d in earlier]
    assert all("2099" not in y for y in years)


def compare_order(site: Path) -> list[str]:
    rows = page(site, "key-action-2/compare/").cssselect("table.pg-compare tbody tr")
    return [row.cssselect("th")[0].get("data-id") for row in rows]


@pytest.mark.slow
def test_the_comparison_puts_open_calls_first_and_closed_ones_last(dated_sites):
    assert compare_order(dated_sites["before"])[0] == "small-scale-partnerships"
    after = compare_order(dated_sites["after"])
    assert after[0] == "small-scale-partnerships"  # the most recently closed call leads the closed ones
    rows = page(dated_sites["after"], "key-action-2/compare/").cssselect("table.pg-compare tbody tr")
    assert {row.get("data-open") for row in rows} == {"false"}


@pytest.mark.slow
def test_actions_json_carries_statuses_the_next_deadline_and_the_build_date(dated_sites):
    before = json.loads((dated_sites["before"] / "key-action-2" / "actions.json").read_text("utf-8"))
    after = json.loads((dated_sites["after"] / "key-action-2" / "actions.json").read_text("utf-8"))
    assert before["status_as_of"] == "2099-03-08" and after["status_as_of"] == "2099-03-19"
    small = next(a for a in before["actions"] if a["id"] == "small-scale-partnerships")
    assert small["next_deadline"]["open"] is True
    assert small["next_deadline"]["deadline"]["status"] == "upcoming"
    assert small["next_deadline"]["deadline"]["days_left"] == 10
    assert small["calls"][0]["year"] == 2099
    small_after = next(a for a in after["actions"] if a["id"] == "small-scale-partnerships")
    assert small_after["next_deadline"]["open"] is False
    assert small_after["next_deadline"]["deadline"]["date"] == "2099-03-18"
    assert all(d["status"] == "closed" for c in small_after["calls"] for d in c["deadlines"])


@pytest.mark.slow
def test_each_fact_sheet_offers_its_own_calendar_and_the_full_calendar_keeps_past_events(dated_sites):
    site = dated_sites["after"]
    sheet = sheet_page(site)
    link = sheet.cssselect("a[href$='.ics'][download]")[0].get("href")
    own = Calendar.from_ical((site / SHEET.removeprefix("en/") / link).read_bytes())
    starts = [e["dtstart"].dt for e in own.walk("VEVENT")]  # a deadline without a time is an all-day event
    days = sorted((start.date() if isinstance(start, datetime) else start).isoformat() for start in starts)
    document = json.loads((site / "key-action-2" / "actions.json").read_text("utf-8"))
    small = next(a for a in document["actions"] if a["id"] == "small-scale-partnerships")
    assert days == sorted(d["date"] for c in small["calls"] for d in c["deadlines"])
    everything = Calendar.from_ical((site / "key-action-2" / "deadlines.ics").read_bytes())
    total = sum(len(c["deadlines"]) for a in document["actions"] for c in a["calls"])
    assert len(list(everything.walk("VEVENT"))) == total  # closed deadlines stay in the calendar


def test_check_warns_about_stale_facts_with_file_and_line(tmp_path):
    project = sample_project(tmp_path / "project")
    result = cli("--data", str(project / "data"), "check")
    assert result.returncode == 0
    assert "every deadline has passed" in result.stderr or "older than the" in result.stderr
    assert "facts.yml:" in result.stderr


# The browser recomputes the status from the reader's clock.


@pytest.mark.slow
@pytest.mark.browser
def test_the_status_changes_in_the_browser_without_a_rebuild(dated_sites, browser):
    from conftest import serve

    server = serve(dated_sites["before"])
    base = next(server)
    try:
        for moment, expected_state, expected_text in (
            ("2099-03-15T10:00:00Z", "upcoming", "closes in 3 days"),
            ("2099-03-18T12:00:00Z", "closed", None),
        ):
            tab = browser.new_page()
            tab.clock.set_fixed_time(moment)
            tab.goto(base + SHEET.removeprefix("en/"))
            state = tab.locator("dl.pg-summary dd").first
            newer = tab.locator(".pg-call[data-pg-when-closed]")
            official = tab.locator("dl.pg-summary .pg-next__official[data-pg-when-closed]")
            if expected_text:
                assert tab.locator("dl.pg-summary .pg-state").first.inner_text() == expected_text
                assert "as of 15 March 2099" in tab.locator(".pg-asof").inner_text()
                assert not newer.is_visible() and not official.is_visible()
            else:
                closed = "No open call in this edition: the last deadline was 18 March 2099"
                assert state.inner_text().startswith(closed)
                assert newer.is_visible() and "newer call" in newer.inner_text()
                assert official.is_visible(), "without an open call the next deadline leads to the official guide"
            assert tab.locator(f"ul.pg-deadlines .pg-state--{expected_state}").count() >= 1
            tab.close()
    finally:
        next(server, None)
