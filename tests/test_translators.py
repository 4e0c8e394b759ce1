"""What a reader is told about a translation, and what a translator gets: honest credits and notices, errors
that name the file to fix, a link to improve each page's translation, and the status page's work lists.

What the built guide shows is read from the one full build (`site`); the commands' behaviour (review, check,
status, import, a build that refuses broken data) is tried on the sample data set (tests/samples/basic: Dutch,
English, Polish), whose commands load three locale files, not the guide's 24."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import cli, mkdocs_build, sample_data
from helpers import page, text

KA2_OFFICIAL = "https://erasmus-plus.ec.europa.eu/{}programme-guide/part-b/key-action-2"

CREDITS = {
    "en": ("Draft translation by this independent edition of the Dutch text", KA2_OFFICIAL.format("")),
    "el": ("Προσχέδιο μετάφρασης, από την παρούσα ανεξάρτητη έκδοση", KA2_OFFICIAL.format("el/")),
}


@pytest.mark.parametrize("lang", CREDITS)
def test_a_translated_overview_credits_this_editions_draft_translation_and_links_the_official_page(site, lang):
    credit, official = CREDITS[lang]
    doc = page(site, f"{lang}/key-action-2/")
    assert text(doc.cssselect("p.pg-source")[0]).startswith(credit)
    assert not doc.cssselect("p.pg-source a"), "a translation does not present itself as the guide's text"
    link = doc.cssselect("p.pg-source-official a")[0]
    assert (link.get("href"), link.get("hreflang")) == (official, lang)
    body = text(doc)
    assert "Text of the Erasmus+ Programme Guide" not in body and "Κείμενο του οδηγού" not in body


def test_only_the_dutch_overview_credits_the_programme_guides_text(site):
    doc = page(site, "key-action-2/")
    credit = doc.cssselect("p.pg-source a")[0]
    assert text(credit) == "Tekst van de Erasmus+-programmagids, deel B, Kernactie 2."
    assert credit.get("href") == KA2_OFFICIAL.format("nl/")
    assert not doc.cssselect(".pg-notices, p.pg-source-official")


@pytest.mark.parametrize(
    ("lang", "url", "official"),
    [
        ("el", "el/key-action-2/compare/", KA2_OFFICIAL.format("el/")),
        ("el", "el/about/", "https://erasmus-plus.ec.europa.eu/el/programme-guide"),
        ("ga", "ga/key-action-2/", KA2_OFFICIAL.format("")),  # no official guide in Irish: the English page
    ],
)
def test_the_draft_notice_links_the_dutch_source_and_the_official_page_in_the_readers_language(
    site, lang, url, official
):
    notices = page(site, url).cssselect(".pg-notices")[0]
    assert notices.cssselect(".pg-notice--draft")
    assert notices.cssselect(".pg-notice__source a")[0].get("hreflang") == "nl"
    link = notices.cssselect(".pg-notice__official a")[0]
    assert link.get("href") == official
    assert link.get("hreflang") == ("en" if lang == "ga" else lang)


def test_a_reviewed_page_says_it_is_this_editions_reviewed_translation(tmp_path):
    data = sample_data(tmp_path)
    assert cli("--data", str(data), "review", "pl", "--all").returncode == 0
    out = tmp_path / "out"
    assert cli("--data", str(data), "generate", str(out), "--lang", "pl").returncode == 0
    overview = (out / "key-action-2" / "index.pl.md").read_text("utf-8")
    assert "pg-notice--reviewed" in overview and "pg-notice--draft" not in overview
    assert "Ta strona jest zweryfikowanym tłumaczeniem tekstu niderlandzkiego" in overview
    assert "Zweryfikowane tłumaczenie, przygotowane przez to niezależne wydanie" in overview
    assert "pg-notice__official" in overview


# Errors that name the file to fix


def break_dutch(data: Path) -> int:
    """Type markup into a Dutch text; the line it is on."""
    locale = data / "locales" / "nl.yml"
    lines = locale.read_text("utf-8").splitlines()
    index = lines.index('  site.official_link: "Naar de officiële programmagids"')
    lines[index] = "  site.official_link: Naar de <b>officiële</b> programmagids"
    locale.write_text("\n".join(lines) + "\n", "utf-8")
    return index + 1


def assert_one_error_naming_nl(output: str, line: int) -> None:
    assert f"nl.yml:{line}: at 'strings.site.official_link': the Dutch text contains markup: <b>, </b>" in output
    assert "fix: write plain text" in output
    assert "1 problem in" in output and "markup differs" not in output, output[-3000:]
    assert not [name for name in ("en.yml", "pl.yml") if name in output]


def test_markup_in_the_dutch_source_is_one_error_naming_nl_yml_in_check(tmp_path):
    data = sample_data(tmp_path)
    line = break_dutch(data)
    result = cli("--data", str(data), "check")
    assert result.returncode == 1
    assert_one_error_naming_nl(result.stderr, line)


@pytest.mark.parametrize("only", ["", "nl"], ids=["full build", "Dutch-only preview"])
def test_markup_in_the_dutch_source_is_one_error_naming_nl_yml_in_a_build(sample_copy, only):
    line = break_dutch(sample_copy / "data")
    result = mkdocs_build(sample_copy, sample_copy / "site", **({"BUILD_ONLY_LOCALE": only} if only else {}))
    assert result.returncode != 0
    assert_one_error_naming_nl(result.stdout + result.stderr, line)


LANGUAGE_CURRENT = '  ui.language_current: "Taal wijzigen, huidige taal is {language}"\n'


def change_dutch(data: Path, before: str, after: str) -> None:
    """Change a line of the Dutch source without touching the translations."""
    locale = data / "locales" / "nl.yml"
    text = locale.read_text("utf-8")
    assert before in text
    locale.write_text(text.replace(before, after), "utf-8")


def test_a_translation_whose_dutch_text_changed_is_outdated_not_an_error(tmp_path):
    data = sample_data(tmp_path)
    change_dutch(data, LANGUAGE_CURRENT, "  ui.language_current: Taal wijzigen\n")
    result = cli("--data", str(data), "check")
    assert result.returncode == 0, result.stderr
    status = cli("--data", str(data), "status", "pl")
    assert "outdated entries (the Dutch text changed): ui.language_current" in status.stdout


def test_a_po_file_made_from_an_earlier_dutch_text_imports_as_outdated_not_as_an_error(tmp_path):
    from translate.storage import po

    data = sample_data(tmp_path)
    exported = tmp_path / "pl.po"
    assert cli("--data", str(data), "export", "pl", "--format", "po", "-o", str(exported)).returncode == 0
    store = po.pofile(exported.read_bytes())
    unit = next(u for u in store.units if u.getcontext() == "ui.language_current")
    assert "{language}" in str(unit.source)
    unit.target = "Zmień język, bieżący język: {language}"
    exported.write_bytes(bytes(store))
    # The Dutch text changes while the translator works on the file made from the earlier one.
    change_dutch(data, LANGUAGE_CURRENT, "  ui.language_current: Taal wijzigen\n")
    result = cli("--data", str(data), "import", "pl", str(exported))
    assert result.returncode == 0, result.stderr
    assert cli("--data", str(data), "check").returncode == 0
    status = cli("--data", str(data), "status", "pl")
    assert "outdated entries (the Dutch text changed): ui.language_current" in status.stdout


# A way in for translators: edit links to the line of a text, and the status page's work lists

EDIT_URL = re.compile(r"https://github\.com/[^/]+/[^/]+/edit/main/data/locales/([a-z]{2})\.yml#L([0-9]+)")


def locale_entry(project: Path, href: str) -> tuple[str, str, dict | str]:
    """The language, key and value of the locale file entry whose line an edit link opens (the line holds its key)."""
    match = EDIT_URL.fullmatch(href)
    assert match, href
    lang, line = match.group(1), int(match.group(2))
    path = project / "data" / "locales" / f"{lang}.yml"
    key_line = path.read_text("utf-8").splitlines()[line - 1]
    assert re.fullmatch(r"  [a-z0-9_.-]+:.*", key_line), key_line
    key = key_line.strip().split(":", 1)[0]
    return lang, key, yaml.safe_load(path.read_text("utf-8"))["strings"][key]


@pytest.mark.parametrize("url", ["el/key-action-2/", "pl/key-action-2/compare/", "el/glossary/"])
def test_a_translated_page_links_the_line_of_its_title_in_its_locale_file(site, url):
    doc = page(site, url)
    link = doc.cssselect(".pg-notices .pg-notice__edit a")[0]
    assert text(link) in ("Βελτιώστε αυτή τη μετάφραση", "Popraw to tłumaczenie")
    lang, _, entry = locale_entry(site.parent, link.get("href"))
    assert lang == url[:2]
    assert entry["text"] == text(doc.cssselect("article h1")[0])


def test_a_dutch_page_links_the_line_of_its_title_in_nl_yml(site):
    doc = page(site, "key-action-2/")
    link = doc.cssselect("p.pg-edit a")[0]
    assert text(link) == "Deze tekst verbeteren"
    lang, _, dutch = locale_entry(site.parent, link.get("href"))
    assert (lang, dutch) == ("nl", text(doc.cssselect("article h1")[0]))
    assert not doc.cssselect(".pg-notice__edit")


def test_the_status_page_lists_the_languages_drafts_with_their_notes_and_edit_links(site):
    data = yaml.safe_load((site.parent / "data" / "locales" / "en.yml").read_text("utf-8"))
    strings = data["strings"]
    key, entry = next((k, e) for k, e in strings.items() if e.get("note"))
    work = page(site, "en/translations/").cssselect("details.pg-work")[0]
    assert work.get("data-pagefind-ignore") is not None and work.get("open") is None
    rows = {text(row.cssselect("th code")[0]): row for row in work.cssselect("tbody tr")}
    drafts = {k for k, e in strings.items() if e.get("review", data.get("review", "draft")) == "draft"}
    assert drafts <= set(rows) <= set(strings)
    _, excerpt, state, note = (text(cell) for cell in rows[key].cssselect("th, td"))
    assert (state, note) == ("draft", entry["note"])
    assert entry["text"].startswith(excerpt.removesuffix("…").rstrip(".,;:·"))
    assert locale_entry(site.parent, rows[key].cssselect("th a")[0].get("href"))[:2] == ("en", key)


def test_each_language_in_the_status_table_links_its_own_work_list(site):
    doc = page(site, "en/translations/")
    table = doc.cssselect("table.pg-status")[0]
    links = {a.get("hreflang"): a.get("href") for a in table.cssselect("th[scope=row] a")}
    assert len(links) == 23 and "nl" not in links
    assert links["el"] == "../../el/translations/#pg-work"
    assert page(site, "el/translations/").cssselect("#pg-work") and page(site, "el/translations/").cssselect(
        "details.pg-work"
    )
    assert not page(site, "translations/").cssselect("details.pg-work")


def test_status_list_names_the_same_lines_and_notes_as_the_status_page(tmp_path):
    locale = sample_data(tmp_path) / "locales" / "pl.yml"
    result = cli("--data", "data", "status", "pl", "--list", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    strings = yaml.safe_load(locale.read_text("utf-8"))["strings"]
    key, entry = next((k, e) for k, e in strings.items() if e.get("note"))
    line = locale.read_text("utf-8").splitlines().index(f"  {key}:") + 1
    listed = result.stdout.splitlines()
    at = next(i for i, item in enumerate(listed) if item.startswith(f"  data/locales/pl.yml:{line}: {key} (draft): "))
    assert listed[at + 1] == f"      note: {entry['note']}"


@pytest.mark.slow  # builds the sample's Polish preview
def test_a_changed_dutch_text_makes_its_translations_outdated_and_the_build_still_passes(sample_copy):
    project = sample_copy
    before, after = '  ui.updated: "Laatst bijgewerkt op {date}"\n', '  ui.updated: "Onlangs bijgewerkt"\n'
    change_dutch(project / "data", before, after)  # a new wording without the placeholder
    result = mkdocs_build(project, project / "site", BUILD_ONLY_LOCALE="pl")
    assert result.returncode == 0, result.stderr[-3000:]
    # a one-language preview puts the language at the site's root
    assert page(project / "site", "key-action-2/").cssselect(".pg-notice--outdated")
    rows = page(project / "site", "translations/").cssselect("details.pg-work tbody tr")
    listed = [[text(cell) for cell in row.cssselect("th, td")] for row in rows]
    states = [state for _, _, state, _ in listed]
    assert states == sorted(states, key=lambda state: state != "nieaktualny"), "outdated texts come first"
    assert ["ui.updated", "nieaktualny"] in [[key, state] for key, _, state, _ in listed]
    status = cli("--data", str(project / "data"), "status", "pl")
    assert "pl: outdated entries (the Dutch text changed): ui.updated" in status.stdout
