"""The cache of checked data files (programme_guide.datacache): a second load takes each unchanged file from the
cache, an edited file is read afresh, a broken file gives its error whatever the cache holds, and a record from
another engine or one that cannot be read is ignored. And the pages are rendered once per build: a key they use
wrongly still stops `programme-guide check` and the build with the same message. On the sample data."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import cli, mkdocs_build, sample_data, sample_project
from helpers import sweep, tree
from programme_guide import datacache
from programme_guide.errors import DataError
from programme_guide.generate import load

KEY = "site.name"  # a text of every locale file, shown on every page


@pytest.fixture
def data(tmp_path, monkeypatch) -> Path:
    """The sample's data folder, with a cache of its own in tmp_path/cache, empty."""
    monkeypatch.setenv(datacache.VARIABLE, str(tmp_path / "cache"))
    return sample_data(tmp_path)


def records(data: Path, folder: Path | None = None) -> dict[str, Path]:
    """The records of the files of ``data`` in a cache folder (default: the fixture's), by the files' names."""
    digests = {datacache.digest(path.read_bytes()): path.stem for path in data.rglob("*.yml")}
    found = {}
    for record in (folder or data.parent / "cache").glob("*.json"):
        name = digests.get(json.loads(record.read_bytes()).get("digest"))
        if name is not None:
            found[name] = record
    return found


def english(data: Path) -> str:
    return load(data).text("en", KEY).value


def edit_english(data: Path, old: str, new: str) -> None:
    path = data / "locales" / "en.yml"
    text = path.read_text("utf-8")
    assert old in text, f"test setup: {old!r} is not in en.yml"
    path.write_text(text.replace(old, new, 1), "utf-8")


def tamper(record: Path, old: str, new: str) -> None:
    """Change a text inside a record, keeping it well-formed and its bytes' fingerprint: only a load that takes
    the data from the record shows the changed text."""
    content = record.read_text("ascii")
    assert json.dumps(old) in content
    record.write_text(content.replace(json.dumps(old), json.dumps(new), 1), "ascii")


def test_every_checked_file_is_recorded_and_a_second_load_uses_the_records(data):
    shown = english(data)
    kept = records(data)
    assert {"nl", "en", "pl", "guide", "languages", "facts"} <= set(kept), sorted(kept)
    tamper(kept["en"], shown, "Taken from the cache")
    assert english(data) == "Taken from the cache"


def test_an_edited_file_is_read_again(data):
    shown = english(data)
    edit_english(data, json.dumps(shown, ensure_ascii=False), json.dumps("An edited name"))
    assert english(data) == "An edited name"
    assert english(data) == "An edited name"  # and recorded again: the next load takes the new version


def test_a_broken_file_gives_its_error_after_a_good_version_was_recorded(data, monkeypatch):
    english(data)
    edit_english(data, "\nstrings:\n", "\nreveiw: draft\nstrings:\n")  # an unknown key: the schema refuses it
    with pytest.raises(DataError) as cached:
        load(data)
    monkeypatch.setenv(datacache.VARIABLE, "off")
    with pytest.raises(DataError) as fresh:
        load(data)
    assert cached.value.format() == fresh.value.format()
    assert re.search(r"en\.yml:\d+: at 'reveiw': unknown key 'reveiw'", cached.value.format())


def test_checks_after_the_schema_run_on_every_load(data):
    """A cached file still gets every check that looks beyond its schema: here a translation with markup."""
    english(data)
    path = data / "locales" / "en.yml"
    shown = english(data)
    edit_english(data, json.dumps(shown, ensure_ascii=False), json.dumps("<b>Bold</b>"))
    for _ in range(2):
        with pytest.raises(DataError) as error:
            load(data)
        assert f"{path.name}:" in error.value.format() and "markup differs from the Dutch text" in error.value.format()


def test_a_record_of_another_engine_is_not_used(data, monkeypatch):
    shown = english(data)
    tamper(records(data)["en"], shown, "Taken from the cache")
    monkeypatch.setattr(datacache, "engine", lambda: "another engine")
    assert english(data) == shown


UNREADABLE = [b"", b"{not json", b'{"format": 1}', b'["m", 1, "a"]', b"\xff\xfe"]


@pytest.mark.parametrize("content", sweep(UNREADABLE, quick=2))
def test_a_record_that_cannot_be_read_is_ignored_and_written_again(data, content):
    shown = english(data)
    record = records(data)["en"]
    record.write_bytes(content)
    assert english(data) == shown
    assert json.loads(record.read_bytes())["format"] == datacache.FORMAT


