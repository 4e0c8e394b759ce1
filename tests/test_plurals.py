"""Texts that depend on a number: one form per CLDR plural category in the locale files, the right form on the
page (Python with Babel, the browser with Intl.PluralRules), PO and XLIFF files that carry every form and come
back unchanged, and errors that name the file, line and category a translator has to fix."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, cli, copy_project, mkdocs_build, sample_data, serve
from helpers import article, page, text

KEY = "fact.duration.fixed"  # "{count} maanden": the duration of an action whose projects last a fixed time

# The CLDR plural category of 1, 2, 5 and 22 in each language, as the CLDR plural rules chart states them
# (https://www.unicode.org/cldr/charts/latest/supplemental/language_plural_rules.html).
CATEGORIES = {
    "pl": {1: "one", 2: "few", 5: "many", 22: "few"},
    "cs": {1: "one", 2: "few", 5: "other", 22: "other"},
    "ga": {1: "one", 2: "two", 5: "few", 22: "other"},
    "mt": {1: "one", 2: "two", 5: "few", 22: "other"},
}
# Every category each of these languages has in CLDR (Polish and Czech use one of them only for fractions).
ALL_CATEGORIES = {
    "pl": ["one", "few", "many", "other"],
    "cs": ["one", "few", "many", "other"],
    "ga": ["one", "two", "few", "many", "other"],
    "mt": ["one", "two", "few", "many", "other"],
}


def strings(data: Path, lang: str) -> dict:
    return yaml.load((data / "locales" / f"{lang}.yml").read_text("utf-8"), Loader=yaml.CSafeLoader)["strings"]


def forms(data: Path, lang: str, key: str) -> dict[str, str]:
    return strings(data, lang)[key]["text"]


def expected(data: Path, lang: str, key: str, count: int) -> str:
    return forms(data, lang, key)[CATEGORIES[lang][count]].replace("{count}", str(count))


def test_each_language_writes_one_form_for_each_of_its_cldr_categories():
    for lang, categories in ALL_CATEGORIES.items():
        assert list(forms(ROOT / "data", lang, KEY)) == categories
    assert list(strings(ROOT / "data", "nl")[KEY]) == ["one", "other"]


@pytest.fixture(scope="module")
def catalog():
    from programme_guide.generate import load

    return load(ROOT / "data")


@pytest.mark.parametrize("lang", CATEGORIES)
def test_the_engine_renders_the_cldr_form_for_1_2_5_and_22(catalog, lang):
    from programme_guide.facttext import FactText
    from programme_guide.formatting import Formatter
    from programme_guide.pages import PageContext, site_targets

    targets = site_targets(catalog)
    ctx = PageContext(catalog, lang, targets["compare"], targets)
    fact_text = FactText(ctx, Formatter(catalog.guide.language(lang).locale))
    written = forms(ROOT / "data", lang, KEY)
    wanted = {count: written[category].replace("{count}", str(count)) for count, category in CATEGORIES[lang].items()}
    for count in CATEGORIES[lang]:
        rendered = fact_text.term({"min_months": count, "max_months": count}, "duration")
        assert rendered.value == wanted[count], (lang, count)
        assert rendered.lang == lang
    assert len({value.split(" ", 1)[1] for value in wanted.values()}) >= 2


def test_a_missing_translation_falls_back_to_the_dutch_forms_by_dutch_rules(catalog):
    from programme_guide.locales import Catalog

    reduced = {code: locale for code, locale in catalog.locales.items()}
    pl = reduced["pl"]
    reduced["pl"] = type(pl)(pl.code, pl.path, pl.review, {k: e for k, e in pl.entries.items() if k != KEY})
    fallback = Catalog(catalog.guide, reduced)
    one, five = fallback.plural("pl", KEY, 1, count="1"), fallback.plural("pl", KEY, 5, count="5")
    assert (one.value, one.lang, one.state) == ("1 maand", "nl", "missing")
    assert five.value == "5 maanden"


# The built site: a one-language preview, with figures that need each form


@pytest.fixture(scope="module")
def polish_site(tmp_path_factory) -> Path:
    """A Polish preview build in which School development asks for 22 organisations from 5 countries and its
    projects last 2 months."""
    project = copy_project(tmp_path_factory.mktemp("plural-project"))
    facts = project / "data" / "facts.yml"
    source = facts.read_text("utf-8")
    for before, after in [
        (
            "{source: leargas-epsd, terms: [{min_organisations: 6, min_countries: 2}]}",
            "{min_organisations: 22, min_countries: 5}",
        ),
        ("{source: oead-epsd, terms: [{min_months: 36, max_months: 36}]}", "{min_months: 2, max_months: 2}"),
    ]:
        assert source.count(before) == 1
        source = source.replace(before, before.split("[")[0] + "[" + after + "]}")
    facts.write_text(source, "utf-8")
    site = project / "site"
    result = mkdocs_build(project, site, BUILD_ONLY_LOCALE="pl")
    assert result.returncode == 0, result.stderr[-3000:]
    return site


def summary_value(doc, label: str) -> str:
    for row in doc.cssselect("dl.pg-summary > div"):
        if text(row.cssselect("dt")[0]) == label:
            return text(row.cssselect("dd")[0])
    raise AssertionError(f"no summary row {label!r}")


def form(lang: str, key: str, category: str, count: int) -> str:
    return forms(ROOT / "data", lang, key)[category].replace("{count}", str(count))


def test_a_polish_preview_shows_the_polish_form_for_each_number(polish_site):
    pl = strings(ROOT / "data", "pl")
    partnership, duration = pl["fact.label.consortium"]["text"], pl["fact.label.duration"]["text"]
    school = article(page(polish_site, "key-action-2/partnerships-for-cooperation/school-development/"))
    organisations = form("pl", "fact.consortium.organisations", "few", 22)  # 22 takes 'few', 5 'many'
    countries = form("pl", "fact.consortium.from_countries", "many", 5)
    assert summary_value(school, partnership).startswith(f"{organisations} {countries}")
    assert summary_value(school, partnership).startswith("co najmniej 22 organizacje z co najmniej 5 krajów")
    assert summary_value(school, duration).startswith(form("pl", KEY, "few", 2))
    assert summary_value(school, duration).startswith("2 miesiące")
    teacher = article(page(polish_site, "key-action-2/partnerships-for-excellence/teacher-academies/"))
    assert summary_value(teacher, partnership).startswith(form("pl", "fact.consortium.organisations", "many", 6))


def test_the_comparison_ships_every_form_to_the_finder_with_the_locale_that_picks_one(polish_site):
    doc = page(polish_site, "key-action-2/compare/")
    shipped = json.loads(doc.get_element_by_id("pg-compare-text").text)
    for name, key in [("shown", "compare.filter.shown"), ("why_partners", "compare.finder.why.partners")]:
        assert shipped[name] == {"locale": "pl-PL", "forms": forms(ROOT / "data", "pl", key)}


@pytest.fixture(scope="module")
def polish_server(polish_site):
    yield from serve(polish_site)


@pytest.mark.browser
def test_the_filter_and_the_finder_pick_the_polish_form_in_the_browser(polish_server, browser):
    from babel import Locale

    rule = Locale.parse("pl").plural_form  # Babel's CLDR rules, to check the browser's Intl.PluralRules against
    tab = browser.new_page()
    tab.clock.set_fixed_time("2026-01-15T10:00:00Z")
    tab.goto(polish_server + "key-action-2/compare/")
    rows = tab.eval_on_selector_all("#pg-compare tbody tr", "rows => rows.length")
    assert tab.inner_text("#pg-filter-count") == form("pl", "compare.filter.shown", rule(rows), rows)
    tab.select_option("#pg-filter-body", "national-agency")
    shown = tab.eval_on_selector_all("#pg-compare tbody tr:not([hidden])", "rows => rows.length")
    assert {rule(rows), rule(shown)} == {"many", "few"}, (rows, shown)  # the two differ, as the texts must
    assert tab.inner_text("#pg-filter-count") == form("pl", "compare.filter.shown", rule(shown), shown)
    tab.select_option("#pg-finder-field", "school")
    tab.select_option("#pg-finder-applicant", "school")
    tab.fill("#pg-finder-partners", "22")
    tab.fill("#pg-finder-countries", "5")
    tab.click("#pg-finder button[type=submit]")
    item = tab.locator(
        "#pg-finder-list > li[data-action=school-development], "
        "#pg-finder-closed-list > li[data-action=school-development]"
    )
    reasons = item.locator(".pg-why li").all_inner_texts()
    assert form("pl", "compare.finder.why.partners", "few", 22) in reasons
    assert form("pl", "compare.finder.why.countries", "many", 5) in reasons
    found = tab.eval_on_selector_all("#pg-finder-list > li", "items => items.length")
    apart = tab.eval_on_selector_all("#pg-finder-closed-list > li", "items => items.length")
    opened = form("pl", "compare.finder.found_open", rule(found), found)
    closed = form("pl", "compare.finder.found_closed", rule(apart), apart)
    assert tab.inner_text("#pg-finder-summary") == f"{opened}, {closed}."
    tab.close()


# Exchange with CAT tools


def export(data: Path, lang: str, fmt: str, out: Path) -> Path:
    result = cli("--data", str(data), "export", lang, "--format", fmt, "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def data(tmp_path) -> Path:
    """The sample data (tests/samples/basic: Dutch, English, Polish) with the project's Czech, German and Irish
    added, whose plural entries the tests below edit: six locale files to load, not the guide's 24."""
    return sample_data(tmp_path, add=("cs", "de", "ga"))


