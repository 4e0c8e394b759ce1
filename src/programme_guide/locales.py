"""Locale files: every visible text by stable key, one file per language.

The source language (Dutch) file maps keys to plain texts. A translation maps each key to its
``text``, the ``source`` fingerprint of the Dutch text it was translated from, and optionally a
``review`` state (the file-level ``review`` is the default). From these, :class:`Catalog` answers
"what does key K say in language L, and how trustworthy is it": source, reviewed, draft, outdated
(the Dutch text changed since) or missing (Dutch is shown instead).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from . import plurals
from .errors import DataError, Problem
from .model import Guide

if TYPE_CHECKING:
    from .facts import Facts
from .validation import validate
from .yamlio import LineDict, load_yaml

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!][^>]*>|\]\(|&[A-Za-z#][A-Za-z0-9]*;|\{\{|\{%")
STATES = ("source", "reviewed", "draft", "outdated", "missing")


def fingerprint(text: str | Mapping[str, str]) -> str:
    """A short, stable fingerprint of a source text (NFC-normalised SHA-256, 12 hex digits); of plural forms
    (category: text), the fingerprint of all of them (see :func:`plurals.serialise`)."""
    if isinstance(text, Mapping):
        text = plurals.serialise(text)
    return _fingerprint(text)


@lru_cache(maxsize=16384)  # every page asks for the fingerprint of each Dutch text it shows in translation
def _fingerprint(text: str) -> str:
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Entry:
    key: str
    text: str
    source: str | None
    review: str
    line: int | None
    note: str = ""
    # A text that depends on a number: its form per plural category (then ``text`` is plurals.serialise(forms),
    # what the fingerprint is taken of), and the line of each form in the file.
    forms: dict[str, str] | None = field(default=None, hash=False)
    form_lines: dict[str, int] | None = field(default=None, hash=False, compare=False)


@dataclass
class Locale:
    code: str
    path: Path
    review: str
    entries: dict[str, Entry] = field(default_factory=dict)


@dataclass(frozen=True)
class Text:
    """A resolved text: what to show, in which language, and how far it can be trusted."""

    value: str
    lang: str
    state: str

    def __str__(self) -> str:
        return self.value

    @property
    def is_fallback(self) -> bool:
        return self.state == "missing"


@dataclass(frozen=True)
class Forms:
    """The plural forms of a text by category, in which language, and how far they can be trusted."""

    forms: dict[str, str]
    lang: str
    state: str


@dataclass(frozen=True)
class Counts:
    total: int
    translated: int
    reviewed: int
    draft: int
    outdated: int
    missing: int

    @property
    def coverage(self) -> float:
        """Share of texts with a current translation (outdated ones do not count)."""
        return 100.0 * (self.translated - self.outdated) / self.total if self.total else 100.0


@dataclass
class Catalog:
    guide: Guide
    locales: dict[str, Locale]
    facts: Facts | None = None

    @property
    def source(self) -> Locale:
        return self.locales[self.guide.source_language]

    def text(self, lang: str, key: str, **values: str) -> Text:
        source = self.source.entries.get(key)
        if source is None:
            hint = "add the key with its Dutch text to the source locale file (or restore it from version control)"
            raise DataError([Problem(self.source.path, f"key '{key}' is used by the site but not defined", hint)])
        entry = self.locales[lang].entries.get(key) if lang in self.locales else None
        if lang == self.guide.source_language:
            text = Text(source.text, lang, "source")
        elif entry is None:
            text = Text(source.text, self.guide.source_language, "missing")
        elif entry.source != fingerprint(source.text):
            text = Text(entry.text, lang, "outdated")
        else:
            text = Text(entry.text, lang, entry.review)
        if values:
            text = Text(_fill(text.value, values), text.lang, text.state)
        return text

    def plural(self, lang: str, key: str, number: float, **values: str) -> Text:
        """The form of a plural text for ``number``, picked by the plural rules of the language it is shown in
        (Dutch ones for a Dutch fallback), with its placeholders filled (``count`` among them)."""
        forms = self.forms(lang, key)
        form = plurals.pick(forms.forms, self.guide.language(forms.lang).locale, number)
        return Text(_fill(form, values), forms.lang, forms.state)

    def forms(self, lang: str, key: str) -> Forms:
        """All forms of a plural text, in the language they are shown in (for scripts that pick one)."""
        text = self.text(lang, key)
        locale = self.source if text.lang == self.guide.source_language else self.locales[text.lang]
        forms = locale.entries[key].forms
        if forms is None:
            hint = "write its Dutch text as plural forms ('one:' and 'other:' below the key, see README)"
            raise DataError([Problem(self.source.path, f"key '{key}' is used with a number but is one text", hint)])
        return Forms(dict(forms), text.lang, text.state)

    def counts(self, lang: str) -> Counts:
        states = [self.text(lang, key).state for key in self.source.entries]
        if lang == self.guide.source_language:
            n = len(states)
            return Counts(n, n, n, 0, 0, 0)
        tally = {state: states.count(state) for state in STATES}
        return Counts(
            total=len(states),
            translated=len(states) - tally["missing"],
            reviewed=tally["reviewed"],
            draft=tally["draft"],
            outdated=tally["outdated"],
            missing=tally["missing"],
        )


def _fill(template: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: values.get(m.group(0)[1:-1], m.group(0)), template)


def locale_path(data_dir: Path, code: str) -> Path:
    return data_dir / "locales" / f"{code}.yml"


def load_catalog(guide: Guide, languages: list[str] | None = None, allow_missing: bool = False) -> Catalog:
    """Load the source locale and the translations; raise DataError listing every problem.

    With ``allow_missing``, a configured language without a file counts as wholly untranslated
    (used by the exchange commands, which create the file).
    """
    problems: list[Problem] = []
    codes = list(guide.language_codes if languages is None else dict.fromkeys([guide.source_language, *languages]))
    problems += _unconfigured_files(guide)
    locales: dict[str, Locale] = {}
    for code in codes:
        if code not in guide.language_codes:
            hint = f"use one of: {', '.join(guide.language_codes)}, or add the language to data/languages.yml"
            problems.append(Problem(guide.data_dir / "languages.yml", f"language '{code}' is not configured", hint))
            continue
        path = locale_path(guide.data_dir, code)
        if allow_missing and code != guide.source_language and not path.exists():
            locales[code] = Locale(code, path, "draft")
            continue
        try:
            locales[code] = _load_locale(guide, code)
        except DataError as exc:
            problems += exc.problems
    if guide.source_language in locales:
        problems += _check_required_keys(guide, locales[guide.source_language])
        for code, locale in locales.items():
            if code != guide.source_language:
                problems += _check_translation(locales[guide.source_language], locale, guide.language(code).locale)
    if problems:
        raise DataError(problems)
    return Catalog(guide, locales)


def required_keys(guide: Guide) -> list[str]:
    """Keys the model needs in the source locale, derived from its ids."""
    keys = [f"{guide.overview_id}.title"]
    for section in guide.sections:
        keys.append(f"{guide.overview_id}.{section.id}.heading")
        keys += [f"{guide.overview_id}.{section.id}.{p}" for p in section.paragraphs]
        keys += [f"{guide.overview_id}.{section.id}.item.{i}" for i in section.items]
    for family in guide.families:
        keys += [f"family.{family.id}.{part}" for part in ("name", "summary", "intro")]
    for action in guide.actions:
        keys += [f"action.{action}.{part}" for part in ("name", "summary")]
    keys += [f"body.{body}.name" for body in guide.managing_bodies]
    keys += [f"{page.id}.{part}" for page in guide.pages for part in ("title", "description")]
    return keys


def _unconfigured_files(guide: Guide) -> list[Problem]:
    folder = guide.data_dir / "locales"
    problems = []
    for path in sorted(folder.glob("*.yml")):
        if path.stem not in guide.language_codes:
            hint = "rename the file to a configured language code, or add the language to data/languages.yml"
            problems.append(Problem(path, f"language '{path.stem}' is not configured", hint))
    return problems


def _load_locale(guide: Guide, code: str) -> Locale:
    path = locale_path(guide.data_dir, code)
    if not path.exists():
        hint = f"create it with the lines 'language: {code}' and 'strings: {{}}', then translate (see README)"
        raise DataError([Problem(path, f"no locale file for configured language '{code}'", hint)])
    data = load_yaml(path)
    problems = validate(data, "locale", path)
    if problems:
        raise DataError(problems)
    if data["language"] != code:
        line = data.key_lines.get("language") if isinstance(data, LineDict) else None
        hint = f"set 'language: {code}' or rename the file to {data['language']}.yml"
        raise DataError([Problem(path, f"file says language '{data['language']}'", hint, line, "language")])
    review = data.get("review", "draft")
    strings = data["strings"]
    line_of_key = strings.key_lines if isinstance(strings, LineDict) else {}
    is_source = code == guide.source_language
    entries: dict[str, Entry] = {}
    problems = []
    for key, value in strings.items():
        line = line_of_key.get(key)
        if _is_plural(value):
            entry, found = _plural_entry(path, code, guide.language(code).locale, is_source, key, value, line, review)
            problems += found
            if entry is not None:
                entries[key] = entry
            continue
        if isinstance(value, str):
            if not is_source:
                hint = (
                    f"write it as 'text: ...' with the 'source:' fingerprint, or run "
                    f"`programme-guide stamp {code} {key}` after checking it against the Dutch text"
                )
                problems.append(Problem(path, "translation has no source fingerprint", hint, line, f"strings.{key}"))
                continue
            entries[key] = Entry(key, join_surrogate_pairs(value), None, "reviewed", line)
        else:
            if is_source:
                hint = (
                    "in the source language write the text directly after the key (a text that depends on a "
                    "number: its forms 'one:' and 'other:' below the key)"
                )
                problems.append(Problem(path, "source texts are plain texts", hint, line, f"strings.{key}"))
                continue
            text, note = join_surrogate_pairs(value["text"]), join_surrogate_pairs(value.get("note", ""))
            entries[key] = Entry(key, text, value["source"], value.get("review", review), line, note)
        if not entries[key].text.strip():
            problems.append(
                Problem(path, "the text is empty", "write the text or remove the entry", line, f"strings.{key}")
            )
            continue
        found = text_problems(entries[key].text, code)
        if is_source:
            found += source_problems(entries[key].text)
        problems += [Problem(path, m, h, line, f"strings.{key}") for m, h in found]
    if problems:
        raise DataError(problems)
    return Locale(code, path, review, entries)


def _check_required_keys(guide: Guide, source: Locale) -> list[Problem]:
    missing = [key for key in required_keys(guide) if key not in source.entries]
    hint = "add the key with its Dutch text (every id in data/guide.yml needs its texts)"
    return [Problem(source.path, f"key '{key}' is referenced but not defined", hint) for key in missing]


def _check_translation(source: Locale, locale: Locale, babel_locale: str) -> list[Problem]:
    problems = []
    for key, entry in locale.entries.items():
        where = f"strings.{key}"
        if key not in source.entries:
            hint = "remove the entry, or move its text to the key that replaced it in the Dutch file"
            problems.append(
                Problem(locale.path, f"key '{key}' no longer exists in the Dutch source", hint, entry.line, where)
            )
            continue
        if source.entries[key].forms is not None or entry.forms is not None:
            found_forms = plural_match_problems(source.entries[key], entry.forms, entry.source, babel_locale)
            problems += [_form_problem(locale.path, entry, name, m, h) for name, m, h in found_forms]
            continue
        found = translation_problems(source.entries[key].text, entry.text, entry.source)
        problems += [Problem(locale.path, message, hint, entry.line, where) for message, hint in found]
    return problems


# The checks of one text, shared by `programme-guide check` (locale files) and `import` (PO and XLIFF units)

MAX_TEXT = 250_000  # characters in one text; the longest real text has a few hundred
_LINE_BREAK = re.compile("[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")  # other than tab and line breaks
_SURROGATE = re.compile("[\ud800-\udfff]")


def join_surrogate_pairs(text: str) -> str:
    """``text`` with each escaped surrogate pair (JSON style, "\\ud83c\\uddea") joined into its character;
    YAML reads the halves as two code points that cannot be written as UTF-8. Lone halves stay, for
    :func:`text_problems` to report."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def text_problems(text: str, lang: str = "") -> list[tuple[str, str]]:
    """What is wrong with a text on its own, as (message, hint) pairs; empty when it can be used.
    With ``lang``, also what that language's punctuation rules out (see :func:`punctuation_problems`)."""
    problems = punctuation_problems(text, lang)
    if len(text) > MAX_TEXT:
        problems.append((f"the text is {len(text)} characters long; the limit is {MAX_TEXT}", "shorten the text"))
    if _LINE_BREAK.search(text.strip()):
        hint = "write the text on one line: on the page a line break could start a heading, list or code block"
        problems.append(("the text contains a line break", hint))
    control = _CONTROL.search(text)
    if control:
        hint = "delete it (it is invisible and may break the page); write plain text"
        problems.append((f"the text contains the control character U+{ord(control.group()):04X}", hint))
    surrogate = _SURROGATE.search(text)
    if surrogate:
        code = ord(surrogate.group())
        hint = "write the character itself (or, in YAML, a \\U0001xxxx escape) instead of \\u escapes of its halves"
        problems.append((f"the text contains U+{code:04X}, half of a surrogate pair, which is not a character", hint))
    return problems


