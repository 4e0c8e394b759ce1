"""Hostile and broken input: every bad input gets a clear error, or the site shows it as harmless text.

A clear error is `programme-guide check` exiting 1 with a message that names the file (and the line,
wherever the input has one), says what is wrong and how to fix it, without a Python traceback. Most
inputs are edits to a copy of the sample data set (tests/samples/basic: Dutch, English, Polish; three locale
files to load, not the guide's 24); the markup cases are also built with MkDocs and the HTML parsed.
The translator-file commands (export, import) and the generated tree get hostile input too: files for
another language, targets over data/, broken or entity-laden XLIFF, units that check would refuse,
manifests that point outside the output folder. There a clear error is the documented exit code, a
one-paragraph message without a traceback, and every data file byte-for-byte as it was.
A run that tried any of them ends with a summary line (tests/conftest.py prints it): how many inputs were
tried and how many got a clear error or safe output, in total and per category.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from lxml import etree, html

from conftest import cli, keep_languages, mkdocs_build, sample_data, sample_project
from helpers import HOSTILE
from programme_guide.generate import write_tree
from programme_guide.locales import MARKUP as MARKUP_RE
from programme_guide.pages import Page

# A sweep of over a hundred inputs, each checked by a command of its own: minutes, not seconds.
pytestmark = pytest.mark.slow

DATA, MARKUP, EXCHANGE, TREE = "data files", "markup in the built site", "translator files", "generated tree"


def tried(name: str, category: str = DATA) -> None:
    HOSTILE.tried[name] = category


def safe(name: str) -> None:
    HOSTILE.safe.add(name)


# Editing a copy of data/


def replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), "utf-8")


def set_line(path: Path, key: str, line: str) -> None:
    """Replace the line that starts with `  key:` (a source text, or a translation entry's key)."""
    text, count = re.subn(rf"^  {re.escape(key)}:.*$", line, path.read_text("utf-8"), count=1, flags=re.M)
    assert count == 1, f"test setup: no key {key} in {path.name}"
    path.write_text(text, "utf-8")


def set_text(path: Path, key: str, value: str) -> None:
    """Set the `text:` of a translation entry."""
    pattern = rf"^(  {re.escape(key)}:\n    text: ).*$"
    text, count = re.subn(pattern, lambda m: m.group(1) + json.dumps(value), path.read_text("utf-8"), flags=re.M)
    assert count == 1, f"test setup: no entry {key} in {path.name}"
    path.write_text(text, "utf-8")


def nl(data: Path) -> Path:
    return data / "locales" / "nl.yml"


def loc(data: Path, code: str) -> Path:
    return data / "locales" / f"{code}.yml"


BILLION_LAUGHS = "\n".join(
    ['pgx0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"pgx{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
)


@dataclass(frozen=True)
class Case:
    """One bad input: how to make it, and the error it must get (no message: it must be accepted).

    ``at`` is text on the line the error must name (in the edited file); empty when the input has no
    line to point at (a missing or empty file)."""

    edit: Callable[[Path], None]
    file: str = ""
    message: str = ""
    hint: str = ""
    at: str = ""


def accepted(edit: Callable[[Path], None]) -> Case:
    return Case(edit)


def replace_entry(path: Path, key: str, block: str) -> None:
    """Replace a whole translation entry (its key line and the indented lines below it)."""
    text, count = re.subn(rf"^  {re.escape(key)}:\n(?:    .*\n)+", block, path.read_text("utf-8"), count=1, flags=re.M)
    assert count == 1, f"test setup: no entry {key} in {path.name}"
    path.write_text(text, "utf-8")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text("utf-8") + text, "utf-8")


def latin1(data: Path) -> None:
    path = loc(data, "pl")
    path.write_bytes(path.read_text("utf-8").encode("latin-1", errors="replace"))


def number_as_text(data: Path) -> None:
    set_text(loc(data, "en"), "site.name", "x")
    replace(loc(data, "en"), '    text: "x"', "    text: 42")


def folder(data: Path) -> None:
    loc(data, "pl").unlink()
    loc(data, "pl").mkdir()


def bom_and_crlf(data: Path) -> None:
    bom(data / "guide.yml")
    crlf(data / "guide.yml")


def crlf(path: Path) -> None:
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))


def bom(path: Path) -> None:
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


def deep(data: Path) -> None:
    replace(data / "guide.yml", "managing_bodies:", "deep: " + "[" * 5000 + "]" * 5000 + "\nmanaging_bodies:")


