"""The termbase: the official terms of the Programme Guide in every language, and the check that uses them.

``data/termbase.yml`` lists the concepts the guide fixes a name for (actions, their families, the managing
bodies, key concepts such as the lump sum) under language-neutral ids, and per language the official term
with the page that uses it. A term that could not be confirmed on an official page is recorded with
``confirmed: false`` and never presented as official.

The check follows the Dutch source: when the Dutch text of a key contains the Dutch term of a concept, the
current translation of that key must contain that language's term. A term matches in any letter case and
in any of its ``forms``, where ``*`` stands for any letters within a word (``Kooperationspartnerschaft*``
accepts singular and plural). A missing confirmed term is an error; a missing unconfirmed one a warning.

The termbase is exported as TBX with translate-toolkit, so CAT tools show the official terms.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from .errors import DataError, Problem
from .locales import Catalog, fingerprint
from .model import Guide
from .validation import format_path, line_of, validate
from .yamlio import load_yaml

if TYPE_CHECKING:
    from translate.storage import tbx

TERMBASE = "termbase.yml"
_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "\u00a0": " ", "\u202f": " "})


def normalise(text: str) -> str:
    """Text as terms are matched: NFC, one kind of apostrophe and space (letter case is ignored by the match)."""
    return unicodedata.normalize("NFC", text).translate(_QUOTES)


def form_pattern(form: str) -> re.Pattern[str]:
    """The regular expression of one accepted form: words in order, '*' for any letters within a word."""
    words = normalise(form).split()
    parts = [r"\w*".join(re.escape(piece) for piece in word.split("*")) for word in words]
    end = "" if form.rstrip().endswith("*") else r"(?!\w)"
    return re.compile(r"(?<!\w)" + r"\s+".join(parts) + end, re.IGNORECASE)


@dataclass(frozen=True)
class Term:
    concept: str
    lang: str
    term: str
    forms: tuple[str, ...]
    source: str | None
    confirmed: bool
    note: str
    line: int | None

    @cached_property
    def patterns(self) -> tuple[re.Pattern[str], ...]:
        return tuple(form_pattern(form) for form in (self.term, *self.forms))

    def find(self, text: str) -> str | None:
        """The part of ``text`` that is this term (in one of its forms), or None."""
        text = normalise(text)
        for pattern in self.patterns:
            match = pattern.search(text)
            if match:
                return match.group(0)
        return None


@dataclass(frozen=True)
class Termbase:
    path: Path
    definitions: dict[str, str]  # concept id -> English definition, in file order
    terms: dict[str, dict[str, Term]]  # language -> concept id -> term

    def term(self, lang: str, concept: str) -> Term | None:
        return self.terms.get(lang, {}).get(concept)


def load_termbase(guide: Guide) -> Termbase | None:
    """Load and check data/termbase.yml (None when the data folder has none); raise DataError naming every
    problem with its line."""
    path = guide.data_dir / TERMBASE
    if not path.exists():
        return None
    data = load_yaml(path)
    problems = validate(data, "termbase", path)
    if problems:
        raise DataError(problems)
    problems += _check_references(data, path, guide)
    terms: dict[str, dict[str, Term]] = {}
    for lang, entries in data["terms"].items():
        for concept, entry in entries.items():
            line = line_of(data, ["terms", lang, concept])
            term = Term(
                concept,
                lang,
                entry["term"],
                tuple(entry.get("forms", ())),
                entry.get("source"),
                entry["confirmed"],
                entry.get("note", ""),
                line,
            )
            problems += _form_problems(data, path, term)
            terms.setdefault(lang, {})[concept] = term
    if problems:
        raise DataError(problems)
    definitions = {concept: value["definition"] for concept, value in data["concepts"].items()}
    return Termbase(path, definitions, terms)


def _check_references(data: dict, path: Path, guide: Guide) -> list[Problem]:
    problems = []
    source = guide.source_language
    for lang, entries in data["terms"].items():
        if lang not in guide.language_codes:
            hint = f"use one of: {', '.join(guide.language_codes)}"
            problems.append(_problem(data, path, ["terms", lang], f"language '{lang}' is not configured", hint))
        for concept in entries:
            if concept not in data["concepts"]:
                hint = "define it under 'concepts' with its English definition, or correct the id"
                where = ["terms", lang, concept]
                problems.append(_problem(data, path, where, f"concept '{concept}' is not defined", hint))
    for concept in data["concepts"]:
        if concept not in data["terms"].get(source, {}):
            hint = f"add its Dutch term under 'terms.{source}': the check finds the concept in the Dutch texts by it"
            problems.append(_problem(data, path, ["concepts", concept], f"concept '{concept}' has no Dutch term", hint))
    return problems


def _form_problems(data: dict, path: Path, term: Term) -> list[Problem]:
    problems = []
    for index, form in enumerate(term.forms):
        if not normalise(form).replace("*", "").strip():
            where = ["terms", term.lang, term.concept, "forms", index]
            hint = "write the words of the form; '*' only stands for letters within a word"
            problems.append(_problem(data, path, where, f"the form '{form}' matches any text", hint))
    return problems


def _problem(data: dict, path: Path, where: list, message: str, hint: str) -> Problem:
    return Problem(path, message, hint, line=line_of(data, where), key_path=format_path(where))


# The check: every current translation of a Dutch text that uses an official term uses that language's term


@dataclass(frozen=True)
class Findings:
    errors: list[Problem]
    warnings: list[Problem]


def required_terms(catalog: Catalog, termbase: Termbase) -> dict[str, list[tuple[str, str]]]:
    """Per key of the Dutch source, the concepts its text names, each with the Dutch words that name it."""
    source = catalog.guide.source_language
    required: dict[str, list[tuple[str, str]]] = {}
    for key, entry in catalog.source.entries.items():
        for concept, term in termbase.terms.get(source, {}).items():
            found = term.find(entry.text)
            if found:
                required.setdefault(key, []).append((concept, found))
    return required


def check_terms(catalog: Catalog, termbase: Termbase) -> Findings:
    """Translations that lack the official term their Dutch text uses: errors for confirmed terms,
    warnings for unconfirmed ones. Outdated and missing entries are skipped (status reports them)."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    required = required_terms(catalog, termbase)
    source = catalog.source
    for lang, locale in catalog.locales.items():
        if lang == catalog.guide.source_language:
            continue
        name = catalog.guide.language(lang).name
        for key, entry in locale.entries.items():
            if key not in required or entry.source != fingerprint(source.entries[key].text):
                continue
            for concept, dutch in required[key]:
                term = termbase.term(lang, concept)
                if term is None or term.find(entry.text):
                    continue
                problem = _missing(locale.path, entry.line, key, term, dutch, name, termbase.path.name)
                (errors if term.confirmed else warnings).append(problem)
    return Findings(errors, warnings)


