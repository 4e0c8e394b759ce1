"""The command line's contract, the same for every command: exit code 0 when all is well, 1 when the data (or the
file given) has problems, 2 when the command was used wrongly (an unknown language, command, option or key, a
missing argument, a file or folder that does not exist, an output that would overwrite something). An error is one
paragraph that says what to do, never a Python traceback, and a refused command changes no file.

Every command that `programme-guide --help` lists is tried here, on a copy of the sample data."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from conftest import cli, sample_data
from helpers import tree


@dataclass(frozen=True)
class Case:
    command: str  # as --help lists it
    args: tuple[str, ...]  # {tmp} is the test's folder, {data} the data folder in it
    code: int
    stderr: str = ""  # a pattern the error must match
    broken: bool = False  # run on data with a problem in guide.yml
    project: bool = False  # with an mkdocs.yml beside the data (what `build` needs before it reads the data)


def case(command: str, code: int, stderr: str, *args: str, broken: bool = False, project: bool = False) -> Case:
    return Case(command, args, code, stderr, broken, project)


BROKEN = r"guide\.yml:\d+: .*action 'no-such-action' is referenced but not defined"
CASES = {
    # An unknown language, for every command that takes one
    "status xx": case("status", 2, r"unknown language: xx", "status", "xx"),
    "export xx": case(
        "export", 2, r"'xx' is not a configured translation language", "export", "xx", "-o", "{tmp}/x.po"
    ),
    "import xx": case("import", 2, r"'xx' is not a configured translation language", "import", "xx", "{tmp}/pl.po"),
    "stamp xx": case("stamp", 2, r"'xx' is not a configured translation language", "stamp", "xx", "site.name"),
    "review xx": case("review", 2, r"'xx' is not a configured translation language", "review", "xx", "--all"),
    "generate --lang xx": case("generate", 2, r"unknown language: xx", "generate", "{tmp}/out", "--lang", "xx"),
    "export the source": case("export", 2, r"'nl' is the source language", "export", "nl", "-o", "{tmp}/x.po"),
    "review the source": case("review", 2, r"'nl' is the source language", "review", "nl", "--all"),
    # A missing argument
    "export without -o": case("export", 2, r"required: -o/--output", "export", "pl"),
    "import without a file": case("import", 2, r"required: FILE", "import", "pl"),
    "stamp without a key": case("stamp", 2, r"required: KEY", "stamp", "pl"),
    "review without keys": case("review", 2, r"name the keys to mark as reviewed, or use --all", "review", "pl"),
    "generate without a folder": case("generate", 2, r"required: OUT_DIR", "generate"),
    # A file or folder that does not exist, or is the wrong kind, or would be overwritten
    "import a missing file": case("import", 2, r"missing\.po: no such file", "import", "pl", "{tmp}/missing.po"),
    "import a folder": case("import", 2, r"is a folder", "import", "pl", "{tmp}"),
    "export over a file": case("export", 2, r"pl\.po already exists; .* --force", "export", "pl", "-o", "{tmp}/pl.po"),
    "export into data/": case("export", 2, r"is inside the data folder", "export", "pl", "-o", "{data}/pl.po"),
    "generate onto a file": case("generate", 2, r"pl\.po is a file", "generate", "{tmp}/pl.po"),
    "no data folder": case("check", 2, r"nowhere: no such data folder", "--data", "{tmp}/nowhere", "check"),
    "publish over a folder": case("publish", 2, r"already exists", "publish", "--dry-run", "--output", "{tmp}"),
    "finish a missing folder": case("finish", 2, r"missing: not a folder", "finish", "{tmp}/missing"),
    "build --lang xx": case(
        "build", 2, r"unknown language: xx", "build", "--lang", "xx", "--site-dir", "{tmp}/s", project=True
    ),
    "build outside a project": case("build", 2, r"mkdocs\.yml: not found", "build", "--site-dir", "{tmp}/s"),
    "build --merge a missing folder": case("build", 2, r"missing: not a folder", "build", "--merge", "{tmp}/missing"),
    # An unknown key, option or command
    "stamp an unknown key": case("stamp", 2, r"no translated entry for: no\.such\.key", "stamp", "pl", "no.such.key"),
    "review an unknown key": case(
        "review", 2, r"no translated entry for: no\.such\.key", "review", "pl", "no.such.key"
    ),
    "an unknown option": case("status", 2, r"unrecognized arguments: --colour", "status", "--colour"),
    "a wrong option value": case("status", 2, r"invalid float value: 'most'", "status", "--fail-under", "most"),
    "an unknown command": case("", 2, r"invalid choice: 'frobnicate'", "frobnicate"),
    # Problems in the data, or in the file given
    "check broken data": case("check", 1, BROKEN, "check", broken=True),
    "status of broken data": case("status", 1, BROKEN, "status", "pl", broken=True),
    "export broken data": case("export", 1, BROKEN, "export", "pl", "-o", "{tmp}/x.po", broken=True),
    "import into broken data": case("import", 1, BROKEN, "import", "pl", "{tmp}/pl.po", broken=True),
    "stamp broken data": case("stamp", 1, BROKEN, "stamp", "pl", "site.name", broken=True),
    "review broken data": case("review", 1, BROKEN, "review", "pl", "--all", broken=True),
    "generate broken data": case("generate", 1, BROKEN, "generate", "{tmp}/out", broken=True),
    "publish broken data": case("publish", 1, BROKEN, "publish", "--dry-run", broken=True),
    "finish with broken data": case("finish", 1, BROKEN, "finish", "{tmp}", broken=True),
    "build broken data": case("build", 1, BROKEN, "build", "--site-dir", "{tmp}/s", broken=True, project=True),
    "import a file with problems": case(
        "import", 1, r"bad\.po:\d+: at 'no\.such\.key': unknown key", "import", "pl", "{tmp}/bad.po"
    ),
    # All is well
    "check": case("check", 0, "", "check"),
    "status": case("status", 0, "", "status", "pl"),
    "export": case("export", 0, "", "export", "pl", "-o", "{tmp}/x.po"),
    "import": case("import", 0, "", "import", "pl", "{tmp}/pl.po"),
    "stamp": case("stamp", 0, "", "stamp", "pl", "site.name"),
    "review": case("review", 0, "", "review", "pl", "site.name"),
    "generate": case("generate", 0, "", "generate", "{tmp}/out"),
}

PO_HEADER = 'msgid ""\nmsgstr ""\n"Language: pl\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'


# One case of each exit code runs in the quick subset; the whole table is `slow` (a command run each).
QUICK = ("status xx", "check broken data", "check")


@pytest.mark.parametrize("name", [pytest.param(n, marks=() if n in QUICK else pytest.mark.slow) for n in CASES])
def test_every_command_exits_with_the_documented_code_and_a_clear_message(tmp_path, name):
    test = CASES[name]
    data = sample_data(tmp_path)
    (tmp_path / "pl.po").write_text(PO_HEADER, "utf-8")
    (tmp_path / "bad.po").write_text(PO_HEADER + '\nmsgctxt "no.such.key"\nmsgid "x"\nmsgstr "y"\n', "utf-8")
    if test.project:
        (tmp_path / "mkdocs.yml").write_text("site_name: a project the command stops in before building\n", "utf-8")
    if test.broken:
        guide = data / "guide.yml"
        text = guide.read_text("utf-8")
        assert "actions: [cooperation-partnerships" in text, "test setup: the sample's guide.yml changed"
        guide.write_text(text.replace("actions: [cooperation-partnerships", "actions: [no-such-action", 1), "utf-8")
    before = tree(tmp_path)
    args = [arg.format(tmp=tmp_path, data=data) for arg in test.args]
    result = cli("--data", str(data), *args, cwd=tmp_path) if args[0] != "--data" else cli(*args, cwd=tmp_path)
    assert result.returncode == test.code, (result.returncode, result.stdout[-2000:], result.stderr[-2000:])
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    if test.code:
        assert re.search(test.stderr, result.stderr), result.stderr[-2000:]
        assert len(result.stderr.strip().splitlines()) < 30, "one paragraph, not a dump"
        assert tree(tmp_path) == before, "a refused command changed a file"


def help_commands() -> list[str]:
    result = cli("--help")
    assert result.returncode == 0
    listed = result.stdout.split("positional arguments:", 1)[1].split("options:", 1)[0]
    return re.findall(r"^    ([a-z][a-z-]*)\s", listed, flags=re.M)


def test_every_command_is_tried_with_a_mistake_broken_data_and_success():
    commands = help_commands()
    assert "check" in commands and "publish" in commands
    for command in commands:
        codes = {test.code for test in CASES.values() if test.command == command}
        assert 2 in codes and 1 in codes, f"add the usage mistakes and broken data of `{command}` to CASES"


def test_help_documents_the_exit_codes():
    result = cli("--help")
    assert result.returncode == 0
    epilog = result.stdout.split("Exit codes", 1)[1]
    for code, meaning in (("0", "nothing wrong"), ("1", "problems found in the data"), ("2", "wrong usage")):
        assert re.search(rf"^  {code}  .*{meaning}", epilog, flags=re.M), code
    assert "--debug" in result.stdout
