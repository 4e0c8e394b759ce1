"""`programme-guide publish`: a checked site reaches gh-pages; broken data, a failing check, a wrong branch,
uncommitted changes or a stop signal never leave a changed or half-made branch behind.

The project copy (with the sample data, tests/samples/basic) is a git checkout on `main` whose remote is a bare
repository in tmp_path that already holds an earlier publication (a CNAME, an older version folder, a verification
file), so "left untouched" means the remote's and the local gh-pages refs did not move.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, build_env, keep_languages, sample_project
from programme_guide.model import load_guide
from programme_guide.publish import (
    Options,
    PublishError,
    check_containment,
    check_links,
    check_pages,
    check_repository,
    deploy,
    matching_pattern,
)

MESSAGE = "Deployed {sha} with MkDocs version: {version}"


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def remote_ref(remote: Path, branch: str = "gh-pages") -> str | None:
    result = subprocess.run(
        ["git", "--git-dir", str(remote), "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"],
        capture_output=True,
        text=True,
    )
    return result.stdout.strip() or None


def publish(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = build_env()
    del env["SOURCE_DATE_EPOCH"]
    return subprocess.run(
        [sys.executable, "-m", "programme_guide.cli", "publish", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture(autouse=True)
def git_identity(monkeypatch):
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Publisher")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "publisher@example.invalid")


EARLIER = {
    "CNAME": b"guide.example.org\n",
    "index.html": b"<!doctype html><title>earlier</title>\n",
    "v2025/index.html": b"<!doctype html><title>the 2025 guide</title>\n",
    "v2025/assets/app.css": b"body{}\n",
    "google1234.html": b"google-site-verification: google1234.html\n",
}


@pytest.fixture
def project(tmp_path) -> Path:
    """A project copy with the sample data (tests/samples/basic: Dutch, English, Polish): publishing does not
    depend on what the guide says, and three languages build in seconds."""
    return sample_project(tmp_path / "project")


@pytest.fixture
def repo(project, tmp_path) -> Path:
    """The project copy as a git checkout on `main`; its remote 'origin' holds an earlier publication on gh-pages."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    shutil.copy(ROOT / ".gitignore", project / ".gitignore")
    git(project, "init", "--quiet", "--initial-branch", "main")
    git(project, "add", "-A")
    git(project, "commit", "--quiet", "-m", "the guide")
    git(project, "remote", "add", "origin", str(remote))
    earlier = commit_files(project, EARLIER, "Deployed 0000000 with MkDocs version: 1.6.1")
    git(project, "push", "--quiet", "origin", f"{earlier}:refs/heads/gh-pages")
    return project


def commit_files(repo: Path, files: dict[str, bytes], message: str) -> str:
    """A commit (on no branch) whose tree holds exactly ``files``."""
    env = {**os.environ, "GIT_INDEX_FILE": str(repo.parent / "fixture-index")}
    for path, data in files.items():
        blob = run_git(repo, "hash-object", "-w", "--stdin", input=data).decode().strip()
        run_git(repo, "update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", env=env)
    tree = run_git(repo, "write-tree", env=env).decode().strip()
    Path(env["GIT_INDEX_FILE"]).unlink()
    return run_git(repo, "commit-tree", tree, "-m", message).decode().strip()


def run_git(cwd: Path, *args: str, input: bytes = b"", env: dict[str, str] | None = None) -> bytes:
    result = subprocess.run(["git", *args], cwd=cwd, input=input, env=env, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def branch_files(remote: Path, ref: str = "gh-pages") -> dict[str, bytes]:
    """Every file of ``ref`` in the bare repository ``remote``, with its bytes."""
    names = run_git(remote, "ls-tree", "-r", "-z", "--name-only", ref).decode().split("\0")
    return {name: run_git(remote, "cat-file", "blob", f"{ref}:{name}") for name in names if name}


def local_ref(repo: Path, branch: str = "gh-pages") -> str | None:
    result = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"], cwd=repo, capture_output=True, text=True
    )
    return result.stdout.strip() or None


def remote_of(repo: Path) -> Path:
    return repo.parent / "remote.git"


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", message)