CASES: dict[str, Case] = {
    # Malformed YAML
    "tab indentation": Case(
        lambda d: replace(nl(d), "\n  site.official_link:", "\n\tsite.official_link:"),
        "nl.yml",
        "YAML syntax error: found character '\\\\t'",
        "indent with spaces, not tabs",
        at="\tsite.official_link:",
    ),
    "tab inside a translation entry": Case(
        lambda d: replace(loc(d, "pl"), "\n    source:", "\n\tsource:"),
        "pl.yml",
        "YAML syntax error",
        "indent with spaces, not tabs",
        at="\tsource:",
    ),
    "key indented one space too far": Case(
        # below a text written without quotes, as the Dutch source writes its texts
        lambda d: replace(
            nl(d), '  ka2.nav: "Kernactie 2"\n  ka2.description:', "  ka2.nav: Kernactie 2\n   ka2.description:"
        ),
        "nl.yml",
        "YAML syntax error: mapping values are not allowed here",
        "indent keys of the same level equally",
        at="   ka2.description:",
    ),
    "nested key indented too far": Case(
        lambda d: replace(loc(d, "en"), "\n    source:", "\n      source:"),
        "en.yml",
        "YAML syntax error",
        "compare the indentation",
        at="      source:",
    ),
    "unclosed double quote in the middle of a file": Case(
        lambda d: replace(nl(d), '  ka2.nav: "Kernactie 2"', '  ka2.nav: "Kernactie 2'),
        "nl.yml",
        "YAML syntax error: a quotation mark opened on this line is not closed on it",
        "close the quotation mark",
        at='ka2.nav: "',
    ),
    "unclosed single quote in a translation": Case(
        lambda d: replace(loc(d, "pl"), '    text: "', "    text: '"),
        "pl.yml",
        "YAML syntax error: a quotation mark opened on this line is not closed on it",
        "close the quotation mark",
        at="    text: '",
    ),
    "unclosed flow mapping": Case(
        lambda d: replace(d / "guide.yml", '{id: home, kind: home, slug: ""}', '{id: home, kind: home, slug: ""'),
        "guide.yml",
        "YAML syntax error",
        "compare the indentation and quoting",
        at="{id: ka2,",
    ),
    "two YAML documents in one file": Case(
        lambda d: append(d / "languages.yml", "---\nsource: nl\n"),
        "languages.yml",
        "YAML syntax error: but found another document",
        "compare the indentation",
        at="---",
    ),
    "duplicate source text": Case(
        lambda d: replace(nl(d), "  site.official_link:", "  site.name: twee keer\n  site.official_link:"),
        "nl.yml",
        r"duplicate key 'site\.name' \(first defined on line \d+\)",
        "only one may stay",
        at="site.name: twee keer",
    ),
    "duplicate key inside a translation entry": Case(
        lambda d: replace(loc(d, "en"), "\n    source:", '\n    text: "again"\n    source:'),
        "en.yml",
        "duplicate key 'text'",
        "only one may stay",
        at='text: "again"',
    ),
    "duplicate top-level key": Case(
        lambda d: append(d / "guide.yml", "\nofficial: {}\n"),
        "guide.yml",
        "duplicate key 'official'",
        "only one may stay",
        at="official: {}",
    ),
    "alias bomb (billion laughs)": Case(
        lambda d: append(nl(d), "\n" + BILLION_LAUGHS + "\n"),
        "nl.yml",
        r"YAML aliases \(\*name\) are not allowed",
        "write the value out in full",
        at="pgx1:",
    ),
    "single alias": Case(
        lambda d: append(d / "guide.yml", "\npgx-anchor: &a [1]\npgx-alias: *a\n"),
        "guide.yml",
        r"YAML aliases \(\*name\) are not allowed",
        "write the value out in full",
        at="pgx-alias:",
    ),
    "merge key": Case(
        lambda d: replace(d / "languages.yml", "  - {code: pl,", "  - {<<: {official_guide: true}, code: pl,"),
        "languages.yml",
        r"YAML merge keys \(<<\) are not allowed",
        "write the value out in full",
        at="<<:",
    ),
    "Python object tag": Case(
        lambda d: set_line(nl(d), "site.name", '  site.name: !!python/object/apply:os.system ["touch pgx-pwned"]'),
        "nl.yml",
        "YAML syntax error: could not determine a constructor",
        "remove the tag",
        at="!!python/object",
    ),
    "nesting 5000 levels deep": Case(
        deep,
        "guide.yml",
        "YAML syntax error: the data is nested more than 50 levels deep",
        "only a few levels",
        "deep:",
    ),
    "number with 5000 digits": Case(
        lambda d: replace(d / "guide.yml", "calls: [2025", "calls: [" + "9" * 5000),
        "guide.yml",
        "YAML syntax error: the number is too long",
        "shorter number",
        at="calls: [999",
    ),
    # Wrong types and unknown keys
    "text written as null": Case(
        lambda d: set_line(nl(d), "site.name", "  site.name: ~"),
        "nl.yml",
        "expected a text or a mapping .*, found nothing",
        "write a text",
        at="site.name: ~",
    ),
    "text written as yes": Case(
        lambda d: set_line(nl(d), "site.name", "  site.name: yes"),
        "nl.yml",
        "expected a text or a mapping .*, found true or false",
        "put a text in quotes",
        at="site.name: yes",
    ),
    "translation text written as a number": Case(
        number_as_text, "en.yml", "expected a text, found a whole number", "write a text here", at="text: 42"
    ),
    "call year written as a word": Case(
        lambda d: replace(d / "guide.yml", "calls: [2025", "calls: [twenty"),
        "guide.yml",
        "expected a whole number, found a text",
        "write a whole number",
        at="calls: [twenty",
    ),
    "list instead of a mapping": Case(
        lambda d: loc(d, "pl").write_text("- language: pl\n- strings: {}\n", "utf-8"),
        "pl.yml",
        "expected a mapping",
        "write a mapping",
        at="- language: pl",
    ),
    "unknown key in a translation entry": Case(
        lambda d: replace(loc(d, "en"), "\n    source:", '\n    txet: "typo"\n    source:'),
        "en.yml",
        "unknown key 'txet'",
        "allowed keys here: note, review, source, text",
        at="txet:",
    ),
    "unknown top-level key": Case(
        lambda d: replace(d / "languages.yml", "source: nl", "source: nl\ncolour: red"),
        "languages.yml",
        "unknown key 'colour'",
        "allowed keys here: languages, source",
        at="colour: red",
    ),
    "unknown review state": Case(
        lambda d: replace(loc(d, "en"), "review: draft", "review: maybe"),
        "en.yml",
        "'maybe' is not allowed here",
        "use one of: draft, reviewed",
        at="review: maybe",
    ),
    "file says another language": Case(
        lambda d: replace(loc(d, "pl"), "language: pl", "language: en"),
        "pl.yml",
        "file says language 'en'",
        "set 'language: pl'",
        at="language: en",
    ),
    "key with capitals and spaces": Case(
        lambda d: replace(nl(d), "  site.official_link:", "  Site Name: x\n  site.official_link:"),
        "nl.yml",
        "'Site Name' is not a valid key",
        "lower-case words joined by dots",
        at="Site Name: x",
    ),
    "translation without its fingerprint": Case(
        lambda d: replace_entry(loc(d, "pl"), "site.name", '  site.name: "Guide"\n'),
        "pl.yml",
        "translation has no source fingerprint",
        "programme-guide stamp pl site.name",
        at='site.name: "Guide"',
    ),
    "malformed fingerprint": Case(
        lambda d: replace(loc(d, "en"), '    source: "', '    source: "zz'),
        "en.yml",
        "'zz[0-9a-f]+' is not in the expected form",
        "12-character fingerprint",
        at='source: "zz',
    ),
    "translation of a key the source does not have": Case(
        lambda d: replace(
            loc(d, "en"), "strings:\n", 'strings:\n  site.gone:\n    text: "x"\n    source: "0123456789ab"\n'
        ),
        "en.yml",
        r"key 'site\.gone' no longer exists in the Dutch source",
        "remove the entry",
        at="site.gone:",
    ),
    "very long key (1000 characters)": Case(
        lambda d: replace(
            loc(d, "en"), "strings:\n", f'strings:\n  site.{"x" * 1000}:\n    text: "x"\n    source: "0123456789ab"\n'
        ),
        "en.yml",
        "key 'site.x+' no longer exists in the Dutch source",
        "remove the entry",
        at="site.xxxx",
    ),
    "key over the YAML limit of 1024 characters": Case(
        lambda d: replace(
            loc(d, "en"), "strings:\n", f'strings:\n  site.{"x" * 10_000}:\n    text: "x"\n    source: "0123456789ab"\n'
        ),
        "en.yml",
        "YAML syntax error: mapping values are not allowed here",
        "keep keys under 1024 characters",
        at="site.xxxx",
    ),
    "translated placeholder": Case(
        lambda d: set_text(loc(d, "en"), "ui.language_current", "Change language, current language is {taal}"),
        "en.yml",
        r"placeholders differ from the Dutch text: \{taal\}",
        "keep exactly these placeholders, untranslated: {language}",
        at="ui.language_current:",
    ),
    "Markdown blocks on several lines in a translation": Case(
        lambda d: set_text(loc(d, "en"), "home.intro", "Intro\n\n# Heading\n\n```\ncode\n```"),
        "en.yml",
        "the text contains a line break",
        "write the text on one line",
        at="home.intro:",
    ),
    "line break in a source text": Case(
        lambda d: set_line(nl(d), "home.intro", '  home.intro: "Inleiding\\n\\n* lijst"'),
        "nl.yml",
        "the text contains a line break",
        "write the text on one line",
        at="home.intro:",
    ),
    # Languages and files
    "configured language without a locale file": Case(
        lambda d: replace(d / "languages.yml", "languages:\n", "languages:\n  - {code: xx, name: X, locale: en_IE}\n"),
        "xx.yml",
        "no locale file for configured language 'xx'",
        "create it",
    ),
    "locale file of an unknown language": Case(
        lambda d: loc(d, "zz").write_text("language: zz\nstrings: {}\n", "utf-8"),
        "zz.yml",
        "language 'zz' is not configured",
        "add the language to data/languages.yml",
    ),
    "missing locale file": Case(
        lambda d: loc(d, "pl").unlink(), "pl.yml", "no locale file for configured language 'pl'", "create it"
    ),
    "missing languages.yml": Case(
        lambda d: (d / "languages.yml").unlink(), "languages.yml", "file not found", "create the file"
    ),
    "empty file": Case(lambda d: nl(d).write_text("", "utf-8"), "nl.yml", "the file is empty", "restore its content"),
    "file with only a comment": Case(
        lambda d: loc(d, "en").write_text("# nothing here yet\n", "utf-8"),
        "en.yml",
        "expected a mapping .*, found nothing",
        "write a mapping",
    ),
    "folder instead of a file": Case(folder, "pl.yml", "the file cannot be read", "readable text file"),
    "Latin-1 instead of UTF-8": Case(
        latin1, "pl.yml", r"the file is not valid UTF-8 \(byte 0x[0-9a-f]{2}", "save the file with UTF-8", at="\ufffd"
    ),
    "UTF-16 file": Case(
        lambda d: loc(d, "pl").write_bytes(loc(d, "pl").read_text("utf-8").encode("utf-16")),
        "pl.yml",
        r"the file is not valid UTF-8 \(byte 0xff at offset 0\)",
        "save the file with UTF-8",
    ),
    "NUL byte": Case(
        lambda d: set_line(nl(d), "site.name", "  site.name: Gids\x00"),
        "nl.yml",
        "the file contains the control character U\\+0000",
        "delete it",
        at="site.name: Gids",
    ),
    "file over 2 MB": Case(
        lambda d: set_text(loc(d, "en"), "site.name", "x" * 2_100_000),
        "en.yml",
        "file is \\d+ bytes; the limit is 2000000",
        "split or shorten",
    ),
    # Paths: nothing may be written outside site/
    "page slug with ../": Case(
        lambda d: replace(d / "guide.yml", "slug: about}", "slug: ../../pgx-escape}"),
        "guide.yml",
        r"'\.\./\.\./pgx-escape' is not in the expected form",
        "lower-case letters, digits and hyphens",
        at="pgx-escape",
    ),
    "absolute page slug": Case(
        lambda d: replace(d / "guide.yml", "slug: about}", "slug: /tmp/pgx-escape}"),
        "guide.yml",
        "'/tmp/pgx-escape' is not in the expected form",
        "lower-case letters",
        at="pgx-escape",
    ),
    "family slug with backslashes": Case(
        lambda d: replace(d / "guide.yml", "slug: partnerships-for-innovation", "slug: ..\\..\\pgx"),
        "guide.yml",
        r"'\.\.\\\.\.\\pgx' is not in the expected form",
        "lower-case letters",
        at="slug: ..",
    ),
    "percent-encoded ../ in a slug": Case(
        lambda d: replace(d / "guide.yml", "slug: partnerships-for-innovation", "slug: '%2e%2e%2fpgx'"),
        "guide.yml",
        "'%2e%2e%2fpgx' is not in the expected form",
        "lower-case letters",
        at="%2e%2e",
    ),
    "action id with ../": Case(
        lambda d: replace(d / "guide.yml", "alliances-for-innovation", "../../pgx", 2),
        "guide.yml",
        r"'\.\./\.\./pgx' is not in the expected form",
        "lower-case letters",
        at="../../pgx",
    ),
    "language code with ../": Case(
        lambda d: replace(d / "languages.yml", "{code: pl,", "{code: ../pl,"),
        "languages.yml",
        r"'\.\./pl' is not in the expected form",
        "two-letter ISO 639-1 language code",
        at="../pl",
    ),
    "text key with ../": Case(
        lambda d: replace(nl(d), "  site.official_link:", "  ../../pgx.name: x\n  site.official_link:"),
        "nl.yml",
        r"'\.\./\.\./pgx\.name' is not a valid key",
        "lower-case words joined by dots",
        at="../../pgx.name",
    ),
    # Markup in translations is refused (the Dutch texts have none)
    "<script> in a translation": Case(
        lambda d: set_text(loc(d, "en"), "site.name", "Guide<script>alert(1)</script>"),
        "en.yml",
        "markup differs from the Dutch text: <script>, </script>",
        "write plain text",
        at="site.name:",
    ),
    "<img onerror> in a translation": Case(
        lambda d: set_text(loc(d, "en"), "home.intro", "<img src=x onerror=alert(1)>"),
        "en.yml",
        r"markup differs from the Dutch text: <img src=x onerror=alert\(1\)>",
        "write plain text",
        at="home.intro:",
    ),
    "javascript: Markdown link in a translation": Case(
        lambda d: set_text(loc(d, "en"), "home.intro", "[click](javascript:alert(1))"),
        "en.yml",
        r"markup differs from the Dutch text: \]\(",
        "links and template code are not allowed",
        at="home.intro:",
    ),
    "javascript: HTML link in a translation": Case(
        lambda d: set_text(loc(d, "en"), "home.intro", '<a href="javascript:alert(1)">click</a>'),
        "en.yml",
        "markup differs from the Dutch text: <a href",
        "write plain text",
        at="home.intro:",
    ),
    "unbalanced HTML in a translation": Case(
        lambda d: set_text(loc(d, "en"), "home.intro", "</div></article>"),
        "en.yml",
        "markup differs from the Dutch text: </div>, </article>",
        "write plain text",
        at="home.intro:",
    ),
    "HTML comment in a translation": Case(
        lambda d: set_text(loc(d, "en"), "home.intro", "text <!-- hidden -->"),
        "en.yml",
        "markup differs from the Dutch text: <!-- hidden -->",
        "write plain text",
        at="home.intro:",
    ),
    "HTML entity in a translation": Case(
        lambda d: set_text(loc(d, "en"), "home.intro", "&lt;script&gt;"),
        "en.yml",
        "markup differs from the Dutch text: &lt;, &gt;",
        "write plain text",
        at="home.intro:",
    ),
    "Jinja expression in a translation": Case(
        lambda d: set_text(loc(d, "en"), "home.intro", "{{ config.extra }}"),
        "en.yml",
        r"markup differs from the Dutch text: \{\{",
        "template code",
        at="home.intro:",
    ),
    "Jinja statement in a translation": Case(
        lambda d: set_text(loc(d, "en"), "home.intro", "{% include 'base.html' %}"),
        "en.yml",
        "markup differs from the Dutch text: {%",
        "template code",
        at="home.intro:",
    ),
    # Must work
    "UTF-8 byte-order mark": accepted(lambda d: bom(nl(d))),
    "CRLF line ends": accepted(lambda d: crlf(loc(d, "en"))),
    "byte-order mark and CRLF together": accepted(bom_and_crlf),
    "old Mac CR line ends": accepted(
        lambda d: (d / "languages.yml").write_bytes((d / "languages.yml").read_bytes().replace(b"\n", b"\r"))
    ),
    "very long text (200 000 characters)": accepted(
        # keeps the official term the text must hold (data/termbase.yml)
        lambda d: set_text(loc(d, "en"), "home.intro", "Programme Guide " + "word " * 40_000)
    ),
    "escaped lone surrogate in a translation": Case(
        lambda d: set_text(loc(d, "en"), "site.name", "Guide \ud83d"),
        "en.yml",
        "the text contains U\\+D83D, half of a surrogate pair",
        "write the character itself",
        at="site.name:",
    ),
    "escaped control character in a translation": Case(
        lambda d: set_text(loc(d, "en"), "site.name", "Guide \x1b[31m"),
        "en.yml",
        "the text contains the control character U\\+001B",
        "delete it",
        at="site.name:",
    ),
    "escaped carriage return in a translation": Case(
        lambda d: set_text(loc(d, "en"), "site.name", "Guide\r# heading"),
        "en.yml",
        "the text contains a line break",
        "write the text on one line",
        at="site.name:",
    ),
    "bidirectional and zero-width characters": accepted(
        lambda d: set_text(
            loc(d, "en"), "home.intro", "Programme Guide \u202egnirts\u202c \u200b\u200d \U0001f1ea\U0001f1fa"
        )
    ),
}