def _missing(path: Path, line: int | None, key: str, term: Term, dutch: str, name: str, termbase: str) -> Problem:
    forms = ", ".join(f'"{form}"' for form in term.forms)
    accepted = f" (or one of its forms: {forms})" if forms else ""
    where = f"terms.{term.lang}.{term.concept}"
    if term.confirmed:
        message = f'the official term for {term.concept} is missing: expected "{term.term}"{accepted}'
        hint = (
            f'the Dutch text has "{dutch}"; the official {name} ({term.lang}) term is "{term.term}", as on '
            f"{term.source}. Write it, or, if the sentence needs another inflection, add that form to "
            f"{where}.forms in data/{termbase}"
        )
    else:
        message = f'the term for {term.concept} is missing: "{term.term}"{accepted}, not yet confirmed as official'
        hint = (
            f'the Dutch text has "{dutch}"; confirm the official {name} ({term.lang}) term on an official page and '
            f"record it with its source under {where} in data/{termbase}, then use it here"
        )
    return Problem(path, message, hint, line=line, key_path=f"strings.{key}")


# Source notes: where the Dutch seed reads differently from the official guide in another language


def source_note_problems(catalog: Catalog) -> list[Problem]:
    """Each source note names a Dutch text that exists and still contains the words the note is about."""
    problems = []
    source = catalog.source
    guide_file = catalog.guide.data_dir / "guide.yml"
    for note in catalog.guide.source_notes:
        entry = source.entries.get(note.key)
        where = f"source_notes.{note.id}"
        if entry is None:
            hint = "name the key of the Dutch text the note is about"
            problems.append(Problem(guide_file, f"key '{note.key}' is not in the Dutch source", hint, note.line, where))
        elif normalise(note.dutch).casefold() not in normalise(entry.text).casefold():
            hint = f"the Dutch text of '{note.key}' changed: update the note or remove it"
            problems.append(Problem(guide_file, f'"{note.dutch}" is not in the Dutch text', hint, note.line, where))
    return problems


# TBX export


def export_tbx(termbase: Termbase, languages: list[str], source_language: str) -> bytes:
    """A TBX file with every concept, its definition and its term in each of ``languages`` (source first)."""
    from translate.storage import tbx  # only here: `check` and the build start faster without it

    codes = list(dict.fromkeys([source_language, *languages]))
    store = tbx.tbxfile(sourcelanguage=source_language)
    for concept, definition in termbase.definitions.items():
        unit = store.addsourceunit("")
        unit.setid(concept)
        unit.set_common_note(definition, source=True)
        for lang in codes:
            term = termbase.term(lang, concept)
            if term is None:
                continue
            if lang == source_language:
                unit.set_source_terms([term.term], lang)
                language = unit.source_dom
            else:
                unit.set_target_terms([term.term], lang)
                language = unit.get_target_dom(lang)
            _describe(unit, language, term)
    return bytes(store)


def _describe(unit: tbx.tbxunit, language, term: Term) -> None:
    """Status, source and note of a term, inside its tig (TBX-Basic)."""
    tig = language.find(unit.namespaced("tig"))
    status = "preferredTerm-admn-sts" if term.confirmed else "admittedTerm-admn-sts"
    etree.SubElement(tig, unit.namespaced("termNote"), type="administrativeStatus").text = status
    if term.source:
        etree.SubElement(
            tig, unit.namespaced("xref"), type="externalCrossReference", target=term.source
        ).text = term.source
    if not term.confirmed:
        etree.SubElement(tig, unit.namespaced("note")).text = "Not confirmed against an official source."
    if term.note:
        etree.SubElement(tig, unit.namespaced("note")).text = term.note
