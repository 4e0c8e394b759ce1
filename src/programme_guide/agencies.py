"""Where to apply: the Erasmus+ National Agencies of the programme countries and the page where EACEA
publishes its calls (data/national-agencies.yml).

Loading validates the file against schemas/national-agencies.schema.json, then checks what a schema cannot:
that each country is an ISO 3166 code Babel knows and is listed once, each agency id is used once, each field
is one the facts use, an agency has a website exactly when it is confirmed, and each source is a web address.
A fact sheet gets the agencies of the action's fields through :meth:`Agencies.page_data`, its texts already
in the page's language (country names from Babel, field names from the locale file).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from markupsafe import Markup

from .errors import DataError, Problem
from .formatting import Formatter
from .validation import format_path, line_of, validate
from .yamlio import load_yaml

FILE_NAME = "national-agencies.yml"


@dataclass(frozen=True)
class Agency:
    id: str
    name: str
    lang: str
    fields: tuple[str, ...]
    source: str
    url: str | None = None
    region: str | None = None

    @property
    def confirmed(self) -> bool:
        """Whether a source confirmed the agency's website (only then does the page link it)."""
        return self.url is not None


@dataclass(frozen=True)
class Agencies:
    list_url: str  # the European Commission's list of National Agencies: the official source
    list_publisher: str
    list_title: str
    eacea_calls: str  # the Funding & Tenders portal's Erasmus+ calls
    countries: dict[str, tuple[Agency, ...]]

    def regions(self) -> list[str]:
        return list(dict.fromkeys(a.region for agencies in self.countries.values() for a in agencies if a.region))

    def page_data(self, fields: Iterable[str], fmt: Formatter, text: Callable[[str], object]) -> dict:
        """The countries and, per country, its agencies for any of ``fields``, worded for one page.

        ``text`` gives a text of the page's language by key (anything whose ``str()`` is the text). An agency's
        fields are those of ``fields`` it manages, in the order of ``fields``; a country without such an agency
        has an empty list."""
        wanted = list(fields)
        countries = []
        for code, agencies in self.countries.items():
            items = []
            for agency in agencies:
                covered = [f for f in wanted if f in agency.fields]
                if not covered:
                    continue
                item = {
                    "name": agency.name,
                    "lang": agency.lang,
                    "url": agency.url,
                    "fields": fmt.list(str(text(f"field.{f}.name")) for f in covered),
                }
                if agency.region:
                    item["region"] = str(text(f"region.{agency.region}.name"))
                items.append(item)
            countries.append({"code": code, "name": fmt.country(code), "agencies": items})
        return {"countries": countries}

    def page_json(self, fields: Iterable[str], fmt: Formatter, text: Callable[[str], object], **extra) -> Markup:
        """:meth:`page_data` and ``extra`` as JSON for a ``<script type="application/json">`` element: compact,
        characters kept as they are (not \\u escapes, which would triple a Greek page's share), and every
        character that could end the element or start markup escaped."""
        data = {**self.page_data(fields, fmt, text), **extra}
        dumped = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        for char, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("'", "\\u0027")):
            dumped = dumped.replace(char, escape)
        return Markup(dumped)  # noqa: S704 - JSON with every markup character escaped


def load_agencies(data_dir: Path, field_ids: Iterable[str]) -> Agencies | None:
    """The agencies of ``data_dir``, or None where the data has no such file; ``field_ids`` are the fields the
    facts use. Raises DataError listing every problem found."""
    path = data_dir / FILE_NAME
    if not path.exists():
        return None
    data = load_yaml(path)
    problems = validate(data, "national-agencies", path)
    if problems:
        raise DataError(problems)
    problems = _check(data, path, set(field_ids))
    if problems:
        raise DataError(problems)
    return _build(data)


def _check(data: dict, path: Path, field_ids: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    territories = Locale.parse("en").territories

    def report(where: list, message: str, hint: str) -> None:
        problems.append(Problem(path, message, hint, line=line_of(data, where), key_path=format_path(where)))

    def web_page(where: list, value: str) -> None:
        if not value.startswith(("https://", "http://")) or any(c.isspace() or c in "<>\"'" for c in value):
            report(where, f"'{value}' is not a web address", "write the full address of the page, with https://")

    web_page(["eacea", "calls", "source"], data["eacea"]["calls"]["source"])
    seen_countries: list[str] = []
    seen_ids: list[str] = []
    for ci, entry in enumerate(data["countries"]):
        code = entry["country"]
        if not (len(code) == 2 and code.isupper() and code in territories):
            report(["countries", ci, "country"], f"'{code}' is not a country code", "use an ISO 3166 code, e.g. BE")
        elif code in seen_countries:
            report(["countries", ci, "country"], f"country {code} is listed twice", "merge its agencies into one entry")
        seen_countries.append(code)
        for ai, agency in enumerate(entry["agencies"]):
            where = ["countries", ci, "agencies", ai]
            if agency["id"] in seen_ids:
                report([*where, "id"], f"agency '{agency['id']}' is defined twice", "give each agency its own id")
            seen_ids.append(agency["id"])
            for fi, field in enumerate(agency["fields"]):
                if field not in field_ids:
                    hint = f"use a field of facts.yml: {', '.join(sorted(field_ids))}"
                    report([*where, "fields", fi], f"field '{field}' is not used in facts.yml", hint)
            confirmed = agency.get("confirmed", True)
            if confirmed and "url" not in agency:
                hint = "add the 'url' a source confirms, or write 'confirmed: false'"
                report(where, "an agency without a website must say it is not confirmed", hint)
            if not confirmed and "url" in agency:
                hint = "remove 'confirmed: false' if a source confirms the address, else remove the 'url'"
                report([*where, "url"], "an unconfirmed agency cannot have a website", hint)
            web_page([*where, "source"], agency["source"])
    return problems


def _build(data: dict) -> Agencies:
    countries = {
        entry["country"]: tuple(
            Agency(
                id=a["id"],
                name=a["name"],
                lang=a["lang"],
                fields=tuple(a["fields"]),
                source=a["source"],
                url=a.get("url"),
                region=a.get("region"),
            )
            for a in entry["agencies"]
        )
        for entry in data["countries"]
    }
    source = data["source"]
    return Agencies(source["url"], source["publisher"], source["title"], data["eacea"]["calls"]["url"], countries)
