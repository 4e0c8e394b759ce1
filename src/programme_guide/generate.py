"""Write the generated Markdown tree to a folder, touching only files whose content changed.

Writing only what changed keeps `mkdocs serve` from rebuilding in a loop when the tree sits inside the
watched docs folder. Each file is written to a temporary file and renamed into place, so a build reading
the folder sees a whole page, old or new. Files that an earlier run generated but this one did not are
removed; the list of generated files is kept in a manifest (``.generated``) so that hand-made files in
the same folder are never touched. The manifest is not trusted: an entry that is not a page path this
module writes (``../x``, an absolute path, any other file name) is ignored with a warning, and nothing
outside the folder is ever removed. A run for some languages (a one-language preview) removes stale
pages of those languages only, so it never takes away the pages of a full build running beside it.
Two runs never write the same folder at once: each holds an exclusive lock on the folder (``flock``)
while it writes; the second waits up to ``PROGRAMME_GUIDE_LOCK_TIMEOUT`` seconds (default 120).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .atomic import write_atomic
from .edits import EditLinks
from .errors import DataError, Problem
from .facts import load_facts
from .facts import required_keys as fact_keys
from .locales import Catalog, load_catalog
from .model import Guide, load_guide
from .navigation import write_navigation
from .pages import Page, iter_site, render_site
from .textkeys import key_problems

MANIFEST = ".generated"
LOCK_TIMEOUT = 120.0  # seconds to wait for another run writing the same folder
_PAGE_PATH = re.compile(r"(?:[a-z0-9][a-z0-9-]*/)*index(?:\.([a-z]{2,3}))?\.md")


class LockTimeout(Exception):
    """Another run kept the output folder locked for longer than the wait allowed."""


@dataclass(frozen=True)
class Result:
    written: list[str]
    unchanged: int
    removed: list[str]
    warnings: list[str] = field(default_factory=list)


def load(data_dir: Path) -> Catalog:
    """Load and validate everything in data/; raises DataError with every problem found. The check includes
    rendering the source language's pages (every key they use must exist): a caller that renders them anyway
    calls :func:`load_data` and renders them once (see :func:`render_checked`)."""
    catalog = load_data(data_dir)
    render_site(catalog, [catalog.guide.source_language])
    return catalog


def load_data(data_dir: Path) -> Catalog:
    """Everything :func:`load` checks except rendering the pages. Data files that passed their schema in an
    earlier run with the same bytes are taken from the cache (see :mod:`datacache`)."""
    guide: Guide = load_guide(data_dir)
    catalog = load_catalog(guide)
    catalog.facts = load_facts(guide)
    missing = [key for key in fact_keys(catalog.facts) if key not in catalog.source.entries]
    if missing:
        hint = "add the key with its Dutch text to the source locale file"
        source = catalog.source.path
        raise DataError([Problem(source, f"key '{key}' is used in facts.yml but not defined", hint) for key in missing])
    _check_used_keys(catalog)
    return catalog


def _check_used_keys(catalog: Catalog) -> None:
    """Every text the site uses exists in the source language: the keys the templates, the theme overrides,
    the engine and the MkDocs adapters name (found by reading them, each reported with its file and line). The
    keys that rendering the source pages asks for are checked by rendering them (:func:`render_checked`)."""
    source = catalog.source
    problems = key_problems(source.entries, source.path, catalog.guide.data_dir.parent)
    if problems:
        raise DataError(problems)


def render_checked(
    catalog: Catalog, languages: Sequence[str] | None = None, edit: EditLinks | None = None
) -> list[Page]:
    """The pages of ``languages`` (default all) for a catalog from :func:`load_data`, after the check that
    :func:`load` makes: the source language's pages are always rendered, so a key they use that the source
    locale file lacks raises the same DataError; they are returned only if asked for."""
    codes = list(languages or catalog.guide.language_codes)
    source = catalog.guide.source_language
    if source in codes:
        return render_site(catalog, codes, edit=edit)
    render_site(catalog, [source])
    return render_site(catalog, codes, edit=edit)


_cache: dict[Path, tuple[tuple, Catalog]] = {}


def load_cached(data_dir: Path) -> Catalog:
    """Like :func:`load_data`, but reuse the last result while no file in data/ changed (one load per build).
    Whoever builds the pages renders them with :func:`write_site`, which makes the rest of :func:`load`'s
    check."""
    key = tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in data_dir.rglob("*.yml")))
    hit = _cache.get(data_dir)
    if hit is not None and hit[0] == key:
        return hit[1]
    catalog = load_data(data_dir)
    _cache[data_dir] = (key, catalog)
    return catalog


# The pages written last: catalog, edit links, the pages without their Markdown.
_rendered: list[tuple[Catalog, EditLinks | None, list[Page]]] = []


def load_beside(config_file: str | Path) -> Catalog:
    """The catalog of the data/ folder next to a site configuration file (such as mkdocs.yml)."""
    return load_cached(data_dir_beside(config_file))


def data_dir_beside(config_file: str | Path) -> Path:
    return Path(config_file).resolve().parent / "data"


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def write_site(
    catalog: Catalog,
    languages: Sequence[str],
    out_dir: Path,
    edit: EditLinks | None = None,
    notify: Callable[[str], None] = _say,
) -> Result:
    """Render the pages of ``languages`` for a catalog from :func:`load_data` and write them with
    :func:`write_tree`, keeping of each only what :func:`last_rendered` answers with (its URL, the texts it uses
    and their states), not its Markdown, so a build of many languages holds one page's text at a time.

    Nothing is written before the pages of the source language (if it is among ``languages``) and of one
    translation are rendered: between them they use every text any page uses, and a text the source locale
    file lacks raises the DataError of :func:`load` in any language, so a text that is missing or used wrong
    stops the run first. A later error could only come from the data changing meanwhile."""
    codes = list(languages)
    source = catalog.guide.source_language
    translations = [code for code in codes if code != source]
    first = [code for code in codes if code == source] + translations[:1]
    ahead = render_site(catalog, first, edit=edit)  # the check; raises before anything is written
    rest = [code for code in codes if code not in first]
    kept: list[Page] = []
    key_sets: dict[frozenset[str], frozenset[str]] = {}  # a page uses the same texts in every language: kept once

    def stream() -> Iterator[Page]:
        for page in [*ahead, *iter_site(catalog, rest, edit=edit)]:
            yield page
            kept.append(replace(page, markdown="", keys=key_sets.setdefault(page.keys, page.keys)))

    result = write_tree(stream(), out_dir, source, catalog.guide.language_codes, notify)
    _rendered[:] = [(catalog, edit, kept)]
    return result


def last_rendered(catalog: Catalog) -> tuple[list[Page], EditLinks | None] | None:
    """The pages :func:`write_site` wrote last for ``catalog``, without their Markdown, with the edit links they
    were rendered with."""
    return next(((pages, edit) for hit, edit, pages in _rendered if hit is catalog), None)


def write_tree(
    pages: Iterable[Page],
    out_dir: Path,
    source_language: str,
    languages: Sequence[str] | None = None,
    notify: Callable[[str], None] = _say,
) -> Result:
    """Write ``pages`` under ``out_dir`` and remove the pages an earlier run wrote that are stale.

    ``languages`` are all configured languages; pages of a configured language that this run does not
    write are kept. Without it, every earlier page that this run does not write is stale."""
    out_dir.mkdir(parents=True, exist_ok=True)
    root = out_dir.resolve()
    with locked(root, notify=notify):
        previous, warnings = _read_manifest(root)
        written, unchanged, current, written_languages = _write_pages(pages, root, source_language)
        configured = set(languages) if languages is not None else written_languages
        removed, kept = [], []
        for rel, suffix in sorted(previous.items()):
            lang = suffix or source_language
            if rel in current:
                continue
            if lang in configured and lang not in written_languages:
                if (root / rel).is_file():
                    kept.append(rel)
                continue
            if _remove(root, rel):
                removed.append(rel)
        listing = "".join(f"{rel}\n" for rel in sorted({*current, *kept}))
        manifest = root / MANIFEST
        if not manifest.is_file() or manifest.read_text("utf-8") != listing:
            write_atomic(manifest, listing.encode("utf-8"), durable=False)
    return Result(written, unchanged, removed, warnings)


def _write_pages(pages: Iterable[Page], root: Path, source_language: str) -> tuple[list[str], int, set[str], set[str]]:
    written, unchanged, current, languages = [], 0, set(), set()
    folders: dict[Path, Path] = {}  # each folder with its links followed: the pages of all languages share one
    for page in pages:
        languages.add(page.lang)
        rel = page.docs_path(source_language)
        folder = (root / rel).parent
        if folder not in folders:
            folders[folder] = folder.resolve()
        target = folders[folder] / Path(rel).name
        if root not in target.parents:
            raise ValueError(f"refusing to write outside {root}: {rel}")
        current.add(rel)
        data = page.markdown.encode("utf-8")
        if target.is_file() and target.read_bytes() == data:
            unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, data, durable=False)
        written.append(rel)
    return written, unchanged, current, languages


def _read_manifest(root: Path) -> tuple[dict[str, str | None], list[str]]:
    """The pages an earlier run wrote, by path, with their language; and warnings for entries ignored."""
    manifest = root / MANIFEST
    if not manifest.is_file():
        return {}, []
    entries: dict[str, str | None] = {}
    warnings = []
    inside: dict[str, bool] = {}  # by folder: the pages of all languages share one
    for rel in manifest.read_text("utf-8", errors="replace").splitlines():
        rel = rel.strip()
        if not rel:
            continue
        match = _PAGE_PATH.fullmatch(rel)
        folder = rel.rpartition("/")[0]  # a page path (the match) has no '.', '..' or '//' to make it differ
        if match is not None and folder not in inside:
            inside[folder] = _inside(root, rel)
        if match is None or not inside[folder]:
            warnings.append(
                f"ignored '{rel}' in {manifest}: not a page this tool writes inside {root}, so it was not removed"
            )
            continue
        entries[rel] = match.group(1)
    return entries, warnings


def _inside(root: Path, rel: str) -> bool:
    """Whether ``rel``'s folder, with every symbolic link followed, lies inside ``root``."""
    folder = (root / rel).parent.resolve()
    return folder == root or root in folder.parents


