"""`programme-guide build`: languages built in parallel processes and merged are the site one `mkdocs build` writes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import build_env, cli, copy_project, sample_project
from helpers import tree
from programme_guide.build import BuildError, Share, merge, run_shares, shares

LANGUAGES = ("el", "ga")  # besides Dutch at the root: the languages the parallel build makes here
ENTRY = "pagefind/pagefind-entry.json"


def language_of(path: str, codes: set[str]) -> str | None:
    """The language folder a site path lies in, or None for the site root's files."""
    first = path.split("/", 1)[0]
    return first if "/" in path and first in codes else None


@pytest.fixture(scope="module")
def parallel_site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("parallel")
    project = copy_project(tmp / "project")
    out = tmp / "site"
    command = [sys.executable, "-m", "programme_guide.cli", "--data", str(project / "data"), "build", "--jobs", "2"]
    command += [f"--lang={code}" for code in LANGUAGES] + ["--site-dir", str(out)]
    # With the PDFs, as the session's full build (`site`) writes them: they must come out the same too.
    env = build_env(PROGRAMME_GUIDE_PDF="1")
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stderr[-4000:]
    assert result.stdout.count("built the source language and") == 2, result.stdout
    assert not [p.name for p in tmp.iterdir() if p.name.startswith(".programme-guide-build-")], "parts left behind"
    return out


def test_the_parallel_build_writes_the_files_of_the_sequential_build_byte_for_byte(parallel_site, site):
    """Every file of Dutch, Greek and Irish in the full sequential build (the session's `site`, one `mkdocs build`
    of every language) is in the parallel build with the same bytes, and the parallel build has nothing else."""
    parallel, full = tree(parallel_site), tree(site)
    codes = {path.split("/", 1)[0] for path in full if re.fullmatch(r"[a-z]{2}/index\.html", path)}
    assert len(codes) >= 23, "the sequential build has every language"
    expected = {
        path: data
        for path, data in full.items()
        if language_of(path, codes) in (None, *LANGUAGES) and not path.startswith("pagefind/")
    }
    built = {path: data for path, data in parallel.items() if not path.startswith("pagefind/")}
    assert built.keys() == expected.keys()
    assert {"programme-guide-ka2-nl.pdf", "el/programme-guide-ka2-el.pdf"} <= built.keys()
    different = [path for path in expected if built[path] != expected[path]]
    assert different == [], f"{len(different)} files differ, such as {different[:5]}"


def test_the_parallel_build_indexes_its_languages_as_the_sequential_build_does(parallel_site, site):
    parallel = json.loads((parallel_site / ENTRY).read_text("utf-8"))["languages"]
    full = json.loads((site / ENTRY).read_text("utf-8"))["languages"]
    assert list(parallel) == sorted(["nl", *LANGUAGES])
    assert parallel == {code: full[code] for code in parallel}
    index = {p: d for p, d in tree(parallel_site).items() if p.startswith("pagefind/") and p != ENTRY}
    assert index and all(tree(site).get(path) == data for path, data in index.items())


def test_languages_are_shared_out_evenly_in_site_order():
    assert shares(["bg", "es", "cs", "da", "de"], 2) == [("bg", "cs", "de"), ("es", "da")]
    assert shares(["en"], 4) == [("en",)]
    assert shares([], 2) == [()]
    # At most `size` languages a share: more shares than processes, run one after another.
    assert shares(["bg", "es", "cs", "da", "de"], 2, size=2) == [("bg", "da"), ("es", "de"), ("cs",)]
    assert shares(["bg", "es", "cs", "da", "de"], 2, size=6) == [("bg", "cs", "de"), ("es", "da")]


def test_more_shares_than_processes_are_built_one_after_another_into_the_same_site(sample_site, tmp_path):
    """The sample's two languages besides Dutch, one per process, one process at a time: the site `mkdocs build`
    writes, byte for byte."""
    project = sample_project(tmp_path / "project")
    out = tmp_path / "site"
    command = [sys.executable, "-m", "programme_guide.cli", "--data", str(project / "data"), "build", "--jobs", "1"]
    command += ["--languages-per-process", "1", "--site-dir", str(out)]
    result = subprocess.run(command, cwd=project, env=build_env(), capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-4000:]
    assert result.stdout.count("built the source language and") == 2, result.stdout
    assert tree(out) == tree(sample_site)


def test_a_file_two_builds_wrote_differently_stops_the_merge(tmp_path):
    for part, text in (("a", "one"), ("b", "two")):
        (tmp_path / part / "en").mkdir(parents=True)
        (tmp_path / part / "sitemap.xml").write_text(text, "utf-8")
    (tmp_path / "a" / "en" / "index.html").write_text("en", "utf-8")
    with pytest.raises(BuildError, match=r"sitemap\.xml: two language builds wrote it with different content"):
        merge([tmp_path / "a", tmp_path / "b"], tmp_path / "site", say=lambda _: None)


def test_an_unknown_language_is_wrong_usage():
    result = cli("build", "--lang", "xx", "--site-dir", "/nonexistent/site")
    assert result.returncode == 2
    assert "unknown language: xx" in result.stderr


def test_a_failed_share_stops_the_build_and_the_shares_after_it_never_start(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: [broken\n", "utf-8")
    plan = [Share(("en",), tmp_path / "part-0"), Share(("pl",), tmp_path / "part-1")]
    with pytest.raises(BuildError, match=r"the strict build of en failed"):
        run_shares(config, plan, build_env(), say=lambda _: None, jobs=1)
    assert (tmp_path / "part-0.log").is_file()
    assert not (tmp_path / "part-1.log").exists(), "the second share started after the first failed"
