"""Write the generated Markdown tree to a folder, touching only files whose content changed.

Writing only what changed keeps `mkdocs serve` from rebuilding in a loop when the tree sits inside the
watched docs folder. Files that an earlier run generated but this one did not are removed; the list
of generated files is kept in a manifest so that hand-made files in the same folder are never touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import DataError, Problem
from .facts import load_facts
from .facts import required_keys as fact_keys
from .locales import Catalog, load_catalog
from .model import Guide, load_guide
from .pages import INTERFACE_KEYS, Page, render_site

MANIFEST = ".generated"


@dataclass(frozen=True)
class Result:
    written: list[str]
    unchanged: int
    removed: list[str]


def load(data_dir: Path) -> Catalog:
    """Load and validate everything in data/; raises DataError with every problem found."""
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
    """Every text the site uses exists in the source language (rendering the source pages finds them all)."""
    source = catalog.source
    missing = [key for key in INTERFACE_KEYS if key not in source.entries]
    if missing:
        hint = "add the key with its Dutch text to the source locale file (or restore it from version control)"
        raise DataError(
            [Problem(source.path, f"key '{key}' is used by the site but not defined", hint) for key in missing]
        )
    render_site(catalog, [catalog.guide.source_language])


_cache: dict[Path, tuple[tuple, Catalog]] = {}


def load_cached(data_dir: Path) -> Catalog:
    """Like :func:`load`, but reuse the last result while no file in data/ changed (one load per build)."""
    key = tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in data_dir.rglob("*.yml")))
    hit = _cache.get(data_dir)
    if hit is not None and hit[0] == key:
        return hit[1]
    catalog = load(data_dir)
    _cache[data_dir] = (key, catalog)
    return catalog


_rendered: dict[tuple[str, ...], tuple[Catalog, list[Page]]] = {}


def load_beside(config_file: str | Path) -> Catalog:
    """The catalog of the data/ folder next to a site configuration file (such as mkdocs.yml)."""
    return load_cached(data_dir_beside(config_file))


def data_dir_beside(config_file: str | Path) -> Path:
    return Path(config_file).resolve().parent / "data"


def render_cached(catalog: Catalog, languages: list[str]) -> list[Page]:
    """The rendered pages of ``languages``, rendered once per loaded catalog (a build asks several times)."""
    key = tuple(languages)
    hit = _rendered.get(key)
    if hit is not None and hit[0] is catalog:
        return hit[1]
    pages = render_site(catalog, list(languages))
    _rendered.clear()
    _rendered[key] = (catalog, pages)
    return pages


def write_tree(pages: list[Page], out_dir: Path, source_language: str) -> Result:
    out_dir.mkdir(parents=True, exist_ok=True)
    root = out_dir.resolve()
    manifest = out_dir / MANIFEST
    previous = set(manifest.read_text("utf-8").split()) if manifest.exists() else set()
    written, unchanged, current = [], 0, []
    for page in pages:
        rel = page.docs_path(source_language)
        target = (out_dir / rel).resolve()
        if root not in target.parents:
            raise ValueError(f"refusing to write outside {root}: {rel}")
        current.append(rel)
        data = page.markdown.encode("utf-8")
        if target.exists() and target.read_bytes() == data:
            unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(rel)
    removed = sorted(previous - set(current))
    for rel in removed:
        stale = out_dir / rel
        if stale.is_file():
            stale.unlink()
    listing = "\n".join(sorted(current)) + "\n"
    if not manifest.exists() or manifest.read_text("utf-8") != listing:
        manifest.write_text(listing, "utf-8")
    return Result(written, unchanged, removed)


def generate(data_dir: Path, out_dir: Path, languages: list[str] | None = None) -> tuple[Catalog, Result]:
    catalog = load(data_dir)
    pages = render_site(catalog, languages)
    return catalog, write_tree(pages, out_dir, catalog.guide.source_language)
