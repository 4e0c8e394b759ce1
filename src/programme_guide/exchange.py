"""Exchange with CAT tools (Weblate, Poedit, OmegaT) through PO and XLIFF 1.2 files.

Both formats are read and written with translate-toolkit. A unit's context/id is the stable key, its
source the current Dutch text, its target the translation. Draft and outdated entries are exported
as fuzzy ("needs review"); clearing that flag in the CAT tool marks the entry reviewed on import.

Import is all-or-nothing: when any unit is wrong, nothing is written. A unit is wrong when `check`
would refuse its text (the same checks, from :mod:`locales`, with the same messages and the unit's
line), when its key is unknown or repeated, or when it holds an XML entity. A file for another
language (PO ``Language`` header, XLIFF ``target-language``) is refused as a whole, as is an XLIFF
file that is not well-formed. Import takes time linear in the number of units and names at most
:data:`LISTED` problems, then counts the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree
from translate.misc.multistring import multistring
from translate.storage import po, xliff

from . import plurals
from .errors import DataError, Problem, UsageError
from .localefile import translator_notes
from .locales import Catalog, Entry, fingerprint, plural_match_problems, text_problems, translation_problems

FORMATS = ("po", "xliff")
LISTED = 20  # problems named on import; the rest are counted
MAX_FILE = 64_000_000  # bytes; far above any real exchange file
_PO_KEY = re.compile(r'^msgctxt "((?:[^"\\]|\\.)*)"')
_XLIFF_KEY = re.compile(r'<trans-unit\b[^>]*?\bid="([^"]*)"')
_FORM_ID = re.compile(r"^(.*)\[([0-9]{1,2})\]$")
PLURAL_GROUP = "x-gettext-plurals"


def export(catalog: Catalog, lang: str, fmt: str) -> bytes:
    source = catalog.source
    locale = catalog.locales[lang]
    notes = translator_notes(source.path)
    store = po.pofile() if fmt == "po" else xliff.xlifffile(sourcelanguage=source.code, targetlanguage=lang)
    numbering = plurals.gettext_plurals(catalog.guide.language(lang).locale)
    if fmt == "po":
        store.updateheader(
            add=True, Language=lang, Content_Type="text/plain; charset=UTF-8", Plural_Forms=numbering.header
        )
    for key, original in source.entries.items():
        if original.forms is not None:
            _export_plural(catalog, lang, store, key, notes.get(key), numbering)
            continue
        unit = store.UnitClass(original.text)
        if fmt == "po":
            unit.setcontext(key)
        else:
            unit.setid(key)
        entry = locale.entries.get(key)
        if key in notes:
            unit.addnote(notes[key], origin="developer")
        if entry is not None:
            unit.target = entry.text
            state = catalog.text(lang, key).state
            unit.markfuzzy(state in ("draft", "outdated"))
            if fmt == "xliff":
                review = "needs-review-translation" if unit.isfuzzy() else "translated"
                unit.xmlelement.find(unit.namespaced("target")).set("state", review)
            if state == "outdated":
                unit.addnote("Outdated: the Dutch text changed since this was translated.", origin="developer")
            if entry.note:
                unit.addnote(entry.note, origin="translator")
        store.addunit(unit)
    return bytes(store)


def _export_plural(catalog: Catalog, lang: str, store, key: str, note: str | None, numbering) -> None:
    """A plural entry: in PO one unit with msgid, msgid_plural and a msgstr per form (numbered as the
    Plural-Forms header says); in XLIFF a group of restype x-gettext-plurals with one unit per form,
    ids key[0], key[1], ... in the same numbering. Each form's note says which numbers take it."""
    dutch = catalog.source.entries[key].forms
    entry = catalog.locales[lang].entries.get(key)
    state = catalog.text(lang, key).state if entry is not None else "missing"
    fuzzy = state in ("draft", "outdated")
    locale = catalog.guide.language(lang).locale
    language = plurals.language_name(locale)
    guide = "; ".join(f"[{i}] {name}: {plurals.examples(locale, name)}" for i, name in enumerate(numbering.names))
    notes = [note, f"{language} plural forms ({{count}} is the number): {guide}."]
    if state == "outdated":
        notes.append("Outdated: the Dutch text changed since this was translated.")
    targets = [(entry.forms or {}).get(name, "") if entry is not None else "" for name in numbering.names]
    sources = [dutch[next(iter(dutch))], dutch["other"]]
    if isinstance(store, po.pofile):
        unit = store.UnitClass(multistring(sources))
        unit.setcontext(key)
        for text in filter(None, notes):
            unit.addnote(text, origin="developer")
        if entry is not None:
            unit.target = multistring(targets)
            unit.markfuzzy(fuzzy)
            if entry.note:
                unit.addnote(entry.note, origin="translator")
        store.addunit(unit)
        return
    body = next(store.document.getroot().iter(store.namespaced("body")))
    group = etree.SubElement(body, store.namespaced("group"), id=key, restype=PLURAL_GROUP)
    for index, name in enumerate(numbering.names):
        unit = store.UnitClass(sources[0] if index == 0 else sources[1])
        unit.setid(f"{key}[{index}]")
        if index == 0:
            for text in filter(None, notes[:1] + notes[2:]):
                unit.addnote(text, origin="developer")
        unit.addnote(f"The {language} form '{name}', for {plurals.examples(locale, name)}.", origin="developer")
        if entry is not None:
            unit.target = targets[index]
            unit.markfuzzy(fuzzy)
            target = unit.xmlelement.find(unit.namespaced("target"))
            target.set("state", "needs-review-translation" if fuzzy else "translated")
            if entry.note and index == 0:
                unit.addnote(entry.note, origin="translator")
        group.append(unit.xmlelement)


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept_empty: list[str] = field(default_factory=list)


