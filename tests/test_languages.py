"""All 24 languages and the translator workflow: structure, switcher order, notices, fallback,
CAT-tool round trips, outdated detection and the checks a translator runs.

The live site is checked for every language (structure, switcher order, the theme's texts in Irish and
Maltese, the status page); the workflow runs on the sample data (tests/samples/basic: Dutch, English, Polish)."""

from __future__ import annotations

import json

import pytest

from conftest import cli, mkdocs_build, sample_data, sample_project
from helpers import EU_ORDER, PAGES, article, page, structure, text

TRANSLATIONS = [code for code in EU_ORDER if code != "nl"]
MATERIAL_ENGLISH = ["Skip to content", "Back to top", "Table of contents", "Copy to clipboard", "Select language"]


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_every_language_has_the_dutch_structure(site, lang):
    for url in ("key-action-2/", "key-action-2/partnerships-for-cooperation/", "about/"):
        doc = page(site, f"{lang}/{url}")
        assert doc.get("lang") == lang
        assert structure(doc) == structure(page(site, url)), f"{lang}/{url}"


def test_switcher_lists_native_names_in_eu_order(site):
    doc = page(site, "de/key-action-2/")
    links = doc.cssselect("a.pg-lang__link")
    assert [a.get("hreflang") for a in links] == EU_ORDER
    assert [a.get("lang") for a in links] == EU_ORDER
    names = [text(a) for a in links]
    assert names[:3] == ["български", "español", "čeština"] and names[-1] == "svenska"
    button = doc.cssselect("summary.pg-lang__button")[0]
    assert "Deutsch" in button.get("aria-label")


@pytest.mark.parametrize("lang", ["ga", "mt"])
def test_irish_and_maltese_pages_carry_no_english_interface_text(site, lang):
    for url in PAGES:
        html_text = (site / lang / url / "index.html").read_text("utf-8")
        for phrase in MATERIAL_ENGLISH:
            assert phrase not in html_text, f"{lang}/{url}: {phrase}"


def test_draft_pages_say_so_in_their_language_and_link_the_dutch_source(sample_site):
    doc = page(sample_site, "en/key-action-2/")
    notice = doc.cssselect(".pg-notice--draft")
    assert notice, "English is a draft: the page must say so"
    assert notice[0].get("lang") is None  # written in English, the page's language
    link = doc.cssselect(".pg-notice__source a")[0]
    assert link.get("hreflang") == "nl" and link.get("href") == "../../key-action-2/"
    assert not page(sample_site, "key-action-2/").cssselect(".pg-notices")


def test_status_page_lists_every_language(site):
    rows = page(site, "translations/").cssselect("table.pg-status tbody tr")
    assert [row.cssselect("span[lang]")[0].get("lang") for row in rows] == EU_ORDER


@pytest.mark.slow
def test_missing_entry_falls_back_to_dutch_marked_lang_nl(tmp_path):
    project = sample_project(tmp_path / "project")
    locale = project / "data" / "locales" / "pl.yml"
    lines = locale.read_text("utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("  ka2.supports.heading:"))
    end = start + 1
    while lines[end].startswith("    "):
        end += 1
    del lines[start:end]
    locale.write_text("".join(lines), "utf-8")
    result = mkdocs_build(project, project / "site", BUILD_ONLY_LOCALE="pl")
    assert result.returncode == 0, result.stderr[-3000:]
    doc = page(project / "site", "key-action-2/")  # a one-language preview builds at the root
    assert doc.get("lang") == "pl"
    heading = [h for h in article(doc).cssselect("h2") if text(h) == "Ondersteunde acties"]
    assert heading and heading[0].get("lang") == "nl"
    assert heading[0].get("data-pagefind-ignore") is not None
    assert doc.cssselect(".pg-notice--missing")


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["po", "xliff"])
def test_export_then_import_of_an_unchanged_file_leaves_the_locale_unchanged(tmp_path, fmt):
    data = sample_data(tmp_path)
    before = (data / "locales" / "pl.yml").read_bytes()
    exported = tmp_path / f"pl.{fmt}"
    assert cli("--data", str(data), "export", "pl", "--format", fmt, "-o", str(exported)).returncode == 0
    result = cli("--data", str(data), "import", "pl", str(exported))
    assert result.returncode == 0, result.stderr
    assert "locale file unchanged" in result.stdout
    assert (data / "locales" / "pl.yml").read_bytes() == before


@pytest.mark.slow
def test_import_reports_changes_and_refuses_a_bad_file_whole(tmp_path):
    from translate.storage import po

    data = sample_data(tmp_path)
    exported = tmp_path / "en.po"
    cli("--data", str(data), "export", "en", "-o", str(exported))
    store = po.pofile.parsefile(str(exported))
    units = {u.getcontext(): u for u in store.units if not u.isheader()}
    units["site.official_link"].target = "To the official guide"
    units["ui.language_current"].target = "Change language"  # placeholder {language} dropped
    exported.write_bytes(bytes(store))
    before = (data / "locales" / "en.yml").read_bytes()
    result = cli("--data", str(data), "import", "en", str(exported))
    assert result.returncode == 1
    assert "ui.language_current" in result.stderr and "placeholders" in result.stderr
    unit_line = next(
        n
        for n, line in enumerate(exported.read_text("utf-8").splitlines(), 1)
        if 'msgctxt "ui.language_current"' in line
    )
    assert f"en.po:{unit_line}: at 'ui.language_current'" in result.stderr
    assert (data / "locales" / "en.yml").read_bytes() == before
    units["ui.language_current"].target = "Change language, current language is {language}"
    exported.write_bytes(bytes(store))
    result = cli("--data", str(data), "import", "en", str(exported))
    assert result.returncode == 0, result.stderr
    assert "1 changed" in result.stdout
    assert "To the official guide" in (data / "locales" / "en.yml").read_text("utf-8")


