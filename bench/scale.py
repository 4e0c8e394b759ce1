"""Scale benchmark: how the build and the pages grow when the guide holds N times as many actions.

    python bench/scale.py --factor 1 10 50

For each N it makes a temporary copy of the project whose data holds every action N times: the original
and N - 1 copies under new ids (`<id>-copy2`, `<id>-copy3`, ...), in the same family, with the same facts
and the same Dutch texts and translations (the translations keep their fingerprints, as the Dutch text
they were made from is the same). The data is edited as text, so the files keep today's format, and
`programme-guide check` must accept it. Nothing is written inside the project.

Per N it measures, one run each:

- actions and Dutch texts in the data;
- `programme-guide check`;
- the one-language preview (`BUILD_ONLY_LOCALE=en mkdocs build --strict`), the first in the new copy (it
  writes the Dutch pages the navigation names too), and again after an edit to en.yml (a translator's next
  preview);
- the full build of 24 languages (`mkdocs build --strict`, all hooks, Pagefind included), with its CPU time
  (user + system, which other work on the machine inflates less than the wall time), the peak
  memory of its process tree (the sum of the resident sizes of the build and its child processes, sampled
  from /proc every 0.1 s) and the time per HTML page;
- the same site built by `programme-guide build` (the languages in parallel processes, one per CPU, merged:
  the same bytes, which is checked), with the same figures; ``--parallel-only`` skips the sequential build.
  The time targets are checked on the faster of the two, the memory target on `programme-guide build`, the
  build that publishes the site (`programme-guide publish`);
- HTML pages and size of the built site, the Dutch home page and a Dutch fact sheet;
- the bytes of a first page view (heaviest of the pages in PAGES) and of a first search, gzip-compressed,
  in headless Chromium (bench/build.py).

Then it prints the table and whether the targets of issue 14 are met.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from build import PAGES, SEARCHES, Row, build_env, copy_project, kib, say, transfers

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from helpers import scale_data  # the same data as tests/test_scale.py

FACT_SHEET = "key-action-2/partnerships-for-cooperation/cooperation-partnerships/"
SCALE_PAGES = (*PAGES, "key-action-2/compare/", FACT_SHEET, f"en/{FACT_SHEET}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factor", type=int, nargs="+", default=[1, 10], help="how many times each action (1 10 50)")
    parser.add_argument(
        "--preview-only",
        action="store_true",
        help="skip the full build; measure pages, sizes and transfers on the English preview instead",
    )
    parser.add_argument(
        "--parallel-only", action="store_true", help="build the full site with `programme-guide build` only"
    )
    parser.add_argument("--keep", metavar="DIR", help="keep the scaled projects and sites in DIR")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="programme-guide-scale-") as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        for factor in sorted(set(args.factor)):
            results.append(
                measure(work / f"x{factor}", factor, args.preview_only, args.parallel_only, keep=bool(args.keep))
            )
            print(table(results), file=sys.stderr, flush=True)
    print(report(results, args.preview_only))
    return 0


def counts(data: Path) -> tuple[int, int]:
    guide = yaml.safe_load((data / "guide.yml").read_text("utf-8"))
    dutch = yaml.safe_load((data / "locales" / "nl.yml").read_text("utf-8"))
    return len(guide["actions"]), len(dutch["strings"])


# The measurements


@dataclass
class Result:
    factor: int
    actions: int
    texts: int
    check: float
    preview: float
    preview_again: float
    full: float | None
    full_cpu: float | None
    parallel: float | None
    parallel_cpu: float | None
    memory: int  # the preview's, or the parallel build's peak
    full_memory: int | None  # the sequential build's peak
    pages: int
    site: int
    home: int
    fact_sheet: int
    page_view: Row | None
    search: Row | None

    @property
    def fastest(self) -> float | None:
        """The faster full build's time (sequential or parallel, whichever ran and was faster)."""
        times = [t for t in (self.full, self.parallel) if t is not None]
        return min(times) if times else None

    @property
    def per_page(self) -> float | None:
        return None if self.fastest is None else self.fastest / self.pages