# Greek writes its question mark as ';' (U+037E, which Unicode normalises to the ASCII ';') and its
# semicolon as the ano teleia '·'. The rule: a ';' followed by a space and then text that goes on with the
# sentence (anything but a capital letter or an opening quote or bracket) is a separator and reads as a
# question mark; a ';' at the end of the text, or before a new sentence, ends a question and is right.
_SEMICOLON_THEN = re.compile(r"[;\u037e]\s+(\S)")
_OPENING = "«“\"'(["


# French in EU publications (the Interinstitutional Style Guide, 6.4, "Espacement des signes de ponctuation") puts no
# space before ':', ';', '!' and '?' nor inside « »; this edition's French does the same everywhere, so that one page
# does not mix "pays : ..." with "action clé 2: ...".
FRENCH_SPACING = "https://style-guide.europa.eu/o/opportal-service/isg?resource=fr%2F6.4-word-processor-punctuation-marks-spacing.html"
_TYPEWRITER_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")  # French writes ’, as every other text of fr.yml does
_SPACE_BEFORE = re.compile(r"(?<=\S)[ \u00a0\u202f]+([:;!?])(?=\s|$)|«[ \u00a0\u202f]+|[ \u00a0\u202f]+»")


def punctuation_problems(text: str, lang: str) -> list[tuple[str, str]]:
    """Punctuation that reads wrongly in ``lang``: for Greek, an ASCII ';' used as a separator; for French, a
    space before ':', ';', '!' or '?' or inside « » (see FRENCH_SPACING), and the typewriter apostrophe."""
    if lang == "fr":
        return _french_problems(text)
    if lang != "el":
        return []
    problems = []
    for match in _SEMICOLON_THEN.finditer(text):
        following = match.group(1)
        if following.isupper() or following in _OPENING:
            continue
        shown = _around(text, match)
        hint = (
            "in Greek ';' is the question mark: between items or clauses write the ano teleia '·' (no space "
            "before it) or a comma; keep ';' only where a question ends"
        )
        problems.append((f"';' used as a separator (Greek reads it as a question mark): \"{shown}\"", hint))
    return problems