def test_a_polish_po_file_carries_the_plural_forms_header_and_every_form(data, tmp_path):
    from babel import Locale
    from babel.messages.plurals import get_plural
    from translate.storage import po

    exported = export(data, "pl", "po", tmp_path / "pl.po").read_text("utf-8")
    assert '"Plural-Forms: nplurals=4; plural=' in exported
    store = po.pofile(exported.encode("utf-8"))
    # Babel's gettext numbering for Polish (one, few, many), and CLDR's 'other' (fractions) as a fourth form
    assert store.parseheader()["Plural-Forms"] == f"nplurals=4; plural={get_plural('pl').plural_expr};"
    assert len(Locale.parse("pl").plural_form.tags | {"other"}) == 4
    unit = next(u for u in store.units if u.getcontext() == KEY)
    assert unit.hasplural()
    assert list(unit.source.strings) == ["{count} maand", "{count} maanden"]
    assert list(unit.target.strings) == list(forms(data, "pl", KEY).values())
    assert 'msgid_plural "{count} maanden"' in exported and 'msgstr[3] "{count} miesiąca"' in exported
    if shutil.which("msgfmt"):  # GNU gettext accepts the file as it is
        import subprocess

        check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(tmp_path / "pl.po")], capture_output=True)
        assert check.returncode == 0, check.stderr


