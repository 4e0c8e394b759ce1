"""The engine on its own: the same pages as the build (for the whole guide), no MkDocs dependency, live reload
under `mkdocs serve` (on the sample data)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import build_env, cli, sample_data, sample_project


def test_generate_writes_the_pages_the_build_wrote_byte_for_byte(site, tmp_path):
    """`programme-guide generate`, in another process with another hash seed, writes the Markdown tree the build
    of the whole site wrote into docs/, "improve this translation" links included when given the same repo_url."""
    project = site.parent
    docs = project / "docs"
    listed = (docs / ".generated").read_text("utf-8").split()
    assert len(listed) > 500 and "key-action-2/index.en.md" in listed
    repo_url = re.search(r'repo_url: !ENV \[REPO_URL, "([^"]+)"\]', (project / "mkdocs.yml").read_text("utf-8"))[1]
    out = tmp_path / "out"
    command = [sys.executable, "-m", "programme_guide.cli", "--data", str(project / "data"), "generate", str(out)]
    result = subprocess.run(
        [*command, "--repo-url", os.environ.get("REPO_URL", repo_url)],
        env=build_env(PYTHONHASHSEED="3"),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    different = [rel for rel in listed if (out / rel).read_bytes() != (docs / rel).read_bytes()]
    assert not different, f"{len(different)} pages differ, e.g. {different[:5]}"


def test_generate_again_writes_nothing_when_nothing_changed(tmp_path):
    data, out = sample_data(tmp_path), tmp_path / "out"
    first = cli("--data", str(data), "generate", str(out))
    assert first.returncode == 0 and not first.stdout.startswith("0 pages written"), first.stdout
    again = cli("--data", str(data), "generate", str(out))
    assert again.stdout.startswith("0 pages written"), again.stdout


def test_engine_does_not_import_mkdocs(tmp_path):
    code = (
        "import sys, pathlib\n"
        "from programme_guide.generate import generate\n"
        f"generate(pathlib.Path({str(sample_data(tmp_path))!r}), pathlib.Path({str(tmp_path / 'out')!r}))\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material', 'mkdocs_static_i18n'))\n"
        "print(bad)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(predicate, seconds: float) -> bool:
    """Poll ``predicate`` until it holds (True) or ``seconds`` have passed (False)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.1)
    return False


def stamps(folder) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_serve_shows_a_data_edit_without_restart_and_settles(tmp_path):
    """A data edit is served without a restart. The rebuild writes the pages that changed into docs/, which
    `mkdocs serve` watches, so it builds once more; that build writes nothing, so nothing starts another
    (the loop this guards against: every build rewriting docs/ and so starting the next)."""
    project = sample_project(tmp_path / "project")
    port = free_port()
    log_path = tmp_path / "serve.log"
    log = log_path.open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env=build_env(BUILD_ONLY_LOCALE="nl", SITE_URL=f"http://127.0.0.1:{port}/"),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/key-action-2/"

    def reloads() -> int:
        return log_path.read_text().count("Reloading browsers")

    try:
        assert wait_for(lambda: "Ondersteunde acties" in fetch(url), 120), log_path.read_text()
        locale = project / "data" / "locales" / "nl.yml"
        locale.write_text(locale.read_text("utf-8").replace("Ondersteunde acties", "Gesteunde acties"), "utf-8")
        assert wait_for(lambda: "Gesteunde acties" in fetch(url) and reloads() >= 1, 120), log_path.read_text()
        after_edit = stamps(project / "docs")
        assert wait_for(lambda: reloads() >= 2, 120), "no build followed the pages the edit wrote"
        assert stamps(project / "docs") == after_edit, "the build after the edit rewrote docs/: a rebuild loop"
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
