"""Facts about the actions (data/facts.yml), call by call: numbers, dates and ids, each with its source.

An action carries the facts of one or more calls (newest first on the page). Amounts, durations and
partnerships are *terms* stated the way the source states them: a fixed lump sum, one of several lump
sums, a maximum or a range, optionally for one lot, strand or type (``part``). Nothing is derived from
another figure.

Loading validates the file against schemas/facts.schema.json, then checks what a schema cannot: that
every action, source, call and text key it names exists, that dates are real dates, and that figures
agree with each other (a minimum not above its maximum, one entry per call year, amounts where the kind
of amount needs them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from .agencies import Agencies, load_agencies
from .errors import DataError, Problem
from .model import Guide
from .validation import format_path, line_of, validate
from .yamlio import load_yaml

FACT_GROUPS = (
    "fields",
    "applicants",
    "consortium",
    "duration",
    "funding",
    "budget",
    "managed_by",
    "apply",
    "criteria",
    "note",
)
# Groups whose values are figures a reader compares between calls (the "what changed" page).
FIGURE_GROUPS = ("fields", "applicants", "consortium", "duration", "funding", "budget", "criteria")


@dataclass(frozen=True)
class Source:
    id: str
    url: str
    confidence: str
    publisher: str
    title: str
    country: str | None = None
    lang: str = "en"  # the language of the page (its title is shown in that language)


@dataclass(frozen=True)
class Fact:
    """One group of facts (e.g. funding) of one call, with its source."""

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
    expected: bool = False
    round: str | None = None

    @property
    def moment(self) -> datetime | None:
        """The stated closing time, where the source gives one."""
        return datetime.combine(self.day, self.at, ZoneInfo(self.timezone)) if self.at else None

    @property
    def closes(self) -> datetime:
        """When applications close: the stated time, or the end of the day where only a date is known."""
        return self.moment or datetime.combine(self.day + timedelta(days=1), time(0), ZoneInfo(self.timezone))

    @property
    def unconfirmed(self) -> bool:
        return self.expected or self.source.confidence == "third-party"


@dataclass
class CallFacts:
    """What one call says about one action."""

    year: int
    facts: dict[str, Fact] = field(default_factory=dict)
    deadlines: list[Deadline] = field(default_factory=list)

    def __getattr__(self, name: str) -> Fact | None:
        if name in FACT_GROUPS:
            return self.facts.get(name)
        raise AttributeError(name)

    @property
    def sources(self) -> list[Source]:
        """The sources this call's facts cite, in order of first use."""
        seen: dict[str, Source] = {}
        for fact in self.facts.values():
            seen.setdefault(fact.source.id, fact.source)
        for deadline in self.deadlines:
            seen.setdefault(deadline.source.id, deadline.source)
        return list(seen.values())

    @property
    def highest_amount(self) -> int | None:
        """The largest amount any funding term names (for sorting and filtering, never shown as a figure)."""
        if self.funding is None:
            return None
        amounts = []
        for term in self.funding["terms"]:
            value = term.get("eur", term.get("max_eur"))
            amounts += value if isinstance(value, list) else [value]
        return max(a for a in amounts if a) if any(amounts) else None


@dataclass
class ActionFacts:
    """An action's calls, newest first."""

    action: str
    calls: list[CallFacts]
    line: int | None = None  # where the action starts in facts.yml

    @property
    def latest(self) -> CallFacts:
        return self.calls[0]

    @property
    def earlier(self) -> list[CallFacts]:
        return self.calls[1:]

    @property
    def previous(self) -> CallFacts | None:
        return self.calls[1] if len(self.calls) > 1 else None

    @property
    def deadlines(self) -> list[Deadline]:
        """Every deadline of every call, in time order."""
        return sorted((d for call in self.calls for d in call.deadlines), key=lambda d: d.closes)

    @property
    def sources(self) -> list[Source]:
        seen: dict[str, Source] = {}
        for call in self.calls:
            for source in call.sources:
                seen.setdefault(source.id, source)
        return list(seen.values())


@dataclass(frozen=True)
class Call:
    year: int
    reference: str
    source: Source
    published: date | None = None
    budget_eur: int | None = None


@dataclass
class Facts:
    guide_year: int
    sources: dict[str, Source]
    calls: dict[int, Call]
    actions: dict[str, ActionFacts]
    agencies: Agencies | None = None  # where to apply: data/national-agencies.yml, see agencies.py

    @property
    def latest_call(self) -> int:
        return max(self.calls)

    def vocabulary(self, group: str) -> list[str]:
        """Ids used in a list-valued group ('fields', 'applicants') or criteria, in first-use order."""
        seen: dict[str, None] = {}
        for sheet in self.actions.values():
            for call in sheet.calls:
                fact = call.facts.get(group)
                if fact is None:
                    continue
                values = fact.get("points", {}) if group == "criteria" else fact.get("value", [])
                seen.update(dict.fromkeys(values))
        return list(seen)

    def parts(self) -> list[str]:
        """Ids of the lots, strands, types and rounds that terms and deadlines name."""
        seen: dict[str, None] = {}
        for sheet in self.actions.values():
            for call in sheet.calls:
                for group in ("consortium", "duration", "funding"):
                    fact = call.facts.get(group)
                    for term in fact["terms"] if fact else []:
                        if "part" in term:
                            seen[term["part"]] = None
                seen.update(dict.fromkeys(d.round for d in call.deadlines if d.round))
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
    facts = _build(data)
    facts.agencies = load_agencies(guide.data_dir, facts.vocabulary("fields"))
    return facts


