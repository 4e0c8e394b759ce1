"""Two builds of the same commit give byte-identical sites: dates come from the commit or SOURCE_DATE_EPOCH."""

from __future__ import annotations

import gzip
import os
import re
import struct
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import SAMPLE_SITE_ENV, build_env, mkdocs_build, sample_project

COMMIT_DATE = "2025-03-04T15:30:00+00:00"
COMMIT_DAY = "2025-03-04"


pytestmark = pytest.mark.slow  # every test builds a site


@pytest.fixture
def project(tmp_path) -> Path:
    """A project copy with the sample data (tests/samples/basic): what makes a build reproducible does not depend
    on what the guide says."""
    return sample_project(tmp_path / "project")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def differences(first: Path, second: Path) -> list[str]:
    a, b = tree(first), tree(second)
    only = sorted(set(a) ^ set(b))
    changed = sorted(path for path in set(a) & set(b) if a[path] != b[path])
    return [f"only in one build: {p}" for p in only] + [f"different bytes: {p}" for p in changed]


def build(project: Path, site: Path, **env: str) -> None:
    """`mkdocs build --strict` with the given environment (SOURCE_DATE_EPOCH unset unless given)."""
    environment = build_env(**env)
    if "SOURCE_DATE_EPOCH" not in env:
        del environment["SOURCE_DATE_EPOCH"]
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def commit_all(project: Path, date: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Editor",
        "GIT_AUTHOR_EMAIL": "editor@example.invalid",
        "GIT_COMMITTER_NAME": "Editor",
        "GIT_COMMITTER_EMAIL": "editor@example.invalid",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
    }
    for args in (["init", "--quiet"], ["add", "-A"], ["commit", "--quiet", "-m", "the guide"]):
        subprocess.run(["git", *args], cwd=project, env=env, check=True, capture_output=True)


def sitemap_days(site: Path) -> set[str]:
    return set(re.findall(r"<lastmod>([^<]*)</lastmod>", (site / "sitemap.xml").read_text("utf-8")))


def gzip_header_time(path: Path) -> int:
    """MTIME field of a gzip file's header (RFC 1952, bytes 4-7, little-endian)."""
    return struct.unpack("<I", path.read_bytes()[4:8])[0]


def midnight(day: str) -> int:
    return int(datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp())


def test_two_builds_of_a_commit_are_byte_identical_and_dated_by_the_commit(project, tmp_path):
    commit_all(project, COMMIT_DATE)
    first, second = tmp_path / "first", tmp_path / "second"
    build(project, first, BUILD_ONLY_LOCALE="en", PYTHONHASHSEED="1", TZ="Europe/Amsterdam")
    build(project, second, BUILD_ONLY_LOCALE="en", PYTHONHASHSEED="2", TZ="America/New_York")
    assert differences(first, second) == []
    assert sitemap_days(first) == {COMMIT_DAY}
    assert gzip_header_time(first / "sitemap.xml.gz") == midnight(COMMIT_DAY)
    assert gzip.decompress((first / "sitemap.xml.gz").read_bytes()) == (first / "sitemap.xml").read_bytes()
    assert (first / "search" / "search_index.json").exists() or (first / "pagefind").exists()


def test_source_date_epoch_wins_over_the_commit_date(project, tmp_path):
    commit_all(project, COMMIT_DATE)
    site = tmp_path / "site"
    build(project, site, BUILD_ONLY_LOCALE="en", SOURCE_DATE_EPOCH=str(midnight("2026-01-01") + 3600))
    assert sitemap_days(site) == {"2026-01-01"}
    assert gzip_header_time(site / "sitemap.xml.gz") == midnight("2026-01-01")


def test_outside_a_git_checkout_the_newest_data_file_dates_the_build(project, tmp_path):
    stamp = midnight("2024-05-06") + 7200
    for path in [project / "mkdocs.yml", *(project / "data").rglob("*")]:
        os.utime(path, (stamp, stamp))
    site = tmp_path / "site"
    build(project, site, BUILD_ONLY_LOCALE="en")
    assert sitemap_days(site) == {"2024-05-06"}


def test_every_language_builds_to_the_same_bytes_again(sample_site, tmp_path):
    """Every language of the sample: the session's sample site against a second build from another copy (both
    without the PDFs)."""
    again = tmp_path / "again"
    result = mkdocs_build(sample_project(tmp_path / "project"), again, PYTHONHASHSEED="7", **SAMPLE_SITE_ENV)
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(tree(sample_site)) > 100
    assert differences(sample_site, again) == []
