"""The seam to another site engine: `programme-guide generate` + any engine + `programme-guide finish` make the site.

The stand-in for another engine is MkDocs without any of the project's hooks or theme overrides: a minimal
mkdocs.yml with the same theme, i18n plugin and Markdown extensions, its navigation read from the navigation
data that `generate` writes (.nav/<lang>.yml). For Dutch (the root), English and Greek, that site after
`finish` has the same pages, search index, open-data files, sitemap and hreflang links as the normal build
(the session's `site`, all hooks).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from lxml import html

from conftest import build_env, copy_project, mkdocs_build, serve
from programme_guide.navigation import read_navigation, section_titles

pytestmark = pytest.mark.slow  # builds a site of three languages

LANGUAGES = ("nl", "en", "el")
SOURCE = "nl"
EXPORTS = ("actions.json", ".ics", "actions.schema.json")


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "programme_guide.cli", *args]
    return subprocess.run(command, cwd=cwd, env=build_env(), capture_output=True, text=True, timeout=900)


def mkdocs_config(path: Path) -> dict:
    """mkdocs.yml as plain data: `!ENV [NAME, default]` becomes the variable's value or the default."""

    class Loader(yaml.SafeLoader):
        pass

    def env(loader, node):
        values = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [node.value]
        names, default = (values[:-1], values[-1]) if len(values) > 1 else (values, None)
        return next((os.environ[name] for name in names if name in os.environ), default)

    Loader.add_constructor("!ENV", env)
    return yaml.load(path.read_text("utf-8"), Loader=Loader)


def plain_project(project: Path, dest: Path) -> Path:
    """The generated tree of LANGUAGES, built by a configuration without hooks and theme overrides."""
    docs = dest / "docs"
    args = ["--data", str(project / "data"), "generate", str(docs), *(f"--lang={code}" for code in LANGUAGES)]
    result = run_cli(*args, cwd=project)
    assert result.returncode == 0, result.stderr
    (docs / "assets").mkdir()
    for asset in (project / "docs" / "assets").iterdir():
        (docs / "assets" / asset.name).write_bytes(asset.read_bytes())
    config = mkdocs_config(project / "mkdocs.yml")
    config.pop("hooks")
    config["theme"].pop("custom_dir")
    source_nav = read_navigation(docs, SOURCE)
    config["nav"] = source_nav
    (i18n,) = (plugin["i18n"] for plugin in config["plugins"] if "i18n" in plugin)
    i18n["build_only_locale"] = None
    i18n["languages"] = [language for language in i18n["languages"] if language["locale"] in LANGUAGES]
    for language in i18n["languages"]:
        titles = section_titles(read_navigation(docs, language["locale"]))
        language["nav_translations"] = dict(zip(section_titles(source_nav), titles, strict=True))
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    return dest


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory) -> Path:
    """The plain MkDocs build of the generated tree for LANGUAGES, finished by `programme-guide finish`."""
    tmp = tmp_path_factory.mktemp("seam")
    project = copy_project(tmp / "project")
    plain = plain_project(project, tmp / "plain")
    site = plain / "site"
    result = mkdocs_build(plain, site)
    assert result.returncode == 0, result.stderr[-4000:]
    assert not (site / "pagefind").exists() and not (site / "en" / "key-action-2" / "actions.json").exists()
    result = run_cli("--data", str(project / "data"), "finish", str(site), cwd=project)
    assert result.returncode == 0, result.stderr
    for step in ("exports:", "not-found:", "alternates:", "pdf:", "search:"):
        assert step in result.stdout
    return site


def language_of(path: str) -> str:
    first = path.split("/", 1)[0]
    return first if "/" in path and re.fullmatch(r"[a-z]{2}", first) else SOURCE


def files(site: Path, suffixes: tuple[str, ...]) -> dict[str, bytes]:
    """The site's files whose names end in ``suffixes``, in LANGUAGES, outside the search index."""
    found = {}
    for path in site.rglob("*"):
        rel = path.relative_to(site).as_posix()
        wanted = rel.endswith(suffixes) and not rel.startswith("pagefind/") and language_of(rel) in LANGUAGES
        if wanted and path.is_file():
            found[rel] = path.read_bytes()
    return found


def test_the_finished_plain_build_has_the_same_pages_and_pdfs(plain_site, site):
    assert files(plain_site, (".html",)).keys() == files(site, (".html",)).keys()
    for lang in LANGUAGES:
        page = plain_site / ("" if lang == SOURCE else lang) / "404.html"
        assert html.parse(str(page)).getroot().get("lang") == lang, "a 404 page in each language"
    pdfs = files(site, (".pdf",)).keys()
    assert len(pdfs) == len(LANGUAGES)
    assert files(plain_site, (".pdf",)).keys() == pdfs


def test_the_finished_plain_build_has_the_same_open_data(plain_site, site):
    expected = files(site, EXPORTS)
    assert any(path.startswith("el/") and path.endswith("actions.json") for path in expected)
    assert files(plain_site, EXPORTS) == expected


def test_the_finished_plain_build_has_a_search_index_per_language_with_the_same_pages(plain_site, site):
    plain = json.loads((plain_site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))["languages"]
    full = json.loads((site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))["languages"]
    assert sorted(plain) == sorted(LANGUAGES)
    for lang in LANGUAGES:
        assert plain[lang]["page_count"] == full[lang]["page_count"] > 0, lang


def test_the_finished_plain_build_has_the_same_sitemap_and_hreflang_links(plain_site, site):
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        assert (plain_site / name).read_bytes() == (site / name).read_bytes(), name
    for path in files(site, ("index.html",)):
        assert hreflang(plain_site / path) == hreflang(site / path), path


def hreflang(page: Path) -> list[tuple[str, str]]:
    head = html.parse(str(page)).getroot().find("head")
    return [(link.get("hreflang"), link.get("href")) for link in head.iterfind("link[@hreflang]")]


@pytest.mark.browser
def test_a_dutch_word_is_found_in_the_finished_plain_build(plain_site, browser):
    server = serve(plain_site)
    url = next(server)
    try:
        tab = browser.new_page()
        tab.goto(url)
        found = tab.evaluate(
            """async (base) => {
                const pagefind = await import(base + "pagefind/pagefind.js");
                const search = await pagefind.search("partnerschappen");
                return (await Promise.all(search.results.map((r) => r.data()))).map((d) => d.url);
            }""",
            url,
        )
        tab.close()
    finally:
        next(server, None)
    assert found, "no result for 'partnerschappen'"
    assert not [u for u in found if re.search(r"/(?:en|el)/", u)], "only Dutch pages answer a search on a Dutch page"
