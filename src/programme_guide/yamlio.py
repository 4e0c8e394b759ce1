"""Strict YAML reading: safe types only, no duplicate keys, no aliases, and line numbers kept.

PyYAML's safe loader silently keeps the last of two equal keys and expands aliases, which lets a
small file grow into gigabytes ("billion laughs"). Both are refused here, before any value is built,
as are nesting deeper than MAX_DEPTH levels and numbers too long to convert (which would crash the
loader instead of reporting a line). An unclosed quotation mark is reported on the line that opens it.
Every mapping and list remembers the line it starts on, and every mapping the line of each key, so
that schema errors can name the line a translator has to open.

A file whose bytes passed their schema in an earlier run is not parsed again (see :mod:`datacache`):
:func:`load_yaml` returns the recorded data (the same values, lines included) and :func:`validation.validate`
knows it passed. :func:`to_plain` and :func:`from_plain` turn the data into JSON values and back for the record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import datacache
from .errors import DataError, Problem

MAX_BYTES = 2_000_000
MAX_DEPTH = 50


class LineDict(dict):
    """A mapping that knows the line of each of its keys (1-based)."""

    line: int = 0
    key_lines: dict[str, int]
    cache_origin: CacheOrigin | None = None


class LineList(list):
    """A list that knows the line of each of its items (1-based)."""

    line: int = 0
    item_lines: list[int]
    cache_origin: CacheOrigin | None = None


class _Constructor:
    """Builds LineDict/LineList values; refuses merge keys, duplicate keys and numbers too long to convert."""

    def construct_yaml_int(self, node):
        try:
            return super().construct_yaml_int(node)  # type: ignore[misc]
        except ValueError:
            raise yaml.MarkedYAMLError(None, None, "the number is too long", node.start_mark) from None

    def construct_mapping(self, node, deep=False):
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise yaml.MarkedYAMLError(
                    "while reading a mapping",
                    node.start_mark,
                    "YAML merge keys (<<) are not allowed in guide data",
                    key_node.start_mark,
                )
            key = self.construct_object(key_node, deep=True)  # type: ignore[attr-defined]
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                first = result.key_lines[key]
                raise yaml.MarkedYAMLError(
                    "while reading a mapping",
                    node.start_mark,
                    f"duplicate key '{key}' (first defined on line {first})",
                    key_node.start_mark,
                )
            result.key_lines[key] = key_node.start_mark.line + 1
            result[key] = self.construct_object(value_node, deep=True)  # type: ignore[attr-defined]
        return result

    def construct_sequence(self, node, deep=False):
        result = LineList(self.construct_object(child, deep=True) for child in node.value)  # type: ignore[attr-defined]
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result


class _StrictLoader(_Constructor, yaml.SafeLoader):
    """The pure-Python loader: refuses aliases and deep nesting while composing, with exact messages and lines."""

    depth = 0

    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                "while reading the file",
                None,
                "YAML aliases (*name) are not allowed in guide data",
                event.start_mark,
            )
        if self.depth >= MAX_DEPTH:
            problem = f"the data is nested more than {MAX_DEPTH} levels deep"
            raise yaml.MarkedYAMLError("while reading the file", None, problem, self.peek_event().start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


# libyaml's parser is about ten times faster. It reads input that an event scan shows to be free of
# aliases and deep nesting; whatever it cannot read goes through _StrictLoader for the exact message.
_FastLoader = type("_FastLoader", (_Constructor, yaml.CSafeLoader), {}) if yaml.__with_libyaml__ else None

# Dates stay texts ("2026-03-05"): the schemas check their form and the model parses them.
_RESOLVERS = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _loader in (_StrictLoader, _FastLoader):
    if _loader is not None:
        _loader.yaml_implicit_resolvers = _RESOLVERS
        _loader.add_constructor("tag:yaml.org,2002:map", _Constructor.construct_mapping)
        _loader.add_constructor("tag:yaml.org,2002:seq", _Constructor.construct_sequence)
        _loader.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)


def _parse(text: str) -> Any:
    if _FastLoader is not None and _plain(text):
        try:
            return yaml.load(text, Loader=_FastLoader)  # noqa: S506 - a CSafeLoader subclass
        except (yaml.YAMLError, ValueError):
            pass  # the pure-Python loader below reports it with its exact message and line
    return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass


def _plain(text: str) -> bool:
    """True when libyaml reads the text's events without an alias or nesting deeper than MAX_DEPTH."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.AliasEvent):
                return False
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return False
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return False
    return True


