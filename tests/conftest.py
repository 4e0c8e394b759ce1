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


# The built site over HTTP, and a real browser (tests/test_browser.py, tests/test_html.py)

BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def site_path_prefix(site: Path) -> str:
    """The path the site is published under ('/programme-guide/'), read from the home page's canonical URL."""
    from urllib.parse import urlsplit

    from lxml import html

    canonical = html.parse(str(site / "index.html")).getroot().cssselect("link[rel=canonical]")[0].get("href")
    return urlsplit(canonical).path


def site_handler(site: Path, prefix: str, per_language_404: bool = True):
    """A request handler serving ``site`` under ``prefix``, with each language's own 404 page, or, like
    GitHub Pages (``per_language_404=False``), the root 404 page for every unknown address."""
    import http.server

    languages = {p.parent.name for p in site.glob("*/404.html")} if per_language_404 else set()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(site), **kwargs)

        def translate_path(self, path):
            inside = path.startswith(prefix)
            return super().translate_path("/" + path[len(prefix) :] if inside else "/__outside__/")

        def send_error(self, code, message=None, explain=None):
            if code != 404:
                return super().send_error(code, message, explain)
            first = self.path[len(prefix) :].split("/", 1)[0]
            page = site / (f"{first}/404.html" if first in languages else "404.html")
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def log_message(self, format, *args):
            pass

    return Handler


def serve(site: Path, per_language_404: bool = True):
    """Serve the built site on http://127.0.0.1 in a thread; yield the URL of its home page."""
    import http.server
    import threading

    prefix = site_path_prefix(site)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), site_handler(site, prefix, per_language_404))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}{prefix}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def server(site) -> str:
    """The built site on http://127.0.0.1 (search needs http); the URL of its home page."""
    yield from serve(site)


@pytest.fixture(scope="session")
def pages_server(site) -> str:
    """The built site served as GitHub Pages serves it: /404.html for every unknown address."""
    yield from serve(site, per_language_404=False)


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Debian's), driven by Playwright; one per test module, as Playwright's synchronous API
    allows only one running instance at a time."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}")
        pytest.skip(f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield chromium
        chromium.close()