def test_a_record_with_data_of_the_wrong_shape_is_ignored(data):
    shown = english(data)
    record = records(data)["en"]
    content = json.loads(record.read_bytes())
    content["data"] = ["m", 1, "strings", "no line", "x"]
    record.write_text(json.dumps(content), "ascii")
    assert english(data) == shown


def test_a_change_to_a_schema_or_a_module_changes_the_engine_fingerprint(tmp_path, monkeypatch):
    package = shutil.copytree(Path(datacache.__file__).parent, tmp_path / "package")
    monkeypatch.setattr(datacache, "_PACKAGE", package)
    fingerprint = datacache.engine.__wrapped__
    before = fingerprint()
    schema = package / "schemas" / "locale.schema.json"
    schema.write_text(schema.read_text("utf-8").replace('"type"', '"type" ', 1), "utf-8")
    after_schema = fingerprint()
    (package / "locales.py").write_text((package / "locales.py").read_text("utf-8") + "\n# changed\n", "utf-8")
    assert len({before, after_schema, fingerprint()}) == 3


def test_the_cache_is_kept_outside_the_project_and_can_be_moved_or_switched_off(data, tmp_path, monkeypatch):
    monkeypatch.delenv(datacache.VARIABLE)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    english(data)
    assert "en" in records(data, tmp_path / "xdg" / "programme-guide" / "data")
    assert not (data.parent / ".cache").exists() and not (data / ".cache").exists()
    monkeypatch.setenv(datacache.VARIABLE, str(tmp_path / "elsewhere"))
    english(data)
    assert "en" in records(data, tmp_path / "elsewhere")
    monkeypatch.setenv(datacache.VARIABLE, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-off"))
    english(data)
    assert not (tmp_path / "xdg-off").exists() and not records(data)


def test_the_least_recently_used_records_are_removed_beyond_the_limit(data, monkeypatch):
    monkeypatch.setattr(datacache, "MAX_RECORDS", 4)
    monkeypatch.setattr(datacache, "KEPT_RECORDS", 3)
    folder = data.parent / "cache"
    folder.mkdir()
    for n in range(4):
        old = folder / f"old-{n}.json"
        old.write_text("{}", "ascii")
        os.utime(old, (1_000_000_000 + n, 1_000_000_000 + n))
    english(data)
    left = sorted(path.name for path in folder.glob("*.json"))
    assert 3 <= len(left) <= 4 and not any(name.startswith("old-") for name in left), left


def test_a_second_check_prints_the_same_report_and_warnings(data):
    first = cli("--data", str(data), "check")
    assert first.returncode == 0, first.stderr
    assert records(data)
    again = cli("--data", str(data), "check")
    assert (again.returncode, again.stdout, again.stderr) == (first.returncode, first.stdout, first.stderr)


# One rendering per build: the source pages are rendered once, and that rendering is the check of the keys they use


PLURAL = "fact.consortium.organisations"  # a text with plural forms that the sample's pages show for a number


def make_plural_one_text(data: Path) -> None:
    """Write the Dutch plural text as one text and drop its translations: every file is valid on its own, but
    the pages that show it for a number cannot."""
    for path in (data / "locales").glob("*.yml"):
        text = path.read_text("utf-8")
        if path.stem == "nl":
            # the entry's line and its forms below it, or the forms written inline
            changed = re.sub(
                rf"(?m)^  {re.escape(PLURAL)}:.*\n(?:    .*\n)*", f'  {PLURAL}: "ten minste {{count}}"\n', text
            )
        else:
            changed = re.sub(rf"(?m)^  {re.escape(PLURAL)}:\n(    .*\n)+", "", text)
        assert changed != text, f"test setup: {PLURAL} not found in {path.name}"
        path.write_text(changed, "utf-8")


MESSAGE = f"nl.yml: key '{PLURAL}' is used with a number but is one text"


def test_check_reports_a_text_the_pages_use_wrongly(data):
    make_plural_one_text(data)
    result = cli("--data", str(data), "check")
    assert result.returncode == 1
    assert MESSAGE in result.stderr and "fix: write its Dutch text as plural forms" in result.stderr


def test_a_preview_build_stops_with_the_same_message(tmp_path):
    project = sample_project(tmp_path / "project")
    make_plural_one_text(project / "data")
    result = mkdocs_build(project, project / "site", BUILD_ONLY_LOCALE="en")
    assert result.returncode == 1
    assert MESSAGE in result.stderr and "fix: write its Dutch text as plural forms" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "site" / "index.html").exists()