def read_text(path: Path) -> str:
    """Read a data file as UTF-8 (a byte-order mark and CRLF line ends are accepted)."""
    return _decode(path, _read_bytes(path))


def _read_bytes(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError([Problem(path, "file not found", "create the file or fix the path")]) from None
    except OSError as exc:
        hint = "replace it with a readable text file"
        raise DataError([Problem(path, f"the file cannot be read ({exc.strerror})", hint)]) from None
    if len(raw) > MAX_BYTES:
        raise DataError(
            [Problem(path, f"file is {len(raw)} bytes; the limit is {MAX_BYTES}", "split or shorten the file")]
        )
    return raw


def _decode(path: Path, raw: bytes) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            [
                Problem(
                    path,
                    f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                    "save the file with UTF-8 encoding in your editor",
                    line=line,
                )
            ]
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_yaml(path: Path) -> Any:
    """Load one YAML file strictly; raise DataError naming file and line on any problem."""
    raw = _read_bytes(path)
    file_digest = datacache.digest(raw) if datacache.folder() is not None else None
    if file_digest is not None:
        data = _recorded(file_digest)
        if data is not None:
            return data
    data = _load_text(path, _decode(path, raw))
    if file_digest is not None and isinstance(data, LineDict | LineList):
        data.cache_origin = CacheOrigin(file_digest, None)
    return data


@dataclass(frozen=True)
class CacheOrigin:
    """Where data came from, for the cache: the SHA-256 of the file's bytes, and the schema the data is known to
    pass (taken from the cache) or None (read afresh, not yet validated)."""

    digest: str
    schema: str | None


def _recorded(file_digest: str) -> LineDict | LineList | None:
    record = datacache.find(file_digest)
    if record is None:
        return None
    try:
        data = from_plain(record.data)
    except (ValueError, TypeError, IndexError, RecursionError):
        return None
    if not isinstance(data, LineDict | LineList):
        return None
    data.cache_origin = CacheOrigin(file_digest, record.schema)
    return data


def _load_text(path: Path, text: str) -> Any:
    if not text.strip():
        raise DataError([Problem(path, "the file is empty", "restore its content from version control")])
    try:
        return _parse(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and "end of stream" in (exc.problem or ""):
            mark = exc.context_mark  # an unclosed quote: point at where it was opened
        line = mark.line + 1 if mark else None
        syntax_error = isinstance(exc, yaml.scanner.ScannerError | yaml.parser.ParserError)
        unclosed = _unclosed_quote(text, line) if syntax_error else None
        if unclosed is not None:
            message = "YAML syntax error: a quotation mark opened on this line is not closed on it"
            raise DataError([Problem(path, message, QUOTE_HINT, line=unclosed)]) from None
        raise DataError([Problem(path, _describe(exc), _yaml_hint(exc), line=line)]) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        message = f"the file contains the control character U+{code:04X}, which YAML does not allow"
        raise DataError([Problem(path, message, "delete it; save the file as plain UTF-8 text", line=line)]) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(path, f"YAML error: {exc}", "check the file's YAML syntax")]) from None


QUOTE_HINT = "close the quotation mark that was opened, or remove it"
_QUOTED_VALUE = re.compile(r"""^\s*(?:- )?(?:[^\s#"'][^:#]*:\s+)?(["'])(.*)$""")


