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
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from translate.storage import po, xliff

from .errors import DataError, Problem, UsageError
from .localefile import translator_notes
from .locales import Catalog, Entry, fingerprint, text_problems, translation_problems

FORMATS = ("po", "xliff")
LISTED = 20  # problems named on import; the rest are counted
MAX_FILE = 64_000_000  # bytes; far above any real exchange file
_PO_KEY = re.compile(r'^msgctxt "((?:[^"\\]|\\.)*)"')
_XLIFF_KEY = re.compile(r'<trans-unit\b[^>]*?\bid="([^"]*)"')


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
    data = read_exchange_file(path)
    store = _parse(path, data)
    _check_language(path, store, lang)
    line_of = _unit_lines(data.decode("utf-8", errors="replace"))
    source = catalog.source
    entries = dict(catalog.locales[lang].entries)
    report = ImportReport()
    problems: list[Problem] = []
    seen: set[str] = set()
    for unit in store.getunits():
        if unit.isheader():
            continue
        key = _unit_key(unit)
        line = line_of.get(key)
        if key in seen:
            problems.append(Problem(path, "the key appears twice", "keep one unit per key", line, key))
            continue
        seen.add(key)
        if key not in source.entries:
            hint = "the key no longer exists in the Dutch source; move the text to the key that replaced it"
            problems.append(Problem(path, f"unknown key '{key}'", hint, line, key))
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
    draft = unit.isfuzzy()
    note = (unit.getnotes(origin="translator") or "").strip()
    old = entries.get(key)
    review = "draft" if draft else "reviewed"
    if old is not None and old.text == target and (old.review == "draft") == draft and old.note == note:
        report.unchanged += 1
        return
    source_fp = fingerprint(str(unit.source))
    if old is not None and old.text == target and (old.review == "draft") == draft:
        source_fp = old.source  # only the note changed: the translation was not re-checked
    entries[key] = Entry(key, target, source_fp, review, None, note)
    (report.changed if old is not None else report.added).append(key)


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
