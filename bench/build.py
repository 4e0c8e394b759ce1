"""Build benchmark: how long the 24-language site takes to build, what the generator adds, what readers download.

    python bench/build.py [--runs N]

Each time is the median of N runs (default 3) of a fresh process:

- full build: `mkdocs build --strict`, every language, all hooks (generation, exports, Pagefind index);
- parallel build: `programme-guide build`, the languages in `mkdocs build --strict` processes side by side
  (one per CPU), merged and indexed; it must write the same bytes as the full build, which is checked;
- plain MkDocs: the same Markdown tree, exported with `programme-guide generate`, built by MkDocs with the
  same theme, languages, Markdown extensions and navigation (from the navigation data `generate` writes)
  but without hooks; full minus plain is what the hooks add. The generator's own part (load and validate
  data/, render and write the Markdown) and the Pagefind indexing are also timed on their own;
- one-language preview: `BUILD_ONLY_LOCALE=en mkdocs build --strict`;
- the PDFs: the full build with every language's PDF (`PROGRAMME_GUIDE_PDF=1`, as `programme-guide publish`
  builds) minus the full build without them (`PROGRAMME_GUIDE_PDF=0`, which every other build here uses, so
  that it compares with the plain MkDocs build), and the PDFs' size.

On the built site it measures the size, the bytes a first page view transfers (HTML, CSS, JS, images and
whatever the page fetches while loading) and the bytes a first search transfers (the Pagefind script,
WebAssembly, the language's index chunks and the result fragments), gzip-compressed as a web server
sends them; then a first page view of each kind of page (KINDS: the home page, the overview, a family page, a
fact sheet, the comparison, the glossary, the translation status, the about page) in the light and the dark
colour scheme (`prefers-color-scheme`, which the theme follows by default). Transfers are measured in
headless Chromium (Playwright, /usr/bin/chromium); without it the page view is counted from the HTML's
references and the search is reported as n/a.

Everything runs in a temporary copy of the project; docs/ and site/ are not touched.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import yaml

from programme_guide.finish import index_search
from programme_guide.navigation import read_navigation, section_titles

ROOT = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("mkdocs.yml", "data", "hooks", "overrides", "docs/assets")
PAGES = ("", "key-action-2/", "en/", "en/key-action-2/")
KINDS = {
    "home page": "",
    "overview": "key-action-2/",
    "family page": "key-action-2/partnerships-for-cooperation/",
    "fact sheet": "key-action-2/partnerships-for-cooperation/cooperation-partnerships/",
    "comparison and finder": "key-action-2/compare/",
    "glossary": "glossary/",
    "translation status": "translations/",
    "about": "about/",
}
SEARCHES = (("", "partnerschappen"), ("en/", "partnerships"))
COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".ics")
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"  # as tests/conftest.py
TARGETS = {"generator": 10.0, "preview": 3.0, "page_view": 150_000, "search": 100_000}


@dataclass
class Row:
    what: str
    value: str
    target: str = ""
    met: bool | None = None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per build measurement (median; default 3)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="programme-guide-bench-") as tmp:
        rows = measure(Path(tmp), args.runs)
    print(report(rows, args.runs))
    return 0


def measure(tmp: Path, runs: int) -> list[Row]:
    project = copy_project(tmp / "project")
    plain = plain_project(project, tmp / "plain")
    say(f"full build x{runs}")
    full = median_time(runs, lambda i: mkdocs(project, tmp / f"site-{i}", PROGRAMME_GUIDE_PDF="0"))
    say(f"full build with the PDFs x{runs}")
    with_pdfs = median_time(runs, lambda i: mkdocs(project, tmp / f"pdf-site-{i}", PROGRAMME_GUIDE_PDF="1"))
    pdfs = sorted((tmp / "pdf-site-0").rglob("*.pdf"))
    say(f"parallel build x{runs}")
    parallel = median_time(runs, lambda i: parallel_build(project, tmp / f"parallel-{i}", PROGRAMME_GUIDE_PDF="0"))
    same = tree(tmp / "site-0") == tree(tmp / "parallel-0")
    say(f"plain MkDocs build x{runs}")
    base = median_time(runs, lambda i: mkdocs(plain, tmp / f"plain-site-{i}"))
    say(f"generator x{runs}")
    generator = statistics.median(generator_time(project / "data", tmp / f"generated-{i}") for i in range(runs))
    site = tmp / "site-0"
    say(f"Pagefind x{runs}")
    index = median_time(runs, lambda i: pagefind(site, tmp / f"index-{i}"))
    say(f"one-language preview x{runs}")
    preview = median_time(
        runs, lambda i: mkdocs(project, tmp / f"preview-{i}", BUILD_ONLY_LOCALE="en", PROGRAMME_GUIDE_PDF="0")
    )
    say("transfers")
    page_view, search = transfers(site)
    weights = kind_weights(tmp / "pdf-site-0")
    files, size = site_size(site)
    added = full - base
    return [
        Row("full build, 24 languages, all hooks", f"{full:.1f} s"),
        Row(
            f"parallel build (`programme-guide build`, {os.cpu_count()} processes)",
            f"{parallel:.1f} s ({full / parallel:.1f} times as fast)",
            "same bytes as the full build",
            same,
        ),
        Row("plain MkDocs build of the generated tree (no hooks)", f"{base:.1f} s"),
        Row("added by the hooks (full - plain; below 0: they save more)", f"{added:.1f} s"),
        Row(
            "the generator (load, validate, render, write), share of the plain build",
            f"{generator:.1f} s ({100 * generator / base:.0f} %; {100 * generator / full:.0f} % of the full build)",
            "<= 10 %",
            100 * generator / base <= TARGETS["generator"],
        ),
        Row("Pagefind indexing, share of the plain build", f"{index:.1f} s ({100 * index / base:.0f} %)"),
        Row("one-language preview (BUILD_ONLY_LOCALE=en)", f"{preview:.1f} s", "<= 3 s", preview <= TARGETS["preview"]),
        Row(
            f"the {len(pdfs)} PDFs (full build with them - without)",
            f"{with_pdfs - full:.1f} s (+{100 * (with_pdfs - full) / full:.0f} %), "
            f"{sum(p.stat().st_size for p in pdfs) / 1e6:.1f} MB",
        ),
        Row("site size (without the PDFs)", f"{size / 1e6:.1f} MB in {files} files"),
        page_view,
        search,
        *weights,
    ]


# The project copies


def copy_project(dest: Path) -> Path:
    for part in PROJECT_PARTS:
        src, target = ROOT / part, dest / part
        if src.is_dir():
            shutil.copytree(src, target, ignore=shutil.ignore_patterns("__pycache__", "*.md", ".generated"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    return dest


def plain_project(project: Path, dest: Path) -> Path:
    """The generated Markdown tree with a configuration that has the same theme, languages and navigation (from
    the navigation data of `programme-guide generate`), and no hooks."""
    docs = dest / "docs"
    run([sys.executable, "-m", "programme_guide.cli", "--data", str(project / "data"), "generate", str(docs)])
    shutil.copytree(project / "docs" / "assets", docs / "assets")
    # Material has no Irish or Maltese interface texts; the project's overrides supply them (and need hooks).
    shutil.copytree(project / "overrides" / "partials" / "languages", dest / "theme" / "partials" / "languages")
    config = load_config(project / "mkdocs.yml")
    config.pop("hooks", None)
    config["theme"]["custom_dir"] = "theme"
    source = next(language["locale"] for language in _i18n(config)["languages"] if language.get("default"))
    config["nav"] = read_navigation(docs, source)
    for language in _i18n(config)["languages"]:
        titles = section_titles(read_navigation(docs, language["locale"]))
        language["nav_translations"] = dict(zip(section_titles(config["nav"]), titles, strict=True))
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    return dest


def _i18n(config: dict) -> dict:
    return next(plugin["i18n"] for plugin in config["plugins"] if isinstance(plugin, dict) and "i18n" in plugin)


def load_config(path: Path) -> dict:
    """mkdocs.yml as plain data: `!ENV [NAME, default]` becomes the variable's value or the default."""

    class Loader(yaml.SafeLoader):
        pass

    def env(loader: yaml.SafeLoader, node: yaml.Node):
        values = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [node.value]
        names, default = (values[:-1], values[-1]) if len(values) > 1 else (values, None)
        return next((os.environ[name] for name in names if name in os.environ), default)

    Loader.add_constructor("!ENV", env)
    return yaml.load(path.read_text("utf-8"), Loader=Loader)  # noqa: S506 - a SafeLoader subclass