def expected_line(data: Path, name: str, needle: str) -> int:
    path = next(data.rglob(name))
    lines = path.read_bytes().decode("utf-8", errors="replace").replace("\r\n", "\n").split("\n")
    return next(number for number, line in enumerate(lines, 1) if needle in line)


@pytest.mark.parametrize("name", CASES)
def test_bad_input_gets_a_clear_error_or_is_accepted(name, tmp_path):
    tried(name)
    case = CASES[name]
    data = sample_data(tmp_path)
    case.edit(data)
    result = cli("--data", str(data), "check", cwd=tmp_path)
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    if not case.message:
        assert result.returncode == 0, result.stderr[-3000:]
        assert result.stdout.startswith("OK:")
    else:
        assert result.returncode == 1, result.stdout
        line = f":{expected_line(data, case.file, case.at)}" if case.at else r"(:\d+)?"
        where = re.escape(case.file) + line
        assert re.search(rf"{where}(: at '[^']*')?: {case.message}", result.stderr), result.stderr[-3000:]
        assert "    fix: " in result.stderr and case.hint in result.stderr, result.stderr[-3000:]
        assert len(result.stderr) < 20_000, "the error repeats the input instead of pointing at it"
    assert not (tmp_path / "pgx-pwned").exists()
    safe(name)