@pytest.mark.slow
def test_publish_deploys_the_checked_site_on_top_of_the_earlier_publication(repo):
    """The new site replaces the earlier one; CNAME and the folder named with --keep stay byte for byte. Two
    languages, committed: publish builds each language's pages and PDF, and a third would add only time."""
    keep_languages(repo, ("nl", "en"))
    commit(repo, "two languages")
    remote = remote_of(repo)
    earlier = remote_ref(remote)
    result = publish(repo, "--keep", "v2025/")
    assert result.returncode == 0, result.stderr[-3000:]
    for step in ("check: ok", "git: ok", "build: ok", "verify: ok", "deploy: ok"):
        assert step in result.stdout
    assert "kept from gh-pages: CNAME (1 file), v2025/ (2 files)" in result.stdout
    published = remote_ref(remote)
    assert published != earlier
    assert local_ref(repo) == published
    assert git(repo, "--git-dir", str(remote), "rev-parse", "gh-pages^") == earlier
    sha = git(repo, "rev-parse", "--short", "HEAD")
    subject = git(repo, "--git-dir", str(remote), "log", "-1", "--format=%s", "gh-pages")
    assert subject == f"Deployed {sha} with MkDocs version: 1.6.1"
    files = branch_files(remote)
    for path in ("index.html", "key-action-2/index.html", "en/index.html", "en/key-action-2/index.html"):
        assert path in files
    assert {".nojekyll", "sitemap.xml", "404.html"} <= files.keys()
    # Every language's PDF, whatever PROGRAMME_GUIDE_PDF says (the tests' environment sets it to 0).
    for pdf in ("programme-guide-ka2-nl.pdf", "en/programme-guide-ka2-en.pdf"):
        assert files.get(pdf, b"").startswith(b"%PDF-"), f"{pdf} is not published"
    assert b'type="application/pdf"' in files["en/key-action-2/index.html"]
    for kept in ("CNAME", "v2025/index.html", "v2025/assets/app.css"):
        assert files[kept] == EARLIER[kept]
    assert "google1234.html" not in files, "a file not listed as kept survived"
    assert files["index.html"] != EARLIER["index.html"]
    assert not (repo / "site").exists(), "publish built into the live site/ folder"
    assert git(repo, "status", "--porcelain") == "", "publish changed the work tree"


@pytest.mark.slow
def test_mkdocs_gh_deploy_still_works_on_the_published_branch(repo):
    """`mkdocs gh-deploy` as MkDocs documents it, after a publication (a quick one-language build).

    Its version check reads the MkDocs version from the last commit message on gh-pages, so publish
    writes the same message as gh-deploy does."""
    git(repo, "fetch", "--quiet", "origin", "gh-pages:gh-pages")
    earlier = remote_ref(remote_of(repo))
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "gh-deploy", "--strict"],
        cwd=repo,
        env=build_env(BUILD_ONLY_LOCALE="en"),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Version check skipped" not in result.stderr
    assert git(repo, "--git-dir", str(remote_of(repo)), "rev-parse", "gh-pages^") == earlier


def test_broken_data_stops_before_the_build_and_leaves_gh_pages_untouched(repo):
    guide = repo / "data" / "guide.yml"
    guide.write_text(guide.read_text("utf-8").replace("actions: [", "actions: [no-such-action, ", 1), "utf-8")
    commit(repo, "break the model")
    before = remote_ref(remote_of(repo))
    result = publish(repo)
    assert result.returncode == 1
    assert "guide.yml:" in result.stderr and "action 'no-such-action' is referenced but not defined" in result.stderr
    assert "publish stopped: the gh-pages branch was not changed" in result.stderr
    assert "build:" not in result.stdout
    assert remote_ref(remote_of(repo)) == before
    assert subprocess.run(["git", "rev-parse", "--verify", "--quiet", "gh-pages"], cwd=repo).returncode != 0


