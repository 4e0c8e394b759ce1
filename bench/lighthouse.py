"""Lighthouse benchmark: performance, accessibility, best practices and SEO of the Key Action 2 pages.

    python bench/lighthouse.py [--site DIR] [--runs N] [--reports DIR]

It builds the full site in a temporary copy of the project, dated today as the nightly Pages build is, or
takes an already built site with --site (its deadline statuses are then recomputed by the reader's clock,
which may move content after the first paint). It serves the site on 127.0.0.1 under its path prefix
(`/programme-guide/`, from `site_url`) as a static host does: text responses gzip-compressed, and
`Cache-Control: max-age=600` as GitHub Pages sends it. Then it runs Lighthouse (npm `lighthouse`, pinned
below, installed into the git-ignored `.cache/` on first use; Chromium from CHROME_PATH, default
/usr/bin/chromium) on the Key Action 2 overview and the Cooperation Partnerships fact sheet in Dutch, Greek
and Irish, with Lighthouse's mobile and desktop presets, and prints the scores (the median of N runs,
default 1) against the targets of issue 10, followed by every audit that lost points.

Lighthouse's mobile preset simulates a mid-range phone (4x slower CPU, slow 4G) from a trace of the real page
load: on a busy machine the trace is slower and the performance score lower. The report gives Lighthouse's
benchmark index of the machine during the runs (Lighthouse's CPU-throttling calculator takes an index of
about 1500 for its default 4x slowdown); --cpu-slowdown sets another factor. The other scores do not depend
on load.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import gzip
import http.server
import json
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
from pathlib import Path
from urllib.parse import urlsplit

from build import ROOT, build_env, copy_project, say

LIGHTHOUSE_VERSION = "12.8.2"
LIGHTHOUSE_DIR = ROOT / ".cache" / f"lighthouse-{LIGHTHOUSE_VERSION}"
LIGHTHOUSE_CLI = LIGHTHOUSE_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
LANGUAGES = ("nl", "el", "ga")
PAGES = {
    "overview": "key-action-2/",
    "fact sheet": "key-action-2/partnerships-for-cooperation/cooperation-partnerships/",
}
PRESETS = ("mobile", "desktop")
CATEGORIES = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".ics", ".webmanifest"}
CACHE_CONTROL = "max-age=600"  # what GitHub Pages sends with every file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build one in a temporary folder)")
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page and preset (median; default 1)")
    parser.add_argument("--reports", type=Path, help="also keep each run's Lighthouse report (JSON and HTML) here")
    parser.add_argument("--lang", nargs="+", default=list(LANGUAGES), help="languages (default: nl el ga)")
    parser.add_argument("--preset", nargs="+", choices=PRESETS, default=list(PRESETS), help="default: both")
    parser.add_argument("--cpu-slowdown", type=float, help="CPU slowdown of the mobile preset (Lighthouse: 4)")
    args = parser.parse_args(argv)
    cli = lighthouse_cli()
    with tempfile.TemporaryDirectory(prefix="programme-guide-lighthouse-") as tmp:
        site = args.site or build(Path(tmp))
        reports = args.reports or Path(tmp) / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        with serve(site) as base:
            results = [
                measure(cli, base, lang, name, preset, args.runs, reports, args.cpu_slowdown)
                for lang in args.lang
                for name in PAGES
                for preset in args.preset
            ]
    print(report(results, args.runs, args.cpu_slowdown))
    return 0 if all(met(r["scores"]) for r in results) else 1


# The site and its server


def build(tmp: Path) -> Path:
    say("full build")
    project = copy_project(tmp / "project")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp / "site")]
    env = {**build_env(), "SOURCE_DATE_EPOCH": str(int(time.time()))}
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"the build failed:\n{result.stderr[-3000:]}")
    return tmp / "site"


def path_prefix(site: Path) -> str:
    """The path the site is published under, from the home page's canonical URL ('/programme-guide/')."""
    head = (site / "index.html").read_text("utf-8").split("</head>", 1)[0]
    start = head.index('rel="canonical" href="') + len('rel="canonical" href="')
    return urlsplit(head[start : head.index('"', start)]).path


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` under its path prefix on 127.0.0.1 with compression; yield the home page's URL."""
    prefix = path_prefix(site)

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(site), **kwargs)

        def translate_path(self, path):
            inside = path.startswith(prefix)
            return super().translate_path("/" + path[len(prefix) :] if inside else "/__outside__/")

        def send_head(self):
            path = Path(self.translate_path(self.path.split("?", 1)[0]))
            if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
                path = path / "index.html"
            gzipped = "gzip" in self.headers.get("Accept-Encoding", "")
            if not (gzipped and path.is_file() and path.suffix in COMPRESSIBLE):
                return super().send_head()
            body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Vary", "Accept-Encoding")
            self.end_headers()
            return _Body(body)

        def end_headers(self):
            self.send_header("Cache-Control", CACHE_CONTROL)
            super().end_headers()

        def log_message(self, format, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


class _Body:
    """A file-like body for SimpleHTTPRequestHandler.copyfile."""

    def __init__(self, data: bytes):
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = (self.data, b"") if size < 0 else (self.data[:size], self.data[size:])
        return data

    def close(self) -> None:
        pass


# Lighthouse


def lighthouse_cli() -> Path:
    """Lighthouse's command line (npm lighthouse, pinned), installed into .cache/ on first use."""
    if not LIGHTHOUSE_CLI.exists():
        npm = shutil.which("npm")
        if npm is None:
            sys.exit(f"npm is needed once to install lighthouse@{LIGHTHOUSE_VERSION} into {LIGHTHOUSE_DIR}")
        say(f"installing lighthouse@{LIGHTHOUSE_VERSION} into {LIGHTHOUSE_DIR}")
        command = [npm, "install", "--prefix", str(LIGHTHOUSE_DIR), "--no-audit", "--no-fund", "--ignore-scripts"]
        subprocess.run([*command, f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True, capture_output=True)
    if not Path(CHROME).exists():
        sys.exit(f"Chromium not found at {CHROME} (set CHROME_PATH; Debian: apt-get install chromium)")
    return LIGHTHOUSE_CLI


def measure(
    cli: Path, base: str, lang: str, name: str, preset: str, runs: int, reports: Path, slowdown: float | None
) -> dict:
    url = base + ("" if lang == "nl" else f"{lang}/") + PAGES[name]
    runs_done = []
    for run in range(runs):
        say(f"lighthouse {preset} {url} ({run + 1}/{runs})")
        out = reports / f"{lang}-{name.replace(' ', '-')}-{preset}-{run + 1}"
        lighthouse(cli, url, preset, out, slowdown)
        runs_done.append(json.loads(out.with_suffix(".report.json").read_text("utf-8")))
    scores = {
        category: round(100 * statistics.median(r["categories"][category]["score"] for r in runs_done))
        for category in CATEGORIES
    }
    return {
        "lang": lang,
        "page": name,
        "preset": preset,
        "scores": scores,
        "benchmark": statistics.median(r["environment"]["benchmarkIndex"] for r in runs_done),
        "lost": lost_points(runs_done[-1]),
    }


def lighthouse(cli: Path, url: str, preset: str, out: Path, slowdown: float | None) -> None:
    command = [
        "node",
        str(cli),
        url,
        "--quiet",
        "--output=json",
        "--output=html",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    elif slowdown is not None:
        command.append(f"--throttling.cpuSlowdownMultiplier={slowdown}")
    result = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROME}, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"Lighthouse failed on {url} ({preset}):\n{result.stderr[-3000:]}")


def lost_points(result: dict) -> list[str]:
    """Every audit of the measured categories that did not pass, as 'category: id (score): title - value'."""
    lines = []
    for category in CATEGORIES:
        for ref in result["categories"][category]["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if audit["scoreDisplayMode"] not in ("binary", "numeric", "metricSavings") or audit["score"] in (None, 1):
                continue
            value = f" - {audit['displayValue']}" if audit.get("displayValue") else ""
            lines.append(f"{category}: {ref['id']} ({audit['score']:.2f}, weight {ref['weight']}){value}")
    return lines


# The report


def met(scores: dict[str, int]) -> bool:
    return all(scores[category] >= target for category, target in CATEGORIES.items())


def report(results: list[dict], runs: int, slowdown: float | None) -> str:
    today = datetime.date.today().isoformat()
    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}"
    cpu = f"; mobile CPU slowdown {slowdown:g}" if slowdown is not None else ""
    lines = [
        f"Lighthouse {LIGHTHOUSE_VERSION}, {today}, {machine}; median of {runs} run(s){cpu}; gzip, {CACHE_CONTROL}",
        "",
        "| page | preset | performance | accessibility | best practices | SEO | benchmark index | targets met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        s = r["scores"]
        cells = " | ".join(str(s[category]) for category in CATEGORIES)
        met_text = "yes" if met(s) else "**no**"
        lines.append(f"| {r['lang']} {r['page']} | {r['preset']} | {cells} | {r['benchmark']:.0f} | {met_text} |")
    targets = ", ".join(f"{category} >= {target}" for category, target in CATEGORIES.items())
    lines += ["", f"targets: {targets}"]
    for r in results:
        if r["lost"]:
            lines += ["", f"{r['lang']} {r['page']} ({r['preset']}), audits that lost points:"]
            lines += [f"  {line}" for line in r["lost"]]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