def measure(
    work: Path, factor: int, preview_only: bool = False, parallel_only: bool = False, keep: bool = False
) -> Result:
    say(f"{factor}x: copying the project and scaling the data")
    project = copy_project(work / "project")
    scale_data(project / "data", factor)
    actions, texts = counts(project / "data")
    say(f"{factor}x: programme-guide check ({actions} actions)")
    check_command = [sys.executable, "-m", "programme_guide.cli", "--data", str(project / "data"), "check"]
    check, _, _ = timed(check_command, project)
    say(f"{factor}x: one-language preview")
    preview, _, memory = timed(mkdocs_command(work / "preview"), project, BUILD_ONLY_LOCALE="en")
    say(f"{factor}x: one-language preview again, after an edit to en.yml")
    with (project / "data" / "locales" / "en.yml").open("a", encoding="utf-8") as locale:
        locale.write("# edited\n")
    preview_again, _, _ = timed(mkdocs_command(work / "preview"), project, BUILD_ONLY_LOCALE="en")
    full = full_cpu = parallel = parallel_cpu = None
    if preview_only:
        # The English preview puts English at the root of the site.
        site, pages, searches = (
            work / "preview",
            ("", "key-action-2/", "key-action-2/compare/", FACT_SHEET),
            (("", "partnerships"),),
        )
    else:
        shutil.rmtree(work / "preview")
        site, pages, searches = work / "site", SCALE_PAGES, SEARCHES
        sequential_memory = None
        if not parallel_only:
            say(f"{factor}x: full build")
            full, full_cpu, sequential_memory = timed(mkdocs_command(work / "sequential"), project)
        say(f"{factor}x: full build, parallel")
        parallel, parallel_cpu, parallel_memory = timed(parallel_command(project, site), project)
        memory = parallel_memory
        if not parallel_only:
            sequential = work / "sequential"
            if tree_digest(sequential) != tree_digest(site):
                sys.exit(f"{factor}x: the parallel build differs from the sequential build")
            shutil.rmtree(sequential)
    html = list(site.rglob("*.html"))
    files = [p for p in site.rglob("*") if p.is_file()]
    say(f"{factor}x: transfers")
    page_view, search = transfers(site, pages, searches)
    result = Result(
        factor=factor,
        actions=actions,
        texts=texts,
        check=check,
        preview=preview,
        preview_again=preview_again,
        full=full,
        full_cpu=full_cpu,
        parallel=parallel,
        parallel_cpu=parallel_cpu,
        memory=memory,
        full_memory=None if preview_only else sequential_memory,
        pages=len(html),
        site=sum(p.stat().st_size for p in files),
        home=(site / "index.html").stat().st_size,
        fact_sheet=(site / FACT_SHEET / "index.html").stat().st_size,
        page_view=page_view,
        search=search,
    )
    if not keep:
        shutil.rmtree(work)
    return result


def mkdocs_command(site: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]


def parallel_command(project: Path, site: Path) -> list[str]:
    cli = [sys.executable, "-m", "programme_guide.cli", "--data", str(project / "data")]
    return [*cli, "build", "--site-dir", str(site)]


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


def timed(command: list[str], cwd: Path, **env: str) -> tuple[float, float, int]:
    """Seconds the command takes, the CPU seconds of its process tree (user + system; less affected than the
    wall time by other work on the machine) and the peak resident memory of its process tree, in bytes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=build_env(**env), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    peak = [0]
    sampler = threading.Thread(target=_sample, args=(process, peak), daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    sampler.join()
    if process.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{stderr[-3000:]}")
    return elapsed, cpu, peak[0]


def _sample(process: subprocess.Popen, peak: list[int]) -> None:
    while process.poll() is None:
        peak[0] = max(peak[0], tree_rss(process.pid))
        time.sleep(0.1)


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (Linux /proc; 0 elsewhere)."""
    total = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
        match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        total += int(match[1]) * 1024 if match else 0
    return total


# The report


def size(value: int) -> str:
    if value >= 1e9:
        return f"{value / 1e9:.2f} GB"
    return f"{value / 1e6:.0f} MB" if value >= 1e6 else kib(value)


