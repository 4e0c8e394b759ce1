"""hooks/i18n.py against the installed mkdocs-static-i18n: the plugin internals it reads and writes still exist,
and a small two-language site built with a probe hook sees the passes the module promises.

When a plugin upgrade fails these tests, re-read the plugin's plugin.py and reconfigure.py and adapt
hooks/i18n.py (the only module that touches the plugin), then these tests.
"""

from __future__ import annotations

import json
import shutil
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from conftest import ROOT, mkdocs_build

PLUGIN_NAME = "i18n"

MKDOCS_YML = """\
site_name: Probe
docs_dir: docs
theme:
  name: mkdocs
plugins:
  - i18n:
      docs_structure: suffix
      build_only_locale: !ENV [BUILD_ONLY_LOCALE]
      languages:
        - locale: nl
          name: Nederlands
          default: true
        - locale: en
          name: English
hooks:
  - hooks/probe.py
"""

PROBE = """\
import json
import os

from mkdocs.plugins import event_priority

import i18n

SOURCE = "nl"


def record(event, config, **values):
    with open(os.environ["PROBE_LOG"], "a", encoding="utf-8") as log:
        log.write(json.dumps({"event": event, "lang": i18n.current_language(config, SOURCE), **values}) + "\\n")


@event_priority(100)
def on_config(config):
    record("config", config, first=i18n.is_first_pass(config), only=i18n.only_locale(config))
    if i18n.is_first_pass(config):
        i18n.set_language_texts(config, {"en": i18n.LanguageTexts("Probe EN", "About EN", {"Home": "Start"})})
    return config


def on_env(env, config, files):
    record(
        "env",
        config,
        prefix=i18n.prefix(config),
        languages=i18n.build_languages(config, SOURCE),
        site_name=config.site_name,
        site_description=config.site_description,
    )
    return env


@event_priority(-200)
def on_post_build(config):
    record("post_build", config, last=i18n.is_last_pass(config))
"""

# A site in three languages, some pages not translated into all; the probe records, per pass and page, the
# languages of the files the plugin chose for the page's language switcher, and the passes whose page files the
# plugin holds.
SWITCHER_YML = MKDOCS_YML.replace(
    "          name: English\n", "          name: English\n        - locale: de\n          name: Deutsch\n"
).replace("hooks/probe.py", "hooks/switcher.py")

SWITCHER_PROBE = """\
import json
import os

from mkdocs.plugins import event_priority

import i18n


def on_config(config):
    if os.environ.get("PROBE_SKIP"):
        i18n.skip_switcher_files(config)
    return config


@event_priority(-90)
def on_files(files, config):
    if os.environ.get("PROBE_SKIP"):
        for file in i18n.other_languages_files(files, config):
            files.remove(file)
        i18n.forget_earlier_passes(config)
    return files


def on_page_context(context, page, config, nav):
    held = sorted(config.plugins["i18n"].i18n_files_per_language)
    lang = i18n.current_language(config, "nl")
    line = {"lang": lang, "page": page.url, "source": page.file.src_uri, "switcher": sorted(page.file.alternates)}
    with open(os.environ["PROBE_LOG"], "a", encoding="utf-8") as log:
        log.write(json.dumps({**line, "held": held}) + "\\n")
    return context
"""

SWITCHER_PAGES = {
    "index.md": "# Start\n",
    "index.en.md": "# Home\n",
    "index.de.md": "# Startseite\n",
    "dutch-only.md": "# Alleen Nederlands\n",
    "two/index.md": "# Twee\n",
    "two/index.en.md": "# Two\n",
    "english-first.en.md": "# English first\n",
    "english-first.md": "# Engels eerst\n",
}


def plugin_class():
    found = [ep for ep in entry_points(group="mkdocs.plugins") if ep.name == PLUGIN_NAME]
    assert len(found) == 1, f"no single MkDocs plugin named {PLUGIN_NAME!r} is installed: {found}"
    return found[0].load()


