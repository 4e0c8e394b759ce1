"""Nothing lost: the commands change only what they are asked to change, refuse what is not theirs, and end
in a one-paragraph error (never a traceback) with the documented exit code.

Every test works on a temporary copy of the sample data set (tests/samples/basic, with German and Finnish added
where a test edits their files; or of a project with it) and checks that every file outside the intended change
is byte-for-byte the same afterwards. The commands load five locale files there, not the guide's 24.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from translate.storage import po

from conftest import build_env, cli, sample_data, sample_project

pytestmark = pytest.mark.slow  # about forty runs of the commands, and builds


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def copy_data(tmp_path: Path) -> Path:
    """The sample data with the project's German and Finnish (the languages these tests edit) added."""
    return sample_data(tmp_path, add=("de", "fi"))


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "programme_guide.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def clear_error(result: subprocess.CompletedProcess, code: int, pattern: str) -> None:
    """The command failed with ``code`` and one message matching ``pattern``, without a traceback."""
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    assert re.search(pattern, result.stderr), result.stderr


# The generated tree


def test_generate_never_removes_what_the_manifest_points_outside_its_folder(tmp_path):
    data = sample_data(tmp_path)
    out = tmp_path / "out"
    (out / "assets").mkdir(parents=True)
    (tmp_path / "victim.txt").write_text("keep me")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "index.md").write_text("keep me too")
    (out / "link").symlink_to(tmp_path / "elsewhere")
    (out / "assets" / "style.css").write_text("hand-made")
    (out / "notes.md").write_text("hand-made")
    manifest = ["../victim.txt", str(tmp_path / "victim.txt"), "link/index.md", "assets/style.css", "notes.md"]
    (out / ".generated").write_text("\n".join(manifest) + "\n")
    before = snapshot(tmp_path / "elsewhere") | {"victim": (tmp_path / "victim.txt").read_bytes()}
    result = cli("--data", str(data), "generate", str(out))
    assert result.returncode == 0, result.stderr
    for entry in manifest:
        assert f"warning: ignored '{entry}'" in result.stderr
    assert snapshot(tmp_path / "elsewhere") | {"victim": (tmp_path / "victim.txt").read_bytes()} == before
    assert (out / "assets" / "style.css").read_text() == "hand-made" and (out / "notes.md").read_text() == "hand-made"
    listed = (out / ".generated").read_text().split()
    assert not set(manifest) & set(listed) and "key-action-2/index.md" in listed
    again = cli("--data", str(data), "generate", str(out))
    assert again.returncode == 0 and "warning" not in again.stderr  # the bad entries are gone from the manifest
    assert not list(out.rglob(".*.tmp")), "temporary files left behind"


def test_a_run_for_one_language_keeps_the_other_languages_and_removes_only_its_own_stale_pages(tmp_path):
    data = sample_data(tmp_path)
    out = tmp_path / "out"
    assert cli("--data", str(data), "generate", str(out)).returncode == 0
    stale = {"old/index.pl.md": b"old Polish page", "old/index.en.md": b"old English page", "old/index.xx.md": b"x"}
    for rel, content in stale.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(content)
    with (out / ".generated").open("a") as manifest:
        manifest.write("".join(f"{rel}\n" for rel in stale))
    before = snapshot(out)
    result = cli("--data", str(data), "generate", str(out), "--lang", "pl")
    assert result.returncode == 0, result.stderr
    assert "0 pages written" in result.stdout and "2 removed" in result.stdout
    after = snapshot(out)
    gone = {"old/index.pl.md", "old/index.xx.md"}  # Polish is rewritten; xx is not a configured language
    assert {rel: b for rel, b in before.items() if rel not in gone and rel != ".generated"} == {
        rel: b for rel, b in after.items() if rel != ".generated"
    }
    listed = after[".generated"].decode().split()
    assert "old/index.en.md" in listed and "key-action-2/index.en.md" in listed


def hold_lock(folder: Path) -> int:
    descriptor = os.open(folder, os.O_RDONLY)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    return descriptor