@pytest.mark.slow
def test_failing_site_check_leaves_gh_pages_untouched(repo):
    """The strict build passes, but a page links to a file that does not exist: nothing is deployed."""
    keep_languages(repo, ("nl", "en"))
    stray = repo / "docs" / "assets" / "stray.html"
    stray.write_text('<!doctype html><html lang="nl"><a href="../no-such-page/">weg</a></html>\n', "utf-8")
    commit(repo, "two languages, and a page with a broken link")
    before = remote_ref(remote_of(repo))
    result = publish(repo)
    assert result.returncode == 1, result.stdout
    assert "build: ok" in result.stdout
    assert "the built site failed 1 check(s)" in result.stderr
    assert "assets/stray.html: '../no-such-page/' does not resolve" in result.stderr
    assert "publish stopped: the gh-pages branch was not changed" in result.stderr
    assert remote_ref(remote_of(repo)) == before
    assert not (repo / "site").exists()


@pytest.mark.slow
def test_dry_run_builds_and_verifies_without_git_and_can_keep_the_checked_site(project, tmp_path):
    """--dry-run needs no git checkout and changes no branch; --output keeps the checked tree (for CI)."""
    kept = tmp_path / "checked"
    result = publish(keep_languages(project, ("nl", "en")), "--dry-run", "--output", str(kept))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "verify: ok" in result.stdout
    assert "dry run:" in result.stdout and "would be published to origin/gh-pages" in result.stdout
    assert (kept / "index.html").is_file() and (kept / "en" / "key-action-2" / "index.html").is_file()
    assert not (project / "site").exists()


def test_output_never_goes_into_the_live_site_folder(project):
    result = publish(project, "--dry-run", "--output", "site")
    assert result.returncode == 2  # wrong usage
    assert "publish never writes into the live site/ folder" in result.stderr
    assert "build:" not in result.stdout


@pytest.mark.slow
def test_dry_run_stops_when_a_language_is_not_built(project):
    """English is configured in data/ but switched off in mkdocs.yml: the site checks notice."""
    config = keep_languages(project, ("nl", "en")) / "mkdocs.yml"
    text = config.read_text("utf-8")
    english = re.search(r"- locale: en\n\s+name: .*\n\s+build: true", text).group(0)
    config.write_text(text.replace(english, english.replace("build: true", "build: false")), "utf-8")
    result = publish(project, "--dry-run")
    assert result.returncode == 1
    assert "en/: page missing (language 'en')" in result.stderr
    assert "en/key-action-2/: page missing (language 'en')" in result.stderr
    assert "dry run:" not in result.stdout


def test_unknown_remote_fails_before_building(repo):
    result = publish(repo, "--remote", "nowhere")
    assert result.returncode == 2  # wrong usage
    assert "no git remote named 'nowhere'" in result.stderr
    assert "build:" not in result.stdout


