"""`programme-guide publish`: check, build, verify, and only then deploy the site to the gh-pages branch.

Nothing reaches the branch unless every step before it succeeded:

1. check:  the data is validated with the rules of `programme-guide check`; unless it is a dry run, the
           project must be a git checkout without uncommitted changes (or --allow-dirty), and the branch
           must not be one that holds the sources: not a checked-out branch, not the remote's default
           branch, not a branch with an mkdocs.yml;
2. build:  every language is built with `programme-guide build` (`mkdocs build --strict` processes side by
           side, merged and indexed: the same bytes as one `mkdocs build --strict`) into a new temporary
           folder (in TMPDIR), never into the live site/ folder;
3. verify: the built tree is checked: each language's home and Key Action 2 pages exist, every internal
           link and asset reference resolves inside the tree, no link uses `javascript:`, and nothing was
           written beside the tree or into site/ (with --output DIR, the checked tree is then copied to DIR,
           for example for a GitHub Pages upload);
4. deploy: the commit is made with git plumbing in a temporary index: the built tree plus .nojekyll, plus
           what the branch already holds under CNAME, .nojekyll and the --keep patterns (a built file wins
           over a kept one). The commit is pushed, then the local branch is moved to it in one step, so a
           run that is killed leaves the local branch as it was or complete. The commit message is the one
           `mkdocs gh-deploy` writes, so `mkdocs gh-deploy` keeps working on the same branch.

On any failure the local and the remote branch stay as they were and the message says what to do, in one
paragraph. SIGTERM, SIGINT and SIGHUP end the build (its whole process group) and remove the temporary
folder before publish exits with 128 + the signal number; while the push and the branch move run, the
signal waits until both are done. A small watcher process does the same cleanup if publish itself is
killed with SIGKILL. MkDocs is run as separate processes; this module imports nothing from it.
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
import posixpath
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib.metadata import version
from pathlib import Path
from types import FrameType
from urllib.parse import unquote, urlsplit

from .errors import DataError, UsageError
from .generate import load
from .model import Guide

DEFAULT_MESSAGE = "Deployed {sha} with MkDocs version: {version}"
ALWAYS_KEPT = ("CNAME", ".nojekyll")
TEMP_PREFIX = "programme-guide-publish-"
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
LINK_ATTRIBUTES = {"a": "href", "link": "href", "area": "href", "script": "src", "img": "src", "iframe": "src"}
IGNORED_RELS = {"preconnect", "dns-prefetch"}

# The watcher: started with the temporary folder, it reads "+PID"/"-PID" lines naming the process groups
# publish runs (the build); when its input closes, because publish ended in any way, even SIGKILL, it
# ends the groups that are still registered and removes the folder. Standard library only, run with -I.
WATCHER = """
import os, shutil, signal, sys, time
for number in (signal.SIGINT, signal.SIGHUP):
    signal.signal(number, signal.SIG_IGN)
groups = set()
for line in sys.stdin:
    (groups.add if line[0] == "+" else groups.discard)(int(line[1:]))
