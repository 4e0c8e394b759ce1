"""Shared fixtures: a copy of the project in a temporary folder, and one full build of the site."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = Path(__file__).resolve().parent / "samples"
PROJECT_PARTS = ("mkdocs.yml", "data", "hooks", "overrides", "docs/assets")


def copy_project(dest: Path, data: Path | None = None) -> Path:
    """Copy what a build needs (not generated files) into ``dest``; with ``data``, that folder becomes its data/."""
    for part in PROJECT_PARTS:
        src = data if part == "data" and data is not None else ROOT / part
        target = dest / part
        if src.is_dir():
            shutil.copytree(src, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    return dest


def sample_project(dest: Path, name: str = "basic") -> Path:
    """A copy of the project with the sample data set tests/samples/<name>/data as its data/, and the site's
    languages in mkdocs.yml reduced to the sample's (the i18n plugin builds every language mkdocs.yml lists)."""
    project = copy_project(dest, SAMPLES / name / "data")
    add_interface_texts(project / "data")
    return keep_languages(project, language_codes(project / "data"))


def sample_data(dest: Path, name: str = "basic", add: tuple[str, ...] = ()) -> Path:
    """The data folder of a sample data set, complete with the interface texts, at ``dest``/data; with ``add``,
    those languages of the project too (see add_language)."""
    data = shutil.copytree(SAMPLES / name / "data", dest / "data")
    for code in add:
        add_language(data, code)
    add_interface_texts(data)
    return data


def add_language(data: Path, code: str) -> None:
    """Configure a language of the project in a sample data folder, as data/languages.yml has it, with a locale
    file of no texts of its own: add_interface_texts then gives it the project's texts (those of the sample's
    content stand in Dutch or as outdated), for a test of a rule of that language (Greek punctuation)."""
    entry = next(
        line
        for line in (ROOT / "data" / "languages.yml").read_text("utf-8").splitlines(keepends=True)
        if line.startswith(f"  - {{code: {code},")
    )
    languages = data / "languages.yml"
    languages.write_text(languages.read_text("utf-8") + entry, "utf-8")
    (data / "locales" / f"{code}.yml").write_text(f"language: {code}\nstrings:\n", "utf-8")


def add_interface_texts(data: Path) -> None:
    """Complete a sample's locale files with the texts of data/locales/ they do not define themselves.

    A sample defines the texts of its own content (overview, families, actions, notes); the interface texts
    (labels, notices, page titles) are the project's, entries as they are there (a translation with its source
    fingerprint and review state), so a text the templates start to use needs no edit under tests/samples/."""
    import json

    import yaml

    def strings(path: Path) -> dict:  # libyaml's loader where installed: the project's files load ten times faster
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return yaml.load(path.read_text("utf-8"), Loader=loader)["strings"] or {}

    def written(value: str | dict, indent: int) -> str:
        """A text after its key as the project writes it: quoted; plural forms one a line below it."""
        if isinstance(value, dict):
            return (
                "".join(
                    f"\n{' ' * indent}{form}: {json.dumps(text, ensure_ascii=False)}" for form, text in value.items()
                )
                + "\n"
            )
        return f" {json.dumps(value, ensure_ascii=False)}\n"

    source = yaml.safe_load((data / "languages.yml").read_text("utf-8"))["source"]
    project_source = strings(ROOT / "data" / "locales" / f"{source}.yml")
    for path in sorted((data / "locales").glob("*.yml")):
        own = strings(path)
        project = project_source if path.stem == source else strings(ROOT / "data" / "locales" / path.name)
        lines = []
        for key, dutch in project_source.items():
            if key in own or key not in project:
                continue
            if path.stem == source:
                lines.append(f"  {key}:{written(dutch, 4)}")
                continue
            entry = project[key]
            lines.append(f"  {key}:\n    text:{written(entry['text'], 6)}")
            lines += [f"    {field}: {json.dumps(entry[field])}\n" for field in ("source", "review") if field in entry]
        stat = path.stat()
        with path.open("a", encoding="utf-8") as file:
            file.write("\n  # Added from data/locales/ by tests/conftest.py\n" + "".join(lines))
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the data's date stays the sample's