def _around(text: str, match: re.Match) -> str:
    """The part of ``text`` around ``match`` that a message quotes, with '…' where it is cut."""
    start, end = max(match.start() - 24, 0), min(match.end() + 24, len(text))
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _french_problems(text: str) -> list[tuple[str, str]]:
    problems = []
    for match in _SPACE_BEFORE.finditer(text):
        shown = _around(text, match)
        where = f"before '{match.group(1)}'" if match.group(1) else "inside « »"
        hint = (
            f"delete the space: this edition's French follows the EU's Interinstitutional Style Guide "
            f"('xx: xx', '«xx»'; {FRENCH_SPACING})"
        )
        problems.append((f'a space {where}: "{shown}"', hint))
    for match in _TYPEWRITER_APOSTROPHE.finditer(text):
        shown = _around(text, match)
        hint = "write the apostrophe ’ (U+2019), as every other French text of this edition does: l’action, d’abord"
        problems.append((f'a typewriter apostrophe \': "{shown}"', hint))
    return problems


def source_problems(text: str) -> list[tuple[str, str]]:
    """What is wrong with a Dutch source text beyond :func:`text_problems`: markup, which would otherwise be
    reported against every translation (whose plain text is right) instead of here."""
    found = MARKUP.findall(text)
    if not found:
        return []
    hint = (
        "write plain text: every text is escaped where it lands, so the page would show the markup as typed; "
        "emphasis, links and lists belong in the templates (src/programme_guide/templates)"
    )
    return [(f"the Dutch text contains markup: {', '.join(found)}", hint)]


