"""Schema validation with errors a translator can act on.

The schemas in ``schemas/`` are JSON Schema (draft 2020-12) and are checked with the ``jsonschema``
library; this module only turns its errors into :class:`Problem` objects that name the file, the
line, the key path, what is wrong and how to fix it. Data that passes is recorded in the cache of checked data
files (see :mod:`datacache`), and data taken from that cache is known to pass without being checked again.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import datacache
from .errors import Problem
from .yamlio import LineDict, LineList, to_plain

if TYPE_CHECKING:  # imported where data is checked: data from the cache needs no validator (a faster start)
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

_TYPE_NAMES = {
    "object": "a mapping (key: value lines)",
    "array": "a list (lines starting with '-')",
    "string": "a text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
}


@cache
def schema(name: str) -> dict[str, Any]:
    """The named JSON Schema shipped with the package."""
    text = resources.files(__package__).joinpath("schemas", f"{name}.schema.json").read_text("utf-8")
    return json.loads(text)


def validate(data: Any, schema_name: str, path: Path) -> list[Problem]:
    """Validate data loaded from ``path``; return one problem per schema violation, in file order."""
    origin = getattr(data, "cache_origin", None)
    if origin is not None and origin.schema == schema_name:
        return []  # taken from the cache, where only data that passed this schema is kept
    problems = [_problem(error, data, path) for error in _validator(schema_name).iter_errors(data)]
    if not problems and origin is not None:
        _record(origin, schema_name, data)
    return sorted(problems, key=lambda p: (p.line or 0, p.key_path))


@cache
def _validator(schema_name: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema(schema_name))


def _record(origin, schema_name: str, data: Any) -> None:
    try:
        plain = to_plain(data)
    except (TypeError, RecursionError):
        return  # a value JSON cannot hold: the file is read afresh each time
    datacache.store(origin.digest, schema_name, plain)


def line_of(data: Any, key_path: list[str | int]) -> int | None:
    """The line of the deepest node on ``key_path`` that carries a line number."""
    line = getattr(data, "line", None)
    node = data
    for step in key_path:
        if isinstance(node, LineDict) and step in node:
            line = node.key_lines.get(step, line)
            node = node[step]
        elif isinstance(node, LineList) and isinstance(step, int) and step < len(node):
            line = node.item_lines[step]
            node = node[step]
        else:
            break
    return line


def format_path(key_path: list[str | int]) -> str:
    out = ""
    for step in key_path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def _problem(error: ValidationError, data: Any, path: Path) -> Problem:
    error = _most_specific(error)
    key_path = list(error.absolute_path)
    message, hint, extra = _explain(error)
    if extra is not None:
        key_path.append(extra)
    return Problem(path, message, hint, line=line_of(data, key_path), key_path=format_path(key_path))


def _most_specific(error: ValidationError) -> ValidationError:
    """For 'anyOf'/'oneOf', report the branch that matches the kind of value the author wrote."""
    while error.validator in ("anyOf", "oneOf") and error.context:
        branches: dict[int, list[ValidationError]] = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        fitting = [
            errs for errs in branches.values() if not any(e.validator == "type" and not e.relative_path for e in errs)
        ]
        if not fitting:
            break
        error = max(fitting[0], key=lambda e: len(e.absolute_path))
    return error


def _json_type(value: Any) -> str:
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if value is None:
        return "null"
    return "string" if isinstance(value, str) else type(value).__name__


def _explain(error: ValidationError) -> tuple[str, str, str | int | None]:
    """Message, hint, and an extra key-path step (for errors about one key of a mapping)."""
    kind = error.validator
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed))
        key = extra[0] if extra else None
        hint = f"remove it or correct its spelling; allowed keys here: {', '.join(allowed)}"
        return f"unknown key '{key}'", hint, key
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"missing key '{missing}'", f"add '{missing}:' with a value to this entry", None
    if kind in ("oneOf", "anyOf") and error.context and all(sub.validator == "type" for sub in error.context):
        wanted = " or ".join(_TYPE_NAMES.get(sub.validator_value, sub.validator_value) for sub in error.context)
        found = _TYPE_NAMES.get(_json_type(error.instance), "nothing (an empty value)")
        hint = f"write {wanted} here"
        if error.instance is not None:
            hint += "; put a text in quotes if it looks like a number or yes/no"
        return f"expected {wanted}, found {found}", hint, None
    if kind == "type":
        want = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        if error.schema.get("title") == "a text, or plural forms":
            want = ["string"]  # plural forms are the rare case; the README explains them
        want_text = " or ".join(_TYPE_NAMES.get(w, w) for w in want)
        found = _TYPE_NAMES.get(_json_type(error.instance), "nothing (an empty value)")
        hint = f"write {want_text} here"
        if "string" in want and error.instance is not None:
            hint += "; put a text in quotes if it looks like a number or yes/no"
        return f"expected {want_text}, found {found}", hint, None
    if kind == "minProperties" and "plural forms" in error.schema.get("title", ""):
        return "the plural forms are missing", "write one form per plural category below the key (see README)", None
    if kind == "minProperties":
        return "the mapping is empty", "add the missing entries", None
    if kind in ("enum", "const"):
        options = error.validator_value if kind == "enum" else [error.validator_value]
        listed = ", ".join(str(o) for o in options)
        return f"'{error.instance}' is not allowed here", f"use one of: {listed}", None
    if kind == "propertyNames" or "propertyNames" in error.absolute_schema_path:
        hint = "keys are lower-case words joined by dots, e.g. 'site.name'"
        return f"'{error.instance}' is not a valid key", hint, error.instance
    if kind == "pattern":
        return f"'{error.instance}' is not in the expected form", _pattern_hint(error), None
    if kind == "uniqueItems":
        return "the list contains the same value twice", "remove the repeated value", None
    if kind == "minItems":
        return "the list is empty or too short", "add the missing entries", None
    if kind in ("minimum", "maximum"):
        return f"{error.instance} is out of range", f"use a value {kind} {error.validator_value}", None
    if kind == "minLength":
        return "the text is empty", "write the text", None
    return error.message, "compare this entry with the examples in the README", None


def _pattern_hint(error: ValidationError) -> str:
    pattern = error.validator_value
    if pattern.startswith("^https://"):
        return "write a full https:// address without spaces or quotes"
    if pattern == "^[a-z]{2}$":
        return "use a two-letter ISO 639-1 language code such as 'de'"
    if "[0-9a-f]{12}" in pattern:
        return "copy the 12-character fingerprint that `programme-guide status` shows, or run `programme-guide stamp`"
    if pattern.startswith("^([01][0-9]|2[0-3])"):
        return 'write the time as HH:MM on the 24-hour clock, e.g. "17:00"'
    if pattern == "^[0-9]{4}-[0-9]{2}-[0-9]{2}$":
        return "write the date as YYYY-MM-DD, e.g. 2026-03-05"
    if pattern.startswith("^EAC/"):
        return "write the call reference as EAC/Annn/yyyy, e.g. EAC/A12/2025"
    if "KA" in pattern:
        return "write the action code as KA followed by three digits, e.g. KA220"
    return "use lower-case letters, digits and hyphens, e.g. 'small-scale-partnerships'"
