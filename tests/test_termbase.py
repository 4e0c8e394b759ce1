"""The termbase of official terms: `check` fails when a translation lacks a confirmed official term, the TBX
export reads back in translate-toolkit, and the about page shows the source notes in every language.

`check` is tried on the sample data set (tests/samples/basic) with the languages whose terms a test edits added,
and the termbase's concepts with the terms of those languages: six locale files to load, not the guide's 24."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from translate.storage import tbx

from conftest import ROOT, cli, sample_data
from helpers import page, text
from programme_guide.model import load_guide
from programme_guide.yamlio import load_yaml

TERMBASE = load_yaml(ROOT / "data" / "termbase.yml")


TERM_LANGUAGES = ("bg", "de", "el")  # the languages whose terms the tests below edit


@pytest.fixture
def data(tmp_path) -> Path:
    """The sample data with Bulgarian, German and Greek added, and the termbase's concepts with the Dutch terms
    and theirs."""
    data = sample_data(tmp_path, add=TERM_LANGUAGES)
    head, _, terms = (ROOT / "data" / "termbase.yml").read_text("utf-8").partition("\nterms:\n")
    kept, keep = [], True
    for line in terms.splitlines(keepends=True):
        if language := re.fullmatch(r"  ([a-z]{2}):\s*", line):
            keep = language.group(1) in ("nl", *TERM_LANGUAGES)
        if keep:
            kept.append(line)
    (data / "termbase.yml").write_text(head + "\nterms:\n" + "".join(kept), "utf-8")
    return data


def entry_line(locale: Path, key: str) -> int:
    """The line of an entry's key in a locale file (what `check` names)."""
    return locale.read_text("utf-8").split("\n").index(f"  {key}:") + 1


def replace_in_entry(locale: Path, key: str, old: str, new: str) -> None:
    lines = locale.read_text("utf-8").split("\n")
    index = entry_line(locale, key)  # the line after the key: its text
    assert old in lines[index], lines[index]
    lines[index] = lines[index].replace(old, new)
    locale.write_text("\n".join(lines), "utf-8")


def test_a_translation_without_the_confirmed_official_term_fails_check_naming_file_line_and_term(data):
    official = TERMBASE["terms"]["de"]["action.erasmus-mundus-design-measures"]
    assert official["confirmed"] is True
    locale = data / "locales" / "de.yml"
    key = "action.mundus-design-measures.name"
    replace_in_entry(locale, key, official["term"], "Erasmus-Mundus-Gestaltungsmaßnahmen")

    result = cli("--data", str(data), "check")

    assert result.returncode == 1, result.stdout + result.stderr
    assert f"de.yml:{entry_line(locale, key)}: at 'strings.{key}'" in result.stderr
    assert f'expected "{official["term"]}"' in result.stderr
    assert official["source"] in result.stderr
    assert "Traceback" not in result.stderr


def test_an_inflected_form_listed_in_the_termbase_passes(data):
    # Greek: the genitive plural of the confirmed term for National Agency ("εθνικός φορέας").
    locale = data / "locales" / "el.yml"
    replace_in_entry(locale, "fact.where.national_agency_list", "εθνικών φορέων", "ΕΘΝΙΚΩΝ ΦΟΡΕΩΝ")
    assert cli("--data", str(data), "check").returncode == 0


def test_a_missing_unconfirmed_term_is_only_a_warning(data):
    concept = "action.teacher-academies"
    term = TERMBASE["terms"]["bg"][concept]
    assert term["confirmed"] is False
    locale = data / "locales" / "bg.yml"
    key = "action.teacher-academies.name"
    replace_in_entry(locale, key, term["term"], "Учителски академии по Erasmus+")

    result = cli("--data", str(data), "check")

    assert result.returncode == 0, result.stderr
    assert f"warning: {locale.resolve()}:{entry_line(locale, key)}: at 'strings.{key}'" in result.stderr
    assert "not yet confirmed as official" in result.stderr


def test_a_term_of_an_undefined_concept_is_refused_with_its_line(data):
    path = data / "termbase.yml"
    lines = path.read_text("utf-8").split("\n")
    at = lines.index("  de:") + 1
    lines[at:at] = ["    action.no-such-action:", '      term: "Keine"', "      confirmed: false"]
    path.write_text("\n".join(lines), "utf-8")

    result = cli("--data", str(data), "check")

    assert result.returncode == 1
    assert f"termbase.yml:{at + 1}: at 'terms.de.action.no-such-action': concept 'action.no-such-action'" in (
        result.stderr
    )