def small_build(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    """A hand-made "built site" for deploy(), which does not look inside the pages."""
    site = tmp_path / "built"
    for path, body in (files or {"index.html": "<!doctype html><title>new</title>\n", "en/index.html": "en\n"}).items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(body, "utf-8")
    return site


def test_rejected_push_changes_neither_branch(repo, tmp_path):
    """When the remote refuses the push, neither the remote nor the local gh-pages branch moves."""
    remote = remote_of(repo)
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'pushes are closed' >&2\nexit 1\n", "utf-8")
    hook.chmod(0o755)
    before = remote_ref(remote)
    with pytest.raises(PublishError, match=r"git push was refused .*pushes are closed"):
        deploy(repo, small_build(tmp_path), Options(message=MESSAGE), say=lambda _: None)
    assert remote_ref(remote) == before
    assert local_ref(repo) is None


def test_deploy_keeps_cname_and_drops_what_is_not_kept(repo, tmp_path):
    said: list[str] = []
    deploy(repo, small_build(tmp_path), Options(message=MESSAGE), say=said.append)
    files = branch_files(remote_of(repo))
    assert files == {
        "CNAME": EARLIER["CNAME"],
        ".nojekyll": b"",
        "index.html": b"<!doctype html><title>new</title>\n",
        "en/index.html": b"en\n",
    }
    assert said == ["kept from gh-pages: CNAME (1 file)"]
    assert local_ref(repo) == remote_ref(remote_of(repo))


def test_deploy_keeps_every_match_of_a_glob_and_a_built_file_wins_over_a_kept_one(repo, tmp_path):
    site = small_build(tmp_path, {"index.html": "new\n", "CNAME": "new.example.org\n"})
    deploy(repo, site, Options(message=MESSAGE, keep=("google*.html", "v2025")), say=lambda _: None)
    files = branch_files(remote_of(repo))
    assert files["CNAME"] == b"new.example.org\n"
    assert files["google1234.html"] == EARLIER["google1234.html"]
    assert files["v2025/assets/app.css"] == EARLIER["v2025/assets/app.css"]
    assert files["index.html"] == b"new\n"


def test_a_kept_file_where_the_build_has_a_folder_is_refused(repo, tmp_path):
    before = remote_ref(remote_of(repo))
    site = small_build(tmp_path, {"index.html": "new\n", "CNAME/index.html": "a folder\n"})
    with pytest.raises(PublishError, match="'CNAME' is a file on one side and a folder on the other"):
        deploy(repo, site, Options(message=MESSAGE), say=lambda _: None)
    assert remote_ref(remote_of(repo)) == before
    assert local_ref(repo) is None


def test_deploy_refuses_a_branch_that_holds_sources(repo, tmp_path):
    """A branch with an mkdocs.yml is a source branch, even when it is neither checked out nor the default."""
    git(repo, "push", "--quiet", "origin", "main:refs/heads/develop")
    before = remote_ref(remote_of(repo), "develop")
    with pytest.raises(PublishError, match=r"the branch .develop. holds an mkdocs\.yml, so it holds sources"):
        deploy(repo, small_build(tmp_path), Options(branch="develop", message=MESSAGE), say=lambda _: None)
    assert remote_ref(remote_of(repo), "develop") == before


@pytest.mark.parametrize(
    ("pattern", "path", "kept"),
    [
        ("CNAME", "CNAME", True),
        ("CNAME", "en/CNAME", False),
        ("v2025", "v2025/en/index.html", True),
        ("v2025/", "v2025/index.html", True),
        ("v2025", "v20251/index.html", False),
        ("google*.html", "google1234.html", True),
        ("google*.html", "google1234.txt", False),
    ],
)
def test_keep_patterns(pattern, path, kept):
    assert (matching_pattern(path, (pattern,)) is not None) is kept


def refs(repo: Path) -> str:
    """Every ref of the checkout and of its remote, with the commit it points at."""
    return git(repo, "show-ref") + "\n--\n" + git(repo, "--git-dir", str(remote_of(repo)), "show-ref")


def test_publishing_onto_the_checked_out_branch_is_refused_and_changes_nothing(repo):
    before = refs(repo)
    result = publish(repo, "--branch", "main")
    assert result.returncode == 2  # wrong usage
    assert result.stderr == (
        "'main' is the branch checked out in this project: publishing there would replace the project's sources "
        "with the built site; publish to a branch of its own, such as gh-pages (the default)\n"
        "publish stopped: the main branch was not changed\n"
    )
    assert "build:" not in result.stdout
    assert refs(repo) == before
    assert git(repo, "status", "--porcelain") == ""


def test_publishing_onto_the_remote_default_branch_is_refused_and_changes_nothing(repo):
    """The remote's default branch holds the sources even when another branch is checked out here."""
    remote = remote_of(repo)
    git(repo, "push", "--quiet", "origin", "main:refs/heads/trunk")
    git(remote, "symbolic-ref", "HEAD", "refs/heads/trunk")
    before = refs(repo)
    result = publish(repo, "--branch", "trunk")
    assert result.returncode == 2  # wrong usage
    assert "'trunk' is the default branch of the remote 'origin', which holds the sources" in result.stderr
    assert "publish stopped: the trunk branch was not changed" in result.stderr
    assert "build:" not in result.stdout
    assert refs(repo) == before


@pytest.mark.parametrize("branch", ["HEAD", "two words", "../gh-pages", "--mirror"])
def test_an_invalid_branch_name_is_refused(repo, branch):
    before = refs(repo)
    result = publish(repo, f"--branch={branch}")
    assert result.returncode == 2  # wrong usage
    assert f"'{branch}' is not a valid branch name; pass --branch NAME" in result.stderr
    assert refs(repo) == before


def test_a_failing_git_command_ends_in_one_paragraph_and_changes_nothing(repo, tmp_path, monkeypatch):
    """A fault of git itself (here: commit-tree, after the tree was written) is reported as git said it."""
    shim = tmp_path / "bin"
    shim.mkdir()
    real = shutil.which("git")
    script = f'#!/bin/sh\n[ "$1" = commit-tree ] && {{ echo "fatal: disk on fire" >&2; exit 128; }}\nexec {real} "$@"\n'
    (shim / "git").write_text(script, "utf-8")
    (shim / "git").chmod(0o755)
    monkeypatch.setenv("PATH", f"{shim}{os.pathsep}{os.environ['PATH']}")
    before = refs(repo)
    with pytest.raises(PublishError) as raised:
        deploy(repo, small_build(tmp_path), Options(message=MESSAGE), say=lambda _: None)
    assert str(raised.value) == "git commit-tree failed (git said: fatal: disk on fire); the branch was left as it was"
    monkeypatch.setenv("PATH", str(tmp_path / "no-such-folder"))
    with pytest.raises(PublishError, match=r"^git was not found; install git to publish, or use --dry-run$"):
        check_repository(repo, Options())
    monkeypatch.undo()
    assert refs(repo) == before


def test_uncommitted_changes_are_refused_and_left_as_they_are(repo):
    locale = repo / "data" / "locales" / "pl.yml"
    edited = locale.read_bytes() + b"# a note in progress\n"
    locale.write_bytes(edited)
    (repo / "data" / "draft.txt").write_bytes(b"not yet added\n")
    before = refs(repo)
    result = publish(repo)
    assert result.returncode == 1
    assert (
        "the work tree has uncommitted changes (data/draft.txt, data/locales/pl.yml): the published site would "
        "match no commit; commit or remove them, or pass --allow-dirty to publish them anyway" in result.stderr
    )
    assert "publish stopped: the gh-pages branch was not changed" in result.stderr
    assert "build:" not in result.stdout
    assert refs(repo) == before
    assert locale.read_bytes() == edited
    assert (repo / "data" / "draft.txt").read_bytes() == b"not yet added\n"


@pytest.mark.slow
def test_allow_dirty_publishes_uncommitted_changes_and_says_so(repo):
    keep_languages(repo, ("nl", "en"))
    changed = len(git(repo, "status", "--porcelain").splitlines())
    result = publish(repo, "--allow-dirty")
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"publishing uncommitted changes in {changed} path(s) (--allow-dirty)" in result.stdout
    files = branch_files(remote_of(repo))
    assert "en/index.html" in files and "pl/index.html" not in files, "the uncommitted two-language site"


# Stop signals: SIGTERM and SIGKILL during the build and during the push

HOLD_HOOK = """\
import os
import threading
from pathlib import Path


def on_pre_build(config):
    marker = os.environ.get("PUBLISH_TEST_HOLD")
    if marker and not Path(marker).exists():
        Path(marker + ".tmp").write_text(str(os.getpid()))
        os.replace(marker + ".tmp", marker)
        threading.Event().wait(600)
"""

PRE_RECEIVE = """\
#!/bin/sh
touch '{pushing}'
i=0
while [ ! -e '{release}' ] && [ $i -lt 6000 ]; do sleep 0.05; i=$((i + 1)); done
touch '{done}'
"""

SIGNALS = pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
NEEDS_PROC = pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="finds processes in /proc")