# The internals hooks/i18n.py relies on


def test_the_plugin_object_has_the_state_hooks_i18n_reads():
    plugin = plugin_class()()
    assert plugin.building is False, "mkdocs-static-i18n no longer starts with `building = False`"
    assert plugin.current_language is None, "mkdocs-static-i18n no longer starts with `current_language = None`"
    for name in ("default_language", "build_languages"):
        assert isinstance(getattr(type(plugin), name, None), property), f"mkdocs-static-i18n lost `{name}`"


def test_the_plugin_events_keep_the_priorities_the_hooks_are_ordered_around():
    """hooks/generate.py runs before the plugin's on_config (100 > -100), hooks/plain_text.py after it (-150);
    hooks/search.py and hooks/reproducible.py run after its on_post_build (-200, -300 < -100), where
    i18n.is_last_pass() holds only once."""
    cls = plugin_class()
    assert getattr(cls.on_config, "mkdocs_priority", None) == -100
    assert getattr(cls.on_post_build, "mkdocs_priority", None) == -100


def test_the_plugin_config_schema_has_the_options_hooks_i18n_uses():
    plugin = plugin_class()()
    plugin.load_config(
        {
            "build_only_locale": "en",
            "languages": [
                {"locale": "nl", "name": "Nederlands", "default": True},
                {"locale": "en", "name": "English"},
            ],
        }
    )
    assert plugin.config.build_only_locale == "en"
    languages = {language.locale: language for language in plugin.config.languages}
    assert set(languages) == {"nl", "en"}
    for name in ("site_name", "site_description", "nav_translations"):
        assert name in languages["en"], f"mkdocs-static-i18n's language config lost `{name}`"
    # A preview makes its one language the default and the only one built, so it is built at the site root.
    assert plugin.default_language == "en"
    assert plugin.build_languages == ["en"]


# What the hooks see, on a real build


@pytest.fixture
def probe_site(tmp_path) -> Path:
    project = tmp_path / "probe"
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "index.md").write_text("# Start\n", "utf-8")
    (project / "docs" / "index.en.md").write_text("# Home\n", "utf-8")
    (project / "hooks").mkdir()
    shutil.copy2(ROOT / "hooks" / "i18n.py", project / "hooks" / "i18n.py")
    (project / "hooks" / "probe.py").write_text(PROBE, "utf-8")
    (project / "mkdocs.yml").write_text(MKDOCS_YML, "utf-8")
    return project


def build_and_read(project: Path, **env: str) -> list[dict]:
    log = project / "probe.jsonl"
    result = mkdocs_build(project, project / "site", PROBE_LOG=str(log), **env)
    assert result.returncode == 0, result.stderr[-3000:]
    return [json.loads(line) for line in log.read_text("utf-8").splitlines()]


def test_each_language_pass_is_seen_with_its_language_and_folder_and_the_last_pass_once(probe_site):
    events = build_and_read(probe_site)
    assert [(e["event"], e["lang"]) for e in events] == [
        ("config", "nl"),
        ("env", "nl"),
        ("config", "en"),
        ("env", "en"),
        ("post_build", "en"),
        ("post_build", "en"),  # the first pass ends after the others; the plugin leaves the last language set
    ]
    config = [e for e in events if e["event"] == "config"]
    assert [e["first"] for e in config] == [True, False]
    assert {e["only"] for e in config} == {None}
    env = {e["lang"]: e for e in events if e["event"] == "env"}
    assert env["nl"]["prefix"] == "" and env["en"]["prefix"] == "en/"
    assert env["nl"]["languages"] == env["en"]["languages"] == ["nl", "en"]
    assert (env["en"]["site_name"], env["en"]["site_description"]) == ("Probe EN", "About EN")
    assert env["nl"]["site_name"] == "Probe"
    assert [e["last"] for e in events if e["event"] == "post_build"] == [False, True]
    assert (probe_site / "site" / "en" / "index.html").is_file()