def confirmed_terms(lang: str) -> dict[str, str]:
    return {c: t["term"] for c, t in TERMBASE["terms"][lang].items() if t["confirmed"]}


def test_tbx_export_reads_back_in_translate_toolkit_with_the_official_terms(tmp_path):
    out = tmp_path / "terms.tbx"
    result = cli("export", "all", "--format", "tbx", "-o", str(out))
    assert result.returncode == 0, result.stderr

    store = tbx.tbxfile.parsestring(out.read_bytes())
    units = {unit.getid(): unit for unit in store.units}
    assert list(units) == list(TERMBASE["concepts"])
    for concept, term in confirmed_terms("nl").items():
        assert [t.text for t in units[concept].get_source_terms()] == [term]
    for lang in ("de", "el"):
        assert confirmed_terms(lang), f"no confirmed {lang} terms to check"
        for concept, term in confirmed_terms(lang).items():
            read = units[concept].get_target_terms(lang)
            assert [t.text for t in read] == [term]
            assert read[0].administrative_status == "preferredTerm-admn-sts"
    assert [t.text for t in units["action.erasmus-mundus-design-measures"].get_target_terms("de")] == [
        "Erasmus-Mundus-Konzeptionsmaßnahmen"
    ]
    unconfirmed = [c for c, t in TERMBASE["terms"]["de"].items() if not t["confirmed"]]
    status = units[unconfirmed[0]].get_target_terms("de")[0]
    assert status.administrative_status == "admittedTerm-admn-sts"
    assert any("Not confirmed" in note.text for note in status.notes)


def test_tbx_export_of_one_language_holds_it_with_the_dutch_terms(tmp_path):
    out = tmp_path / "el.tbx"
    assert cli("export", "el", "--format", "tbx", "-o", str(out)).returncode == 0
    languages = {lang for unit in tbx.tbxfile.parsestring(out.read_bytes()).units for lang in unit.getlanguageNodes()}
    codes = {node.get("{http://www.w3.org/XML/1998/namespace}lang") for node in languages}
    assert codes == {"nl", "el"}


@pytest.mark.parametrize(
    ("args", "message"),
    [(("export", "xx", "--format", "tbx"), "unknown language 'xx'"), (("export", "all", "--format", "po"), "'all'")],
)
def test_tbx_export_refuses_wrong_usage_with_exit_code_2(tmp_path, args, message):
    result = cli(*args, "-o", str(tmp_path / "out"))
    assert result.returncode == 2
    assert message in result.stderr


def test_tbx_export_does_not_overwrite_a_file_without_force(tmp_path):
    out = tmp_path / "terms.tbx"
    out.write_text("keep", "utf-8")
    assert cli("export", "all", "--format", "tbx", "-o", str(out)).returncode == 2
    assert out.read_text("utf-8") == "keep"


@pytest.mark.parametrize("lang", ["en", "el"])
def test_the_about_page_shows_every_source_note_in_the_readers_language(site, lang):
    guide = load_guide(ROOT / "data")
    strings = load_yaml(ROOT / "data" / "locales" / f"{lang}.yml")["strings"]
    doc = page(site, f"{lang}/about/")
    headings = [text(h) for h in doc.cssselect("article h3")]
    assert any(h.startswith(strings["about.source_notes.heading"]["text"]) for h in headings), headings
    items = doc.cssselect("ol.pg-source-notes > li")
    assert [li.get("id") for li in items] == [f"source-note-{note.id}" for note in guide.source_notes]
    for li, note in zip(items, guide.source_notes, strict=True):
        assert text(li.cssselect("p")[0]) == strings[f"about.source_notes.{note.id}"]["text"]
        assert [text(q) for q in li.cssselect('q[lang="nl"]')] == [note.dutch]
        assert [text(q) for q in li.cssselect(f'q[lang="{note.lang}"]')] == [note.official]
        link = li.cssselect("dt a")[0]
        assert (link.get("href"), link.get("hreflang")) == (note.source, note.lang)