@pytest.mark.parametrize("fmt", ["po", "xliff"])
def test_export_then_import_changes_nothing(data, tmp_path, fmt):
    before = (data / "locales" / "pl.yml").read_bytes()
    exported = export(data, "pl", fmt, tmp_path / f"pl.{fmt}")
    result = cli("--data", str(data), "import", "pl", str(exported))
    assert result.returncode == 0, result.stderr
    assert "0 added, 0 changed" in result.stdout and "locale file unchanged" in result.stdout
    assert (data / "locales" / "pl.yml").read_bytes() == before


def test_an_xliff_file_has_a_plural_group_with_one_unit_per_form(data, tmp_path):
    from lxml import etree

    root = etree.parse(str(export(data, "ga", "xliff", tmp_path / "ga.xlf"))).getroot()
    group = next(g for g in root.iter("{*}group") if g.get("id") == KEY)
    assert group.get("restype") == "x-gettext-plurals"
    units = group.findall("{*}trans-unit")
    assert [u.get("id") for u in units] == [f"{KEY}[{i}]" for i in range(5)]
    assert [u.find("{*}target").text for u in units] == list(forms(data, "ga", KEY).values())
    notes = " ".join(note.text for note in units[2].findall("{*}note"))
    assert "The Irish form 'few', for 3-6." in notes