def table(results: list[Result]) -> str:
    lines = [
        "| | " + " | ".join(f"{r.factor}x" for r in results) + " |",
        "|---|" + "---|" * len(results),
    ]
    rows = {
        "actions / Dutch texts": lambda r: f"{r.actions} / {r.texts}",
        "`programme-guide check`": lambda r: f"{r.check:.1f} s",
        "one-language preview (en)": lambda r: f"{r.preview:.1f} s",
        "the same again, after an edit to en.yml": lambda r: f"{r.preview_again:.1f} s",
        "full build, 24 languages": lambda r: "-" if r.full is None else f"{r.full:.0f} s",
        "full build, CPU time (user + system)": lambda r: "-" if r.full_cpu is None else f"{r.full_cpu:.0f} s",
        f"parallel build ({os.cpu_count()} processes)": lambda r: "-" if r.parallel is None else f"{r.parallel:.0f} s",
        "parallel build, CPU time": lambda r: "-" if r.parallel_cpu is None else f"{r.parallel_cpu:.0f} s",
        "time per HTML page": lambda r: "-" if r.per_page is None else f"{1000 * r.per_page:.0f} ms",
        "peak memory, full build (process tree)": lambda r: "-" if r.full_memory is None else size(r.full_memory),
        "peak memory, parallel build (process tree)": lambda r: size(r.memory),
        "HTML pages": lambda r: f"{r.pages:,}",
        "site size": lambda r: size(r.site),
        "home page HTML": lambda r: kib(r.home),
        "fact sheet HTML": lambda r: kib(r.fact_sheet),
        "first page view (heaviest page, gzip)": lambda r: _transfer(r.page_view),
        "first search (gzip)": lambda r: _transfer(r.search),
    }
    for what, cell in rows.items():
        lines.append(f"| {what} | " + " | ".join(cell(r) for r in results) + " |")
    return "\n".join(lines)


def _transfer(row: Row | None) -> str:
    if row is None:
        return "n/a"
    page = re.search(r"/([^ )]*)\)?$", row.what)
    total = row.value.split(" (")[0]
    return f"{total} (/{page[1]})" if page else total


def targets(results: list[Result]) -> list[tuple[str, str, bool]]:
    """(target, measured, met) for each target of issue 14 whose factors were measured."""
    by = {r.factor: r for r in results}
    out = []
    if 10 in by and by[10].fastest is not None:
        out.append(("10x: full build <= 60 s", f"{by[10].fastest:.0f} s", by[10].fastest <= 60))
    if 10 in by:
        out.append(("10x: one-language preview <= 3 s", f"{by[10].preview:.1f} s", by[10].preview <= 3))
    if 50 in by and by[50].fastest is not None:
        out.append(("50x: full build <= 300 s", f"{by[50].fastest:.0f} s", by[50].fastest <= 300))
        out.append(("50x: peak memory < 1 GB (parallel build)", size(by[50].memory), by[50].memory < 1e9))
    if 50 in by and by[50].page_view is not None:
        view = by[50].page_view
        out.append(("50x: first page view < 150 KB", view.value.split(" (")[0], bool(view.met)))
    if 1 in by and len(by) > 1:
        top = by[max(by)]
        if top.per_page is not None and by[1].per_page is not None:
            growth = top.per_page / by[1].per_page - 1
            what = f"time per page flat 1x -> {top.factor}x (within 20 %)"
            measured = f"{1000 * by[1].per_page:.0f} -> {1000 * top.per_page:.0f} ms ({growth:+.0%})"
            out.append((what, measured, growth <= 0.2))
        growth = top.fact_sheet / by[1].fact_sheet - 1
        what = f"fact sheet HTML grows <= 20 % 1x -> {top.factor}x"
        measured = f"{kib(by[1].fact_sheet)} -> {kib(top.fact_sheet)} ({growth:+.0%})"
        out.append((what, measured, growth <= 0.2))
    return out


def reference_seconds() -> float:
    """A fixed pure-Python workload, timed: how fast this machine runs Python, to compare runs on other machines
    (the same machine kind has been seen 2.5 times slower at times)."""
    start = time.perf_counter()
    sum(i * i % 7 for i in range(5_000_000))
    return time.perf_counter() - start


def report(results: list[Result], preview_only: bool = False) -> str:
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    speed = f"a reference Python loop {reference_seconds():.2f} s"
    lines = [
        f"Scale benchmark, one run per measurement ({machine}; {speed}; load average at the end {load})",
        *(
            ["Pages, sizes, memory and transfers are those of the English preview (--preview-only)."]
            if preview_only
            else []
        ),
        "",
        table(results),
        "",
        "| target | measured | met |",
        "|---|---|---|",
    ]
    lines += [f"| {what} | {measured} | {'met' if met else 'not met'} |" for what, measured, met in targets(results)]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
