"""The language-neutral content model, loaded from data/guide.yml and data/languages.yml.

Plain, typed Python: no MkDocs imports. Loading validates each file against its schema and then
checks the references between entries (a family naming an action that is not defined, ...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataError, Problem
from .validation import format_path, line_of, validate
from .yamlio import load_yaml


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    locale: str
    official_guide: bool = True


@dataclass(frozen=True)
class Section:
    id: str
    paragraphs: tuple[str, ...]
    items: tuple[str, ...] = ()
    lists_families: bool = False


@dataclass(frozen=True)
class Action:
    id: str
    code: str | None
    managed_by: tuple[str, ...]
    calls: tuple[int, ...]
    family: str = ""


@dataclass(frozen=True)
class Family:
    id: str
    slug: str
    actions: tuple[str, ...]


@dataclass(frozen=True)
class OrganisationType:
    """A type of organisation as applicants describe themselves, and the applicant ids of the facts it counts as."""

    id: str
    applicants: tuple[str, ...]


@dataclass(frozen=True)
class GlossaryTerm:
    """A term the glossary explains: an action code names its action (``action``); ``name`` is the text key
    of its name where the site already has one; ``abbr`` is the abbreviation pages show for a managing body."""

    id: str
    action: str | None = None
    name: str | None = None
    abbr: str | None = None


@dataclass(frozen=True)
class SourceNote:
    """Where the Dutch seed (the text of ``key``) reads differently from the official guide in another language:
    the Dutch words, and the official wording in ``lang`` with the page that has it. Shown on the about page."""

    id: str
    key: str
    dutch: str
    lang: str
    official: str
    source: str
    line: int | None = None


@dataclass(frozen=True)
class PageSpec:
    id: str
    kind: str
    slug: str


@dataclass
class Guide:
    """Everything that is the same in every language."""

    data_dir: Path
    source_language: str
    languages: tuple[Language, ...]
    official: dict[str, str]
    pages: tuple[PageSpec, ...]
    overview_id: str
    sections: tuple[Section, ...]
    families: tuple[Family, ...]
    managing_bodies: tuple[str, ...]
    actions: dict[str, Action] = field(default_factory=dict)
    glossary: tuple[GlossaryTerm, ...] = ()
    organisation_types: tuple[OrganisationType, ...] = ()
    source_notes: tuple[SourceNote, ...] = ()

    @property
    def language_codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)

    def language(self, code: str) -> Language:
        return next(lang for lang in self.languages if lang.code == code)

    def family_actions(self, family: Family) -> list[Action]:
        return [self.actions[a] for a in family.actions]


def load_guide(data_dir: Path) -> Guide:
    """Load and check the model; raise DataError listing every problem found."""
    languages_file = data_dir / "languages.yml"
    guide_file = data_dir / "guide.yml"
    problems: list[Problem] = []
    lang_data = load_yaml(languages_file)
    problems += validate(lang_data, "languages", languages_file)
    guide_data = load_yaml(guide_file)
    problems += validate(guide_data, "guide", guide_file)
    if problems:
        raise DataError(problems)
    problems += _check_languages(lang_data, languages_file)
    problems += _check_references(guide_data, guide_file)
    if problems:
        raise DataError(problems)
    return _build(data_dir, lang_data, guide_data)


def _check_languages(data: dict, path: Path) -> list[Problem]:
    problems = []
    codes = [entry["code"] for entry in data["languages"]]
    for index, code in enumerate(codes):
        if code in codes[:index]:
            where = ["languages", index, "code"]
            problems.append(_ref_problem(data, path, where, f"language '{code}' is listed twice", "remove one"))
    if data["source"] not in codes:
        problems.append(
            _ref_problem(
                data, path, ["source"], f"source language '{data['source']}' is not in the list", "add it to languages"
            )
        )
    return problems


def _check_references(data: dict, path: Path) -> list[Problem]:
    problems: list[Problem] = []
    action_ids = [a["id"] for a in data["actions"]]
    body_ids = {b["id"] for b in data["managing_bodies"]}
    problems += _duplicates(data, path, "actions", action_ids)
    problems += _duplicates(data, path, "families", [f["id"] for f in data["families"]])
    problems += _duplicates(data, path, "pages", [p["id"] for p in data["pages"]])
    problems += _duplicates(data, path, "managing_bodies", [b["id"] for b in data["managing_bodies"]])
    problems += _duplicates(data, path, "overview.sections", [s["id"] for s in data["overview"]["sections"]])
    slugs = [p["slug"] for p in data["pages"]]
    problems += _duplicates(data, path, "pages", slugs, what="slug")
    owner: dict[str, str] = {}
    for fi, family in enumerate(data["families"]):
        for ai, action in enumerate(family["actions"]):
            where = ["families", fi, "actions", ai]
            if action not in action_ids:
                problems.append(_undefined(data, path, where, "action", action, "actions"))
            elif action in owner:
                problems.append(
                    _ref_problem(data, path, where, f"action '{action}' is already in family '{owner[action]}'", "")
                )
            owner.setdefault(action, family["id"])
    for ai, action in enumerate(data["actions"]):
        if action["id"] not in owner:
            where = ["actions", ai, "id"]
            hint = "add the action to the 'actions' list of one family"
            problems.append(_ref_problem(data, path, where, f"action '{action['id']}' belongs to no family", hint))
        for bi, body in enumerate(action["managed_by"]):
            if body not in body_ids:
                where = ["actions", ai, "managed_by", bi]
                problems.append(_undefined(data, path, where, "managing body", body, "managing_bodies"))
    problems += _duplicates(data, path, "organisation_types", [t["id"] for t in data.get("organisation_types", ())])
    problems += _duplicates(data, path, "glossary", [term["id"] for term in data.get("glossary", ())])
    problems += _duplicates(data, path, "source_notes", [note["id"] for note in data.get("source_notes", ())])
    for ti, term in enumerate(data.get("glossary", ())):
        if "action" in term and term["action"] not in action_ids:
            problems.append(_undefined(data, path, ["glossary", ti, "action"], "action", term["action"], "actions"))
    return problems


def _duplicates(data: dict, path: Path, list_path: str, values: list[str], what: str = "id") -> list[Problem]:
    problems = []
    steps: list[str | int] = list(list_path.split("."))
    for index, value in enumerate(values):
        if value in values[:index]:
            where = [*steps, index, what]
            hint = f"give each entry in '{list_path}' its own {what}"
            problems.append(_ref_problem(data, path, where, f"{what} '{value}' is used twice", hint))
    return problems


def _undefined(data: dict, path: Path, where: list, kind: str, value: str, defined_in: str) -> Problem:
    message = f"{kind} '{value}' is referenced but not defined"
    return _ref_problem(data, path, where, message, f"define it under '{defined_in}' or correct the id")


def _ref_problem(data: dict, path: Path, where: list, message: str, hint: str) -> Problem:
    return Problem(path, message, hint, line=line_of(data, where), key_path=format_path(where))


def _build(data_dir: Path, lang_data: dict, data: dict) -> Guide:
    owner = {a: f["id"] for f in data["families"] for a in f["actions"]}
    actions = {
        a["id"]: Action(
            id=a["id"],
            code=a.get("code"),
            managed_by=tuple(a["managed_by"]),
            calls=tuple(a["calls"]),
            family=owner[a["id"]],
        )
        for a in data["actions"]
    }
    return Guide(
        data_dir=data_dir,
        source_language=lang_data["source"],
        languages=tuple(Language(**entry) for entry in lang_data["languages"]),
        official=dict(data["official"]),
        pages=tuple(PageSpec(**p) for p in data["pages"]),
        overview_id=data["overview"]["id"],
        sections=tuple(
            Section(
                id=s["id"],
                paragraphs=tuple(s["paragraphs"]),
                items=tuple(s.get("items", ())),
                lists_families=s.get("list") == "families",
            )
            for s in data["overview"]["sections"]
        ),
        families=tuple(Family(id=f["id"], slug=f["slug"], actions=tuple(f["actions"])) for f in data["families"]),
        managing_bodies=tuple(b["id"] for b in data["managing_bodies"]),
        actions=actions,
        glossary=tuple(GlossaryTerm(**term) for term in data.get("glossary", ())),
        organisation_types=tuple(
            OrganisationType(t["id"], tuple(t["applicants"])) for t in data.get("organisation_types", ())
        ),
        source_notes=tuple(
            SourceNote(
                n["id"],
                n["key"],
                n["dutch"],
                n["official"]["lang"],
                n["official"]["text"],
                n["official"]["source"],
                line_of(data, ["source_notes", i]),
            )
            for i, n in enumerate(data.get("source_notes", ()))
        ),
    )