@pytest.mark.slow
def test_changing_a_dutch_text_makes_it_outdated_in_every_translation(tmp_path):
    data = sample_data(tmp_path)
    nl = data / "locales" / "nl.yml"
    nl.write_text(nl.read_text("utf-8").replace("Naar de officiële programmagids", "Naar de officiële gids"), "utf-8")
    result = cli("--data", str(data), "status", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    outdated = {lang for lang, counts in report.items() if counts["outdated"] >= 1}
    assert outdated == {"en", "pl"}
    assert all(report[lang]["coverage"] < 100 for lang in ("en", "pl"))  # stale texts do not count as covered
    gate = cli("--data", str(data), "status", "--fail-under", "100")
    assert gate.returncode == 1
    table = cli("--data", str(data), "status", "pl").stdout
    assert "site.official_link" in table
    assert cli("--data", str(data), "stamp", "pl", "site.official_link").returncode == 0
    assert json.loads(cli("--data", str(data), "status", "pl", "--json").stdout)["pl"]["outdated"] == 0


def test_status_fail_under(tmp_path):
    data = sample_data(tmp_path)
    (data / "locales" / "pl.yml").write_text("language: pl\nstrings: {}\n", "utf-8")
    result = cli("--data", str(data), "status", "pl", "--fail-under", "50")
    assert result.returncode == 1
    assert "coverage under 50% in: pl" in result.stderr
    assert "pl: missing entries (shown in Dutch): ka2.title, ka2.nav," in result.stdout


CHECK_CASES = {
    "placeholder": ("ui.language_current", "Sprache ändern", "placeholders differ from the Dutch text"),
    "markup": ("site.official_link", "<b>Zum Leitfaden</b>", "markup differs from the Dutch text"),
    "empty": ("site.official_link", "   ", "the text is empty"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", CHECK_CASES)
def test_check_rejects_bad_translations(tmp_path, case):
    key, value, message = CHECK_CASES[case]
    data = sample_data(tmp_path)
    locale = data / "locales" / "pl.yml"
    lines = locale.read_text("utf-8").splitlines()
    index = lines.index(f"  {key}:") + 1
    assert lines[index].startswith("    text: ")
    lines[index] = f"    text: {json.dumps(value, ensure_ascii=False)}"
    locale.write_text("\n".join(lines) + "\n", "utf-8")
    result = cli("--data", str(data), "check")
    assert result.returncode == 1
    assert f"pl.yml:{index}: at 'strings.{key}': {message}" in result.stderr, result.stderr
    assert "fix: " in result.stderr


@pytest.mark.slow
def test_check_reports_keys_that_no_longer_exist_in_the_source(tmp_path):
    data = sample_data(tmp_path)
    locale = data / "locales" / "en.yml"
    locale.write_text(locale.read_text("utf-8") + '  old.key:\n    text: "old"\n    source: "0123456789ab"\n')
    result = cli("--data", str(data), "check")
    assert result.returncode == 1
    assert "at 'strings.old.key': key 'old.key' no longer exists in the Dutch source" in result.stderr


@pytest.mark.slow
def test_review_marks_entries_reviewed_and_the_draft_notice_goes(tmp_path):
    data = sample_data(tmp_path)
    notes_before = (data / "locales" / "pl.yml").read_text("utf-8").count("    note: ")
    result = cli("--data", str(data), "review", "pl", "--all")
    assert result.returncode == 0, result.stderr
    report = json.loads(cli("--data", str(data), "status", "pl", "--json").stdout)["pl"]
    assert report["draft"] == 0 and report["reviewed"] == report["translated"] - report["outdated"] > 0
    assert (data / "locales" / "pl.yml").read_text("utf-8").count("    note: ") == notes_before > 0
    out = tmp_path / "out"
    assert cli("--data", str(data), "generate", str(out), "--lang", "pl").returncode == 0
    assert "pg-notice--draft" not in (out / "key-action-2" / "index.pl.md").read_text("utf-8")


@pytest.mark.slow
def test_outdated_entries_cannot_be_marked_reviewed_until_stamped(tmp_path):
    data = sample_data(tmp_path)
    nl = data / "locales" / "nl.yml"
    nl.write_text(nl.read_text("utf-8").replace("Naar de officiële programmagids", "Naar de officiële gids"), "utf-8")
    refused = cli("--data", str(data), "review", "pl", "site.official_link")
    assert refused.returncode == 1
    assert "outdated entries cannot be marked reviewed: site.official_link" in refused.stderr
    assert cli("--data", str(data), "stamp", "pl", "site.official_link").returncode == 0
    assert cli("--data", str(data), "review", "pl", "site.official_link").returncode == 0
