"""`programme-guide build`: build the site's languages in parallel processes, merge them, finish the site.

mkdocs-static-i18n builds one language after the other in one process, so a full build takes the time of
one language times the number of languages. This command runs several `mkdocs build --strict` processes side
by side (``--jobs``, default one per CPU), each for a share of the languages (hooks/passes.py, through the
environment variable PROGRAMME_GUIDE_PASSES), each into a folder of its own. Every process also builds the
source language at the site root: the plugin's first pass, which the other passes need. A process's memory
grows with every language it builds, so a share holds at most ``--languages-per-process`` languages (default
6); with more shares than processes, the next share starts as one ends.

The folders are then merged into one site. A file lies either in one language's folder, written by one
process, or at the site root, where every process writes the same bytes (the source language's pages, the
assets, the sitemap, the open-data schema); a file that two processes wrote differently stops the build.
Last come the finish steps that need every language at once (:data:`programme_guide.finish.SITE_STEPS`: the
Pagefind index). The result is byte for byte the site one `mkdocs build` writes (tests/test_parallel.py).

All processes date the build the same: SOURCE_DATE_EPOCH, else the time of the commit that holds mkdocs.yml,
else the newest file of mkdocs.yml and data/ (what hooks/reproducible.py does in a single build).

``--merge PART...`` skips the build and merges folders built elsewhere, for a CI matrix that spreads the
languages over machines: each job runs ``PROGRAMME_GUIDE_PASSES=<codes> mkdocs build --strict --site-dir
<part>`` and a last job runs ``programme-guide build --merge <part>... --site-dir site``.

MkDocs runs as separate processes; this module imports nothing from it.
"""

from __future__ import annotations

import argparse
import contextlib
import filecmp
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .deadlines import commit_time
from .errors import UsageError
from .finish import finish_merged
from .model import load_guide

PASSES = "PROGRAMME_GUIDE_PASSES"  # read by hooks/passes.py
LANGUAGES_PER_PROCESS = 6  # a process's memory grows with each language pass (some 20 MB each at 50x)
DATE = "SOURCE_DATE_EPOCH"


class BuildError(Exception):
    """A build process failed, or two processes wrote the same file differently; the message says which."""


@dataclass(frozen=True)
class Share:
    """The languages one build process makes after the source language, and its output folder."""

    languages: tuple[str, ...]
    folder: Path


def shares(languages: Sequence[str], jobs: int, size: int | None = None) -> list[tuple[str, ...]]:
    """Split ``languages`` (the site's languages but the source) into ``jobs`` shares of nearly equal size, or
    more if a share would hold more than ``size`` languages, keeping the site's order within each; at least one
    share (empty: the source language only)."""
    count = max(jobs, -(-len(languages) // size) if size else 1)
    count = max(1, min(count, len(languages)))
    return [tuple(languages[i::count]) for i in range(count)]


def build(
    data_dir: Path,
    site: Path,
    jobs: int | None = None,
    languages: Sequence[str] | None = None,
    say: Callable[[str], None] = print,
    per_process: int | None = LANGUAGES_PER_PROCESS,
) -> None:
    """Build the site of the project that holds ``data_dir`` into ``site``: every language of
    data/languages.yml, or the source language and ``languages``; ``jobs`` processes at a time (default one per
    CPU), each for at most ``per_process`` languages besides the source (None: no limit)."""
    root = data_dir.resolve().parent
    config = root / "mkdocs.yml"
    if not config.is_file():
        raise UsageError(f"{config}: not found; run the command in the project folder or pass --data")
    guide = load_guide(data_dir)
    unknown = [code for code in languages or () if code not in guide.language_codes]
    if unknown:
        configured = ", ".join(guide.language_codes)
        raise UsageError(f"unknown language: {', '.join(unknown)}; configured: {configured}")
    if jobs is not None and jobs < 1:
        raise UsageError(f"--jobs {jobs}: give at least one process")
    if per_process is not None and per_process < 1:
        raise UsageError(f"--languages-per-process {per_process}: give at least one language")
    others = [
        code for code in guide.language_codes if code != guide.source_language and (not languages or code in languages)
    ]
    environment = build_environment(root)
    with parts_folder(site) as parts:
        jobs = jobs or os.cpu_count() or 1
        plan = [Share(share, parts / f"part-{n}") for n, share in enumerate(shares(others, jobs, per_process))]
        run_shares(config, plan, environment, say, jobs)
        merge([share.folder for share in plan], site, say)
    finish_merged(site, say)


def build_environment(root: Path) -> dict[str, str]:
    """The environment of every build process: the same build date for all, no one-language preview."""
    environment = {name: value for name, value in os.environ.items() if name not in ("BUILD_ONLY_LOCALE", PASSES)}
    environment.setdefault("NO_MKDOCS_2_WARNING", "1")
    if not environment.get(DATE, "").strip():
        environment[DATE] = str(commit_time(root) or _newest_input_time(root))
    os.environ[DATE] = environment[DATE]  # the finish steps in this process date the same way
    return environment


def _newest_input_time(root: Path) -> int:
    inputs = [root / "mkdocs.yml", *sorted((root / "data").rglob("*"))]
    return max(int(path.stat().st_mtime) for path in inputs if path.is_file())


@contextlib.contextmanager
def parts_folder(site: Path) -> Iterator[Path]:
    """A temporary folder beside ``site`` (the same file system, so merging moves files instead of copying)."""
    site.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=".programme-guide-build-", dir=site.parent))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_shares(
    config: Path, plan: list[Share], environment: dict[str, str], say: Callable[[str], None], jobs: int | None = None
) -> None:
    """Run one `mkdocs build --strict` per share, ``jobs`` at a time (default: all at once), each started as
    another ends; stop them all when one fails."""
    pending = list(plan)
    running: list[tuple[Share, subprocess.Popen, object]] = []
    start = time.monotonic()
    failed = None
    try:
        while failed is None and (pending or running):
            while pending and len(running) < (jobs or len(plan)):
                running.append(_start_share(config, pending.pop(0), environment))
            time.sleep(0.05)
            for item in [item for item in running if item[1].poll() is not None]:
                share, process, log = item
                running.remove(item)
                log.close()
                if process.returncode != 0:
                    failed = share
                    break
                what = ", ".join(share.languages) or "no other language"
                say(f"built the source language and {what} in {time.monotonic() - start:.1f} s")
        if failed is not None:
            tail = "\n".join(failed.folder.with_suffix(".log").read_text("utf-8").strip().splitlines()[-20:])
            raise BuildError(
                f"the strict build of {', '.join(failed.languages) or 'the source language'} failed:\n{tail}"
            )
    finally:
        for _, process, log in running:
            if process.poll() is None:
                process.terminate()
            process.wait()
            log.close()