def import_units(catalog: Catalog, lang: str, path: Path) -> tuple[dict[str, Entry], ImportReport]:
    """Merge a PO or XLIFF file into the language's entries; raise DataError on any bad unit."""
    data = read_exchange_file(path)
    store = _parse(path, data)
    _check_language(path, store, lang)
    line_of = _unit_lines(data.decode("utf-8", errors="replace"))
    source = catalog.source
    entries = dict(catalog.locales[lang].entries)
    report = ImportReport()
    problems: list[Problem] = []
    seen: set[str] = set()
    numbering = _numbering(store, catalog.guide.language(lang).locale)
    for key, units in _items(store):
        unit = units[0]
        line = line_of.get(key, line_of.get(f"{key}[0]"))
        if key in seen:
            problems.append(Problem(path, "the key appears twice", "keep one unit per key", line, key))
            continue
        seen.add(key)
        if key not in source.entries:
            hint = "the key no longer exists in the Dutch source; move the text to the key that replaced it"
            problems.append(Problem(path, f"unknown key '{key}'", hint, line, key))
            continue
        if source.entries[key].forms is not None or _is_plural(unit):
            form_import = _FormImport(catalog, lang, path, key, line_of, numbering)
            problems += form_import.merge(units, entries, report)
            continue
        target = str(unit.target or "")
        if not target.strip():
            if key in entries:
                report.kept_empty.append(key)
            continue
        made_from = fingerprint(str(unit.source))
        found = text_problems(target, lang) + translation_problems(source.entries[key].text, target, made_from)
        if found:
            problems += [Problem(path, message, hint, line, key) for message, hint in found]
            continue
        _merge(entries, report, key, target, unit)
    if problems:
        raise DataError(problems, listed=LISTED, subject=path.name)
    return entries, report


def _merge(entries: dict[str, Entry], report: ImportReport, key: str, target: str, unit) -> None:
    """Record one good unit: unchanged, changed or added."""
    note = (unit.getnotes(origin="translator") or "").strip()
    _record(entries, report, Entry(key, target, fingerprint(str(unit.source)), _review(unit.isfuzzy()), None, note))


def _review(draft: bool) -> str:
    return "draft" if draft else "reviewed"


def _record(entries: dict[str, Entry], report: ImportReport, new: Entry) -> None:
    """Record one good entry (its ``source`` the fingerprint of the Dutch text it was made from): unchanged,
    changed or added."""
    old = entries.get(new.key)
    same = old is not None and old.text == new.text and old.review == new.review
    if same and old.note == new.note:
        report.unchanged += 1
        return
    if same:
        new = replace(new, source=old.source)  # only the note changed: the translation was not re-checked
    entries[new.key] = new
    (report.changed if old is not None else report.added).append(new.key)


# Plural entries: a PO unit with msgid_plural, or an XLIFF group of restype x-gettext-plurals


def _is_plural(unit) -> bool:
    if isinstance(unit, xliff.xliffunit):
        parent = unit.xmlelement.getparent()
        return parent is not None and parent.get("restype") == PLURAL_GROUP and bool(_FORM_ID.match(_unit_key(unit)))
    return unit.hasplural()