def language_codes(data: Path) -> tuple[str, ...]:
    """The codes of the languages a data folder configures, in its order."""
    import yaml

    return tuple(entry["code"] for entry in yaml.safe_load((data / "languages.yml").read_text("utf-8"))["languages"])


def keep_languages(project: Path, keep: tuple[str, ...]) -> Path:
    """Reduce a project copy to the languages ``keep``: in mkdocs.yml (the i18n plugin's language list), in
    data/languages.yml and in data/locales/. A small site of two or three languages builds in seconds."""
    config = project / "mkdocs.yml"
    lines = config.read_text("utf-8").splitlines(keepends=True)
    kept, dropping, found = [], False, set()
    for line in lines:
        block = re.match(r"(\s*)- locale: (\w+)$", line.rstrip("\n"))
        if block:
            indent, code = len(block.group(1)), block.group(2)
            dropping = code not in keep
            found.add(code)
        elif dropping and (not line.strip() or len(line) - len(line.lstrip()) <= indent):
            dropping = False
        if not dropping:
            kept.append(line)
    assert set(keep) <= found, f"test setup: mkdocs.yml has no i18n language block for {set(keep) - found}"
    config.write_text("".join(kept), "utf-8")
    languages = project / "data" / "languages.yml"
    lines = languages.read_text("utf-8").splitlines(keepends=True)
    entries = [m.group(1) for line in lines if (m := re.match(r"\s+- \{code: (\w+),", line))]
    assert set(keep) <= set(entries), f"test setup: data/languages.yml lacks {set(keep) - set(entries)}"
    languages.write_text(
        "".join(line for line in lines if not (m := re.match(r"\s+- \{code: (\w+),", line)) or m.group(1) in keep),
        "utf-8",
    )
    for path in (project / "data" / "locales").glob("*.yml"):
        if path.stem not in keep:
            path.unlink()
    return project


def build_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "BUILD_ONLY_LOCALE"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["SOURCE_DATE_EPOCH"] = env.get("SOURCE_DATE_EPOCH", "1767225600")
    # The PDFs (about 7 s of CPU per language) are written by the one full build the PDF tests read (`site`);
    # other builds skip them unless a test asks. `programme-guide build` and publish write them regardless.
    env["PROGRAMME_GUIDE_PDF"] = "0"
    env.update(extra)
    return env


def mkdocs_build(project: Path, site: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=project,
        env=build_env(**env),
        capture_output=True,
        text=True,
        timeout=1200,
    )


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "programme_guide.cli", *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


# Tests that need the whole site (a full 24-language build, about a minute), a copy of the whole project to
# break and check or build, or a build of the guide's data in one language are `slow`; `-m "not slow"` skips them.
SLOW_FIXTURES = {"site", "server", "pages_server", "project", "polish_site"}


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items):
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if SLOW_FIXTURES & fixtures:
            item.add_marker(pytest.mark.slow)
        # pytest-xdist (`--dist loadgroup`, see addopts in pyproject.toml) runs the tests of one group in one
        # worker: the whole site is built once, by the worker that runs every test reading it, and so are the
        # builds that tests compare with it.
        if fixtures & {"site", "plain_site", "parallel_site"}:
            item.add_marker(pytest.mark.xdist_group("site"))


def pytest_sessionfinish(session):
    """A pytest-xdist worker hands its tally of hostile inputs to the main process, which prints the whole run's."""
    from helpers import HOSTILE

    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        output["hostile"] = {"tried": dict(HOSTILE.tried), "safe": sorted(HOSTILE.safe)}


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    from helpers import HOSTILE

    tally = getattr(node, "workeroutput", {}).get("hostile")
    if tally:
        HOSTILE.tried.update(tally["tried"])
        HOSTILE.safe.update(tally["safe"])


def pytest_terminal_summary(terminalreporter):
    """After a run that fed the commands hostile input (tests/test_hostile.py): how many got a clear error."""
    from helpers import HOSTILE

    if HOSTILE.tried:
        terminalreporter.write_line(HOSTILE.summary())


