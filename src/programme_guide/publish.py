"""`programme-guide publish`: check, build, verify, and only then deploy the site to the gh-pages branch.

Nothing reaches the branch unless every step before it succeeded:

1. check:  the data is validated with the rules of `programme-guide check`;
2. build:  every language is built with `mkdocs build --strict` into a new temporary folder, never
           into the live site/ folder;
3. verify: the built tree is checked: each language's home and Key Action 2 pages exist, every internal
           link and asset reference resolves inside the tree, no link uses `javascript:`, and nothing was
           written beside the tree or into site/ (with --output DIR, the checked tree is then copied to DIR,
           for example for a GitHub Pages upload);
4. deploy: ghp-import commits the tree to the branch (with .nojekyll) and pushes it, as `mkdocs gh-deploy`
           does, with the same commit message, so `mkdocs gh-deploy` keeps working on the same branch.

On any failure the local and the remote branch stay as they were. MkDocs is run as a separate
process; this module imports nothing from it.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from importlib.metadata import version
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import DataError
from .generate import load
from .model import Guide

DEFAULT_MESSAGE = "Deployed {sha} with MkDocs version: {version}"
LINK_ATTRIBUTES = {"a": "href", "link": "href", "area": "href", "script": "src", "img": "src", "iframe": "src"}
IGNORED_RELS = {"preconnect", "dns-prefetch"}


class PublishError(Exception):
    """A step failed; the message says what and how to continue."""


@dataclass(frozen=True)
class Options:
    remote: str = "origin"
    branch: str = "gh-pages"
    message: str = DEFAULT_MESSAGE
    dry_run: bool = False
    output: Path | None = None


def publish(data_dir: Path, options: Options, say: Callable[[str], None] = print) -> int:
    """Run the four steps; return the exit code (0 published or dry run passed, 1 stopped)."""
    root = data_dir.parent
    try:
        if options.output is not None:
            check_output(options.output, root)
        guide = _step(say, "check", lambda: check_data(data_dir))
        if not options.dry_run:
            _step(say, "git", lambda: check_repository(root, options.remote))
        live_site = snapshot(root / "site")
        with tempfile.TemporaryDirectory(prefix="programme-guide-publish-") as tmp:
            site = Path(tmp) / "site"
            _step(say, "build", lambda: build(root, site))
            _step(say, "verify", lambda: verify(site, guide, Path(tmp)))
            if snapshot(root / "site") != live_site:
                raise PublishError(f"{root / 'site'}: changed during the build; it must be left alone")
            if options.output is not None:
                shutil.copytree(site, options.output)
                say(f"kept the checked site in {options.output}")
            if options.dry_run:
                say(f"dry run: {describe(site)} would be published to {options.remote}/{options.branch}")
                return 0
            _step(say, "deploy", lambda: deploy(root, site, options))
    except DataError as exc:
        say_error(f"{exc.format(Path.cwd())}\npublish stopped: the {options.branch} branch was not changed")
        return 1
    except PublishError as exc:
        say_error(f"{exc}\npublish stopped: the {options.branch} branch was not changed")
        return 1
    say(f"published to {options.remote}/{options.branch}")
    return 0


def say_error(text: str) -> None:
    print(text, file=sys.stderr)


def _step(say: Callable[[str], None], name: str, action: Callable):
    start = time.monotonic()
    result = action()
    say(f"{name}: ok ({time.monotonic() - start:.1f} s)")
    return result


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
        raise PublishError(f"{output}: publish never writes into the live site/ folder; choose another folder")
    if output.exists():
        raise PublishError(f"{output}: already exists; give a new folder for the checked site")


# Step 2: the build


def build(root: Path, site: Path) -> None:
    """Build every language strictly into ``site`` (BUILD_ONLY_LOCALE is ignored: all languages are published)."""
    env = {k: v for k, v in os.environ.items() if k != "BUILD_ONLY_LOCALE"}
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(root / "mkdocs.yml")]
    result = subprocess.run(
        [*command, "--site-dir", str(site)], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-20:])
        raise PublishError(f"the strict build failed:\n{tail}")


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


def check_repository(root: Path, remote: str) -> None:
    """Fail before the build when the project is not a git checkout or the remote is unknown."""
    if _git(root, "rev-parse", "--is-inside-work-tree").returncode != 0:
        raise PublishError(f"{root}: not a git repository; clone the project with git to publish it")
    if _git(root, "remote", "get-url", remote).returncode != 0:
        raise PublishError(f"no git remote named '{remote}'; add it or pass --remote NAME")


def deploy(root: Path, site: Path, options: Options) -> None:
    """Commit ``site`` to the branch and push it; on failure put the local branch back where it was."""
    import ghp_import  # imported here: only publishing needs it

    ref = f"refs/heads/{options.branch}"
    before = _rev(root, ref)
    _fetch(root, options.remote, options.branch)
    message = options.message.replace("{sha}", _short_head(root)).replace("{version}", version("mkdocs"))
    try:
        with contextlib.chdir(root):  # ghp-import runs git in the current folder
            ghp_import.ghp_import(
                str(site), mesg=message, remote=options.remote, branch=options.branch, push=True, nojekyll=True
            )
    except (ghp_import.GhpError, subprocess.CalledProcessError, OSError) as exc:
        _restore(root, ref, before)
        detail = getattr(exc, "message", None) or str(exc)
        raise PublishError(f"deploying to {options.remote}/{options.branch} failed: {detail}") from None
    if _rev(root, ref) in (None, before):
        _restore(root, ref, before)
        raise PublishError(f"ghp-import did not create a commit on {options.branch}")


def _fetch(root: Path, remote: str, branch: str) -> None:
    """Bring the remote-tracking branch up to date, so the new commit follows what is published now."""
    listed = _git(root, "ls-remote", "--heads", remote, branch)
    if listed.returncode != 0:
        raise PublishError(f"cannot reach git remote '{remote}':\n{listed.stderr.strip()}")
    if listed.stdout.strip():
        fetched = _git(root, "fetch", "--quiet", remote, f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}")
        if fetched.returncode != 0:
            raise PublishError(f"cannot fetch {remote}/{branch}:\n{fetched.stderr.strip()}")


def _restore(root: Path, ref: str, rev: str | None) -> None:
    if rev is None:
        _git(root, "update-ref", "-d", ref)
    else:
        _git(root, "update-ref", ref, rev)


def _rev(root: Path, ref: str) -> str | None:
    result = _git(root, "rev-parse", "--verify", "--quiet", ref)
    return result.stdout.strip() if result.returncode == 0 else None


def _short_head(root: Path) -> str:
    return _git(root, "rev-parse", "--short", "HEAD").stdout.strip() or "unknown"


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=300, check=False)