def _items(store) -> list[tuple[str, list]]:
    """The units of a file by key, in file order: one unit, or the units of one XLIFF plural group."""
    items: list[tuple[str, list]] = []
    groups: dict = {}
    for unit in store.getunits():
        if unit.isheader():
            continue
        if isinstance(unit, xliff.xliffunit) and _is_plural(unit):
            parent = unit.xmlelement.getparent()
            if parent not in groups:
                groups[parent] = []
                items.append((_FORM_ID.match(_unit_key(unit)).group(1), groups[parent]))
            groups[parent].append(unit)
            continue
        items.append((_unit_key(unit), [unit]))
    return items


def _numbering(store, locale: str) -> tuple[str, ...] | str:
    """The category of each plural form index in the file: as its PO Plural-Forms header numbers them, else as
    export numbers them; the header itself when it does not fit the language's plural rules."""
    ours = plurals.gettext_plurals(locale)
    header = store.parseheader().get("Plural-Forms", "").strip() if isinstance(store, po.pofile) else ""
    if not header or header == ours.header:
        return ours.names
    parsed = plurals.parse_header(header)
    names = plurals.index_names(*parsed, locale) if parsed else None
    if names is None or parsed is None:
        return header
    extra = tuple(name for name in plurals.categories(locale) if name not in names)
    return (names + extra)[: parsed[0]]


@dataclass
class _FormImport:
    """Reads one plural entry back: its forms by category, and what is wrong with them."""

    catalog: Catalog
    lang: str
    path: Path
    key: str
    line_of: dict[str, int]
    numbering: tuple[str, ...] | str

    @property
    def locale(self) -> str:
        return self.catalog.guide.language(self.lang).locale

    def problem(self, message: str, hint: str, index: int | None = None) -> Problem:
        line = self.line_of.get(self.key, self.line_of.get(f"{self.key}[{index or 0}]"))
        if index is None or isinstance(self.numbering, str):
            return Problem(self.path, message, hint, line, self.key)
        line = self.line_of.get(f"{self.key}[{index}]", line)
        return Problem(self.path, message, hint, line, f"{self.key}[{index}] ({self.numbering[index]})")

    def merge(self, units: list, entries: dict[str, Entry], report: ImportReport) -> list[Problem]:
        """Merge the forms into ``entries``; return the problems instead when there are any."""
        original = self.catalog.source.entries[self.key]
        if not _is_plural(units[0]):
            target = str(units[0].target or "")
            if not target.strip():
                return self._kept(entries, report)
            return [self.problem(m, h) for _, m, h in plural_match_problems(original, None, None, self.locale)]
        if original.forms is None:
            return [self.problem(m, h) for _, m, h in plural_match_problems(original, {}, None, self.locale)]
        if isinstance(self.numbering, str):
            ours = plurals.gettext_plurals(self.locale).header
            hint = f"set it back to '{ours}', as `programme-guide export` writes it"
            language = plurals.language_name(self.locale)
            return [self.problem(f"the Plural-Forms header '{self.numbering}' does not fit {language}", hint)]
        targets, sources = self._texts(units)
        if len(targets) > len(self.numbering):
            hint = f"keep one form for each of: {', '.join(self.numbering)} (export a fresh file to see them)"
            return [self.problem(f"{len(targets)} forms where the language has {len(self.numbering)}", hint)]
        forms = {self.numbering[i]: text for i, text in enumerate(targets) if text.strip()}
        if not forms:
            return self._kept(entries, report)
        old = entries.get(self.key)
        forms = plurals.ordered({**((old.forms or {}) if old else {}), **forms}, self.locale)
        return self._record(units, forms, sources, entries, report)

    def _record(self, units, forms, sources, entries, report) -> list[Problem]:
        original = self.catalog.source.entries[self.key]
        dutch_names = plurals.categories(self.catalog.guide.language(self.catalog.source.code).locale)
        made_from = fingerprint({dutch_names[0]: sources[0], "other": sources[-1]})
        index = {name: i for i, name in enumerate(self.numbering)}
        found = [(None, m, h) for name, m, h in plurals.shape_problems(forms, self.locale)]
        for name, form in forms.items():
            found += [(name, m, h) for m, h in text_problems(form, self.lang)]
        found += plural_match_problems(original, forms, made_from, self.locale)
        if found:
            return [self.problem(m, h, index.get(name) if name else None) for name, m, h in found]
        draft = any(unit.isfuzzy() for unit in units)
        note = next((n for n in (str(u.getnotes(origin="translator") or "").strip() for u in units) if n), "")
        text = plurals.serialise(forms)
        _record(entries, report, Entry(self.key, text, made_from, _review(draft), None, note, forms))
        return []

    def _texts(self, units: list) -> tuple[list[str], list[str]]:
        """The targets by form index, and the Dutch texts (msgid and msgid_plural) they were made from."""
        if isinstance(units[0], xliff.xliffunit):
            by_index = {int(_FORM_ID.match(_unit_key(u)).group(2)): u for u in units}
            ordered = [by_index.get(i) for i in range(max(by_index) + 1)]
            targets = [str(u.target or "") if u is not None else "" for u in ordered]
            sources = [str(u.source) for u in ordered if u is not None]
            return targets, [sources[0], sources[-1]]
        unit = units[0]
        targets = list(unit.target.strings) if isinstance(unit.target, multistring) else [str(unit.target or "")]
        sources = list(unit.source.strings) if isinstance(unit.source, multistring) else [str(unit.source)]
        return [str(t) for t in targets], [str(sources[0]), str(sources[-1])]

    def _kept(self, entries: dict[str, Entry], report: ImportReport) -> list[Problem]:
        if self.key in entries:
            report.kept_empty.append(self.key)
        return []


