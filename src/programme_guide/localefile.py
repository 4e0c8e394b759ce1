"""Reading translator notes from the source file and writing translation files without losing what people wrote.

Translation files are changed by `programme-guide import`, `stamp` and `review`. An existing file is edited
in place: only the values that changed are replaced (at the exact character positions the YAML parser
reports), missing fields and entries are inserted where the canonical form would have them, and every
other byte stays as it was: comments, blank lines, key order, quoting, a byte-order mark and the line
ends. The edited text is parsed again and compared with the intended entries before it is written; if the
layout cannot be kept (an unusual flow-style file), the file is written in the canonical form instead and
the caller is told. A new file is written in the canonical form: entries in the key order of the Dutch
file, each group under the translator note that stands above it there. Nothing is written when nothing
changed, and writes are atomic (see :mod:`atomic`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .atomic import write_atomic
from .errors import DataError, Problem
from .locales import Entry, Locale, join_surrogate_pairs
from .yamlio import MAX_BYTES, read_text

_KEY_LINE = re.compile(r"^  ([a-z0-9_.-]+):")
_YAML_BREAKS = re.compile("[\x85\u2028\u2029\ud800-\udfff]")  # line breaks to YAML, or not encodable


def translator_notes(path: Path) -> dict[str, str]:
    """The comment block directly above each key in a locale file, by key."""
    notes: dict[str, str] = {}
    pending: list[str] = []
    for line in read_text(path).splitlines():
        stripped = line.strip()
        if stripped.startswith("#") and line.startswith("  "):
            pending.append(stripped.lstrip("#").strip())
            continue
        match = _KEY_LINE.match(line)
        if match and pending:
            notes[match.group(1)] = " ".join(pending)
        if stripped:
            pending = []
    return notes


def _scalar(text: str) -> str:
    """A YAML double-quoted scalar: JSON string syntax, plus escapes for what YAML reads as a line break."""
    return _YAML_BREAKS.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def _entry_lines(entry: Entry, default_review: str, key_indent: str, field_indent: str) -> list[str]:
    lines = [f"{key_indent}{entry.key}:", *_text_lines(entry, field_indent)]
    lines.append(f"{field_indent}source: {_scalar(entry.source or '')}")
    if entry.review != default_review:
        lines.append(f"{field_indent}review: {entry.review}")
    if entry.note:
        lines.append(f"{field_indent}note: {_scalar(entry.note)}")
    return lines


def _text_lines(entry: Entry, indent: str) -> list[str]:
    """The ``text:`` of an entry: one text, or its plural forms one per line below it."""
    if entry.forms is None:
        return [f"{indent}text: {_scalar(entry.text)}"]
    return [f"{indent}text:", *(f"{indent}  {name}: {_scalar(form)}" for name, form in entry.forms.items())]


def dump_translation(locale: Locale, source: Locale, language_name: str) -> str:
    """The canonical form of a translation file."""
    notes = translator_notes(source.path)
    out = [
        f"# {language_name} ({locale.code}): translation of data/locales/{source.code}.yml.",
        "#",
        "# Each entry holds the translated text, the fingerprint of the Dutch text it was made from",
        "# (source) and, where it differs from the file's default, its review state (draft or reviewed).",
        "# When the Dutch text changes, the entry shows as outdated until it is updated.",
        "# An optional note records a term choice or a question for the reviewer.",
        f"language: {locale.code}",
        f"review: {locale.review}",
        "strings:",
    ]
    for key in source.entries:
        entry = locale.entries.get(key)
        if entry is None:
            continue
        if key in notes:
            out += ["", f"  # {notes[key]}"]
        out += _entry_lines(entry, locale.review, "  ", "    ")
    for key, entry in locale.entries.items():
        if key not in source.entries:
            out += _entry_lines(entry, entry.review, "  ", "    ")
    if out[-1] == "strings:":
        out[-1] = "strings: {}"
    return "\n".join(out) + "\n"


@dataclass(frozen=True)
class Saved:
    """What :func:`save_translation` did."""

    written: bool
    layout_kept: bool = True

    def __bool__(self) -> bool:
        return self.written


def save_translation(locale: Locale, source: Locale, language_name: str) -> Saved:
    """Write the entries of ``locale`` to its file, keeping everything else in it; say what was done."""
    path = locale.path
    if path.exists():
        raw = path.read_bytes()
        edited = edit_translation(raw.decode("utf-8-sig"), locale, source)
        layout_kept = edited is not None
        if edited is None:
            edited = dump_translation(locale, source, language_name)
        data = _restore_form(edited, raw)
        if data == raw:
            return Saved(False)
    else:
        layout_kept = True
        data = dump_translation(locale, source, language_name).encode("utf-8")
    if len(data) > MAX_BYTES:
        hint = "shorten the longest texts; a locale file holds short texts, not documents"
        message = f"the file would be {len(data)} bytes; the limit is {MAX_BYTES}"
        raise DataError([Problem(path, message, hint)], subject="the change")
    write_atomic(path, data)
    return Saved(True, layout_kept)


def _restore_form(text: str, raw: bytes) -> bytes:
    """Encode ``text`` with the byte-order mark and line ends of the file it replaces."""
    if b"\r\n" in raw:
        text = text.replace("\n", "\r\n")
    elif b"\r" in raw:
        text = text.replace("\n", "\r")
    data = text.encode("utf-8")
    return b"\xef\xbb\xbf" + data if raw.startswith(b"\xef\xbb\xbf") else data


# Editing an existing file in place


@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    text: str


def edit_translation(original: str, locale: Locale, source: Locale) -> str | None:
    """``original`` with the entries of ``locale`` written into it, or None when its layout cannot be kept."""
    text = original.replace("\r\n", "\n").replace("\r", "\n")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    strings = _child(root, "strings")
    if not isinstance(strings, yaml.MappingNode):
        return None
    edits = _entry_edits(text, strings, locale, source)
    if edits is None:
        return None
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text if _holds(text, locale) else None


def _child(node: yaml.Node | None, name: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((value for key, value in node.value if key.value == name), None)


def _entry_edits(text: str, strings: yaml.MappingNode, locale: Locale, source: Locale) -> list[_Edit] | None:
    existing = {key.value: (key, value) for key, value in strings.value}
    order = {key: index for index, key in enumerate(source.entries)}
    key_indent, field_indent = _indents(strings)
    notes = translator_notes(source.path) if any(k not in existing for k in locale.entries) else {}
    edits: list[_Edit] = []
    new_blocks: dict[int, list[str]] = {}
    for key in sorted(locale.entries, key=lambda k: order.get(k, len(order))):
        entry = locale.entries[key]
        if key in existing:
            changes = _field_edits(text, existing[key][1], entry, locale.review, field_indent)
            if changes is None:
                return None
            edits += changes
            continue
        position = _insert_position(text, strings, order, order.get(key, len(order)))
        if position is None:
            return None
        lines = _entry_lines(entry, locale.review, key_indent, field_indent)
        if key in notes:
            lines = ["", f"{key_indent}# {notes[key]}", *lines]
        new_blocks.setdefault(position, []).extend(lines)
    if new_blocks and strings.flow_style:  # an empty `strings: {}` becomes a block mapping
        start = len(text[: strings.start_mark.index].rstrip(" "))
        edits.append(_Edit(start, strings.end_mark.index, ""))
        line_end = text.find("\n", strings.end_mark.index)
        position = len(text) if line_end < 0 else line_end + 1
        new_blocks = {position: [line for lines in new_blocks.values() for line in lines]}
    for position, lines in new_blocks.items():
        block = "\n".join(lines) + "\n"
        edits.append(_Edit(position, position, block if text[:position].endswith("\n") else "\n" + block))
    return edits


def _indents(strings: yaml.MappingNode) -> tuple[str, str]:
    """The indentation of the entry keys and of their fields, as the file has them (default 2 and 4)."""
    for key, value in strings.value:
        if isinstance(value, yaml.MappingNode) and value.value and not value.flow_style:
            return " " * key.start_mark.column, " " * value.value[0][0].start_mark.column
    return "  ", "    "


def _field_edits(text: str, node: yaml.Node, entry: Entry, default_review: str, indent: str) -> list[_Edit] | None:
    """The edits that make one existing entry say what ``entry`` says."""
    if not isinstance(node, yaml.MappingNode):
        return None
    fields = {key.value: (key, value) for key, value in node.value}
    plural = entry.forms is not None or isinstance(fields.get("text", (None, None))[1], yaml.MappingNode)
    if any(
        not isinstance(value, yaml.ScalarNode) for name, (_, value) in fields.items() if name != "text" or not plural
    ):
        return None
    if plural and node.flow_style:
        return [_Edit(node.start_mark.index, node.end_mark.index, _flow_entry(entry, fields, default_review))]
    current = {name: join_surrogate_pairs(value.value) for name, (_, value) in fields.items() if name != "text"}
    wanted = {"source": entry.source or "", "review": entry.review, "note": entry.note}
    if not plural:
        current["text"] = join_surrogate_pairs(fields["text"][1].value) if "text" in fields else None
        wanted = {"text": entry.text, **wanted}
    effective = {"review": default_review, "note": "", **current}
    changed = [name for name in wanted if effective.get(name) != wanted[name]]
    edits = _forms_edits(text, fields["text"], entry, indent) if plural and "text" in fields else []
    if not changed:
        return edits
    if node.flow_style:
        return [_Edit(node.start_mark.index, node.end_mark.index, _flow_entry(entry, fields, default_review))]
    added = []
    for name in changed:
        if name in fields:
            if name == "note" and not entry.note:
                edits.append(_remove_field(text, *fields[name]))
            else:
                edits.append(_replace_value(text, fields[name][1], wanted[name]))
        else:
            added.append(f"{indent}{name}: {wanted[name] if name == 'review' else _scalar(wanted[name])}")
    if added:
        end = _line_end(text, node.value[-1][1])
        edits.append(_Edit(end, end, "\n" + "\n".join(added)))
    return edits


def _forms_edits(text: str, field: tuple[yaml.Node, yaml.Node], entry: Entry, indent: str) -> list[_Edit]:
    """The edits that make an entry's ``text:`` hold its plural forms (or its one text, if it no longer has
    forms): each changed form in place while the categories stay the same, else the whole value anew."""
    key, value = field
    if entry.forms is not None and isinstance(value, yaml.MappingNode) and not value.flow_style:
        nodes = {name.value: form for name, form in value.value}
        if list(nodes) == list(entry.forms) and all(isinstance(form, yaml.ScalarNode) for form in nodes.values()):
            return [
                _replace_value(text, nodes[name], form)
                for name, form in entry.forms.items()
                if join_surrogate_pairs(nodes[name].value) != form
            ]
    end = _line_end(text, value) if isinstance(value, yaml.MappingNode) else value.end_mark.index
    if entry.forms is None:
        return [_Edit(key.end_mark.index, end, f": {_scalar(entry.text)}")]
    lines = _text_lines(entry, indent)
    return [_Edit(key.end_mark.index, end, lines[0].removeprefix(f"{indent}text") + "\n" + "\n".join(lines[1:]))]


def _flow_entry(entry: Entry, fields: dict, default_review: str) -> str:
    text = _scalar(entry.text)
    if entry.forms is not None:
        text = "{" + ", ".join(f"{name}: {_scalar(form)}" for name, form in entry.forms.items()) + "}"
    parts = [f"text: {text}", f"source: {_scalar(entry.source or '')}"]
    if entry.review != default_review or "review" in fields:
        parts.append(f"review: {entry.review}")
    if entry.note:
        parts.append(f"note: {_scalar(entry.note)}")
    return "{" + ", ".join(parts) + "}"


def _replace_value(text: str, node: yaml.ScalarNode, value: str) -> _Edit:
    """Replace a scalar in the style it was written in where that is safe, else as a double-quoted one."""
    span = text[node.start_mark.index : node.end_mark.index]
    tail = span[len(span.rstrip()) :] if node.style in ("|", ">") else ""
    if node.style == "'" and not _YAML_BREAKS.search(value) and value.isprintable():
        written = "'" + value.replace("'", "''") + "'"
    elif node.style is None and re.fullmatch(r"[0-9a-f]{12}", value):
        written = value  # a plain fingerprint stays plain
    else:
        written = _scalar(value)
    return _Edit(node.start_mark.index, node.end_mark.index, written + tail)


def _remove_field(text: str, key: yaml.Node, value: yaml.Node) -> _Edit:
    start = text.rfind("\n", 0, key.start_mark.index) + 1
    return _Edit(start, _line_end(text, value) + 1, "")


def _line_end(text: str, node: yaml.Node) -> int:
    """The index of the line break ending the last line of ``node``'s value (or the end of the text)."""
    last = node.end_mark.index
    while last > node.start_mark.index and text[last - 1] in " \n":
        last -= 1
    end = text.find("\n", last)
    return len(text) if end < 0 else end


