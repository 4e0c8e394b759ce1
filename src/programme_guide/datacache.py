"""A cache of the data files that were read and passed their schema, kept between runs.

Reading the 24 locale files and checking them against their schemas is most of the time it takes to load data/;
it gives the same result as long as the file's bytes, the engine (its Python modules and schemas) and the YAML and
JSON Schema libraries are the same. So each data file that was read and passed its schema is recorded, under the
SHA-256 of its bytes and a fingerprint of the engine, and a later run that reads the same bytes takes the data from
the record instead of parsing and checking them again. Only that is cached: every check after the schema (the
texts, the translations against the Dutch source, the termbase, the facts) runs on every load, with its warnings.

The records are kept in ``$XDG_CACHE_HOME/programme-guide/data`` (by default ``~/.cache/programme-guide/data``),
outside the project, so a command changes nothing in it by caching; ``PROGRAMME_GUIDE_CACHE=<folder>`` keeps them
there instead and ``PROGRAMME_GUIDE_CACHE=off`` switches the cache off. Records are named by content, so copies of
the same data share them; the least recently used are removed beyond MAX_RECORDS (a few versions of every file).
A record is never trusted blindly: one that cannot be read, that another engine or library version wrote, or whose
data is not of the recorded form is ignored and the file read afresh. A file that fails to parse or to pass its
schema is never recorded. Records are written atomically (see :mod:`atomic`); a cache that cannot be written to
is left alone without a word.

The same folder keeps what the page templates compile to, so that a run does not compile them again: Jinja's own
bytecode cache (:func:`template_cache`, in ``templates/``, one folder per Jinja version and template environment,
each entry checked against the template's source), and values computed once (:func:`find_value`/:func:`store_value`
under ``values/``): the text keys the templates and modules use, named by a digest of the files they were read
from, and the plural categories of each language, named by the Babel version and the language.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import os
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import yaml
from jinja2.bccache import Bucket, FileSystemBytecodeCache

from .atomic import write_atomic

VARIABLE = "PROGRAMME_GUIDE_CACHE"
FORMAT = 1
MAX_RECORDS = 300  # then the least recently used are removed down to KEPT_RECORDS
KEPT_RECORDS = 240
_OFF = {"0", "off", "no", "false"}
_PACKAGE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Record:
    """What a record says about a data file: the schema it passed and its data (see :func:`yamlio.to_plain`)."""

    schema: str
    data: Any


def folder() -> Path | None:
    """Where the records are kept, or None when the cache is switched off (or there is no home folder)."""
    setting = os.environ.get(VARIABLE, "").strip()
    if setting.lower() in _OFF:
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:
            return None
    return Path(base) / "programme-guide" / "data"


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def find(file_digest: str) -> Record | None:
    """The record of a file with these bytes, if this engine wrote one; None otherwise."""
    record = _read(_record_path(file_digest), {"digest": file_digest}, ("schema", "data"))
    return Record(record["schema"], record["data"]) if record is not None else None


def store(file_digest: str, schema: str, data: Any) -> None:
    """Record that a file with these bytes passed ``schema`` and holds ``data``; a record that cannot be written
    is left out without a word (the next run reads the file again)."""
    _write(_record_path(file_digest), digest=file_digest, schema=schema, data=data)


def _record_path(file_digest: str) -> Path | None:
    where = folder()
    if where is None:
        return None
    return where / f"{hashlib.sha256(f'{engine()} {file_digest}'.encode()).hexdigest()[:40]}.json"


def _prune(where: Path, pattern: str = "*.json") -> None:
    """Remove the least recently used records beyond MAX_RECORDS (down to KEPT_RECORDS)."""
    records = list(where.glob(pattern))
    if len(records) <= MAX_RECORDS:
        return
    dated = []
    for record in records:
        with contextlib.suppress(OSError):
            dated.append((record.stat().st_mtime_ns, record))
    for _, record in sorted(dated)[: len(dated) - KEPT_RECORDS]:
        with contextlib.suppress(OSError):
            record.unlink()


def find_value(kind: str, key: str) -> Any | None:
    """A value stored under ``kind`` and ``key`` (what it was computed from, or a digest of it) by this engine, or
    None."""
    record = _read(_value_path(kind, key), {"key": key}, ("value",))
    return record["value"] if record is not None else None


def store_value(kind: str, key: str, value: Any) -> None:
    """Keep ``value`` (plain JSON data) under ``kind`` and ``key``; left out without a word if it cannot be."""
    _write(_value_path(kind, key), key=key, value=value)


def _read(path: Path | None, identity: dict[str, str], fields: tuple[str, ...]) -> dict | None:
    """The record at ``path`` if this engine wrote it under ``identity`` (its digest or key) and it holds
    ``fields`` ("schema" a text), else None; a record used is marked as recently used."""
    if path is None:
        return None
    try:
        record = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(record, dict) or record.get("format") != FORMAT or record.get("engine") != engine():
        return None
    if any(record.get(name) != value for name, value in identity.items()) or any(f not in record for f in fields):
        return None
    if "schema" in fields and not isinstance(record["schema"], str):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: kept when older records are removed
    return record


def _write(path: Path | None, **fields: Any) -> None:
    """Write a record of this engine to ``path``, atomically; left out without a word if it cannot be."""
    if path is None:
        return
    record = {"format": FORMAT, "engine": engine(), **fields}
    try:
        encoded = json.dumps(record, separators=(",", ":")).encode("ascii")
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, encoded, durable=False)
        _prune(path.parent)
    except (OSError, ValueError, TypeError, RecursionError):
        return


def _value_path(kind: str, key: str) -> Path | None:
    where = folder()
    if where is None:
        return None
    return where / "values" / kind / f"{hashlib.sha256(f'{engine()} {key}'.encode()).hexdigest()[:40]}.json"


class _TemplateCache(FileSystemBytecodeCache):
    """Jinja's bytecode cache in a folder that may not exist yet or be read-only: then nothing is kept."""

    def load_bytecode(self, bucket: Bucket) -> None:
        super().load_bytecode(bucket)
        if bucket.code is not None:
            with contextlib.suppress(OSError):
                os.utime(self._get_cache_filename(bucket))  # recently used: kept when older ones are removed

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            Path(self.directory).mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)
            _prune(Path(self.directory).parent.parent, "*/*/*.cache")


