"""Shared fixtures: a copy of the project in a temporary folder, and one full build of the site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("mkdocs.yml", "data", "hooks", "overrides", "docs/assets")


def copy_project(dest: Path) -> Path:
    """Copy what a build needs (not generated files) into ``dest``."""
    for part in PROJECT_PARTS:
        src = ROOT / part
        target = dest / part
        if src.is_dir():
            shutil.copytree(src, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    return dest


def build_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "BUILD_ONLY_LOCALE"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["SOURCE_DATE_EPOCH"] = env.get("SOURCE_DATE_EPOCH", "1767225600")
    env.update(extra)
    return env


def mkdocs_build(project: Path, site: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=project,
        env=build_env(**env),
        capture_output=True,
        text=True,
        timeout=600,
    )


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "programme_guide.cli", *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The whole site, all languages, built once with `mkdocs build --strict` from a copy of the project."""
    project = copy_project(tmp_path_factory.mktemp("project"))
    out = project / "site"
    result = mkdocs_build(project, out)
    assert result.returncode == 0, result.stderr[-4000:]
    return out


@pytest.fixture
def project(tmp_path) -> Path:
    """A fresh copy of the project that a test may break."""
    return copy_project(tmp_path / "project")