@pytest.fixture(scope="session", autouse=True)
def data_cache(tmp_path_factory) -> None:
    """The test run keeps its cache of checked data files and compiled templates (programme_guide.datacache) in a
    temporary folder of its own, not the user's ~/.cache, unless PROGRAMME_GUIDE_CACHE says otherwise; the commands
    the tests start get it too. The pytest-xdist workers of one run share it (records are written atomically)."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    os.environ.setdefault("PROGRAMME_GUIDE_CACHE", str(shared / "data-cache"))


# The languages whose PDF the session's site writes: one per script and letter set the print stylesheet must
# cover (Latin, Greek, Cyrillic, Irish and Maltese letters) and the two the seam and parallel-build tests compare.
# A PDF costs about three times a language's HTML; `programme-guide publish` writes every language's.
SITE_PDF_LANGUAGES = ("nl", "en", "el", "ga", "bg", "mt")


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The whole site, all languages, built once with `mkdocs build --strict` from a copy of the project, with
    the PDFs of SITE_PDF_LANGUAGES."""
    project = copy_project(tmp_path_factory.mktemp("project"))
    out = project / "site"
    result = mkdocs_build(project, out, PROGRAMME_GUIDE_PDF=",".join(SITE_PDF_LANGUAGES))
    assert result.returncode == 0, result.stderr[-4000:]
    return out


SAMPLE_SITE_ENV = {"PROGRAMME_GUIDE_PDF": "0"}


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The sample data set (tests/samples/basic: Dutch, English and Polish, two families, four actions) built the
    way the whole site is, every language, with `mkdocs build --strict`: a few seconds. Without the PDFs, which
    take longer than the rest (tests/test_pdf.py builds and reads them). Its project (data/, mkdocs.yml) is the
    folder above it."""
    project = sample_project(tmp_path_factory.mktemp("sample"))
    out = project / "site"
    result = mkdocs_build(project, out, **SAMPLE_SITE_ENV)
    assert result.returncode == 0, result.stderr[-4000:]
    return out


@pytest.fixture(scope="session")
def sample_catalog(sample_site):
    """The sample's guide, texts and facts as the build read them (for what a page should show)."""
    from programme_guide.generate import load

    return load(sample_site.parent / "data")


@pytest.fixture
def project(tmp_path) -> Path:
    """A fresh copy of the project that a test may break."""
    return copy_project(tmp_path / "project")


@pytest.fixture
def sample_copy(tmp_path) -> Path:
    """A fresh copy of the project with the sample data (tests/samples/basic) that a test may break: for tests of
    how the commands behave, which load three locale files there, not the guide's 24."""
    return sample_project(tmp_path / "project")


# External tools (Chromium, Java, npm), found the same way by every test: the environment variable that names
# the tool, else the first of its commands on PATH. Missing, a test is skipped on a developer's machine and
# fails in CI (CI=1), where .ci/run installs them.

TOOLS = {
    "chromium": ("CHROMIUM", ("chromium", "chromium-browser", "google-chrome"), "apt-get install chromium"),
    "java": ("JAVA", ("java",), "apt-get install default-jre-headless"),
    "npm": ("NPM", ("npm",), "apt-get install npm"),
}


def find_tool(name: str) -> str | None:
    """The path of an external tool, or None when it is not installed."""
    variable, commands, _ = TOOLS[name]
    if os.environ.get(variable):
        return os.environ[variable] if Path(os.environ[variable]).is_file() else None
    return next((found for command in commands if (found := shutil.which(command))), None)


def require_tool(name: str, needed_for: str) -> str:
    """The path of an external tool; skips the test without it (fails in CI)."""
    found = find_tool(name)
    if found is None:
        variable, commands, install = TOOLS[name]
        reason = f"{name} is needed {needed_for}: set {variable} or put {commands[0]} on PATH (Debian: {install})"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return found


# The built site over HTTP, and a real browser (tests/test_browser.py, tests/test_html.py)

BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


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
def sample_server(sample_site) -> str:
    """The sample site on http://127.0.0.1; the URL of its home page."""
    yield from serve(sample_site)


@pytest.fixture(scope="session")
def pages_server(site) -> str:
    """The built site served as GitHub Pages serves it: /404.html for every unknown address."""
    yield from serve(site, per_language_404=False)


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Debian's), driven by Playwright; one per test module, as Playwright's synchronous API
    allows only one running instance at a time."""
    executable = require_tool("chromium", "for the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
        yield chromium
        chromium.close()