def test_alias_bomb_fails_fast_with_bounded_memory(tmp_path):
    """The billion-laughs file is refused at its first alias: it costs no more than checking the clean data
    (plus a second) and stays under 200 MB."""
    name = "alias bomb: time and memory"
    tried(name)
    clean = sample_data(tmp_path / "clean")
    data = sample_data(tmp_path)
    CASES["alias bomb (billion laughs)"].edit(data)
    probe = (
        "import resource, sys, time\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
        "from programme_guide.cli import main\n"
        "start = time.process_time()\n"  # the time it works, not the time a loaded machine makes it wait
        "code = main(['--data', sys.argv[1], 'check'])\n"
        "print(code, time.process_time() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )

    def run(folder: Path) -> tuple[str, float, int, str]:
        result = subprocess.run(
            [sys.executable, "-c", probe, str(folder)], capture_output=True, text=True, timeout=120, check=False
        )
        code, seconds, max_rss_kb = result.stdout.split()[-3:]
        return code, float(seconds), int(max_rss_kb), result.stderr

    _, baseline, _, _ = run(clean)
    code, seconds, max_rss_kb, stderr = run(data)
    assert code == "1" and "aliases (*name) are not allowed" in stderr
    assert seconds < baseline + 1.0, f"{seconds:.1f} s of CPU, a clean check takes {baseline:.1f} s"
    assert max_rss_kb < 200_000
    safe(name)


def test_generator_refuses_to_write_outside_its_folder(tmp_path):
    """Defence in depth behind the schema: a page path that leaves the output folder is refused."""
    name = "page path leaving the output folder (engine)"
    tried(name, TREE)
    out = tmp_path / "docs"
    page = Page("about", "nl", "../../pgx-escape/", "# x\n")
    with pytest.raises(ValueError, match="refusing to write outside"):
        write_tree([page], out, "nl")
    assert not (tmp_path.parent / "pgx-escape").exists()
    safe(name)


def test_bad_slug_stops_the_build_before_anything_is_written(tmp_path):
    name = "page slug with ../ in a real build"
    tried(name, TREE)
    project = sample_project(tmp_path / "project")
    replace(project / "data" / "guide.yml", "slug: about}", "slug: ../../pgx-escape}")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = mkdocs_build(project, project / "site", BUILD_ONLY_LOCALE="en")
    assert result.returncode != 0
    assert "guide.yml" in result.stderr and "is not in the expected form" in result.stderr
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    safe(name)


# Markup and Markdown in the built site


# name: (payload, marker); the marker must never turn up as an element, attribute, comment or script
SOURCE_PAYLOADS = {
    "<script> in the source": ("<script>pgx_script()</script>", "pgx_script"),
    "<img onerror> in the source": ("<img src=pgx.png onerror=pgx_img()>", "pgx_img"),
    "javascript: link in the source": ('<a href="javascript:pgx_link()">pgx_link</a>', "pgx_link"),
    "<svg onload> in the source": ("<svg onload=pgx_svg()>", "pgx_svg"),
    "attribute breakout in the source": ('" onmouseover="pgx_attr()" data-pgx-attr="', "pgx_attr"),
    "</title> breakout in the source": ("</title><script>pgx_title()</script>", "pgx_title"),
    "unbalanced HTML in the source": ("</p></div></article></main><div id=pgx-unbalanced>", "pgx-unbalanced"),
    "HTML entity in the source": ("&lt;pgx-entity&gt;", "pgx-entity"),
    "HTML comment in the source": ("<!-- pgx-comment -->", "pgx-comment"),
    "Jinja expression in the source": ("{{ pgx_jinja }}", "pgx_jinja"),
    "Jinja statement in the source": ("{% if true %}pgx-jinja-if{% endif %}", "pgx-jinja-if"),
    "Markdown link to javascript: in the source": ("[pgx-mdlink](javascript:pgx_mdlink())", "pgx-mdlink"),
    "Markdown structure in the source": (
        "# pgx-md * pgx-md > pgx-md ``` pgx-md ``` *pgx-md* `pgx-md` | pgx-md |",
        "pgx-md",
    ),
}
TRANSLATION_PAYLOAD = (
    " # pgy-heading ## pgy-subheading * pgy-item 1. pgy-numbered --- | pgy-cell | b | |---|---| > pgy-quote"
    " ``` pgy-fence ``` ~~~ pgy-tilde ~~~ *pgy-em* __pgy-strong__ `pgy-tick` pgy-end"
)
LONG_WORD = "pgy" + "x" * 100_000


def rewrite_source(data: Path, suffix: str) -> None:
    """Append ``suffix`` to every Dutch text (each form of plural forms), writing the file in canonical form (JSON
    strings and objects are YAML)."""
    source = yaml.safe_load(nl(data).read_text("utf-8"))
    lines = [f"language: {source['language']}", "strings:"]
    for key, text in source["strings"].items():
        value = {name: form + suffix for name, form in text.items()} if isinstance(text, dict) else text + suffix
        lines.append(f"  {key}: {json.dumps(value, ensure_ascii=False)}")
    nl(data).write_text("\n".join(lines) + "\n", "utf-8")


def rewrite_translation(data: Path, code: str, change: Callable[[str, str], str]) -> None:
    path = loc(data, code)
    text = path.read_text("utf-8")
    pattern = r"^(  ([a-z0-9_.-]+):\n    text: )(\".*\")$"
    path.write_text(
        re.sub(
            pattern, lambda m: m.group(1) + json.dumps(change(m.group(2), json.loads(m.group(3)))), text, flags=re.M
        ),
        "utf-8",
    )


STRUCTURE = {"h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "code", "td", "th", "em", "strong", "a"}


def pages(site: Path) -> list[tuple[str, html.HtmlElement]]:
    return [(p.relative_to(site).as_posix(), html.parse(str(p)).getroot()) for p in sorted(site.rglob("*.html"))]


def data_block(script: html.HtmlElement) -> bool:
    """A <script> holding JSON data (never run) whose content is still exactly one JSON document."""
    if script.get("type") not in ("application/json", "application/ld+json"):
        return False
    try:
        json.loads(script.text or "")
    except ValueError:
        return False
    return True


def injected(doc: html.HtmlElement, marker: str) -> list[str]:
    """Elements, attributes and comments that carry ``marker`` as markup rather than as text."""
    found = []
    for el in doc.iter():
        if not isinstance(el.tag, str):
            if marker in (el.text or ""):
                found.append(f"comment <!--{el.text}-->")
            continue
        if el.tag == "script" and marker in (el.text or "") + (el.get("src") or "") and not data_block(el):
            found.append(f"<script> {el.text!r}")
        for attribute, value in el.attrib.items():
            if marker in value and (attribute.startswith("on") or value.strip().lower().startswith("javascript:")):
                found.append(f"<{el.tag} {attribute}={value!r}>")
            if marker in attribute or (attribute == "id" and value == marker) or (el.tag == "img" and marker in value):
                found.append(f"<{el.tag} {attribute}={value!r}>")
        if el.tag.startswith(marker):
            found.append(f"<{el.tag}>")
        own = (el.text or "").strip()
        if el.tag in STRUCTURE and own.startswith(marker):
            found.append(f"<{el.tag}>{own[:40]}")
    return found


@pytest.fixture(scope="module")
def hostile_source_site(tmp_path_factory) -> Path:
    """Dutch and English, every Dutch text followed by all source payloads, no translations (Dutch shown)."""
    project = keep_languages(sample_project(tmp_path_factory.mktemp("hostile-source")), ("nl", "en"))
    data = project / "data"
    rewrite_source(
        data, " " + " ".join(payload for payload, _ in SOURCE_PAYLOADS.values() if not MARKUP_RE.search(payload))
    )
    loc(data, "en").write_text("language: en\nreview: draft\nstrings: {}\n", "utf-8")
    site = project / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr[-3000:]
    return site


@pytest.mark.parametrize("name", SOURCE_PAYLOADS)
def test_markup_in_the_source_is_refused_or_shown_as_text(hostile_source_site, name, tmp_path):
    tried(name, MARKUP)
    payload, marker = SOURCE_PAYLOADS[name]
    if MARKUP_RE.search(payload):  # refused where it was typed: one error naming the Dutch file
        data = sample_data(tmp_path)
        rewrite_source(data, " " + payload)
        result = cli("--data", str(data), "check")
        assert result.returncode == 1 and "nl.yml:" in result.stderr, result.stderr[-2000:]
        assert "the Dutch text contains markup" in result.stderr and "en.yml" not in result.stderr
        safe(name)
        return
    problems, shown = [], False
    for url, doc in pages(hostile_source_site):
        problems += [f"{url}: {what}" for what in injected(doc, marker)]
        shown = shown or payload.strip().split("\n")[0] in doc.text_content()
    assert problems == [], problems[:10]
    assert shown, f"{payload!r} does not appear as text on any page"
    safe(name)


@pytest.fixture(scope="module")
def hostile_translation_site(tmp_path_factory) -> Path:
    """English preview build: every English text followed by Markdown that would restructure the page."""
    project = sample_project(tmp_path_factory.mktemp("hostile-translation"))
    data = project / "data"
    rewrite_translation(data, "en", lambda key, text: text + TRANSLATION_PAYLOAD)
    rewrite_translation(data, "en", lambda key, text: text + " " + LONG_WORD if key == "home.intro" else text)
    check = cli("--data", str(data), "check")
    assert check.returncode == 0, check.stderr[-3000:]
    site = project / "site"
    result = mkdocs_build(project, site, BUILD_ONLY_LOCALE="en")
    assert result.returncode == 0, result.stderr[-3000:]
    return site


def test_markdown_in_translations_does_not_change_the_page_structure(hostile_translation_site):
    name = "Markdown structure in every English text"
    tried(name, MARKUP)
    problems = []
    for url, doc in pages(hostile_translation_site):
        problems += [f"{url}: {what}" for what in injected(doc, "pgy")]
        problems += [f"{url}: <hr>" for hr in doc.cssselect("article hr")]
    assert problems == [], problems[:10]
    home = html.parse(str(hostile_translation_site / "index.html")).getroot()
    assert "# pgy-heading" in home.text_content()
    safe(name)


def test_a_very_long_word_is_built_and_shown(hostile_translation_site):
    name = "very long text in a real build"
    tried(name, MARKUP)
    home = html.parse(str(hostile_translation_site / "index.html")).getroot()
    assert LONG_WORD in home.text_content()
    safe(name)


def test_data_files_stay_well_formed_with_hostile_text(hostile_source_site, hostile_translation_site):
    """JSON and XML the site publishes still parse when every text is hostile."""
    name = "hostile text in the published JSON and XML"
    tried(name, MARKUP)
    for site in (hostile_source_site, hostile_translation_site):
        for path in site.rglob("*.json"):
            json.loads(path.read_text("utf-8"))
        for path in site.rglob("*.xml"):
            etree.parse(str(path))
    safe(name)


# Translator files and the generated tree: the commands


def xliff(target_language: str, target: str, doctype: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}'
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
        f'<file original="nl.yml" source-language="nl" target-language="{target_language}" datatype="plaintext">'
        f'<body>\n<trans-unit id="site.official_link"><source>Naar de officiële programmagids</source>'
        f"<target>{target}</target></trans-unit>\n</body></file></xliff>\n"
    )


def po_quote(text: str) -> str:
    """A PO string: backslash, quote and line breaks escaped, every other character as it is."""
    escapes = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return '"' + "".join(escapes.get(c, c) for c in text) + '"'


def po_unit(key: str, target: str) -> str:
    return f'\nmsgctxt {po_quote(key)}\nmsgid "x"\nmsgstr {po_quote(target)}\n'


def po_with(*units: str, language: str = "en") -> str:
    return f'msgid ""\nmsgstr ""\n"Language: {language}\\n"\n' + "".join(units)


LAUGHS = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))