def translation_problems(original: str, text: str, source: str | None) -> list[tuple[str, str]]:
    """How a translation differs from its Dutch text in what must stay the same; the one comparison that
    `programme-guide check` (locale files) and `import` (PO and XLIFF units) make.

    ``source`` is the fingerprint of the Dutch text the translation was made from. A translation of an earlier
    Dutch text is outdated, not wrong: its placeholders may rightly differ from the current text's, and
    `status` and the page's notice say it is outdated. Markup is wrong in any translation (the Dutch text has
    none: :func:`source_problems` refuses it there)."""
    problems = []
    if source == fingerprint(original):
        want, got = sorted(PLACEHOLDER.findall(original)), sorted(PLACEHOLDER.findall(text))
        if want != got:
            hint = f"keep exactly these placeholders, untranslated: {', '.join(want) or 'none'}"
            problems.append((f"placeholders differ from the Dutch text: {', '.join(got) or 'none'}", hint))
    found = MARKUP.findall(text)
    if found:
        hint = "write plain text: markup, links and template code are not allowed in translations"
        problems.append((f"markup differs from the Dutch text: {', '.join(found)}", hint))
    return problems


# Plural entries: a text that depends on a number, one form per plural category of the language (see plurals.py)


def _is_plural(value: object) -> bool:
    """Whether a locale file entry holds plural forms (a source entry's categories, or a translation's text)."""
    if not isinstance(value, dict):
        return False
    return isinstance(value.get("text"), dict) or not ({"text", "source"} & value.keys())