# Timed steps


def say(text: str) -> None:
    print(f"... {text}", file=sys.stderr, flush=True)


def median_time(runs: int, step) -> float:
    times = []
    for i in range(runs):
        start = time.perf_counter()
        step(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def build_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "BUILD_ONLY_LOCALE"}
    env.update(NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1767225600", **extra)
    return env


def run(command: list[str], cwd: Path | None = None, **env: str) -> None:
    result = subprocess.run(command, cwd=cwd, env=build_env(**env), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr[-3000:]}")


def mkdocs(project: Path, site: Path, **env: str) -> None:
    run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)], cwd=project, **env)


def parallel_build(project: Path, site: Path, **env: str) -> None:
    command = [sys.executable, "-m", "programme_guide.cli", "--data", str(project / "data"), "build"]
    run([*command, "--site-dir", str(site)], cwd=project, **env)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


GENERATOR = """
import sys, time
from pathlib import Path
import jinja2, markdown, yaml  # loaded by MkDocs before the hook runs
start = time.perf_counter()
from programme_guide.generate import generate
generate(Path(sys.argv[1]), Path(sys.argv[2]))
print(time.perf_counter() - start)
"""


def generator_time(data: Path, out: Path) -> float:
    """Seconds the generator takes inside a build: import the engine, load and validate data/, write the tree."""
    command = [sys.executable, "-c", GENERATOR, str(data), str(out)]
    result = subprocess.run(command, env=build_env(), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"failed: the generator\n{result.stderr[-3000:]}")
    return float(result.stdout.strip())