@pytest.fixture
def held_repo(repo) -> Path:
    """The two-language project with a hook that holds the build while PUBLISH_TEST_HOLD names a marker."""
    keep_languages(repo, ("nl", "en"))
    (repo / "hooks" / "hold.py").write_text(HOLD_HOOK, "utf-8")
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("\nhooks:\n", "\nhooks:\n  - hooks/hold.py\n", 1), "utf-8")
    commit(repo, "two languages, and a build that can be held")
    return repo


def start_publish(repo: Path, temp: Path, **env: str) -> subprocess.Popen:
    """Start publish with its temporary folder under ``temp``; its output goes to files beside ``temp``."""
    environment = {**build_env(TMPDIR=str(temp), **env)}
    del environment["SOURCE_DATE_EPOCH"]
    temp.mkdir()
    return subprocess.Popen(
        [sys.executable, "-m", "programme_guide.cli", "publish"],
        cwd=repo,
        env=environment,
        stdout=(temp.parent / "stdout").open("w"),
        stderr=(temp.parent / "stderr").open("w"),
        text=True,
    )


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 300) -> None:
    """Poll ``condition`` until it holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what} after {timeout} s")
        time.sleep(0.05)


def running(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def processes_mentioning(text: str) -> list[str]:
    """The command lines of running processes that contain ``text`` (publish's build and watcher name its
    temporary folder)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        if text in command and running(int(cmdline.parent.name)):
            found.append(command)
    return found