def test_a_one_language_preview_is_one_pass_at_the_site_root(probe_site):
    events = build_and_read(probe_site, BUILD_ONLY_LOCALE="en")
    assert [(e["event"], e["lang"]) for e in events] == [("config", "en"), ("env", "en"), ("post_build", "en")]
    assert events[0]["first"] is True and events[0]["only"] == "en"
    assert events[1]["prefix"] == "" and events[1]["languages"] == ["en"]
    assert events[2]["last"] is True


# What the plugin makes in every pass and the site does not use (i18n.skip_switcher_files, forget_earlier_passes)


def test_the_plugin_still_makes_what_skip_switcher_files_and_forget_earlier_passes_leave_out():
    import inspect

    cls = plugin_class()
    replaced = inspect.signature(cls.reconfigure_files_alternates)
    assert list(replaced.parameters) == [
        "self",
        "i18n_src_uris",
        "i18n_alternate_src_uris",
        "mkdocs_config",
        "create_i18n_file",
    ], "mkdocs-static-i18n changed reconfigure_files_alternates: re-read it and adapt i18n.skip_switcher_files"
    assert "self.reconfigure_files_alternates(" in inspect.getsource(cls.reconfigure_files)
    assert "self.i18n_files_per_language[self.current_language] =" in inspect.getsource(cls.on_files)
    # Only the plugin's own sitemap template reads what forget_earlier_passes drops; the site has its own.
    assert "i18n_alternates" not in (ROOT / "overrides" / "sitemap.xml").read_text("utf-8")
    # The site's switcher links each language from the page's path, not from the files the plugin would choose.
    assert ".link" not in (ROOT / "overrides" / "partials" / "alternate.html").read_text("utf-8")


def test_passes_make_no_switcher_files_hold_only_their_own_pages_and_read_only_their_languages(tmp_path):
    project = tmp_path / "switcher"
    for name, content in SWITCHER_PAGES.items():
        (project / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (project / "docs" / name).write_text(content, "utf-8")
    (project / "hooks").mkdir()
    shutil.copy2(ROOT / "hooks" / "i18n.py", project / "hooks" / "i18n.py")
    (project / "hooks" / "switcher.py").write_text(SWITCHER_PROBE, "utf-8")
    (project / "mkdocs.yml").write_text(SWITCHER_YML, "utf-8")

    def build(**env: str) -> list[dict]:
        log = tmp_path / f"switcher-{len(env)}.jsonl"
        result = mkdocs_build(project, tmp_path / f"site-{len(env)}", PROBE_LOG=str(log), **env)
        assert result.returncode == 0, result.stderr[-3000:]
        return [json.loads(line) for line in log.read_text("utf-8").splitlines()]

    plugin_pages, skipped_pages = build(), build(PROBE_SKIP="1")
    # Without the other languages' files each pass builds the same pages from the same files, the Dutch page
    # where its language has none.
    built = [(p["lang"], p["page"], p["source"]) for p in plugin_pages]
    assert [(p["lang"], p["page"], p["source"]) for p in skipped_pages] == built
    assert ("de", "de/dutch-only/", "dutch-only.md") in built and ("de", "de/two/", "two/index.md") in built
    assert {page["lang"] for page in plugin_pages} == {"nl", "en", "de"}
    # The plugin alone: every page's switcher has a file for each language, and the last pass holds every
    # pass's pages.
    assert all(page["switcher"] == ["de", "en", "nl"] for page in plugin_pages)
    assert plugin_pages[-1]["held"] == ["de", "en", "nl"]
    # With the two: a page's file is its own alternate only, and each pass holds its own pages only.
    assert all(page["switcher"] == [page["lang"]] for page in skipped_pages)
    assert all(page["held"] == [page["lang"]] for page in skipped_pages)