def _plural_entry(
    path: Path, code: str, locale: str, is_source: bool, key: str, value: dict, line: int | None, review: str
) -> tuple[Entry | None, list[Problem]]:
    """The entry of a plural text, or the problems with it: categories the language lacks or does not have,
    and what is wrong with each form on its own (the same checks as a single text)."""
    where = f"strings.{key}"
    if is_source == ("text" in value):
        return None, [_shape_problem(path, code, key, is_source, line)]
    raw = value if is_source else value["text"]
    prefix = where if is_source else f"{where}.text"
    text_line = line if is_source else getattr(value, "key_lines", {}).get("text", line)
    lines = {name: getattr(raw, "key_lines", {}).get(name, text_line) for name in raw}
    forms = {name: join_surrogate_pairs(form) for name, form in raw.items()}
    # shape_problems words its messages with the language's name and examples (slow to look up): only when needed
    shape = [] if set(forms) == set(plurals.categories(locale)) else plurals.shape_problems(forms, locale)
    problems = [
        Problem(path, message, hint, lines[name] if name else text_line, f"{prefix}.{name}" if name else prefix)
        for name, message, hint in shape
    ]
    for name, form in forms.items():
        found = [("the text is empty", "write the form")] if not form.strip() else text_problems(form, code)
        if is_source and form.strip():
            found += source_problems(form)
        problems += [Problem(path, message, hint, lines[name], f"{prefix}.{name}") for message, hint in found]
    if is_source:
        found_source = _source_placeholders(forms)
        problems += [Problem(path, m, h, lines.get(n, line), f"{prefix}.{n}") for n, m, h in found_source]
    if problems:
        return None, problems
    forms = plurals.ordered(forms, locale)
    text = plurals.serialise(forms)
    if is_source:
        return Entry(key, text, None, "reviewed", line, forms=forms, form_lines=lines), []
    note = join_surrogate_pairs(value.get("note", ""))
    entry = Entry(key, text, value["source"], value.get("review", review), line, note, forms, lines)
    return entry, []