def left_behind(temp: Path) -> list[str]:
    return [p.name for p in temp.iterdir()] + processes_mentioning(str(temp))


def assert_unchanged_or_complete(repo: Path, before: str | None) -> None:
    """The local gh-pages ref either did not move or points at the whole published site."""
    local = local_ref(repo)
    if local == before:
        return
    assert local == remote_ref(remote_of(repo)), "the local gh-pages moved to a commit that was not published"
    files = set(git(repo, "ls-tree", "-r", "--name-only", local).splitlines())
    expected = {"index.html", "en/index.html", "key-action-2/index.html", "en/key-action-2/index.html"}
    assert expected | {"CNAME", ".nojekyll", "sitemap.xml", "404.html"} <= files


@pytest.mark.slow
@NEEDS_PROC
@SIGNALS
def test_a_publish_stopped_during_the_build_ends_the_build_and_removes_its_folder(held_repo, tmp_path, number):
    temp, building = tmp_path / "tmp", tmp_path / "building"
    before = refs(held_repo)
    process = start_publish(held_repo, temp, PUBLISH_TEST_HOLD=str(building))
    wait_for(lambda: building.exists() or process.poll() is not None, "the build to start")
    assert building.exists(), (tmp_path / "stderr").read_text()
    build = int(building.read_text())
    assert running(build) and left_behind(temp), "the build and its temporary folder exist before the signal"
    os.kill(process.pid, number)
    code = process.wait(timeout=120)
    if number == signal.SIGTERM:
        assert code == 128 + signal.SIGTERM
        assert (tmp_path / "stderr").read_text() == (
            "SIGTERM received during the build step; the build was ended and the temporary folder removed\n"
            "publish stopped: the gh-pages branch was not changed\n"
        )
        assert not running(build)
        assert left_behind(temp) == []
    else:
        assert code == -signal.SIGKILL
        wait_for(lambda: not running(build) and not left_behind(temp), "the watcher to clean up", timeout=60)
    assert refs(held_repo) == before


@pytest.mark.slow
@NEEDS_PROC
@SIGNALS
def test_a_publish_stopped_during_the_push_leaves_the_branch_unchanged_or_complete(held_repo, tmp_path, number):
    remote = remote_of(held_repo)
    pushing, release, done = tmp_path / "pushing", tmp_path / "release", tmp_path / "push-done"
    hook = remote / "hooks" / "pre-receive"
    hook.write_text(PRE_RECEIVE.format(pushing=pushing, release=release, done=done), "utf-8")
    hook.chmod(0o755)
    temp, earlier = tmp_path / "tmp", remote_ref(remote)
    process = start_publish(held_repo, temp)
    wait_for(lambda: pushing.exists() or process.poll() is not None, "the push to start")
    assert pushing.exists(), (tmp_path / "stderr").read_text()
    os.kill(process.pid, number)
    release.touch()
    code = process.wait(timeout=120)
    wait_for(done.exists, "the push to end", timeout=60)
    if number == signal.SIGTERM:
        assert code == 128 + signal.SIGTERM
        assert (tmp_path / "stderr").read_text() == (
            "SIGTERM received during the deploy step; the temporary folder was removed\n"
            "publish stopped after publishing to origin/gh-pages\n"
        )
        assert local_ref(held_repo) == remote_ref(remote) != earlier
        assert left_behind(temp) == []
    else:
        assert code == -signal.SIGKILL
        wait_for(lambda: not left_behind(temp), "the watcher to clean up", timeout=60)
    assert_unchanged_or_complete(held_repo, None)