@dataclass(frozen=True)
class Command:
    """A command run on hostile input: the files to write first (path -> text, relative to the test's
    folder), its arguments, and the exit code and message it must end with."""

    files: dict[str, str]
    args: tuple[str, ...]
    code: int
    message: str


COMMANDS: dict[str, Command] = {
    "PO file for another language": Command(
        {"de.po": po_with(po_unit("site.name", "Leitfaden"), language="de")},
        ("import", "en", "{tmp}/de.po"),
        2,
        r"is a file for 'de' \(its Language header\), not for 'en'",
    ),
    "XLIFF file for another language": Command(
        {"de.xlf": xliff("de", "Zum Leitfaden")}, ("import", "en", "{tmp}/de.xlf"), 2, r"is a file for 'de'"
    ),
    "export over the Dutch source": Command(
        {}, ("export", "en", "-o", "{data}/locales/nl.yml", "--force"), 2, "is inside the data folder"
    ),
    "export over an existing file": Command(
        {"mine.po": "mine"}, ("export", "en", "-o", "{tmp}/mine.po"), 2, "already exists; .* --force"
    ),
    "export into a missing folder": Command(
        {}, ("export", "en", "-o", "{tmp}/nowhere/en.po"), 2, "the folder .*nowhere does not exist"
    ),
    "import of a missing file": Command({}, ("import", "en", "{tmp}/missing.po"), 2, "no such file"),
    "import of a folder": Command({}, ("import", "en", "{tmp}"), 2, "is a folder"),
    "truncated XLIFF": Command(
        {"en.xlf": xliff("en", "To the guide")[:240]}, ("import", "en", "{tmp}/en.xlf"), 1, "not well-formed XML"
    ),
    "XLIFF entity amplification (billion laughs)": Command(
        {"en.xlf": xliff("en", "&l9;", f'<!DOCTYPE xliff [<!ENTITY l0 "lol">{LAUGHS}]>\n')},
        ("import", "en", "{tmp}/en.xlf"),
        1,
        "entity amplification",
    ),
    "XLIFF entity left unresolved": Command(
        {"en.xlf": xliff("en", "To &nbsp; the guide", '<!DOCTYPE xliff SYSTEM "missing.dtd">\n')},
        ("import", "en", "{tmp}/en.xlf"),
        1,
        r"en\.xlf:5: at 'site\.official_link': the text contains the XML entity &nbsp;",
    ),
    "carriage return in an imported unit": Command(
        {"en.po": po_with(po_unit("site.name", "Guide\r# heading"))},
        ("import", "en", "{tmp}/en.po"),
        1,
        r"en\.po:5: at 'site\.name': the text contains a line break",
    ),
    "control character in an imported unit": Command(
        {"en.po": po_with(po_unit("site.name", "Guide\x07"))},
        ("import", "en", "{tmp}/en.po"),
        1,
        r"at 'site\.name': the text contains the control character U\+0007",
    ),
    "3 MB text in an imported unit": Command(
        {"en.po": po_with(po_unit("home.intro", "word " * 600_000))},
        ("import", "en", "{tmp}/en.po"),
        1,
        "the text is 3000000 characters long; the limit is 250000",
    ),
    "8000 units of unknown keys": Command(
        {"en.po": po_with(*(po_unit(f"pgx.gone.{i}", "x") for i in range(8000)))},
        ("import", "en", "{tmp}/en.po"),
        1,
        r"^8000 problems in en\.po:(\n.*){40}\n\.\.\. and 7980 more",
    ),
}