def alive(group):
    try:
        os.killpg(group, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True
for number in (signal.SIGTERM, signal.SIGKILL):
    for group in groups:
        if alive(group):
            os.killpg(group, number)
    deadline = time.monotonic() + 5
    while any(alive(g) for g in groups) and time.monotonic() < deadline:
        time.sleep(0.05)
shutil.rmtree(sys.argv[1], ignore_errors=True)
"""


class PublishError(Exception):
    """A step failed; the message says what and how to continue."""


class Stopped(BaseException):
    """A stop signal arrived (a BaseException, like KeyboardInterrupt, so that no handler swallows it)."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number
        self.name = signal.Signals(number).name


@dataclass(frozen=True)
class Options:
    remote: str = "origin"
    branch: str = "gh-pages"
    message: str = DEFAULT_MESSAGE
    dry_run: bool = False
    output: Path | None = None
    allow_dirty: bool = False
    keep: tuple[str, ...] = ()


@dataclass
class Run:
    """How far a publish run got, and its stop signals: the first one raises Stopped in the main thread,
    except inside `held()`, which lets it through only when the block is done."""

    step: str = "check"
    pushed: bool = False
    moved: bool = False
    _held: int = 0
    _pending: int | None = None
    _stopped: bool = False
    _previous: dict[int, object] = field(default_factory=dict)

    @contextlib.contextmanager
    def signals(self) -> Iterator[Run]:
        if threading.current_thread() is threading.main_thread():
            self._previous = {number: signal.signal(number, self._handle) for number in STOP_SIGNALS}
        try:
            yield self
        finally:
            self._stopped = True  # a signal from here on finds publish finished: nothing left to stop
            for number, handler in self._previous.items():
                signal.signal(number, handler)

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1
        if self._pending is not None and not self._held:
            self._stop(self._pending)

    def _handle(self, number: int, frame: FrameType | None) -> None:
        if self._held:
            self._pending = number
        elif not self._stopped:
            self._stop(number)

    def _stop(self, number: int) -> None:
        self._stopped, self._pending = True, None
        raise Stopped(number)


def publish(data_dir: Path, options: Options, say: Callable[[str], None] = print) -> int:
    """Run the four steps; return the exit code (0 published or dry run passed, 1 stopped by a problem,
    2 used wrongly (an output or branch it must not write, an unknown remote), 128 + N stopped by signal N)."""
    run = Run()
    with run.signals():
        try:
            _publish(data_dir, options, say, run)
        except DataError as exc:
            return _stop(exc.format(Path.cwd()), options, run)
        except PublishError as exc:
            return _stop(str(exc), options, run)
        except UsageError as exc:
            return _stop(str(exc), options, run, 2)
        except OSError as exc:
            return _stop(f"{exc.filename or 'publish'}: {exc.strerror or exc}", options, run)
        except Stopped as exc:
            return _stop(_stopped_problem(exc, run), options, run, 128 + exc.number)
    return 0


def _publish(data_dir: Path, options: Options, say: Callable[[str], None], run: Run) -> None:
    root = data_dir.parent
    if options.output is not None:
        check_output(options.output, root)
    guide = _step(say, run, "check", lambda: check_data(data_dir))
    head = None if options.dry_run else _step(say, run, "git", lambda: check_repository(root, options, say))
    live_site = snapshot(root / "site")
    with workspace() as (tmp, watcher):
        site = tmp / "site"
        _step(say, run, "build", lambda: build(root, site, watcher))
        _step(say, run, "verify", lambda: verify(site, guide, tmp))
        if snapshot(root / "site") != live_site:
            raise PublishError(f"{root / 'site'}: changed during the build; it must be left alone")
        if options.output is not None:
            shutil.copytree(site, options.output)
            say(f"kept the checked site in {options.output}")
        if options.dry_run:
            say(f"dry run: {describe(site)} would be published to {options.remote}/{options.branch}")
            return
        _step(say, run, "deploy", lambda: deploy(root, site, options, head, run, say))
    say(f"published to {options.remote}/{options.branch}")


def _stopped_problem(stop: Stopped, run: Run) -> str:
    cleanup = {
        "build": "; the build was ended and the temporary folder removed",
        "verify": "; the temporary folder was removed",
        "deploy": "; the temporary folder was removed",
    }
    return f"{stop.name} received during the {run.step} step{cleanup.get(run.step, '')}"


def _stop(problem: str, options: Options, run: Run, code: int = 1) -> int:
    """Print the one-paragraph error and say what happened to the branch; return the exit code."""
    where = f"{options.remote}/{options.branch}"
    if run.moved:
        outcome = f"publish stopped after publishing to {where}"
    elif run.pushed:
        outcome = f"publish stopped after pushing to {where}; the local {options.branch} branch was not moved"
    else:
        outcome = f"publish stopped: the {options.branch} branch was not changed"
    say_error(f"{problem}\n{outcome}")
    return code


def say_error(text: str) -> None:
    print(text, file=sys.stderr)


def _step(say: Callable[[str], None], run: Run, name: str, action: Callable):
    run.step = name
    start = time.monotonic()
    result = action()
    say(f"{name}: ok ({time.monotonic() - start:.1f} s)")
    return result


# The temporary folder and its watcher


class Watcher:
    """The watcher process of a temporary folder (see WATCHER)."""

    def __init__(self, folder: Path) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-I", "-c", WATCHER, str(folder)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,  # not reached by the terminal's Ctrl-C or a kill of publish's group
        )

    def watch(self, group: int) -> None:
        self._send(f"+{group}")

    def forget(self, group: int) -> None:
        self._send(f"-{group}")

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._process.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(timeout=30)

    def _send(self, line: str) -> None:
        with contextlib.suppress(OSError):
            self._process.stdin.write(line + "\n")
            self._process.stdin.flush()


