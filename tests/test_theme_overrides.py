"""The theme files that overrides/ copies or replaces are still the ones its copies were made from.

Each override that stands in for a theme file names that file in the comment at its top, with the theme's
version and the file's SHA-256 when the override was last merged with it:

    Copied from: mkdocs-material 9.8.2 partials/header.html sha256:...   (the theme's file, then changed)
    Replaces: mkdocs-material 9.8.2 partials/copyright.html sha256:...   (written anew, the theme's not used)
    Blocks from: mkdocs-material 9.8.2 base.html sha256:...              (blocks of it copied into main.html)
    Keys from: mkdocs-material 9.8.2 partials/languages/en.html sha256:... (the texts to translate)

When a theme upgrade changes one of these files, its test fails and names the file: compare the file of the
recorded release with the new one, carry the change into the override, then record the new version and hash.
"""

from __future__ import annotations

import hashlib
import re
from importlib.metadata import version
from pathlib import Path

import material
import mkdocs
import pytest

from conftest import ROOT

OVERRIDES = ROOT / "overrides"
THEMES = {
    "mkdocs-material": Path(material.__file__).parent / "templates",
    "mkdocs": Path(mkdocs.__file__).parent / "templates",
}
RECORD = re.compile(
    r"^\s*(?P<relation>Copied from|Replaces|Blocks from|Keys from): (?P<dist>[\w-]+) (?P<version>\S+) "
    r"(?P<path>\S+) sha256:(?P<digest>[0-9a-f]{64})\s*$",
    re.MULTILINE,
)
KEY = re.compile(r'^\s*"([\w.]+)":', re.MULTILINE)


def override_files() -> list[Path]:
    return sorted(p for p in OVERRIDES.rglob("*") if p.is_file())


def records() -> list[tuple[Path, re.Match]]:
    return [(path, match) for path in override_files() for match in RECORD.finditer(path.read_text("utf-8"))]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path,record", records(), ids=lambda v: name(v) if isinstance(v, Path) else v["path"])
def test_the_theme_file_an_override_was_merged_with_is_unchanged(path, record):
    dist, recorded, original = record["dist"], record["version"], record["path"]
    assert dist in THEMES, f"{name(path)}: unknown theme package {dist!r}; use one of {sorted(THEMES)}"
    theme_file = THEMES[dist] / original
    installed = version(dist)
    assert theme_file.is_file(), (
        f"{dist} {installed} no longer has {original} ({record['relation']} in {name(path)}): "
        "find where the theme moved it and merge the override with it"
    )
    assert sha256(theme_file) == record["digest"], (
        f"{original} of {dist} {installed} is not the {recorded} version that {name(path)} was merged with "
        f"({record['relation']}). Compare the two (pip download --no-deps {dist}=={recorded}; the installed one is "
        f"{theme_file}), carry the change into {name(path)}, then update its record to "
        f"'{dist} {installed} {original} sha256:{sha256(theme_file)}'"
    )


def test_every_override_of_a_theme_file_records_the_file_it_stands_in_for():
    files = override_files()
    assert any(path.name == "main.html" for path in files), "no theme override found"
    for path in files:
        relative = path.relative_to(OVERRIDES).as_posix()
        shadowed = [dist for dist, root in THEMES.items() if (root / relative).is_file()]
        recorded = {(m["dist"], m["path"]) for m in RECORD.finditer(path.read_text("utf-8"))}
        for dist in shadowed:
            assert (dist, relative) in recorded, (
                f"{name(path)} stands in for {dist}'s {relative} but does not record it: add "
                f"'Copied from: {dist} {version(dist)} {relative} sha256:{sha256(THEMES[dist] / relative)}' "
                "(or 'Replaces: ...' if it is written anew) to the comment at its top"
            )


def test_the_added_theme_languages_have_every_key_of_the_theme_english():
    """Irish and Maltese are not in the theme: a key missing here would show in English."""
    english = KEY.findall((THEMES["mkdocs-material"] / "partials" / "languages" / "en.html").read_text("utf-8"))
    assert len(english) > 50
    added = sorted((OVERRIDES / "partials" / "languages").glob("*.html"))
    assert [path.stem for path in added] == ["ga", "mt"]
    for path in added:
        keys = KEY.findall(path.read_text("utf-8"))
        missing = sorted(set(english) - set(keys))
        extra = sorted(set(keys) - set(english))
        assert not missing and not extra, f"{name(path)}: missing keys {missing}, keys the theme lacks {extra}"
