"""Facts about the actions (data/facts.yml): numbers, dates and ids, each with its source and call year.

Loading validates the file against schemas/facts.schema.json, then checks that every action, source,
field, applicant type and criterion it names is defined, and that dates are real dates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from .errors import DataError, Problem
from .model import Guide
from .validation import format_path, line_of, validate
from .yamlio import load_yaml

CONFIDENCES = ("official", "national-agency", "third-party")
FACT_GROUPS = ("fields", "applicants", "consortium", "duration", "funding", "budget", "managed_by", "criteria", "note")


@dataclass(frozen=True)
class Source:
    id: str
    url: str | None
    confidence: str


@dataclass(frozen=True)
class Fact:
    """One group of facts (e.g. funding) with the values, the source and the call year."""

    values: dict
    source: Source
    year: int

    def __getitem__(self, key: str):
        return self.values[key]

    def get(self, key: str, default=None):
        return self.values.get(key, default)


@dataclass(frozen=True)
class Deadline:
    day: date
    at: time | None
    timezone: str
    source: Source
    year: int

    @property
    def moment(self) -> datetime | None:
        return datetime.combine(self.day, self.at, ZoneInfo(self.timezone)) if self.at else None


@dataclass(frozen=True)
class Call:
    year: int
    reference: str
    source: Source
    published: date | None = None
    budget_eur: int | None = None


@dataclass
class ActionFacts:
    action: str
    year: int
    facts: dict[str, Fact] = field(default_factory=dict)
    deadlines: list[Deadline] = field(default_factory=list)

    def __getattr__(self, name: str) -> Fact | None:
        if name in FACT_GROUPS:
            return self.facts.get(name)
        raise AttributeError(name)

    @property
    def min_organisations(self) -> int | None:
        """The smallest partnership that qualifies: the stated minimum, or one organisation per required country."""
        if self.consortium is None:
            return None
        return max(self.consortium.get("organisations", 0), self.consortium.get("countries", 0)) or None

    @property
    def max_grant(self) -> int | None:
        """The highest grant one project can get, where the facts say."""
        if self.funding is None:
            return None
        return self.funding.get("max_grant") or max(self.funding.get("lump_sums", [0])) or None

    @property
    def sources(self) -> list[Source]:
        """The sources this sheet cites, in order of first use."""
        seen: dict[str, Source] = {}
        for fact in self.facts.values():
            seen.setdefault(fact.source.id, fact.source)
        for deadline in self.deadlines:
            seen.setdefault(deadline.source.id, deadline.source)
        return list(seen.values())


@dataclass
class Facts:
    sources: dict[str, Source]
    calls: dict[int, Call]
    actions: dict[str, ActionFacts]

    @property
    def latest_call(self) -> int:
        return max(self.calls)

    def vocabulary(self, group: str) -> list[str]:
        """Ids used in a list-valued group ('fields', 'applicants') or criteria, in first-use order."""
        seen: dict[str, None] = {}
        for sheet in self.actions.values():
            fact = sheet.facts.get(group)
            if fact is None:
                continue
            values = fact.get("points", {}) if group == "criteria" else fact.get("value", [])
            seen.update(dict.fromkeys(values))
        return list(seen)


def load_facts(guide: Guide) -> Facts:
    path = guide.data_dir / "facts.yml"
    data = load_yaml(path)
    problems = validate(data, "facts", path)
    if problems:
        raise DataError(problems)
    problems = _check(guide, data, path)
    if problems:
        raise DataError(problems)
    return _build(data)


def _check(guide: Guide, data: dict, path: Path) -> list[Problem]:
    problems = []
    source_ids = [s["id"] for s in data["sources"]]

    def report(where: list, message: str, hint: str) -> None:
        problems.append(Problem(path, message, hint, line=line_of(data, where), key_path=format_path(where)))

    for index, source in enumerate(data["sources"]):
        if source["id"] in source_ids[:index]:
            report(["sources", index, "id"], f"source '{source['id']}' is defined twice", "give each source its own id")
        if source["confidence"] != "third-party" and "url" not in source:
            report(["sources", index], "official and national-agency sources need a url", "add 'url: https://...'")
    for index, call in enumerate(data["calls"]):
        if call["source"] not in source_ids:
            report(["calls", index, "source"], f"source '{call['source']}' is not defined", "add it under 'sources'")
        problems += _check_date(data, path, ["calls", index, "published"], call.get("published"))
    for action, sheet in data["actions"].items():
        if action not in guide.actions:
            report(["actions", action], f"action '{action}' is not defined in guide.yml", "correct the id")
        for group, fact in sheet.items():
            if isinstance(fact, dict) and fact.get("source") not in source_ids:
                where = ["actions", action, group, "source"]
                report(where, f"source '{fact.get('source')}' is not defined", "add it under 'sources'")
        for index, deadline in enumerate(sheet["deadlines"]):
            where = ["actions", action, "deadlines", index]
            if deadline["source"] not in source_ids:
                report([*where, "source"], f"source '{deadline['source']}' is not defined", "add it under 'sources'")
            problems += _check_date(data, path, [*where, "date"], deadline["date"])
        duration = sheet.get("duration")
        if duration and duration.get("min_months", 0) > duration["max_months"]:
            report(["actions", action, "duration"], "min_months is larger than max_months", "swap the two values")
    return problems


def _check_date(data: dict, path: Path, where: list, value: str | None) -> list[Problem]:
    if value is None:
        return []
    try:
        date.fromisoformat(value)
    except ValueError:
        hint = "write a real date as YYYY-MM-DD"
        return [Problem(path, f"'{value}' is not a date", hint, line=line_of(data, where), key_path=format_path(where))]
    return []


def _build(data: dict) -> Facts:
    sources = {s["id"]: Source(s["id"], s.get("url"), s["confidence"]) for s in data["sources"]}
    calls = {
        c["year"]: Call(
            c["year"],
            c["reference"],
            sources[c["source"]],
            date.fromisoformat(c["published"]) if "published" in c else None,
            c.get("budget_eur"),
        )
        for c in data["calls"]
    }
    actions = {}
    for action, sheet in data["actions"].items():
        facts = {
            group: Fact(
                {k: v for k, v in sheet[group].items() if k not in ("source", "year")},
                sources[sheet[group]["source"]],
                sheet[group]["year"],
            )
            for group in FACT_GROUPS
            if group in sheet
        }
        deadlines = [
            Deadline(
                date.fromisoformat(d["date"]),
                time.fromisoformat(d["time"]) if "time" in d else None,
                d.get("timezone", "Europe/Brussels"),
                sources[d["source"]],
                d["year"],
            )
            for d in sheet["deadlines"]
        ]
        actions[action] = ActionFacts(action, sheet["year"], facts, deadlines)
    return Facts(sources, calls, actions)


def required_keys(facts: Facts) -> list[str]:
    """Texts the facts need in the source locale: names of fields, applicants, criteria, and notes."""
    keys = [f"field.{f}.name" for f in facts.vocabulary("fields")]
    keys += [f"applicant.{a}.name" for a in facts.vocabulary("applicants")]
    keys += [f"criterion.{c}.name" for c in facts.vocabulary("criteria")]
    keys += [sheet.note["key"] for sheet in facts.actions.values() if sheet.note is not None]
    keys += [sheet.managed_by["note"] for sheet in facts.actions.values() if sheet.managed_by.get("note")]
    return keys