def _check(guide: Guide, data: dict, path: Path) -> list[Problem]:
    problems: list[Problem] = []
    source_ids = [s["id"] for s in data["sources"]]
    call_years = [c["year"] for c in data["calls"]]

    def report(where: list, message: str, hint: str) -> None:
        problems.append(Problem(path, message, hint, line=line_of(data, where), key_path=format_path(where)))

    def known_source(where: list, value) -> None:
        if value not in source_ids:
            report(where, f"source '{value}' is not defined", "add it under 'sources', or correct the id")

    for index, source in enumerate(data["sources"]):
        if source["id"] in source_ids[:index]:
            report(["sources", index, "id"], f"source '{source['id']}' is defined twice", "give each source its own id")
        if source["confidence"] == "national-agency" and "country" not in source:
            report(["sources", index], "a national agency source needs its country", "add 'country: XX' (ISO code)")
    if "source" in data["programme_guide"]:
        known_source(["programme_guide", "source"], data["programme_guide"]["source"])
    for index, call in enumerate(data["calls"]):
        if call["year"] in call_years[:index]:
            report(["calls", index, "year"], f"the {call['year']} call is listed twice", "keep one entry per year")
        known_source(["calls", index, "source"], call["source"])
        problems += _check_date(data, path, ["calls", index, "published"], call.get("published"))
    for action, calls in data["actions"].items():
        if action not in guide.actions:
            report(["actions", action], f"action '{action}' is not defined in guide.yml", "correct the id")
        years = [c["call"] for c in calls]
        for index, call in enumerate(calls):
            where = ["actions", action, index]
            if call["call"] in years[:index]:
                report([*where, "call"], f"the {call['call']} call is described twice", "merge the two entries")
            if call["call"] not in call_years:
                report(
                    [*where, "call"], f"there is no {call['call']} call under 'calls'", "add the call, or fix the year"
                )
            _check_call(call, where, known_source, report)
            for i, deadline in enumerate(call["deadlines"]):
                problems += _check_date(data, path, [*where, "deadlines", i, "date"], deadline["date"])
    return problems


def _check_call(call: dict, where: list, known_source, report) -> None:
    """Cross-field rules of one call's facts."""
    for group, fact in call.items():
        if isinstance(fact, dict) and "source" in fact:
            known_source([*where, group, "source"], fact["source"])
    for i, deadline in enumerate(call["deadlines"]):
        known_source([*where, "deadlines", i, "source"], deadline["source"])
    for group, low, high in (
        ("consortium", "min_organisations", "max_organisations"),
        ("consortium", "min_countries", "max_countries"),
        ("duration", "min_months", "max_months"),
        ("funding", "min_eur", "max_eur"),
    ):
        for i, term in enumerate(call.get(group, {}).get("terms", [])):
            if low in term and high in term and term[low] > term[high]:
                report([*where, group, "terms", i], f"{low} is larger than {high}", "swap the two values")
    for i, term in enumerate(call.get("funding", {}).get("terms", [])):
        needs = {"lump-sum": ("eur",), "maximum": ("eur",), "range": ("min_eur", "max_eur")}[term["kind"]]
        missing = [key for key in needs if key not in term]
        extra = [key for key in ("eur", "min_eur", "max_eur") if key in term and key not in needs]
        if term["kind"] == "maximum" and isinstance(term.get("eur"), list):
            extra.append("a list in eur")
        if missing or extra:
            wanted = " and ".join(needs)
            report(
                [*where, "funding", "terms", i],
                f"a '{term['kind']}' amount needs {wanted}" + (f", not {', '.join(extra)}" if extra else ""),
                f"write {wanted} as the source states it",
            )


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
    sources = {
        s["id"]: Source(
            s["id"], s["url"], s["confidence"], s["publisher"], s["title"], s.get("country"), s.get("lang", "en")
        )
        for s in data["sources"]
    }
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
    actions = {
        action: ActionFacts(
            action,
            sorted((_call(c, sources) for c in entries), key=lambda c: -c.year),
            line_of(data, ["actions", action]),
        )
        for action, entries in data["actions"].items()
    }
    return Facts(data["programme_guide"]["year"], sources, calls, actions)


def _call(entry: dict, sources: dict[str, Source]) -> CallFacts:
    year = entry["call"]
    facts = {
        group: Fact({k: v for k, v in entry[group].items() if k != "source"}, sources[entry[group]["source"]], year)
        for group in FACT_GROUPS
        if group in entry
    }
    deadlines = [
        Deadline(
            date.fromisoformat(d["date"]),
            time.fromisoformat(d["time"]) if "time" in d else None,
            d.get("timezone", "Europe/Brussels"),
            sources[d["source"]],
            year,
            d.get("expected", False),
            d.get("round"),
        )
        for d in entry["deadlines"]
    ]
    return CallFacts(year, facts, sorted(deadlines, key=lambda d: d.closes))


def required_keys(facts: Facts) -> list[str]:
    """Texts the facts need in the source locale: names of fields, applicants, criteria, parts, and notes."""
    keys = [f"field.{f}.name" for f in facts.vocabulary("fields")]
    keys += [f"applicant.{a}.name" for a in facts.vocabulary("applicants")]
    keys += [f"criterion.{c}.name" for c in facts.vocabulary("criteria")]
    keys += [f"part.{p}.name" for p in facts.parts()]
    keys += [f"region.{r}.name" for r in (facts.agencies.regions() if facts.agencies else [])]
    for sheet in facts.actions.values():
        for call in sheet.calls:
            if call.note is not None:
                keys.append(call.note["key"])
            if call.managed_by.get("note"):
                keys.append(call.managed_by["note"])
    return list(dict.fromkeys(keys))