def template_cache(environment: str) -> FileSystemBytecodeCache | None:
    """A bytecode cache for the Jinja environment named ``environment``, or None with the cache off. Jinja checks
    each entry against its template's source; the options and filters an environment compiles with are the
    engine's code, so each environment and each version of the engine and of Jinja has a folder of its own."""
    where = folder()
    if where is None:
        return None
    version = hashlib.sha256(f"{engine()} {jinja2.__version__}".encode()).hexdigest()[:16]
    return _TemplateCache(str(where / "templates" / version / environment))


@cache
def engine() -> str:
    """A fingerprint of what turns a file's bytes into checked data: the engine's modules and schemas, Python,
    and the YAML and JSON Schema libraries."""
    sha = hashlib.sha256()
    libraries = [_version(name) for name in ("PyYAML", "jsonschema", "referencing")]
    parts = [sys.version, *libraries, f"libyaml {yaml.__with_libyaml__}"]
    sha.update("\0".join(parts).encode("utf-8"))
    for file in sorted([*_PACKAGE.glob("*.py"), *(_PACKAGE / "schemas").glob("*.json")]):
        sha.update(f"\0{file.relative_to(_PACKAGE)}\0".encode())
        sha.update(file.read_bytes())
    return sha.hexdigest()


def _version(distribution: str) -> str:
    try:
        return f"{distribution} {importlib.metadata.version(distribution)}"
    except importlib.metadata.PackageNotFoundError:
        return f"{distribution} none"