# The checks on a built tree, on small hand-made trees


def small_site(root: Path, pages: dict[str, str]) -> Path:
    for path, body in pages.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, "utf-8")
    return root


def html_page(lang: str, *links: str) -> str:
    anchors = "".join(f'<a href="{link}">x</a>' for link in links)
    head = '<link rel="canonical" href="https://example.invalid/guide/">'
    return f'<!doctype html><html lang="{lang}"><head>{head}</head><body>{anchors}</body></html>'


def test_check_pages_names_every_missing_language_page(tmp_path):
    guide = load_guide(ROOT / "data")
    site = small_site(tmp_path, {"index.html": html_page("nl"), "key-action-2/index.html": html_page("en")})
    problems = check_pages(site, guide)
    assert "key-action-2/: <html lang> is 'en', expected 'nl'" in problems
    assert "en/: page missing (language 'en')" in problems
    assert "en/key-action-2/: page missing (language 'en')" in problems
    assert len(problems) == 1 + 2 * (len(guide.language_codes) - 1)


@pytest.mark.parametrize(
    ("link", "problem"),
    [
        ("about/", None),
        ("about/#top", None),
        ("assets/app.css?v=1", None),
        ("https://example.invalid/guide/about/", None),
        ("/guide/about/", None),
        ("https://elsewhere.example/", None),
        ("#main", None),
        ("missing/", "'missing/' does not resolve"),
        ("https://example.invalid/guide/missing/", "does not resolve (no file missing)"),
        ("../../etc/passwd", "'../../etc/passwd' leads outside the site"),
        ("/etc/passwd", "'/etc/passwd' leads outside the site"),
        ("javascript:alert(1)", "javascript: links are not allowed"),
        (" JaVaScRiPt:alert(1)", "javascript: links are not allowed"),
    ],
)
def test_check_links(tmp_path, link, problem):
    site = small_site(
        tmp_path,
        {"index.html": html_page("nl", link), "about/index.html": html_page("nl"), "assets/app.css": "body{}"},
    )
    problems = check_links(site)
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1 and problems[0].startswith("index.html: ") and problem in problems[0], problems


def test_check_containment_finds_symlinks_and_files_beside_the_tree(tmp_path):
    site = small_site(tmp_path / "site", {"index.html": html_page("nl")})
    os.symlink("/etc/passwd", site / "passwd")
    (tmp_path / "escaped.txt").write_text("written beside the site\n", "utf-8")
    problems = check_containment(site, tmp_path)
    assert any(p.startswith("passwd: symbolic link") for p in problems)
    assert any("escaped.txt: written outside the build folder" in p for p in problems)


# The GitHub workflows


def workflow(name: str) -> dict:
    data = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text("utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


@pytest.mark.parametrize("name", ["ci.yml", "pages.yml"])
def test_workflow_actions_are_pinned_to_full_commits(name):
    text = (ROOT / ".github" / "workflows" / name).read_text("utf-8")
    uses = re.findall(r"uses: (\S+)(.*)", text)
    assert uses
    for action, comment in uses:
        if action.startswith("./"):
            continue
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r" # v\d+\.\d+\.\d+", comment), f"{action}: name the release in a comment"


def test_pull_requests_run_the_checks_without_deploying():
    ci = workflow("ci.yml")
    assert "pull_request" in ci["on"]
    assert ci["permissions"] == {"contents": "read"}
    steps = [step.get("run", "") for job in ci["jobs"].values() for step in job["steps"]]
    assert any("bash .ci/run" in run for run in steps)
    assert any("programme-guide publish --dry-run" in run for run in steps)
    assert "deploy-pages" not in (ROOT / ".github" / "workflows" / "ci.yml").read_text("utf-8")


def test_pages_deploys_from_main_with_least_permissions():
    pages = workflow("pages.yml")
    assert pages["on"]["push"]["branches"] == ["main"]
    assert pages["permissions"] == {"contents": "read"}
    jobs = pages["jobs"]
    assert jobs["checks"]["uses"] == "./.github/workflows/ci.yml"
    assert jobs["build"]["needs"] == "checks" and "permissions" not in jobs["build"]
    assert jobs["deploy"]["needs"] == "build"
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