@contextlib.contextmanager
def workspace() -> Iterator[tuple[Path, Watcher]]:
    """A new temporary folder in TMPDIR, removed at the end (by its watcher if publish is killed)."""
    try:
        folder = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX))
    except OSError as exc:
        where = tempfile.gettempdir()
        raise PublishError(f"cannot create a temporary folder in {where}: {exc.strerror}; set TMPDIR") from None
    try:
        watcher = Watcher(folder)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    try:
        yield folder, watcher
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        watcher.close()


# Step 1: the data


def check_data(data_dir: Path) -> Guide:
    """Validate everything the build reads from data/ (what `programme-guide check` checks, and more)."""
    guide = load(data_dir).guide
    config = data_dir.parent / "mkdocs.yml"
    if not config.is_file():
        raise PublishError(f"{config}: not found; run publish in the project folder or pass --data")
    return guide


def check_output(output: Path, root: Path) -> None:
    """--output must name a new folder, and not the live site/ folder."""
    if output.resolve() == (root / "site").resolve():
        raise UsageError(f"{output}: publish never writes into the live site/ folder; choose another folder")
    if output.exists():
        raise UsageError(f"{output}: already exists; give a new folder for the checked site")


# Step 2: the build


def build(root: Path, site: Path, watcher: Watcher | None = None) -> None:
    """Build every language strictly into ``site`` (BUILD_ONLY_LOCALE is ignored: all languages are published),
    with `programme-guide build` (programme_guide.build).

    The build runs in a process group of its own, which is ended with all its children (the `mkdocs build`
    processes, Pagefind) when publish is stopped."""
    env = {k: v for k, v in os.environ.items() if k != "BUILD_ONLY_LOCALE"}
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    env["PROGRAMME_GUIDE_PDF"] = "1"  # every page links its language's PDF: a published site carries them all
    command = [sys.executable, "-m", "programme_guide.cli", "--data", str(root / "data"), "build"]
    process = subprocess.Popen(
        [*command, "--site-dir", str(site)],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        start_new_session=True,
    )
    if watcher is not None:
        watcher.watch(process.pid)
    try:
        _, stderr = process.communicate()
    finally:
        end_group(process)
        if watcher is not None:
            watcher.forget(process.pid)
    if process.returncode != 0:
        tail = "\n".join(stderr.strip().splitlines()[-20:])
        raise PublishError(f"the strict build failed:\n{tail}")


def end_group(process: subprocess.Popen) -> None:
    """End ``process`` and its process group if it still runs: SIGTERM, then SIGKILL after 10 seconds."""
    for number in (signal.SIGTERM, signal.SIGKILL):
        if process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, number)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)


# Step 3: the checks on the built tree


