"""`programme-guide publish`: a checked site reaches gh-pages; broken data or a failing check never does.

The project copy is a git checkout whose remote is a bare repository in tmp_path that already holds
an earlier publication, so "left untouched" means the remote's gh-pages ref did not move.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, build_env
from programme_guide.model import load_guide
from programme_guide.publish import Options, PublishError, check_containment, check_links, check_pages, deploy

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


@pytest.fixture
def repo(project, tmp_path) -> Path:
    """The project copy as a git checkout; its remote 'origin' holds an earlier publication on gh-pages."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    git(project, "init", "--quiet")
    git(project, "add", "-A")
    git(project, "commit", "--quiet", "-m", "the guide")
    git(project, "remote", "add", "origin", str(remote))
    empty_tree = git(project, "hash-object", "-t", "tree", "-w", "/dev/null")
    earlier = git(project, "commit-tree", empty_tree, "-m", "Deployed 0000000 with MkDocs version: 1.6.1")
    git(project, "push", "--quiet", "origin", f"{earlier}:refs/heads/gh-pages")
    return project


def two_languages(project: Path, keep: tuple[str, ...] = ("nl", "en")) -> Path:
    """Reduce the project copy to Dutch and English: a complete small site that builds in seconds."""
    config = project / "mkdocs.yml"
    text, count = re.subn(
        r"(- locale: (\w+)\n\s+name: .*\n\s+)build: true",
        lambda m: m.group(0) if m.group(2) in keep else f"{m.group(1)}build: false",
        config.read_text("utf-8"),
    )
    assert count >= len(keep), "test setup: the i18n languages in mkdocs.yml changed form"
    config.write_text(text, "utf-8")
    languages = project / "data" / "languages.yml"
    lines = languages.read_text("utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not (m := re.match(r"\s+- \{code: (\w+),", line)) or m.group(1) in keep]
    assert len(lines) - len(kept) > 0, "test setup: data/languages.yml changed form"
    languages.write_text("".join(kept), "utf-8")
    for path in (project / "data" / "locales").glob("*.yml"):
        if path.stem not in keep:
            path.unlink()
    return project


def remote_of(repo: Path) -> Path:
    return repo.parent / "remote.git"


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", message)


def test_publish_deploys_the_checked_site_on_top_of_the_earlier_publication(repo):
    remote = remote_of(repo)
    earlier = remote_ref(remote)
    result = publish(repo)
    assert result.returncode == 0, result.stderr[-3000:]
    for step in ("check: ok", "build: ok", "verify: ok", "deploy: ok"):
        assert step in result.stdout
    published = remote_ref(remote)
    assert published != earlier
    assert git(repo, "--git-dir", str(remote), "rev-parse", "gh-pages^") == earlier
    sha = git(repo, "rev-parse", "--short", "HEAD")
    subject = git(repo, "--git-dir", str(remote), "log", "-1", "--format=%s", "gh-pages")
    assert subject == f"Deployed {sha} with MkDocs version: 1.6.1"
    files = set(git(repo, "--git-dir", str(remote), "ls-tree", "-r", "--name-only", "gh-pages").splitlines())
    for path in ("index.html", "key-action-2/index.html", "en/index.html", "en/key-action-2/index.html"):
        assert path in files
    assert {".nojekyll", "sitemap.xml", "404.html"} <= files
    assert not (repo / "site").exists(), "publish built into the live site/ folder"


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


def test_failing_site_check_leaves_gh_pages_untouched(repo):
    """The strict build passes, but a page links to a file that does not exist: nothing is deployed."""
    two_languages(repo)
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


def test_dry_run_builds_and_verifies_without_git_and_can_keep_the_checked_site(project, tmp_path):
    """--dry-run needs no git checkout and changes no branch; --output keeps the checked tree (for CI)."""
    kept = tmp_path / "checked"
    result = publish(two_languages(project), "--dry-run", "--output", str(kept))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "verify: ok" in result.stdout
    assert "dry run:" in result.stdout and "would be published to origin/gh-pages" in result.stdout
    assert (kept / "index.html").is_file() and (kept / "en" / "key-action-2" / "index.html").is_file()
    assert not (project / "site").exists()


def test_output_never_goes_into_the_live_site_folder(project):
    result = publish(project, "--dry-run", "--output", "site")
    assert result.returncode == 1
    assert "publish never writes into the live site/ folder" in result.stderr
    assert "build:" not in result.stdout


def test_dry_run_stops_when_a_language_is_not_built(project):
    """English is configured in data/ but switched off in mkdocs.yml: the site checks notice."""
    config = two_languages(project) / "mkdocs.yml"
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
    assert result.returncode == 1
    assert "no git remote named 'nowhere'" in result.stderr
    assert "build:" not in result.stdout


def test_rejected_push_restores_the_local_branch(repo, tmp_path):
    """When the remote refuses the push, neither the remote nor the local gh-pages branch moves."""
    remote = remote_of(repo)
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'pushes are closed' >&2\nexit 1\n", "utf-8")
    hook.chmod(0o755)
    site = tmp_path / "built"
    (site / "en").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>x</title>\n", "utf-8")
    before = remote_ref(remote)
    with pytest.raises(PublishError, match="deploying to origin/gh-pages failed"):
        deploy(repo, site, Options(message=MESSAGE))
    assert remote_ref(remote) == before
    assert subprocess.run(["git", "rev-parse", "--verify", "--quiet", "gh-pages"], cwd=repo).returncode != 0


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