def test_a_form_changed_in_a_po_file_is_written_to_its_line_only(data, tmp_path):
    from translate.misc.multistring import multistring
    from translate.storage import po

    path = data / "locales" / "pl.yml"
    before = path.read_text("utf-8").splitlines()
    exported = export(data, "pl", "po", tmp_path / "pl.po")
    store = po.pofile(exported.read_bytes())
    unit = next(u for u in store.units if u.getcontext() == KEY)
    targets = list(unit.target.strings)
    targets[1] = "okres {count} miesięcy"  # the 'few' form
    unit.target = multistring(targets)
    exported.write_bytes(bytes(store))
    result = cli("--data", str(data), "import", "pl", str(exported))
    assert result.returncode == 0, result.stderr
    assert "1 changed" in result.stdout
    after = path.read_text("utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [('      few: "{count} miesiące"', '      few: "okres {count} miesięcy"')]
    assert forms(data, "pl", KEY)["few"] == "okres {count} miesięcy"


def test_a_po_file_with_gettexts_three_polish_forms_keeps_the_fourth_and_a_wrong_header_is_refused(data, tmp_path):
    """Some tools write their own Plural-Forms for Polish (three forms, no 'other' for fractions); import reads the
    forms by that header, keeps the form it lacks, and refuses a header that does not fit Polish."""
    from babel.messages.plurals import get_plural

    before = (data / "locales" / "pl.yml").read_bytes()
    text = export(data, "pl", "po", tmp_path / "pl.po").read_text("utf-8")
    header = f'"Plural-Forms: {get_plural("pl").plural_forms}\\n"\n'
    three = re.sub(r'"Plural-Forms: [^"]*"\n(?:"[^"]*"\n)*', lambda _: header, text, count=1)
    three = re.sub(r'msgstr\[3\] "[^"]*"\n', "", three)
    assert "msgstr[3]" not in three and "nplurals=3" in three
    (tmp_path / "three.po").write_text(three, "utf-8")
    result = cli("--data", str(data), "import", "pl", str(tmp_path / "three.po"))
    assert result.returncode == 0, result.stderr
    assert "0 added, 0 changed" in result.stdout
    assert (data / "locales" / "pl.yml").read_bytes() == before
    wrong = three.replace(get_plural("pl").plural_forms, "nplurals=2; plural=(n != 1);")
    (tmp_path / "wrong.po").write_text(wrong, "utf-8")
    result = cli("--data", str(data), "import", "pl", str(tmp_path / "wrong.po"))
    assert result.returncode == 1
    assert "the Plural-Forms header 'nplurals=2; plural=(n != 1);' does not fit Polish" in result.stderr
    assert (data / "locales" / "pl.yml").read_bytes() == before


# Errors a translator can act on


def replace_line(path: Path, old: str, new: str | None, after: str) -> int:
    """Replace (or, with ``new`` None, delete) the line ``old`` that follows the line ``after``; its 1-based
    number, or the number of the line after ``after`` for a deletion."""
    lines = path.read_text("utf-8").splitlines()
    start = lines.index(after)
    index = lines.index(old, start)
    if new is None:
        del lines[index]
    else:
        lines[index] = new
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return index + 1


def test_check_names_file_line_and_category_of_a_wrong_plural_entry(data):
    locales = data / "locales"
    # Polish 'few' missing, an Irish form that lost {count}, a category Czech does not have, German as one text
    pl_line = replace_line(locales / "pl.yml", '      few: "{count} miesiące"', None, f"  {KEY}:") - 2
    ga_line = replace_line(locales / "ga.yml", '      two: "{count} mhí"', '      two: "dhá mhí"', f"  {KEY}:")
    cs_line = replace_line(
        locales / "cs.yml", '      few: "{count} měsíce"', '      two: "{count} měsíce"', f"  {KEY}:"
    )
    de_line = replace_line(locales / "de.yml", "    text:", '    text: "{count} Monate"', f"  {KEY}:") - 1
    for line in ('      one: "{count} Monat"', '      other: "{count} Monate"'):
        replace_line(locales / "de.yml", line, None, f"  {KEY}:")
    result = cli("--data", str(data), "check")
    assert result.returncode == 1
    errors = result.stderr
    assert f"pl.yml:{pl_line}: at 'strings.{KEY}.text': the plural form 'few' is missing" in errors
    assert "fix: add 'few:' with the form for 2-4, 22-24, 32-34, 42-44, ..." in errors
    assert f"ga.yml:{ga_line}: at 'strings.{KEY}.text.two': placeholders differ from the Dutch text: none" in errors
    assert "keep exactly these placeholders, untranslated: {count}" in errors
    assert f"cs.yml:{cs_line}: at 'strings.{KEY}.text.two': 'two' is not a plural category of Czech" in errors
    assert "Czech has the categories one, few, many, other" in errors
    assert f"de.yml:{de_line}: at 'strings.{KEY}': the Dutch text has plural forms" in errors
    assert "'one:', 'other:' (German; see README)" in errors
    assert "Traceback" not in errors


def test_a_dutch_plural_entry_missing_a_form_is_one_error_at_its_line_in_nl_yml(data):
    from programme_guide.errors import DataError
    from programme_guide.locales import load_catalog
    from programme_guide.model import load_guide

    line = replace_line(
        data / "locales" / "nl.yml", '    one: "{count} actie getoond"', None, "  compare.filter.shown:"
    )
    with pytest.raises(DataError) as caught:
        load_catalog(load_guide(data))
    assert [p.format() for p in caught.value.problems] == [
        f"{data / 'locales' / 'nl.yml'}:{line - 1}: at 'strings.compare.filter.shown': the plural form 'one' is missing"
        "\n    fix: add 'one:' with the form for 1 (Dutch has the categories one, other)"
    ]


def test_every_language_has_a_plural_forms_header_that_matches_its_cldr_rules():
    import gettext

    from babel import Locale

    from programme_guide.plurals import gettext_plurals

    languages = yaml.safe_load((ROOT / "data" / "languages.yml").read_text("utf-8"))["languages"]
    for language in languages:
        numbering = gettext_plurals(language["locale"])
        rule = Locale.parse(language["locale"]).plural_form
        assert sorted(numbering.names) == sorted(rule.tags | {"other"}), language["code"]
        pick = gettext.c2py(numbering.expression)
        for n in range(0, 1200):
            assert numbering.names[pick(n)] == rule(n), (language["code"], n)
