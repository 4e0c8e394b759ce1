"""Punctuation per language: lists joined with the language's own pattern, separators from the locale file,
no ASCII ';' used as a separator in Greek, where it is the question mark, and French spaced as EU publications
space it (no space before ':', ';', '!', '?', none inside « »), with the apostrophe ’.

`check` is tried on the sample data set (tests/samples/basic) with Greek added, four locale files to load rather
than the guide's 24; the built guide is read from the one full build (`site`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import cli, sample_data
from helpers import article, normalise, page, text
from programme_guide.formatting import Formatter
from programme_guide.locales import punctuation_problems

LOCALES = {"nl": "nl_NL", "en": "en_IE", "el": "el_GR", "pl": "pl_PL", "ga": "ga_IE"}

# What CLDR puts between the last two items of a list ("a, b and c") and of alternatives ("a, b or c")
JOINS = {
    "nl": ("A, B en C", "A, B of C"),
    "en": ("A, B and C", "A, B or C"),
    "el": ("A, B και C", "A, B ή C"),
    "pl": ("A, B i C", "A, B lub C"),
    "ga": ("A, B agus C", "A, B nó C"),
}


@pytest.mark.parametrize("lang", JOINS)
def test_lists_are_joined_with_the_languages_own_pattern(lang):
    fmt = Formatter(LOCALES[lang])
    assert (fmt.list("ABC"), fmt.list("ABC", style="or")) == JOINS[lang]


def test_alternatives_use_the_locale_files_word_and_the_languages_separator_where_cldr_has_none():
    assert Formatter("mt_MT", or_word="jew").list("ABC", style="or") == "A, B jew C"


GREEK = {
    "4.000.000 € ανά σχέδιο; συνεισφορά της ΕΕ έως 80 %": True,  # the sentence goes on: a separator
    "3 οργανισμοί; 3 χώρες": True,
    "ποσό; {amount}": True,
    "Ποια δράση μου ταιριάζει;": False,  # a question at the end of the text
    "Ποια δράση ταιριάζει στον οργανισμό σας; Επισκόπηση της Βασικής δράσης 2.": False,  # a new sentence
    "Ποιος μπορεί να υποβάλει αίτηση; «Οργανισμοί»": False,
    "ανά σχέδιο· συνεισφορά της ΕΕ": False,  # the ano teleia is the Greek semicolon
}


@pytest.mark.parametrize("sample", GREEK)
def test_a_greek_semicolon_is_a_separator_when_the_sentence_goes_on_after_it(sample):
    assert bool(punctuation_problems(sample, "el")) is GREEK[sample]
    assert punctuation_problems(sample, "de") == []


FRENCH = {
    "Votre pays : {country}": True,
    "Votre pays\u00a0: {country}": True,  # a no-break space is a space too
    "dans ce navigateur ; rien n’est envoyé.": True,
    "Quelle action ?": True,
    "le label « petits projets »": True,
    "Votre pays: {country}": False,
    "Lot 1: alliances; lot 2: coopération!": False,
    "à 17:00 (heure de Bruxelles), https://example.eu/?a=1": False,  # times and addresses have no space anyway
    "le label «petits projets»": False,
    "énumère d'abord les textes": True,  # the typewriter apostrophe
    "énumère d’abord les textes": False,
}


@pytest.mark.parametrize("sample", FRENCH)
def test_french_has_no_space_before_a_colon_as_in_eu_publications_and_its_own_apostrophe(sample):
    assert bool(punctuation_problems(sample, "fr")) is FRENCH[sample]
    assert punctuation_problems(sample, "nl") == []


def test_check_names_the_french_file_line_and_fix_for_a_space_before_a_colon(tmp_path):
    data = sample_data(tmp_path, add=("fr",))
    locale = data / "locales" / "fr.yml"
    lines = locale.read_text("utf-8").splitlines()
    index = lines.index("  agency.where:") + 1
    assert lines[index] == '    text: "Votre pays: {country}"'
    lines[index] = '    text: "Votre pays : {country}"'
    locale.write_text("\n".join(lines) + "\n", "utf-8")
    result = cli("--data", str(data), "check")
    assert result.returncode == 1
    assert f"fr.yml:{index}: at 'strings.agency.where': a space before ':'" in result.stderr, result.stderr
    assert "Interinstitutional Style Guide" in result.stderr and "1 problem in" in result.stderr


def test_check_names_the_greek_file_line_and_fix_for_a_semicolon_separator(tmp_path):
    data = sample_data(tmp_path, add=("el",))
    locale = data / "locales" / "el.yml"
    lines = locale.read_text("utf-8").splitlines()
    index = lines.index("  fact.consortium.both:") + 1
    assert lines[index].startswith("    text: ")
    lines[index] = f"    text: {json.dumps('τουλάχιστον {organisations} οργανισμοί; {countries} χώρες')}"
    locale.write_text("\n".join(lines) + "\n", "utf-8")
    result = cli("--data", str(data), "check")
    assert result.returncode == 1
    assert f"el.yml:{index}: at 'strings.fact.consortium.both': ';' used as a separator" in result.stderr
    assert "write the ano teleia '·'" in result.stderr
    assert "1 problem in" in result.stderr, result.stderr


# The built site


def greek_pages(site: Path) -> list[str]:
    folder = site / "el" / "key-action-2"
    return sorted(str(p.parent.relative_to(site)) for p in folder.rglob("index.html"))


def test_no_ascii_semicolon_separator_in_greek_fact_sheets_comparison_or_changes(site):
    urls = greek_pages(site)
    assert "el/key-action-2/compare" in urls and len(urls) > 10
    for url in urls:
        body = text(article(page(site, url)))
        assert punctuation_problems(body, "el") == [], url


@pytest.mark.parametrize("lang", JOINS)
def test_the_comparison_joins_names_with_the_languages_list_pattern(site, lang):
    prefix = "" if lang == "nl" else f"{lang}/"
    and_word = JOINS[lang][0].split(" ")[-2]
    rows = page(site, f"{prefix}key-action-2/compare/").cssselect("table.pg-compare tbody tr")
    several = [row for row in rows if len(row.get("data-fields").split()) > 1]
    assert several
    for row in several:
        meta = text(row.cssselect(".pg-compare__meta")[0])
        assert f" {and_word} " in meta and ";" not in meta, meta
    separator = " – " if lang == "el" else " · "
    assert all(separator in text(row.cssselect(".pg-compare__meta")[0]) for row in rows)


def test_source_notes_and_criteria_take_the_label_separator_from_the_locale(site):
    for lang in ("fr", "en"):
        sheet = page(site, f"{lang}/key-action-2/partnerships-for-cooperation/cooperation-partnerships/")
        note = normalise(sheet.cssselect("ol.pg-sources li")[0].text_content().replace("\u00a0", "~"))
        assert ", " in note and ": " in note and " :" not in note and "~:" not in note, note


def test_french_pages_are_punctuated_as_french(site):
    urls = sorted(str(p.parent.relative_to(site)) for p in (site / "fr").rglob("index.html"))
    assert "fr/key-action-2/compare" in urls and len(urls) > 20
    # The translation status page quotes the translators' notes, in whatever language they were written.
    urls.remove("fr/translations")
    for url in urls:
        assert punctuation_problems(text(article(page(site, url))), "fr") == [], url


@pytest.mark.browser
def test_the_greek_finder_shows_no_semicolon_separator(server, browser):
    tab = browser.new_page()
    tab.clock.set_fixed_time("2026-01-15T10:00:00Z")
    tab.goto(server + "el/key-action-2/compare/")
    shown = 0
    for field in tab.eval_on_selector_all("#pg-finder-field option", "options => options.map(o => o.value)"):
        tab.select_option("#pg-finder-field", field)
        tab.select_option("#pg-finder-applicant", "company")  # counts as any organisation
        tab.fill("#pg-finder-partners", "10")
        tab.fill("#pg-finder-countries", "10")
        tab.click("#pg-finder button[type=submit]")
        results = normalise(tab.inner_text("#pg-finder-results"))
        shown += tab.eval_on_selector_all("#pg-finder-results li[data-action]", "items => items.length")
        assert punctuation_problems(results, "el") == [], (field, results)
    assert shown > 0
    tab.close()