def _insert_position(text: str, strings: yaml.MappingNode, order: dict[str, int], index: int) -> int | None:
    """Where a new entry with source position ``index`` goes: above the comments and blank lines that stand
    before the first entry that comes after it in the Dutch file, or after the last entry."""
    if strings.flow_style:
        return None if strings.value else strings.start_mark.index
    following = [key for key, _ in strings.value if order.get(key.value, len(order)) > index]
    if not following:
        end = _line_end(text, strings.value[-1][1])
        return min(end + 1, len(text))
    start = text.rfind("\n", 0, following[0].start_mark.index) + 1
    while start > 0:
        previous = text.rfind("\n", 0, start - 1) + 1
        line = text[previous : start - 1].strip()
        if line and not line.startswith("#"):
            break
        start = previous
    return start


def _holds(text: str, locale: Locale) -> bool:
    """Whether ``text`` parses to exactly the entries of ``locale`` (with their effective review state)."""
    try:
        data = yaml.safe_load(text)
        default = data.get("review", "draft")
        strings = data["strings"] or {}
        return set(locale.entries) <= set(strings) and all(
            _text_of(strings[key].get("text"), entry) == (entry.forms or entry.text)
            and (strings[key].get("source") or "") == (entry.source or "")
            and strings[key].get("review", default) == entry.review
            and join_surrogate_pairs(strings[key].get("note") or "") == entry.note
            for key, entry in locale.entries.items()
        )
    except (yaml.YAMLError, AttributeError, KeyError, TypeError):
        return False


def _text_of(value, entry: Entry):
    """A ``text:`` as read back: one text, or the forms by category."""
    if isinstance(value, dict) and entry.forms is not None:
        return {name: join_surrogate_pairs(form) for name, form in value.items()}
    return join_surrogate_pairs(value) if isinstance(value, str) else value