def verify(site: Path, guide: Guide, build_root: Path) -> None:
    """Raise PublishError listing every problem found in the built tree."""
    problems = [*check_pages(site, guide), *check_links(site), *check_containment(site, build_root)]
    if problems:
        shown = "\n".join(f"  {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        raise PublishError(f"the built site failed {len(problems)} check(s):\n{shown}{more}")


def check_pages(site: Path, guide: Guide) -> list[str]:
    """Every language has its home page and its Key Action 2 overview, in its own language."""
    overview = next((p.slug for p in guide.pages if p.kind == "overview"), None)
    problems = []
    for code in guide.language_codes:
        prefix = "" if code == guide.source_language else f"{code}/"
        for url in [prefix, f"{prefix}{overview}/"] if overview else [prefix]:
            page = site / url / "index.html"
            if not page.is_file():
                problems.append(f"{url or '/'}: page missing (language '{code}')")
            elif _html_lang(page) != code:
                problems.append(f"{url or '/'}: <html lang> is '{_html_lang(page)}', expected '{code}'")
    return problems


def check_links(site: Path) -> list[str]:
    """Every internal href/src in every HTML page points at a file of the tree."""
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    base_url = _site_url(site)
    problems = []
    for page in sorted(p for p in files if p.endswith(".html")):
        for link in _links(site / page):
            problem = _check_link(page, link, files, base_url)
            if problem:
                problems.append(f"{page}: {problem}")
    return problems


def check_containment(site: Path, build_root: Path) -> list[str]:
    """Nothing beside the tree in the build folder, and no link in the tree that leads out of it."""
    problems = [f"{p}: written outside the build folder" for p in build_root.iterdir() if p != site]
    for path in site.rglob("*"):
        if path.is_symlink():
            problems.append(f"{path.relative_to(site)}: symbolic link (could expose files outside the site)")
    return problems


def _check_link(page: str, link: str, files: set[str], base_url: str) -> str | None:
    """A problem with one link of ``page`` (a path in the tree), or None when it resolves or is external."""
    parts = urlsplit(link.strip())
    if parts.scheme.lower() == "javascript":
        return f"'{link}': javascript: links are not allowed"
    base_path = urlsplit(base_url).path or "/"
    if base_url and link.startswith(base_url):
        path = urlsplit(link[len(base_url) :]).path
    elif parts.scheme or parts.netloc or not parts.path:
        return None
    elif parts.path.startswith("/"):
        if not parts.path.startswith(base_path):
            return f"'{link}' leads outside the site (its address does not start with {base_path})"
        path = parts.path[len(base_path) :]
    else:
        path = posixpath.join(posixpath.dirname(page), parts.path)
    target = posixpath.normpath(unquote(path) or ".")
    if target == ".." or target.startswith("../"):
        return f"'{link}' leads outside the site"
    target = "" if target == "." else target
    if target in files or posixpath.join(target, "index.html") in files:
        return None
    return f"'{link}' does not resolve (no file {target or 'index.html'})"


def _site_url(site: Path) -> str:
    """The site's public base URL, from the canonical link of the home page ('' when there is none)."""
    home = site / "index.html"
    if not home.is_file():
        return ""
    parser = _LinkParser()
    parser.feed(home.read_text("utf-8", errors="replace"))
    return parser.canonical or ""


def _links(page: Path) -> Iterator[str]:
    parser = _LinkParser()
    parser.feed(page.read_text("utf-8", errors="replace"))
    yield from parser.links


def _html_lang(page: Path) -> str | None:
    parser = _LinkParser()
    parser.feed(page.read_text("utf-8", errors="replace")[:4000])
    return parser.lang


class _LinkParser(HTMLParser):
    """Collects the link targets, the canonical URL and the <html lang> of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.canonical: str | None = None
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.lang = values.get("lang")
        rels = set(values.get("rel", "").lower().split())
        if tag == "link" and "canonical" in rels:
            self.canonical = values.get("href")
        attribute = LINK_ATTRIBUTES.get(tag)
        if attribute and attribute in values and not (rels & IGNORED_RELS):
            self.links.append(values[attribute])


def snapshot(folder: Path) -> frozenset[tuple[str, int, int]]:
    if not folder.is_dir():
        return frozenset()
    return frozenset(
        (p.relative_to(folder).as_posix(), p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    )


def describe(site: Path) -> str:
    files = [p for p in site.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    return f"{len(files)} files ({size / 1_000_000:.1f} MB)"


# Step 4: git


def check_repository(root: Path, options: Options, say: Callable[[str], None] = print) -> str:
    """Fail before the build when publishing could not work or would overwrite sources or unsaved work.

    Returns the short commit id that is being published."""
    inside = _git(root, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0:
        raise PublishError(f"{root}: not a git repository ({_said(inside)}); clone the project with git to publish it")
    if _git(root, "remote", "get-url", options.remote).returncode != 0:
        raise UsageError(f"no git remote named '{options.remote}'; add it or pass --remote NAME")
    check_branch(root, options.remote, options.branch)
    changes = uncommitted_changes(root)
    if changes and not options.allow_dirty:
        shown = ", ".join(changes[:5]) + (f" and {len(changes) - 5} more" if len(changes) > 5 else "")
        raise PublishError(
            f"the work tree has uncommitted changes ({shown}): the published site would match no commit; "
            "commit or remove them, or pass --allow-dirty to publish them anyway"
        )
    if changes:
        say(f"publishing uncommitted changes in {len(changes)} path(s) (--allow-dirty)")
    return _short_head(root)


def check_branch(root: Path, remote: str, branch: str) -> None:
    """The pages branch must be a valid name and none of the branches that hold the sources."""
    valid = branch != "HEAD" and not branch.startswith("-")
    if not valid or _git(root, "check-ref-format", f"refs/heads/{branch}").returncode != 0:
        raise UsageError(f"'{branch}' is not a valid branch name; pass --branch NAME, for example gh-pages")
    advice = "publish to a branch of its own, such as gh-pages (the default)"
    if branch in _checked_out_branches(root):
        raise UsageError(
            f"'{branch}' is the branch checked out in this project: publishing there would replace the "
            f"project's sources with the built site; {advice}"
        )
    if branch in _default_branches(root, remote):
        raise UsageError(
            f"'{branch}' is the default branch of the remote '{remote}', which holds the sources: publishing "
            f"there would replace them with the built site; {advice}"
        )


def uncommitted_changes(root: Path) -> list[str]:
    """Changed, staged and untracked (not ignored) paths of the project folder."""
    status = _git_ok(root, "status", "--porcelain", "-z", "--untracked-files=normal", "--", ".")
    records = iter(status.split("\0"))
    paths = []
    for record in records:
        if record:
            paths.append(record[3:])
            if record[0] in "RC":  # a rename or copy is followed by its source path
                next(records, None)
    return sorted(paths)


def _checked_out_branches(root: Path) -> set[str]:
    listing = _git_ok(root, "worktree", "list", "--porcelain")
    prefix = "branch refs/heads/"
    return {line[len(prefix) :] for line in listing.splitlines() if line.startswith(prefix)}


def _default_branches(root: Path, remote: str) -> set[str]:
    """The branch the remote's HEAD names, as the remote says and as the last clone or fetch recorded it."""
    listed = _git(root, "ls-remote", "--symref", remote, "HEAD")
    if listed.returncode != 0:
        raise PublishError(f"cannot reach the git remote '{remote}' ({_said(listed)}); check the address and access")
    names = {
        line.split("\t")[0].removeprefix("ref: refs/heads/")
        for line in listed.stdout.splitlines()
        if line.startswith("ref: refs/heads/")
    }
    recorded = _git(root, "symbolic-ref", "--quiet", f"refs/remotes/{remote}/HEAD").stdout.strip()
    if recorded:
        names.add(recorded.removeprefix(f"refs/remotes/{remote}/"))
    return names


def deploy(
    root: Path,
    site: Path,
    options: Options,
    head: str | None = None,
    run: Run | None = None,
    say: Callable[[str], None] = print,
) -> None:
    """Commit ``site`` (plus what is kept from the branch) on top of the branch, push it, then move the
    local branch to it; until the push, nothing outside the object store changes."""
    run = run or Run()
    ref = f"refs/heads/{options.branch}"
    before = _rev(root, ref)
    base = pages_base(root, options.remote, options.branch)
    patterns = (*ALWAYS_KEPT, *options.keep)
    kept = kept_entries(root, base, patterns)
    if kept:
        say(f"kept from {options.branch}: {describe_kept(kept, patterns)}")
    (site / ".nojekyll").touch()
    tree = write_tree(root, merge_entries(site_entries(root, site), kept), site.parent / "publish-index")
    message = options.message.replace("{sha}", head or _short_head(root)).replace("{version}", version("mkdocs"))
    parents = ["-p", base] if base else []
    commit = _git_ok(root, "commit-tree", tree, *parents, "-F", "-", input=message).strip()
    with run.held():
        pushed = _git(root, "push", "--quiet", options.remote, f"{commit}:{ref}")
        if pushed.returncode != 0:
            raise PublishError(
                f"deploying to {options.remote}/{options.branch} failed: git push was refused ({_said(pushed)}); "
                "if someone else published meanwhile, run publish again"
            )
        run.pushed = True
        _git_ok(root, "update-ref", "-m", f"publish: {message.splitlines()[0]}", ref, commit, before or "")
        run.moved = True


def pages_base(root: Path, remote: str, branch: str) -> str | None:
    """The commit the new one follows: the remote's branch (fetched now), else the local one, else none.

    A branch that holds an mkdocs.yml holds sources, not a built site: it is refused."""
    listed = _git(root, "ls-remote", "--heads", remote, branch)
    if listed.returncode != 0:
        raise PublishError(f"cannot reach the git remote '{remote}' ({_said(listed)}); check the address and access")
    base = None
    if listed.stdout.strip():
        _git_ok(root, "fetch", "--quiet", remote, f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}")
        base = _rev(root, f"refs/remotes/{remote}/{branch}")
    base = base or _rev(root, f"refs/heads/{branch}")
    if base and _git(root, "cat-file", "-e", f"{base}:mkdocs.yml").returncode == 0:
        raise PublishError(
            f"the branch '{branch}' holds an mkdocs.yml, so it holds sources, not a built site: publishing there "
            "would replace them; publish to a branch of its own, such as gh-pages (the default)"
        )
    return base


Entries = dict[str, tuple[str, str]]  # path in the tree -> (git file mode, object id)


def site_entries(root: Path, site: Path) -> Entries:
    """Write every file of ``site`` into the object store, unfiltered; return the tree entries."""
    files = sorted(p for p in site.rglob("*") if p.is_file())
    names = [p.relative_to(site).as_posix() for p in files]
    odd = [name for name in names if "\n" in name or "\r" in name]
    if odd:
        raise PublishError(f"{site / odd[0]}: a line break in a file name cannot be published; rename the file")
    ids = _git_ok(root, "hash-object", "-w", "--no-filters", "--stdin-paths", input="".join(f"{p}\n" for p in files))
    modes = ["100755" if os.access(p, os.X_OK) else "100644" for p in files]
    return dict(zip(names, zip(modes, ids.split(), strict=True), strict=True))


def kept_entries(root: Path, base: str | None, patterns: tuple[str, ...]) -> Entries:
    """The entries of ``base`` that match a keep pattern, themselves or through a folder they are in."""
    if base is None:
        return {}
    listing = _git_ok(root, "ls-tree", "-r", "-z", "--full-tree", base)
    kept = {}
    for record in filter(None, listing.split("\0")):
        meta, path = record.split("\t", 1)
        mode, _, object_id = meta.split(" ")
        if matching_pattern(path, patterns):
            kept[path] = (mode, object_id)
    return kept


def matching_pattern(path: str, patterns: tuple[str, ...]) -> str | None:
    """The first pattern (fnmatch, case-sensitive) that ``path`` or one of its folders matches."""
    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for pattern in patterns:
        if any(fnmatch.fnmatchcase(prefix, pattern.strip("/")) for prefix in prefixes):
            return pattern
    return None


def describe_kept(kept: Entries, patterns: tuple[str, ...]) -> str:
    counts: dict[str, int] = {}
    for path in kept:
        pattern = matching_pattern(path, patterns) or path
        counts[pattern] = counts.get(pattern, 0) + 1
    return ", ".join(f"{pattern} ({n} file{'s' if n > 1 else ''})" for pattern, n in counts.items())


def merge_entries(built: Entries, kept: Entries) -> Entries:
    """The built files and the kept ones it does not replace; a file where the other side has a folder
    is an error."""
    folders = {posixpath.dirname(p) for p in built} | {posixpath.dirname(p) for p in kept}
    folders = {prefix for folder in folders for prefix in _prefixes(folder)}
    clashes = sorted(p for p in kept.keys() ^ built.keys() if p in folders)
    if clashes:
        raise PublishError(
            f"'{clashes[0]}' is a file on one side and a folder on the other between the built site and what "
            "is kept from the branch; rename it or change --keep"
        )
    return {**kept, **built}


def _prefixes(folder: str) -> list[str]:
    parts = folder.split("/") if folder else []
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def write_tree(root: Path, entries: Entries, index: Path) -> str:
    """Write ``entries`` as a tree object through a temporary index file (the checkout's index is untouched)."""
    env = {**os.environ, "GIT_INDEX_FILE": str(index)}
    records = "".join(f"{mode} {object_id}\t{path}\0" for path, (mode, object_id) in sorted(entries.items()))
    try:
        _git_ok(root, "update-index", "-z", "--index-info", input=records, env=env)
        return _git_ok(root, "write-tree", env=env).strip()
    finally:
        index.unlink(missing_ok=True)


def _rev(root: Path, ref: str) -> str | None:
    result = _git(root, "rev-parse", "--verify", "--quiet", ref)
    return result.stdout.strip() if result.returncode == 0 else None


def _short_head(root: Path) -> str:
    return _git(root, "rev-parse", "--short", "HEAD").stdout.strip() or "unknown"


def _said(result: subprocess.CompletedProcess) -> str:
    """What a failed git command said, on one line."""
    text = " ".join(line.strip() for line in result.stderr.splitlines() if line.strip())
    return f"git said: {text}" if text else f"git exited with {result.returncode}"


def _git_ok(root: Path, *args: str, input: str | None = None, env: dict[str, str] | None = None) -> str:
    """Run git; its output, or PublishError naming the command and what git said."""
    result = _git(root, *args, input=input, env=env)
    if result.returncode != 0:
        raise PublishError(f"git {args[0]} failed ({_said(result)}); the branch was left as it was")
    return result.stdout


def _git(
    root: Path, *args: str, input: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(
            ["git", *args],
            cwd=root,
            input=input,
            env=env,
            capture_output=True,
            encoding="utf-8",
            errors="surrogateescape",
            timeout=300,
            check=False,
        )
    except FileNotFoundError:
        raise PublishError("git was not found; install git to publish, or use --dry-run") from None
    except subprocess.TimeoutExpired:
        raise PublishError(f"git {args[0]} did not finish within 5 minutes") from None