# Compiled templates: the theme's and the engine's, kept in the same folder


def compiled(folder: Path) -> dict[str, list[Path]]:
    """The compiled templates in a cache folder, by the environment that compiled them ("pages", "theme-...")."""
    found: dict[str, list[Path]] = {}
    for path in sorted((folder / "templates").glob("*/*/*.cache")):
        found.setdefault(path.parent.name.split("-")[0], []).append(path)
    return found


@pytest.mark.slow  # builds the sample's English preview three times
def test_templates_are_compiled_once_and_an_edited_override_shows_in_the_next_build(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv(datacache.VARIABLE, str(cache))
    project = sample_project(tmp_path / "project")
    first = mkdocs_build(project, tmp_path / "first", BUILD_ONLY_LOCALE="en")
    assert first.returncode == 0, first.stderr[-3000:]
    kept = compiled(cache)
    assert kept.get("theme") and kept.get("pages"), kept
    written = {path: path.stat().st_ino for paths in kept.values() for path in paths}  # rewritten: another inode

    again = mkdocs_build(project, tmp_path / "again", BUILD_ONLY_LOCALE="en")
    assert again.returncode == 0, again.stderr[-3000:]
    assert {path: path.stat().st_ino for path in written} == written, "nothing is compiled again"
    assert tree(tmp_path / "again") == tree(tmp_path / "first")

    main = project / "overrides" / "main.html"
    text = main.read_text("utf-8")
    assert MISTYPED[0] in text, "test setup: overrides/main.html no longer shows the disclaimer with pg()"
    main.write_text(text.replace(MISTYPED[0], f'"{EDITED}" ~ {MISTYPED[0]}', 1), "utf-8")
    edited = mkdocs_build(project, tmp_path / "edited", BUILD_ONLY_LOCALE="en")
    assert edited.returncode == 0, edited.stderr[-3000:]
    assert EDITED in (tmp_path / "edited" / "index.html").read_text("utf-8")
    assert EDITED not in (tmp_path / "again" / "index.html").read_text("utf-8")


EDITED = "An edited banner: "
MISTYPED = ('pg("site.disclaimer")', 'pg("site.disclaimr")')


def test_a_key_mistyped_in_an_override_after_a_clean_check_is_reported(tmp_path, monkeypatch):
    """The keys the templates use are kept too, under the templates' bytes: a changed template is read again."""
    monkeypatch.setenv(datacache.VARIABLE, str(tmp_path / "cache"))
    project = sample_project(tmp_path / "project")
    assert cli("check", cwd=project).returncode == 0
    assert list((tmp_path / "cache" / "values" / "key-uses").glob("*.json"))
    main = project / "overrides" / "main.html"
    main.write_text(main.read_text("utf-8").replace(*MISTYPED, 1), "utf-8")
    result = cli("check", cwd=project)
    assert result.returncode == 1, result.stdout
    assert "overrides/main.html:" in result.stderr
    assert "the text key 'site.disclaimr' is not defined in nl.yml" in result.stderr


def test_with_the_cache_off_no_template_is_kept(tmp_path, monkeypatch):
    monkeypatch.setenv(datacache.VARIABLE, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    data = sample_data(tmp_path)
    assert cli("--data", str(data), "check").returncode == 0
    assert not (tmp_path / "home-cache").exists()
    assert datacache.template_cache("pages") is None


@pytest.mark.slow  # builds the sample's English preview twice and writes the Dutch pages between them
def test_a_translation_preview_needs_no_dutch_page(tmp_path):
    """The preview of a translation renders and writes that language's pages only, in a new copy too (no Dutch
    page file yet), and its site is the same once the Dutch pages are there."""
    project = sample_project(tmp_path / "project")
    first = mkdocs_build(project, tmp_path / "first", BUILD_ONLY_LOCALE="en")
    assert first.returncode == 0, first.stderr[-3000:]
    docs = project / "docs"
    assert (docs / "about" / "index.en.md").is_file()
    assert not list(docs.rglob("index.md")) and not list(docs.rglob("index.pl.md"))
    generated = cli("--data", str(project / "data"), "generate", str(docs))
    assert generated.returncode == 0, generated.stderr
    assert (docs / "about" / "index.md").is_file()
    again = mkdocs_build(project, tmp_path / "again", BUILD_ONLY_LOCALE="en")
    assert again.returncode == 0, again.stderr[-3000:]
    assert tree(tmp_path / "again") == tree(tmp_path / "first")