def _unclosed_quote(text: str, until: int | None) -> int | None:
    """The first line (up to ``until``) whose value opens a quotation mark that the line does not close."""
    for number, line in enumerate(text.split("\n")[: until or None], 1):
        match = _QUOTED_VALUE.match(line)
        if match and not _closes(match.group(1), match.group(2)):
            return number
    return None


def _closes(quote: str, rest: str) -> bool:
    if quote == "'":
        return "'" in rest.replace("''", "")
    escaped = False
    for char in rest:
        if char == '"' and not escaped:
            return True
        escaped = char == "\\" and not escaped
    return False


def _describe(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or "invalid YAML"
    ours = "duplicate" in problem or "in guide data" in problem
    if exc.context and not ours:
        return f"YAML syntax error: {problem} ({exc.context})"
    return problem if ours else f"YAML syntax error: {problem}"


def _yaml_hint(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    if "duplicate key" in problem:
        return "remove one of the two entries or give it another key; only one may stay"
    if "alias" in problem or "merge" in problem:
        return "write the value out in full instead of referring to another entry"
    if "\\t" in problem or "tab" in problem:
        return "indent with spaces, not tabs"
    if "quoted" in (exc.context or "") or "end of stream" in problem:
        return QUOTE_HINT
    if "could not determine a constructor" in problem:
        return "remove the tag (the word starting with '!'): guide data holds only texts, numbers, lists and mappings"
    if "nested" in problem:
        return "write the value as the README shows; the data needs only a few levels"
    if "mapping values are not allowed" in problem:
        return (
            "indent keys of the same level equally; put a text that contains ': ' in quotes; "
            "keep keys under 1024 characters"
        )
    if "number is too long" in problem:
        return "write a shorter number, or put the value in quotes if it is a text"
    return "compare the indentation and quoting with the lines around it"


# The data as JSON values, for the cache: a mapping is ["m", line, key, key line, value, ...], a list
# ["l", line, item line, item, ...]; texts, numbers, booleans and null stay as they are.

_SCALARS = (str, int, float, bool, type(None))


def to_plain(data: Any) -> Any:
    """``data`` (as :func:`load_yaml` returns it) as JSON values; TypeError for a value JSON cannot hold."""
    if isinstance(data, LineDict):
        out: list = ["m", data.line]
        for key, value in data.items():
            out += [key, data.key_lines[key], to_plain(value)]
        return out
    if isinstance(data, LineList):
        out = ["l", data.line]
        for line, value in zip(data.item_lines, data, strict=True):
            out += [line, to_plain(value)]
        return out
    if type(data) in _SCALARS:
        return data
    raise TypeError(f"cannot record a {type(data).__name__}")


def from_plain(plain: Any) -> Any:
    """The data :func:`to_plain` was given; ValueError if ``plain`` is not what it writes."""
    if not isinstance(plain, list):
        if type(plain) not in _SCALARS:
            raise ValueError("not a recorded value")
        return plain
    kind, line, rest = plain[0], plain[1], plain[2:]
    if not isinstance(line, int):
        raise ValueError("not a recorded line")
    if kind == "m" and len(rest) % 3 == 0:
        mapping = LineDict()
        mapping.line, mapping.key_lines = line, {}
        for index in range(0, len(rest), 3):
            key, key_line = rest[index], rest[index + 1]
            if not isinstance(key, str) or not isinstance(key_line, int) or key in mapping:
                raise ValueError("not a recorded mapping")
            mapping.key_lines[key] = key_line
            mapping[key] = from_plain(rest[index + 2])
        return mapping
    if kind == "l" and len(rest) % 2 == 0:
        items = LineList(from_plain(item) for item in rest[1::2])
        items.line, items.item_lines = line, list(rest[0::2])
        if not all(isinstance(item_line, int) for item_line in items.item_lines):
            raise ValueError("not a recorded list")
        return items
    raise ValueError("not a recorded value")