def test_generate_waits_for_another_run_and_gives_up_with_a_clear_message(tmp_path):
    data = sample_data(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    descriptor = hold_lock(out)
    try:
        refused = run("--data", str(data), "generate", str(out), env={"PROGRAMME_GUIDE_LOCK_TIMEOUT": "0.5"})
        clear_error(refused, 1, r"another build or `programme-guide generate` is writing .* within 0\.5 s")
        assert snapshot(out) == {}
        log = (tmp_path / "wait.log").open("w")
        waiting = subprocess.Popen(
            [sys.executable, "-m", "programme_guide.cli", "--data", str(data), "generate", str(out)],
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert wait_until(lambda: "waiting for another build" in (tmp_path / "wait.log").read_text(), 120)
        assert waiting.poll() is None and snapshot(out) == {}
    finally:
        os.close(descriptor)
    assert waiting.wait(timeout=120) == 0, (tmp_path / "wait.log").read_text()
    log.close()
    assert (out / "key-action-2" / "index.md").is_file()


HOLD_HOOK = """\
import os
import time
from pathlib import Path


def on_pre_build(config):
    held = os.environ.get("PG_TEST_HOLD")
    if held and not Path(held).exists():
        Path(held).write_text("held")
        release, deadline = Path(held + ".release"), time.monotonic() + 600
        while not release.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
"""


@pytest.mark.slow
def test_a_preview_during_a_full_build_leaves_both_builds_whole(tmp_path):
    """A one-language preview run while a full build of the same project has written its pages and not yet read
    them (a hook holds it there): both succeed and neither removes the other's pages."""
    project = sample_project(tmp_path / "project")
    (project / "hooks" / "hold.py").write_text(HOLD_HOOK, "utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("\nhooks:\n", "\nhooks:\n  - hooks/hold.py\n", 1), "utf-8")
    full_site, preview_site, held = tmp_path / "full", tmp_path / "preview", tmp_path / "held"
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir"]
    full_log = (tmp_path / "full.log").open("w")
    full = subprocess.Popen(
        [*command, str(full_site)],
        cwd=project,
        env=build_env(PG_TEST_HOLD=str(held)),
        stdout=full_log,
        stderr=subprocess.STDOUT,
    )
    try:
        assert wait_until(lambda: held.exists() or full.poll() is not None, 300)
        assert full.poll() is None, (tmp_path / "full.log").read_text()[-4000:]
        preview = subprocess.run(
            [*command, str(preview_site)],
            cwd=project,
            env=build_env(BUILD_ONLY_LOCALE="pl"),
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert full.poll() is None, "the full build went on before the preview ended: they did not overlap"
        Path(f"{held}.release").touch()
        assert full.wait(timeout=600) == 0, (tmp_path / "full.log").read_text()[-4000:]
    finally:
        if full.poll() is None:
            full.kill()
        full_log.close()
    assert preview.returncode == 0, preview.stderr[-4000:]
    languages = re.findall(r"code: ([a-z]{2})", (project / "data" / "languages.yml").read_text())
    assert sorted(languages) == ["en", "nl", "pl"]
    for lang in languages:
        prefix = "" if lang == "nl" else f"{lang}/"
        assert (full_site / prefix / "key-action-2" / "index.html").is_file(), lang
    assert 'lang="pl"' in (preview_site / "key-action-2" / "index.html").read_text("utf-8")
    manifest = project / "docs" / ".generated"
    listed = manifest.read_text().split()
    assert all((project / "docs" / rel).is_file() for rel in listed)
    assert {rel.rsplit(".", 2)[-2] for rel in listed if rel.count(".") == 2} == set(languages) - {"nl"}


# Export


EXPORT_REFUSALS = {
    "over an existing file": (["-o", "{tmp}/existing.po"], r"existing\.po already exists; .* add --force"),
    "over the Dutch source": (["-o", "{data}/locales/nl.yml", "--force"], r"is inside the data folder"),
    "into data/": (["-o", "{data}/de.po"], r"is inside the data folder"),
    "into a missing folder": (["-o", "{tmp}/missing/de.po"], r"the folder .*missing does not exist"),
    "onto a folder": (["-o", "{tmp}"], r"is a folder; name the file to write"),
}


@pytest.mark.parametrize("case", EXPORT_REFUSALS)
def test_export_refuses_a_target_that_is_not_a_new_file_outside_data(tmp_path, case):
    data = copy_data(tmp_path)
    (tmp_path / "existing.po").write_text("mine")
    options, message = EXPORT_REFUSALS[case]
    before = snapshot(tmp_path)
    args = [o.format(tmp=tmp_path, data=data) for o in options]
    clear_error(cli("--data", str(data), "export", "de", *args), 2, message)
    assert snapshot(tmp_path) == before


def test_export_replaces_an_existing_file_with_force(tmp_path):
    data = copy_data(tmp_path)
    target = tmp_path / "de.po"
    target.write_text("old")
    result = cli("--data", str(data), "export", "de", "-o", str(target), "--force")
    assert result.returncode == 0, result.stderr
    assert 'msgctxt "site.name"' in target.read_text("utf-8")


# Import


def export_po(data: Path, tmp_path: Path, lang: str = "de") -> tuple[Path, po.pofile]:
    path = tmp_path / f"{lang}.po"
    assert cli("--data", str(data), "export", lang, "-o", str(path)).returncode == 0
    return path, po.pofile.parsefile(str(path))


def po_units(store: po.pofile) -> dict[str, po.pounit]:
    return {unit.getcontext(): unit for unit in store.units if not unit.isheader()}


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if needle in line)


@pytest.mark.parametrize("fmt", ["po", "xliff"])
def test_import_refuses_a_file_for_another_language(tmp_path, fmt):
    data = copy_data(tmp_path)
    exported = tmp_path / f"de.{fmt}"
    assert cli("--data", str(data), "export", "de", "--format", fmt, "-o", str(exported)).returncode == 0
    before = snapshot(data)
    field = "Language header" if fmt == "po" else "target-language"
    clear_error(cli("--data", str(data), "import", "en", str(exported)), 2, rf"is a file for 'de' \(its {field}\)")
    assert snapshot(data) == before


@pytest.mark.parametrize("what", ["missing", "folder"])
def test_import_of_a_missing_file_or_a_folder_is_a_usage_error(tmp_path, what):
    data = copy_data(tmp_path)
    path = tmp_path / "nothing.po" if what == "missing" else tmp_path
    before = snapshot(data)
    clear_error(
        cli("--data", str(data), "import", "de", str(path)), 2, "no such file" if what == "missing" else "is a folder"
    )
    assert snapshot(data) == before


BAD_TEXTS = {
    "line break": ("site.official_link", "Zum\rLeitfaden", "the text contains a line break"),
    "control character": ("site.name", "Leit\x07faden", "the text contains the control character U+0007"),
    "over-long text": ("home.intro", "Wort " * 60_000, "the text is 300000 characters long; the limit is 250000"),
    "markup": ("site.reuse", "<b>Quelle</b>", "markup differs from the Dutch text: <b>, </b>"),
}


def test_import_refuses_whole_what_check_refuses_with_the_same_message_and_line(tmp_path):
    data = copy_data(tmp_path)
    path, store = export_po(data, tmp_path)
    units = po_units(store)
    units["site.disclaimer"].target = "Eine gute Übersetzung"  # a good unit: not written either
    for key, text, _ in BAD_TEXTS.values():
        units[key].target = text
    path.write_bytes(bytes(store))
    before = snapshot(data)
    result = cli("--data", str(data), "import", "de", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert snapshot(data) == before
    for key, _, message in BAD_TEXTS.values():
        line = line_of(path, 'msgctxt "' + key + '"')
        assert f"de.po:{line}: at '{key}': {message}" in result.stderr, result.stderr
    # check says the same of the same texts in the locale file
    locale = data / "locales" / "de.yml"
    text = locale.read_text("utf-8")
    for key, value, _ in BAD_TEXTS.values():
        text = re.sub(
            rf"^(  {re.escape(key)}:\n    text: ).*$", lambda m, v=value: m.group(1) + json.dumps(v), text, flags=re.M
        )
    locale.write_text(text, "utf-8")
    check = cli("--data", str(data), "check")
    assert check.returncode == 1
    for key, _, message in list(BAD_TEXTS.values())[:3]:  # check reports markup once the texts themselves are valid
        assert re.search(rf"de\.yml:\d+: at 'strings\.{re.escape(key)}': {re.escape(message)}", check.stderr), key


XLIFF = """<?xml version="1.0" encoding="UTF-8"?>
{doctype}<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="nl.yml" source-language="nl" target-language="de" datatype="plaintext"><body>
<trans-unit id="site.official_link"><source>Naar de officiële programmagids</source>
<target>{target}</target></trans-unit>
</body></file></xliff>
"""
LAUGHS = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
XLIFF_CASES = {
    "entity amplification": (
        XLIFF.format(doctype=f'<!DOCTYPE xliff [<!ENTITY l0 "lol">{LAUGHS}]>\n', target="Zum &l9; Leitfaden"),
        r"de\.xlf:\d+: the XLIFF file is not well-formed XML: Maximum entity amplification factor exceeded.*\n"
        r"    fix: remove the DOCTYPE and its entities",
    ),
    "unresolved entity": (
        XLIFF.format(doctype='<!DOCTYPE xliff SYSTEM "missing.dtd">\n', target="Zum &nbsp; Leitfaden"),
        r"de\.xlf:5: at 'site\.official_link': the text contains the XML entity &nbsp;",
    ),
    "undefined entity": (
        XLIFF.format(doctype="", target="Zum &nbsp; Leitfaden"),
        r"de\.xlf:5: the XLIFF file is not well-formed XML: Entity 'nbsp' not defined",
    ),
    "truncated file": (XLIFF.format(doctype="", target="Zum Leitfaden")[:230], r"de\.xlf:\d+: .*not well-formed XML"),
}


@pytest.mark.parametrize("case", XLIFF_CASES)
def test_import_refuses_broken_or_entity_laden_xliff_quickly_and_clearly(tmp_path, case):
    data = copy_data(tmp_path)
    path = tmp_path / "de.xlf"
    content, message = XLIFF_CASES[case]
    path.write_text(content, "utf-8")
    before = snapshot(data)
    start = time.monotonic()
    clear_error(cli("--data", str(data), "import", "de", str(path)), 1, message)
    assert time.monotonic() - start < 30
    assert snapshot(data) == before


def test_import_refuses_a_truncated_po_file(tmp_path):
    data = copy_data(tmp_path)
    path, _ = export_po(data, tmp_path)
    content = path.read_text("utf-8")
    path.write_text(content[: content.index('msgid "', 800) + 12], "utf-8")
    before = snapshot(data)
    clear_error(cli("--data", str(data), "import", "de", str(path)), 1, r"de\.po(:\d+)?: cannot read the file as PO")
    assert snapshot(data) == before


def test_import_names_the_first_problems_and_counts_the_rest(tmp_path):
    data = copy_data(tmp_path)
    path = tmp_path / "de.po"
    units = "".join(f'\nmsgctxt "gone.key{i}"\nmsgid "x"\nmsgstr "y"\n' for i in range(300))
    path.write_text('msgid ""\nmsgstr ""\n"Language: de\\n"\n' + units, "utf-8")
    result = cli("--data", str(data), "import", "de", str(path))
    clear_error(result, 1, r"^300 problems in de\.po:")
    assert result.stderr.count("unknown key") == 20
    assert "... and 280 more" in result.stderr
    assert f"de.po:{line_of(path, 'gone.key19')}: at 'gone.key19'" in result.stderr


def test_debug_shows_the_traceback(tmp_path):
    data = copy_data(tmp_path)
    path = tmp_path / "de.xlf"
    path.write_text(XLIFF_CASES["truncated file"][0], "utf-8")
    plain = cli("--data", str(data), "import", "de", str(path))
    debug = cli("--data", str(data), "--debug", "import", "de", str(path))
    assert "Traceback" not in plain.stderr and "Traceback" in debug.stderr
    assert plain.returncode == debug.returncode == 1


# Locale files keep what people wrote


HAND_WRITTEN = {
    "\n  site.official_link:\n": "\n  # Mein Hinweis: 'Leitfaden' wie auf der Website der Kommission.\n"
    "  site.official_link:   # Kurzform gewählt\n",
    '    source: "f899c5f7c7a3"\n': "    source: 'f899c5f7c7a3'\n",
    "  site.reuse:\n": "\n  # Quelle: Beschluss 2011/833/EU, deutsche Fassung.\n  site.reuse:\n",
}


def hand_written(data: Path) -> Path:
    """de.yml with comments, an end-of-line comment, a blank line and a single-quoted value added by hand."""
    locale = data / "locales" / "de.yml"
    text = locale.read_text("utf-8")
    for old, new in HAND_WRITTEN.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    locale.write_text(text, "utf-8")
    return locale


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    import difflib

    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    return [d[2:] for d in diff if d.startswith("- ")], [d[2:] for d in diff if d.startswith("+ ")]


def test_review_and_stamp_keep_comments_order_and_quoting(tmp_path):
    data = copy_data(tmp_path)
    locale = hand_written(data)
    others = {p: p.read_bytes() for p in (data / "locales").glob("*.yml") if p.name not in ("de.yml", "nl.yml")}
    before = locale.read_text("utf-8")
    result = cli("--data", str(data), "review", "de", "site.official_link", "site.reuse")
    assert result.returncode == 0, result.stderr
    removed, added = changed_lines(before, locale.read_text("utf-8"))
    assert removed == [] and added == ["    review: reviewed", "    review: reviewed"]
    nl = data / "locales" / "nl.yml"
    nl.write_text(nl.read_text("utf-8").replace("Naar de officiële programmagids", "Naar de officiële gids"), "utf-8")
    before = locale.read_text("utf-8")
    result = cli("--data", str(data), "stamp", "de", "site.official_link")
    assert result.returncode == 0, result.stderr
    removed, added = changed_lines(before, locale.read_text("utf-8"))
    assert removed == ["    source: 'f899c5f7c7a3'"] and re.fullmatch(r"    source: '[0-9a-f]{12}'", added[0])
    assert len(added) == 1
    assert all(p.read_bytes() == b for p, b in others.items())


def test_import_keeps_comments_and_inserts_new_entries_in_the_dutch_order(tmp_path):
    data = copy_data(tmp_path)
    locale = hand_written(data)
    text = locale.read_text("utf-8")
    entry = re.search(r"^  site\.disclaimer:\n(?:    .*\n)+", text, flags=re.M).group(0)
    locale.write_text(text.replace(entry, ""), "utf-8")
    path, store = export_po(data, tmp_path)
    units = po_units(store)
    units[
        "site.disclaimer"
    ].target = "Unabhängige Ausgabe, keine Website der Kommission; maßgeblich ist der Programmleitfaden."
    units["site.reuse"].target = "Quelle: Europäische Kommission, Erasmus+-Programmleitfaden."
    path.write_bytes(bytes(store))
    before = locale.read_text("utf-8")
    result = cli("--data", str(data), "import", "de", str(path))
    assert result.returncode == 0, result.stderr
    assert "1 added, 1 changed" in result.stdout
    after = locale.read_text("utf-8")
    removed, added = changed_lines(before, after)
    assert len(removed) == 1 and removed[0].startswith("    text: ") and "Quelle" in removed[0]
    assert '    text: "Quelle: Europäische Kommission, Erasmus+-Programmleitfaden."' in added
    assert "  site.disclaimer:" in added
    for comment in ("# Mein Hinweis", "# Kurzform gewählt", "# Quelle: Beschluss", "source: 'f899c5f7c7a3'"):
        assert comment in after
    keys = re.findall(r"^  ([a-z0-9_.]+):", after, flags=re.M)
    assert keys.index("site.description") < keys.index("site.disclaimer") < keys.index("site.official_link")
    assert cli("--data", str(data), "check").returncode == 0


# check


ESCAPED = {
    "lone surrogate": ("\\ud83d", "the text contains U\\+D83D, half of a surrogate pair"),
    "control character": ("\\x1b[31m", "the text contains the control character U\\+001B"),
    "carriage return": ("a\\rb", "the text contains a line break"),
}


@pytest.mark.parametrize("case", ESCAPED)
@pytest.mark.parametrize("lang", ["nl", "de"])
def test_check_refuses_escaped_characters_that_break_the_build(tmp_path, case, lang):
    data = copy_data(tmp_path)
    escape, message = ESCAPED[case]
    locale = data / "locales" / f"{lang}.yml"
    text = locale.read_text("utf-8")
    if lang == "nl":
        pattern, line = r"^  site\.name: .*$", f'  site.name: "Gids {escape}"'
    else:
        pattern, line = r"^  site\.name:\n    text: .*$", f'  site.name:\n    text: "Leitfaden {escape}"'
    text, n = re.subn(pattern, lambda _: line, text, count=1, flags=re.M)
    assert n == 1
    locale.write_text(text, "utf-8")
    line = line_of(locale, "site.name:")
    clear_error(cli("--data", str(data), "check"), 1, rf"{lang}\.yml:{line}: at 'strings\.site\.name': {message}")


def test_import_into_a_started_empty_file_keeps_its_comments(tmp_path):
    data = copy_data(tmp_path)
    locale = data / "locales" / "fi.yml"
    locale.write_text("# Suomi: aloitettu, kysy Annalta\nlanguage: fi\nstrings: {}  # vielä tyhjä\n", "utf-8")
    path, store = export_po(data, tmp_path, "fi")
    po_units(store)["site.name"].target = "Erasmus+-ohjelmaopas"
    path.write_bytes(bytes(store))
    result = cli("--data", str(data), "import", "fi", str(path))
    assert result.returncode == 0, result.stderr
    text = locale.read_text("utf-8")
    assert text.startswith("# Suomi: aloitettu, kysy Annalta\nlanguage: fi\nstrings:  # vielä tyhjä\n")
    assert '  site.name:\n    text: "Erasmus+-ohjelmaopas"\n' in text