@pytest.mark.parametrize("name", COMMANDS)
def test_translator_file_commands_refuse_hostile_input_clearly(name, tmp_path):
    tried(name, EXCHANGE)
    command = COMMANDS[name]
    data = sample_data(tmp_path)
    for rel, text in command.files.items():
        (tmp_path / rel).write_text(text, "utf-8")
    before = {p: p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()}
    args = [a.format(tmp=tmp_path, data=data) for a in command.args]
    result = cli("--data", str(data), *args, cwd=tmp_path)
    assert result.returncode == command.code, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert re.search(command.message, result.stderr), result.stderr[-3000:]
    assert len(result.stderr) < 20_000, "the error repeats the input instead of pointing at it"
    assert {p: p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()} == before
    safe(name)


MANIFESTS = {
    "manifest entry ../victim.txt": "../victim.txt",
    "absolute path in the manifest": "{tmp}/victim.txt",
    "manifest entry naming a hand-made file": "notes.md",
    "manifest entry through a symbolic link out of the folder": "link/index.md",
}


@pytest.mark.parametrize("name", MANIFESTS)
def test_generate_removes_nothing_it_did_not_write(name, tmp_path):
    tried(name, TREE)
    data = sample_data(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "outside").mkdir()
    (out / "link").symlink_to(tmp_path / "outside")
    (tmp_path / "outside" / "index.md").write_text("someone else's page")
    (tmp_path / "victim.txt").write_text("someone else's file")
    (out / "notes.md").write_text("hand-made")
    entry = MANIFESTS[name].format(tmp=tmp_path)
    (out / ".generated").write_text(entry + "\n")
    result = cli("--data", str(data), "generate", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"warning: ignored '{entry}'" in result.stderr
    assert (tmp_path / "victim.txt").read_text() == "someone else's file"
    assert (tmp_path / "outside" / "index.md").read_text() == "someone else's page"
    assert (out / "notes.md").read_text() == "hand-made"
    safe(name)
