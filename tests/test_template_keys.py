"""The text keys the templates, the theme overrides and the code use are found by reading them: `programme-guide
check` names the file and line of a mistyped key, and a build stops with the same message, not a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import cli, mkdocs_build, sample_project
from programme_guide.textkeys import DYNAMIC_KEYS, key_problems, key_uses, template_files

MISTYPED = ('pg("site.disclaimer")', 'pg("site.disclaimr")')


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if text in line)


@pytest.fixture
def mistyped(tmp_path) -> Path:
    """A sample project whose overrides/main.html asks for a key no locale file has."""
    project = sample_project(tmp_path / "project")
    main = project / "overrides" / "main.html"
    text = main.read_text("utf-8")
    assert MISTYPED[0] in text, "test setup: overrides/main.html no longer shows the disclaimer with pg()"
    main.write_text(text.replace(MISTYPED[0], MISTYPED[1], 1), "utf-8")
    return project


def test_check_names_the_override_file_and_line_of_a_mistyped_key(mistyped):
    result = cli("check", cwd=mistyped)
    assert result.returncode == 1, result.stdout
    line = line_of(mistyped / "overrides" / "main.html", MISTYPED[1])
    assert f"overrides/main.html:{line}: the text key 'site.disclaimr' is not defined in nl.yml" in result.stderr
    assert "fix: " in result.stderr and "Traceback" not in result.stderr


def test_a_build_with_a_mistyped_key_stops_with_the_same_message(mistyped):
    result = mkdocs_build(mistyped, mistyped / "site", BUILD_ONLY_LOCALE="en")
    assert result.returncode == 1
    assert "the text key 'site.disclaimr' is not defined in nl.yml" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (mistyped / "site" / "index.html").exists()


def test_every_key_the_templates_and_overrides_name_is_found(tmp_path):
    """The project's own templates: the keys of the overrides (a macro passing its key on included), the
    patterns of the page templates, each with its file and line."""
    project = sample_project(tmp_path / "project")
    uses = key_uses(template_files(project))
    in_overrides = {use.key: use for use in uses if use.file.is_relative_to(project / "overrides")}
    for key in ("site.disclaimer", "ui.language_current", "ui.not_found.title", "site.search.placeholder"):
        assert key in in_overrides, key
    search = project / "overrides" / "partials" / "search.html"
    assert in_overrides["site.search.placeholder"].line == line_of(search, '"site.search.placeholder"')
    patterns = {use.key for use in uses if use.is_pattern}
    assert {"action.*.name", "family.*.summary", "field.*.name"} <= patterns
    assert patterns <= set(DYNAMIC_KEYS)


TEMPLATE_CASES = {
    # template text: the keys (or patterns) found
    "{{ t('a.b') }} {{ pg(\"c.d\") }} {{ ft.pattern('e.f', x=1) }}": {"a.b", "c.d", "e.f"},
    "{% set k = 'family.' ~ family.id %}{{ t(k ~ '.name') }}": {"family.*.name"},
    "{% for k in ['a.one', 'a.two'] %}{{ t(k) }}{% endfor %}": {"a.one", "a.two"},
    "{% for c, w in [('x', 1), ('y', 2)] %}{{ t('col.' ~ c) }}{% endfor %}": {"col.x", "col.y"},
    "{% if a %}{% set k = 'p.a' %}{% else %}{% set k = 'p.b' %}{% endif %}{{ t(k) }}": {"p.a", "p.b"},
    "{% set ks = ['a.x'] %}{% set _ = ks.append('b.' ~ y) %}{% for k in ks %}{{ t(k) }}{% endfor %}": {"a.x", "b.*"},
    "{% macro ui(key, other) %}{{ pg(key) }}{% endmacro %}{{ ui('m.one', 'x') }}{{ ui('m.two', 'y') }}": {
        "m.one",
        "m.two",
    },
    "{{ t(term.name or 'glossary.' ~ term.id ~ '.name') }}": {"glossary.*.name"},
    "{{ t(id ~ ('.a' if x else '.b')) }}": {"*.a", "*.b"},
    "{{ names('field', ids) }} {{ label_map('applicant', ids) }}": {"field.*.name", "applicant.*.name"},
    "{{ t(call.note['key']) }} {{ lang.t('search') }}": set(),  # data as a whole; the theme's own texts
}


@pytest.mark.parametrize("source", TEMPLATE_CASES)
def test_keys_are_followed_through_names_loops_branches_and_macros(tmp_path, source):
    path = tmp_path / "page.html"
    path.write_text(source, "utf-8")
    assert {use.key for use in key_uses([path])} == TEMPLATE_CASES[source]


def test_an_undeclared_pattern_and_a_pattern_no_key_matches_are_problems(tmp_path):
    (tmp_path / "overrides").mkdir()
    page = tmp_path / "overrides" / "page.html"
    page.write_text("{{ pg('site.name') }}\n{{ pg('family.' ~ id ~ '.nmae') }}\n{{ pg('action.' ~ id ~ '.name') }}\n")
    defined = {"site.name", "family.x.name"}
    problems = [p for p in key_problems(defined, tmp_path / "nl.yml", tmp_path) if Path(p.file) == page]
    assert [(p.line, p.message) for p in problems] == [
        (2, "the key pattern 'family.*.nmae' is not a declared one"),
        (3, "no text key matches 'action.*.name'"),
    ]


def test_a_template_that_cannot_be_parsed_is_one_problem_with_its_line(tmp_path):
    (tmp_path / "overrides").mkdir()
    (tmp_path / "overrides" / "broken.html").write_text("{{ pg('site.name') }}\n{% if x %}\n", "utf-8")
    problems = key_problems({"site.name"}, tmp_path / "nl.yml", tmp_path)
    assert len(problems) == 1
    assert problems[0].file.endswith("broken.html") and problems[0].line == 2
    assert "the template cannot be read" in problems[0].message


def test_the_keys_the_code_looks_up_are_checked_too(tmp_path):
    """The MkDocs adapters and the engine look texts up in Python: constant keys and f-string patterns."""
    (tmp_path / "hooks").mkdir()
    hook = tmp_path / "hooks" / "adapter.py"
    hook.write_text(
        "def on_env(env, config, files):\n"
        '    name = catalog.text(lang, "site.nmae")\n'
        '    nav = catalog.text(lang, f"family.{family.id}.nav")\n'
        '    return ctx.t("site.name"), ctx.tn("site.name", 2), catalog.text(lang, key)\n',
        "utf-8",
    )
    problems = [p for p in key_problems({"site.name"}, tmp_path / "nl.yml", tmp_path) if Path(p.file) == hook]
    assert [(p.line, p.message) for p in problems] == [
        (2, "the text key 'site.nmae' is not defined in nl.yml"),
        (3, "the key pattern 'family.*.nav' is not a declared one"),
    ]