def _start_share(config: Path, share: Share, environment: dict[str, str]) -> tuple[Share, subprocess.Popen, object]:
    log = share.folder.with_suffix(".log").open("w", encoding="utf-8", errors="replace")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config)]
    process = subprocess.Popen(
        [*command, "--site-dir", str(share.folder)],
        cwd=config.parent,
        env={**environment, PASSES: ",".join(share.languages)},
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    return share, process, log


def merge(parts: Sequence[Path], site: Path, say: Callable[[str], None] = print) -> None:
    """Move the files of every folder in ``parts`` into ``site`` (emptied first, as `mkdocs build` does, but for
    its dot files). A file in several parts must have the same bytes in each."""
    site.mkdir(parents=True, exist_ok=True)
    for entry in site.iterdir():
        if entry.name.startswith("."):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    moved = shared = 0
    for part in parts:
        if not part.is_dir():
            raise BuildError(f"{part}: not a folder; give the folders of built shares")
        for folder, dirs, files in os.walk(part):
            dirs.sort()
            here = Path(folder)
            target = site / here.relative_to(part)
            target.mkdir(exist_ok=True)
            for name in sorted(files):
                source, dest = here / name, target / name
                if dest.exists():
                    if not filecmp.cmp(source, dest, shallow=False):
                        raise BuildError(
                            f"{dest.relative_to(site)}: two language builds wrote it with different content; the "
                            "parallel build would not be the same as a build of all languages at once"
                        )
                    shared += 1
                else:
                    os.replace(source, dest)
                    moved += 1
    say(f"merged {len(parts)} builds: {moved} files, of which {shared} were written the same by several builds")


# The command


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site-dir", type=Path, default=None, help="the folder to build into (default: site)")
    parser.add_argument(
        "--jobs", type=int, default=None, metavar="N", help="build processes side by side (default: one per CPU)"
    )
    parser.add_argument(
        "--languages-per-process",
        type=int,
        default=LANGUAGES_PER_PROCESS,
        metavar="N",
        help=f"languages one process builds besides the source, at most (default {LANGUAGES_PER_PROCESS}); a process "
        "holds more memory with every language it builds",
    )
    parser.add_argument(
        "--lang",
        action="append",
        dest="languages",
        metavar="LANG",
        help="build the source language and this one only (repeatable); default: every language",
    )
    parser.add_argument(
        "--merge",
        nargs="+",
        type=Path,
        metavar="PART",
        help="build nothing: merge these folders, each built by `mkdocs build` with PROGRAMME_GUIDE_PASSES, and "
        "finish the site",
    )


def run(args: argparse.Namespace, data_dir: Path, say: Callable[[str], None] = print) -> int:
    """`programme-guide build`; SIGTERM ends the build processes and removes their folders, as Ctrl-C does."""
    site = args.site_dir or data_dir.resolve().parent / "site"
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)
    if args.merge:
        for part in args.merge:
            if not part.is_dir():
                raise UsageError(f"{part}: not a folder; give the folders the language builds wrote")
            if _overlaps(part, site):
                raise UsageError(f"{part}: the site folder {site} would be emptied over it; give another --site-dir")
        merge(args.merge, site, say)
        finish_merged(site, say)
    else:
        build(data_dir, site, args.jobs, args.languages, say, args.languages_per_process)
    say(f"site written to {site}")
    return 0


def _overlaps(one: Path, other: Path) -> bool:
    a, b = one.resolve(), other.resolve()
    return a == b or a in b.parents or b in a.parents


def _stop(number: int, frame) -> None:
    raise SystemExit(128 + number)