def pagefind(site: Path, copy: Path) -> None:
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("pagefind"))
    index_search(copy)


def site_size(site: Path) -> tuple[int, int]:
    files = [p for p in site.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


# What a reader downloads


def transfers(site: Path, pages: tuple[str, ...] = PAGES, searches=SEARCHES) -> tuple[Row, Row]:
    try:
        from playwright.sync_api import sync_playwright  # noqa: F401
    except ImportError:
        browser = False
    else:
        browser = Path(CHROMIUM).exists()
    if not browser:
        url, view = max(((url, static_page_view(site, url)) for url in pages), key=lambda item: item[1].total)
        page = Row(f"first page view, /{url} (from its HTML; no browser)", str(view), "< 150 KB", view.total < 150_000)
        return page, Row("first search", "n/a (needs Playwright and Chromium)", "< 100 KB")
    with serve(site) as base:
        views, found_by = browse(site, base, pages, searches)
    url, view = max(views.items(), key=lambda item: item[1].total)
    what = f"first page view, heaviest of {len(views)} pages (/{url})"
    page = Row(what, str(view), "< 150 KB", view.total < TARGETS["page_view"])
    if not (site / "pagefind").is_dir():
        return page, Row("first search", "n/a (the site has no Pagefind index)", "< 100 KB")
    (lang, query), found = max(found_by.items(), key=lambda item: item[1].total)
    what = f"first search, '{query}' on /{lang}"
    return page, Row(what, str(found), "< 100 KB", found.total < TARGETS["search"])


def kind_weights(site: Path) -> list[Row]:
    """A first page view of each kind of page (Dutch), in the light and the dark colour scheme."""
    from playwright.sync_api import sync_playwright

    rows = []
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for kind, url in KINDS.items():
            light = _visit(browser, site, base, url)[0]
            dark = _visit(browser, site, base, url, scheme="dark")[0]
            # the favicon (images) is fetched whenever the browser gets to it: left out of the difference
            extra = sum(v for k, v in dark.kinds.items() if k != "images") - sum(
                v for k, v in light.kinds.items() if k != "images"
            )
            value = f"{light}; dark scheme {'+' if extra >= 0 else ''}{kib(extra)}"
            rows.append(Row(f"first page view, {kind} (/{url})", value, "< 150 KB", dark.total < TARGETS["page_view"]))
        browser.close()
    return rows


def kib(size: int) -> str:
    return f"{size / 1000:.0f} KB"


def compressed_size(path: Path) -> int:
    """Bytes on the wire: text types gzip-compressed (level 6), others as they are."""
    data = path.read_bytes()
    if path.suffix in COMPRESSIBLE or path.name.endswith(".html"):
        return len(gzip.compress(data, compresslevel=6, mtime=0))
    return len(data)


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def browse(
    site: Path, base: str, pages: tuple[str, ...] = PAGES, queries=SEARCHES
) -> tuple[dict[str, Transfer], dict[tuple[str, str], Transfer]]:
    """Bytes of a first page view per page, and of a first search per (page, query), each with an empty cache."""
    from playwright.sync_api import sync_playwright

    views: dict[str, Transfer] = {}
    searches: dict[tuple[str, str], Transfer] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for url in pages:
            views[url] = _visit(browser, site, base, url)[0]
        for url, query in queries:
            searches[(url, query)] = _visit(browser, site, base, url, query)[1]
        browser.close()
    return views, searches


def _visit(
    browser, site: Path, base: str, url: str, query: str = "", scheme: str = "light"
) -> tuple[Transfer, Transfer]:
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(base + url, wait_until="networkidle")
    view = _bytes(site, base, requested)
    searched = Transfer()
    if query:
        requested.clear()
        page.fill("#pg-search-input", query)
        page.wait_for_selector(f".md-search-result__list[data-query='{query}']", timeout=30_000)
        page.wait_for_load_state("networkidle")
        searched = _bytes(site, base, requested)
    context.close()
    return view, searched


def _bytes(site: Path, base: str, urls: list[str]) -> Transfer:
    transfer = Transfer()
    for url in dict.fromkeys(urls):
        if not url.startswith(base):
            continue
        path = site / unquote(urlsplit(url).path).lstrip("/")
        if path.is_dir():
            path = path / "index.html"
        if path.is_file():
            transfer.add(path)
    return transfer


@dataclass
class Transfer:
    """Compressed bytes of the files a browser fetched, by kind."""

    kinds: dict[str, int] = field(default_factory=dict)
    files: dict[str, int] = field(default_factory=dict)

    def add(self, path: Path) -> None:
        kind = _kind(path)
        self.kinds[kind] = self.kinds.get(kind, 0) + compressed_size(path)
        self.files[kind] = self.files.get(kind, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.kinds.values())

    def __str__(self) -> str:
        parts = [
            f"{kind} {kib(size)}" + (f" in {self.files[kind]}" if self.files[kind] > 1 else "")
            for kind, size in sorted(self.kinds.items(), key=lambda item: -item[1])
        ]
        return f"{kib(self.total)} ({', '.join(parts)})"


def _kind(path: Path) -> str:
    name = path.name
    if name.endswith(".pf_fragment"):
        return "result fragments"
    if name.endswith(".pf_index"):
        return "index chunks"
    if name.endswith(".pf_meta") or name == "pagefind-entry.json":
        return "index metadata"
    if name.endswith(".pagefind"):
        return "WebAssembly"
    return {".html": "HTML", ".css": "CSS", ".js": "JS", ".mjs": "JS", ".svg": "images", ".png": "images"}.get(
        path.suffix, path.suffix.lstrip(".") or "other"
    )


def static_page_view(site: Path, url: str) -> Transfer:
    """Without a browser: the page plus the stylesheets, scripts, images and icons its HTML references."""
    page = site / url / "index.html"
    parser = _References()
    parser.feed(page.read_text("utf-8"))
    base = "http://site.invalid/" + url
    urls = ["http://site.invalid/" + url, *(urljoin(base, ref) for ref in parser.references)]
    return _bytes(site, "http://site.invalid/", urls)


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.references: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        rel = values.get("rel", "")
        if (tag == "link" and ("stylesheet" in rel or "icon" in rel)) or tag in ("script", "img"):
            reference = values.get("href") or values.get("src")
            if reference:
                self.references.append(reference)


# The report


def report(rows: list[Row], runs: int) -> str:
    cores = os.cpu_count()
    machine = f"{platform.system()} {platform.machine()}, {cores} cores, Python {platform.python_version()}"
    lines = [
        f"Build benchmark, median of {runs} runs ({machine})",
        "",
        "| measurement | result | target | met |",
        "|---|---|---|---|",
    ]
    for row in rows:
        met = "" if row.met is None else ("yes" if row.met else "**no**")
        lines.append(f"| {row.what} | {row.value} | {row.target} | {met} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
