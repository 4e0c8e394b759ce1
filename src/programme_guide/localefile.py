"""Reading translator notes from the source file and writing translation files in one canonical form.

Translation files are written by `programme-guide import` and `programme-guide stamp`: entries follow
the key order of the Dutch file, each group keeps the translator note that stands above it there, and
nothing is written when the content did not change, so an unchanged round trip leaves the file as it was.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .locales import Locale
from .yamlio import read_text

_KEY_LINE = re.compile(r"^  ([a-z0-9_.-]+):")


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
    """A YAML scalar for text: JSON string syntax is valid YAML and needs no further quoting rules."""
    return json.dumps(text, ensure_ascii=False)


def dump_translation(locale: Locale, source: Locale, language_name: str) -> str:
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
        out.append(f"  {key}:")
        out.append(f"    text: {_scalar(entry.text)}")
        out.append(f"    source: {_scalar(entry.source or '')}")
        if entry.review != locale.review:
            out.append(f"    review: {entry.review}")
        if entry.note:
            out.append(f"    note: {_scalar(entry.note)}")
    for key, entry in locale.entries.items():
        if key not in source.entries:
            out += [f"  {key}:", f"    text: {_scalar(entry.text)}", f"    source: {_scalar(entry.source or '')}"]
    if out[-1] == "strings:":
        out[-1] = "strings: {}"
    return "\n".join(out) + "\n"


def save_translation(locale: Locale, source: Locale, language_name: str) -> bool:
    """Write the file if its content changed; return whether it was written."""
    text = dump_translation(locale, source, language_name)
    if locale.path.exists() and read_text(locale.path) == text:
        return False
    locale.path.write_text(text, "utf-8")
    return True
