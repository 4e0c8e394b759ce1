"""Exchange with CAT tools (Weblate, Poedit, OmegaT) through PO and XLIFF 1.2 files.

Both formats are read and written with translate-toolkit. A unit's context/id is the stable key, its
source the current Dutch text, its target the translation. Draft and outdated entries are exported
as fuzzy ("needs review"); clearing that flag in the CAT tool marks the entry reviewed on import.
Import is all-or-nothing: when any unit is wrong, nothing is written and every problem is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from translate.storage import po, xliff

from .errors import DataError, Problem
from .localefile import translator_notes
from .locales import MARKUP, PLACEHOLDER, Catalog, Entry, fingerprint

FORMATS = ("po", "xliff")


def export(catalog: Catalog, lang: str, fmt: str) -> bytes:
    source = catalog.source
    locale = catalog.locales[lang]
    notes = translator_notes(source.path)
    store = po.pofile() if fmt == "po" else xliff.xlifffile(sourcelanguage=source.code, targetlanguage=lang)
    if fmt == "po":
        store.updateheader(add=True, Language=lang, Content_Type="text/plain; charset=UTF-8")
    for key, original in source.entries.items():
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


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept_empty: list[str] = field(default_factory=list)


def import_units(catalog: Catalog, lang: str, path: Path) -> tuple[dict[str, Entry], ImportReport]:
    """Merge a PO or XLIFF file into the language's entries; raise DataError on any bad unit."""
    store = _read(path)
    lines = path.read_text("utf-8", errors="replace").splitlines()
    source = catalog.source
    current = catalog.locales[lang]
    entries = dict(current.entries)
    report = ImportReport()
    problems: list[Problem] = []
    seen: set[str] = set()
    for unit in store.getunits():
        if unit.isheader():
            continue
        key = _unit_key(unit)
        where, line = key, _unit_line(lines, key)
        if key in seen:
            problems.append(Problem(path, "the key appears twice", "keep one unit per key", line, where))
            continue
        seen.add(key)
        if key not in source.entries:
            hint = "the key no longer exists in the Dutch source; move the text to the key that replaced it"
            problems.append(Problem(path, f"unknown key '{key}'", hint, line, where))
            continue
        target = str(unit.target or "")
        if not target.strip():
            if key in entries:
                report.kept_empty.append(key)
            continue
        problems += _check_unit(path, where, line, source.entries[key].text, target)
        draft = unit.isfuzzy()
        note = (unit.getnotes(origin="translator") or "").strip()
        old = entries.get(key)
        review = "draft" if draft else "reviewed"
        if old is not None and old.text == target and (old.review == "draft") == draft and old.note == note:
            report.unchanged += 1
            continue
        source_fp = fingerprint(str(unit.source))
        if old is not None and old.text == target and (old.review == "draft") == draft:
            source_fp = old.source  # only the note changed: the translation was not re-checked
        entries[key] = Entry(key, target, source_fp, review, None, note)
        (report.changed if old is not None else report.added).append(key)
    if problems:
        raise DataError(problems)
    return entries, report


def _unit_key(unit) -> str:
    if isinstance(unit, xliff.xliffunit):
        return unit.xmlelement.get("id") or ""
    return unit.getcontext() or ""


def _unit_line(lines: list[str], key: str) -> int | None:
    """The line where the unit for ``key`` starts in a PO (msgctxt) or XLIFF (id) file."""
    markers = (f'msgctxt "{key}"', f'id="{key}"')
    return next((number for number, line in enumerate(lines, 1) if any(m in line for m in markers)), None)


def _check_unit(path: Path, where: str, line: int | None, original: str, target: str) -> list[Problem]:
    problems = []
    if sorted(PLACEHOLDER.findall(original)) != sorted(PLACEHOLDER.findall(target)):
        hint = f"keep exactly these placeholders: {', '.join(PLACEHOLDER.findall(original)) or 'none'}"
        problems.append(Problem(path, "placeholders differ from the Dutch text", hint, line, where))
    if sorted(MARKUP.findall(original)) != sorted(MARKUP.findall(target)):
        hint = "write plain text: markup, links and template code are not allowed"
        problems.append(Problem(path, "markup differs from the Dutch text", hint, line, where))
    return problems


def _read(path: Path):
    data = path.read_bytes()
    head = data[:400].lstrip()
    if head.startswith(b"<?xml") or head.startswith(b"<xliff"):
        return xliff.xlifffile.parsestring(data)
    try:
        return po.pofile.parsestring(data)
    except Exception as exc:  # translate-toolkit raises several parser errors
        raise DataError([Problem(path, f"cannot read the file as PO or XLIFF: {exc}", "export a fresh file")]) from None