def _shape_problem(path: Path, code: str, key: str, is_source: bool, line: int | None) -> Problem:
    """A plural entry written in the form of the other kind of file (a source entry in a translation, or back)."""
    if not is_source:
        hint = (
            f"write the forms below 'text:' and add the 'source:' fingerprint, or run "
            f"`programme-guide stamp {code} {key}` after checking them against the Dutch forms (see README)"
        )
        return Problem(path, "translation has no source fingerprint", hint, line, f"strings.{key}")
    hint = "in the source language write the forms ('one:' and 'other:') directly below the key"
    return Problem(path, "source texts are plain texts", hint, line, f"strings.{key}")


def _source_placeholders(forms: dict[str, str]) -> list[tuple[str, str, str]]:
    """Every Dutch form keeps the placeholders of the 'other' form, {count} among them."""
    want = sorted(PLACEHOLDER.findall(forms.get("other", "")))
    problems = []
    if "other" in forms and plurals.COUNT not in want:
        hint = "write {count} where the number goes, in every form"
        problems.append(("other", "the form has no {count}, the number that picks the form", hint))
    for name, form in forms.items():
        got = sorted(PLACEHOLDER.findall(form))
        if name != "other" and got != want:
            hint = f"keep the placeholders of the form 'other' in every form: {', '.join(want) or 'none'}"
            problems.append((name, f"placeholders differ from the form 'other': {', '.join(got) or 'none'}", hint))
    return problems


def plural_match_problems(
    original: Entry, forms: dict[str, str] | None, source: str | None, locale: str
) -> list[tuple[str | None, str, str]]:
    """How a translation differs from its Dutch entry when either has plural forms, as (category, message,
    hint): one text against forms, or, in a form, what :func:`translation_problems` finds against the Dutch
    form it stands for ('one' for 'one', 'other' for the others)."""
    language = plurals.language_name(locale)
    if original.forms is None:
        return [(None, "the Dutch text is one text, not plural forms", "write the translation as one text")]
    if forms is None:
        listed = ", ".join(f"'{name}:'" for name in plurals.categories(locale))
        hint = f"write the forms below 'text:', one line each: {listed} ({language}; see README)"
        return [(None, "the Dutch text has plural forms, one for each kind of number", hint)]
    current = source == fingerprint(original.text)
    found = []
    for name, form in forms.items():
        dutch = original.forms.get(name) or original.forms["other"]
        found += [(name, m, h) for m, h in translation_problems(dutch, form, fingerprint(dutch) if current else None)]
    return found


def _form_problem(path: Path, entry: Entry, name: str | None, message: str, hint: str) -> Problem:
    if name is None or entry.forms is None:
        return Problem(path, message, hint, entry.line, f"strings.{entry.key}")
    line = (entry.form_lines or {}).get(name, entry.line)
    return Problem(path, message, hint, line, f"strings.{entry.key}.text.{name}")