def _remove(root: Path, rel: str) -> bool:
    target = root / rel
    if target.is_symlink() or target.is_file():
        target.unlink()
        return True
    return False


@contextlib.contextmanager
def locked(folder: Path, timeout: float | None = None, notify: Callable[[str], None] = _say) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (shared with every other process that writes it); ``notify``
    is told once when another run holds it and this one waits."""
    if timeout is None:
        timeout = float(os.environ.get("PROGRAMME_GUIDE_LOCK_TIMEOUT", LOCK_TIMEOUT))
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        deadline = time.monotonic() + timeout
        waiting = False
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waiting:
                    notify(f"waiting for another build or `programme-guide generate` to finish writing {folder}")
                    waiting = True
                if time.monotonic() >= deadline:
                    raise LockTimeout(
                        f"another build or `programme-guide generate` is writing {folder} and did not finish "
                        f"within {timeout:g} s; wait for it to end, then run this command again"
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(descriptor)


def generate(
    data_dir: Path, out_dir: Path, languages: list[str] | None = None, edit: EditLinks | None = None
) -> tuple[Catalog, Result]:
    catalog = load_data(data_dir)
    pages = render_checked(catalog, languages, edit=edit)
    result = write_tree(pages, out_dir, catalog.guide.source_language, catalog.guide.language_codes)
    write_navigation(catalog, out_dir, languages or catalog.guide.language_codes)
    return catalog, result
