"""Bad input gets a clear error: file, line, key path, what is wrong, how to fix it, and exit code 1.

The broken inputs are edits to a copy of the sample data set (tests/samples/basic: Dutch, English, Polish), so
each check loads three locale files, not the guide's 24; only the check of the guide's own data reads data/."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import cli, mkdocs_build
from helpers import sweep


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def line_of(path: Path, needle: str) -> int:
    """The last line that is ``needle`` or, if none is, the last containing it (a duplicate is reported where it
    repeats; other entries may mention the same id, e.g. the glossary's)."""
    lines = path.read_text("utf-8").splitlines()
    exact = [i for i, line in enumerate(lines, 1) if line.strip() == needle]
    return (exact or [i for i, line in enumerate(lines, 1) if needle in line])[-1]


CASES = {
    "yaml-syntax": (
        "locales/nl.yml",
        '  ka2.nav: "Kernactie 2"',
        '  ka2.nav: "Kernactie 2',
        r"nl\.yml:\d+: YAML syntax error",
        "quotation mark",
    ),
    "duplicate-key": (
        "guide.yml",
        "  - id: eacea",
        "  - id: eacea\n    id: eacea",
        r"guide\.yml:\d+: duplicate key 'id' \(first defined on line \d+\)",
        "only one may stay",
    ),
    "unknown-key": (
        "guide.yml",
        "{id: small-scale-partnerships, code: KA210,",
        "{id: small-scale-partnerships, colour: red, code: KA210,",
        r"guide\.yml:\d+: at 'actions\[1\]\.colour': unknown key 'colour'",
        "allowed keys here: calls, code, id, managed_by",
    ),
    "missing-key": (
        "guide.yml",
        "{id: forward-looking-projects, managed_by: [eacea], calls: []}",
        "{id: forward-looking-projects, calls: []}",
        r"guide\.yml:\d+: at 'actions\[3\]': missing key 'managed_by'",
        "add 'managed_by:'",
    ),
    "wrong-type": (
        "guide.yml",
        "{id: alliances-for-innovation, managed_by: [eacea], calls: [2025, 2026]}",
        "{id: alliances-for-innovation, managed_by: [eacea], calls: 2026}",
        r"guide\.yml:\d+: at 'actions\[2\]\.calls': expected a list",
        "write a list",
    ),
    "undefined-id": (
        "guide.yml",
        "actions: [alliances-for-innovation, forward-looking-projects]",
        "actions: [alliances-for-innovation, forward-looking-projects, sport-galas]",
        r"guide\.yml:\d+: at 'families\[1\]\.actions\[2\]': action 'sport-galas' is referenced but not defined",
        "define it under 'actions'",
    ),
    "undefined-text": (
        "locales/nl.yml",
        "  body.eacea.name:",
        "  body.eacea.naam:",
        r"nl\.yml: key 'body\.eacea\.name' is referenced but not defined",
        "add the key with its Dutch text",
    ),
    "unconfigured-language": (
        "languages.yml",
        "  - {code: pl, name: polski, locale: pl_PL}",
        "  - {code: pl, name: polski, locale: pl_PL}\n  - {code: pl, name: polski, locale: pl_PL}",
        r"languages\.yml:\d+: at 'languages\[3\]\.code': language 'pl' is listed twice",
        "remove one",
    ),
}


@pytest.mark.parametrize("case", sweep(CASES, quick=2))
def test_check_names_file_line_key_and_fix(sample_copy, case):
    name, old, new, message, fix = CASES[case]
    target = sample_copy / "data" / name
    edit(target, old, new)
    result = cli("--data", str(sample_copy / "data"), "check")
    assert result.returncode == 1
    assert re.search(message, result.stderr), result.stderr
    assert "fix: " in result.stderr and fix in result.stderr, result.stderr
    if r"yml:\d+" in message:
        reported = int(re.search(r"\.yml:(\d+)", result.stderr).group(1))
        assert reported == line_of(target, new.splitlines()[-1].strip()[:30])


def test_locale_file_for_unconfigured_language(sample_copy):
    (sample_copy / "data" / "locales" / "xx.yml").write_text("language: xx\nstrings: {}\n", "utf-8")
    result = cli("--data", str(sample_copy / "data"), "check")
    assert result.returncode == 1
    assert "xx.yml: language 'xx' is not configured" in result.stderr
    assert "add the language to data/languages.yml" in result.stderr


def test_build_stops_before_writing_anything_on_bad_data(sample_copy):
    edit(
        sample_copy / "data" / "guide.yml",
        "actions: [alliances-for-innovation, forward-looking-projects]",
        "actions: [alliances-for-innovation, forward-looking-projects, sport-galas]",
    )
    site = sample_copy / "site"
    result = mkdocs_build(sample_copy, site, BUILD_ONLY_LOCALE="nl")
    assert result.returncode != 0
    assert "action 'sport-galas' is referenced but not defined" in result.stderr
    assert not site.exists()


def test_valid_data_checks_clean():
    """The guide's own data (data/) passes the check."""
    result = cli("check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK:")


def test_a_text_the_site_uses_cannot_be_deleted_from_the_source(sample_copy):
    nl = sample_copy / "data" / "locales" / "nl.yml"
    lines = [line for line in nl.read_text("utf-8").splitlines(keepends=True) if "site.disclaimer:" not in line]
    nl.write_text("".join(lines), "utf-8")
    for lang in (sample_copy / "data" / "locales").glob("*.yml"):
        text = lang.read_text("utf-8")
        if lang.stem != "nl" and "  site.disclaimer:\n" in text:
            head, _, rest = text.partition("  site.disclaimer:\n")
            rest = rest.split("\n", 2)[2]  # drop its text and source lines
            lang.write_text(head + rest, "utf-8")
    result = cli("--data", str(sample_copy / "data"), "check")
    assert result.returncode == 1
    assert "overrides/main.html:" in result.stderr  # where the site uses it, found by reading the templates
    assert "the text key 'site.disclaimer' is not defined in nl.yml" in result.stderr
    assert "fix: correct the key, or add it with its Dutch text to nl.yml" in result.stderr


def test_a_deadline_time_in_the_wrong_form_gets_a_time_hint(sample_copy):
    facts = sample_copy / "data" / "facts.yml"
    edit(facts, '{date: 2025-11-10, time: "17:00"', '{date: 2025-11-10, time: "5pm"')
    result = cli("--data", str(sample_copy / "data"), "check")
    assert result.returncode == 1
    assert "'5pm' is not in the expected form" in result.stderr
    assert 'fix: write the time as HH:MM on the 24-hour clock, e.g. "17:00"' in result.stderr


def rewrite_facts(project: Path, change) -> Path:
    """Apply ``change`` to the parsed facts.yml of a project copy and write it back."""
    import yaml

    path = project / "data" / "facts.yml"
    data = json.loads(json.dumps(yaml.safe_load(path.read_text("utf-8")), default=str))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def first_call(data: dict, group: str) -> dict:
    """The first call (of any action) that has ``group``."""
    return next(call for calls in data["actions"].values() for call in calls if group in call)


def _min_above_max(data):
    first_call(data, "duration")["duration"]["terms"] = [{"min_months": 36, "max_months": 12}]


def _duplicate_call(data):
    calls = next(calls for calls in data["actions"].values() if calls)
    calls.append(json.loads(json.dumps(calls[0])))


def _funding_without_amount(data):
    first_call(data, "funding")["funding"]["terms"] = [{"kind": "maximum"}]


def _maximum_with_a_list(data):
    first_call(data, "funding")["funding"]["terms"] = [{"kind": "maximum", "eur": [1, 2]}]


def _nul_in_url(data):
    data["sources"][0]["url"] = "https://example.org/\x00x"


def _huge_amount(data):
    first_call(data, "funding")["funding"]["terms"] = [{"kind": "lump-sum", "eur": 10**28}]


def _unknown_call_year(data):
    next(calls for calls in data["actions"].values())[0]["call"] = 2031


def _agency_without_country(data):
    data["sources"].append(
        {
            "id": "na-x",
            "url": "https://example.org/na",
            "confidence": "national-agency",
            "publisher": "An agency",
            "title": "A page",
        }
    )


@pytest.mark.parametrize(
    ("change", "message"),
    sweep(
        [
            (_min_above_max, "min_months is larger than max_months"),
            (_duplicate_call, "call is described twice"),
            (_funding_without_amount, "a 'maximum' amount needs eur"),
            (_maximum_with_a_list, "a 'maximum' amount needs eur, not a list in eur"),
            (_nul_in_url, "url"),
            (_huge_amount, "eur"),
            (_unknown_call_year, "there is no 2031 call under 'calls'"),
            (_agency_without_country, "a national agency source needs its country"),
        ],
        quick=2,
    ),
    ids=lambda value: getattr(value, "__name__", "")[1:],
)
def test_facts_that_contradict_themselves_are_refused_with_file_and_line(sample_copy, change, message):
    rewrite_facts(sample_copy, change)
    result = cli("--data", str(sample_copy / "data"), "check")
    assert result.returncode == 1, result.stdout
    assert re.search(r"facts\.yml:\d+: ", result.stderr), result.stderr
    assert message in result.stderr
    assert "fix: " in result.stderr
    assert "Traceback" not in result.stderr