def _unit_key(unit) -> str:
    if isinstance(unit, xliff.xliffunit):
        return unit.xmlelement.get("id") or ""
    return unit.getcontext() or ""


def _unit_lines(text: str) -> dict[str, int]:
    """The line where each key's unit starts in a PO (msgctxt) or XLIFF (trans-unit id) file, in one pass."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = _PO_KEY.match(line) or _XLIFF_KEY.search(line)
        if match:
            lines.setdefault(match.group(1).replace('\\"', '"'), number)
    return lines


def read_exchange_file(path: Path) -> bytes:
    """The bytes of a file given to `import`; a missing path, a folder or a huge file is a usage error."""
    if not path.exists():
        raise UsageError(f"{path}: no such file; give the path of the PO or XLIFF file to import")
    if path.is_dir():
        raise UsageError(f"{path} is a folder; give the path of the PO or XLIFF file to import")
    size = path.stat().st_size
    if size > MAX_FILE:
        raise UsageError(f"{path} is {size} bytes; an exchange file for one language is far smaller (limit {MAX_FILE})")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path} cannot be read ({exc.strerror})") from None


def _parse(path: Path, data: bytes):
    head = data[:400].lstrip()
    if head.startswith((b"<?xml", b"<xliff", b"\xef\xbb\xbf<")):
        _check_xml(path, data)
        try:
            return xliff.xlifffile.parsestring(data)
        except Exception as exc:  # translate-toolkit raises several kinds of error
            raise DataError([_unreadable(path, "XLIFF", exc)]) from None
    try:
        return po.pofile.parsestring(data)
    except Exception as exc:  # translate-toolkit raises several parser errors
        raise DataError([_unreadable(path, "PO", exc)]) from None


def _unreadable(path: Path, kind: str, exc: Exception) -> Problem:
    line = getattr(exc, "lineno", None)
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return Problem(path, f"cannot read the file as {kind}: {reason}", "export a fresh file and translate again", line)


def _check_xml(path: Path, data: bytes) -> None:
    """Refuse XLIFF that is not well-formed or uses entities, before translate-toolkit expands any."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        hint = "the file is damaged or cut off: export it again from your CAT tool"
        if "entity" in exc.msg.lower():
            hint = "remove the DOCTYPE and its entities and write the characters themselves, or export a fresh file"
        message = f"the XLIFF file is not well-formed XML: {exc.msg}"
        raise DataError([Problem(path, message, hint, exc.lineno)], subject=path.name) from None
    problems = []
    for node in root.iter():
        if isinstance(node, etree._Entity):
            unit = next((a for a in node.iterancestors() if etree.QName(a).localname == "trans-unit"), None)
            key, line = (unit.get("id", ""), unit.sourceline) if unit is not None else ("", node.sourceline)
            hint = "write the characters themselves; entities are not allowed in exchange files"
            problems.append(Problem(path, f"the text contains the XML entity {node.text}", hint, line, key))
    if problems:
        raise DataError(problems, listed=LISTED, subject=path.name)


def _check_language(path: Path, store, lang: str) -> None:
    """A file that names another target language belongs to that language: refuse it."""
    declared = (store.gettargetlanguage() or "").strip()
    if declared and re.split(r"[-_@.]", declared.lower())[0] != lang:
        where = "target-language" if isinstance(store, xliff.xlifffile) else "Language header"
        raise UsageError(
            f"{path} is a file for '{declared}' (its {where}), not for '{lang}': import it into that language, "
            f"or export a file for '{lang}' with `programme-guide export {lang}`"
        )
