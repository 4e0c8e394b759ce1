"""The engine on its own: deterministic output, no MkDocs dependency, live reload under `mkdocs serve`."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

from conftest import ROOT, build_env, cli


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_generate_writes_the_same_bytes_every_time(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert cli("generate", str(first)).returncode == 0
    result = cli("generate", str(second))
    assert result.returncode == 0
    assert tree(first) == tree(second)
    assert "key-action-2/index.md" in tree(first)
    assert "key-action-2/index.en.md" in tree(first)


def test_generate_again_writes_nothing_when_nothing_changed(tmp_path):
    assert cli("generate", str(tmp_path)).returncode == 0
    again = cli("generate", str(tmp_path))
    assert again.stdout.startswith("0 pages written")


def test_engine_does_not_import_mkdocs(tmp_path):
    code = (
        "import sys, pathlib\n"
        "from programme_guide.generate import generate\n"
        f"generate(pathlib.Path({str(ROOT / 'data')!r}), pathlib.Path({str(tmp_path)!r}))\n"
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


def wait_for(predicate, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def test_serve_shows_a_data_edit_without_restart_and_settles(project, tmp_path):
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env=build_env(BUILD_ONLY_LOCALE="nl", SITE_URL=f"http://127.0.0.1:{port}/"),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/key-action-2/"
    try:
        assert wait_for(lambda: "Ondersteunde acties" in fetch(url), 120), (tmp_path / "serve.log").read_text()
        locale = project / "data" / "locales" / "nl.yml"
        locale.write_text(locale.read_text("utf-8").replace("Ondersteunde acties", "Gesteunde acties"), "utf-8")
        assert wait_for(lambda: "Gesteunde acties" in fetch(url), 120), (tmp_path / "serve.log").read_text()
        time.sleep(4)
        builds = (tmp_path / "serve.log").read_text().count("Building documentation")
        time.sleep(6)
        assert (tmp_path / "serve.log").read_text().count("Building documentation") == builds, "rebuild loop"
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
