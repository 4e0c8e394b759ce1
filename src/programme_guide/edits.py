"""A way in for translators: links that open a text's line in its locale file on the code host, and the texts of a
language that still need work (outdated and draft entries, with their notes).

The repository's address and branch come from the site configuration (MkDocs' ``repo_url``), handed over as plain
values by the adapter or by `programme-guide generate --repo-url`; without them the pages carry no edit links.
No MkDocs imports.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlsplit

from .locales import Catalog

EXCERPT = 60  # characters of a text shown in a work list
WORK_STATES = ("outdated", "draft")  # what needs work, most urgent first


@dataclass(frozen=True)
class EditLinks:
    """Where the data can be edited online: the repository's web address and the branch to edit."""

    repo_url: str
    branch: str = "main"

    def __post_init__(self) -> None:
        parts = urlsplit(self.repo_url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ValueError(f"the repository address '{self.repo_url}' is not a web address (https://...)")
        if not self.branch or any(c.isspace() for c in self.branch):
            raise ValueError(f"the branch name '{self.branch}' is empty or holds a space")

    def url(self, path: str, line: int | None = None) -> str:
        """The code host's editor for ``path`` (relative to the repository root), scrolled to ``line``."""
        base = self.repo_url.rstrip("/")
        host = urlsplit(base).hostname or ""
        target = f"{quote(self.branch)}/{quote(path)}"
        anchor = f"#L{line}" if line else ""
        if "gitlab" in host:
            return f"{base}/-/edit/{target}{anchor}"
        if "bitbucket" in host:
            return f"{base}/src/{target}?mode=edit" + (f"#lines-{line}" if line else "")
        if any(name in host for name in ("codeberg", "gitea", "forgejo")):
            return f"{base}/_edit/{target}{anchor}"
        return f"{base}/edit/{target}{anchor}"  # GitHub, and hosts that copy its addresses


@dataclass(frozen=True)
class WorkItem:
    """One text of a translation that needs a translator or a reviewer."""

    key: str
    state: str  # outdated or draft
    excerpt: str
    note: str
    path: Path
    line: int | None


def work_items(catalog: Catalog, lang: str) -> list[WorkItem]:
    """The outdated texts of a language, then its drafts, each group in the order of the Dutch file."""
    if lang == catalog.guide.source_language:
        return []
    locale = catalog.locales[lang]
    states = {key: catalog.text(lang, key).state for key in catalog.source.entries}
    items = []
    for state in WORK_STATES:
        for key in (k for k, s in states.items() if s == state):
            entry = locale.entries[key]
            items.append(WorkItem(key, state, excerpt(entry.text), entry.note, locale.path, entry.line))
    return items


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """The start of a text, cut after a whole word."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(".,;:·") + "…"


@dataclass(frozen=True)
class Edits:
    """What a template needs to link a language's texts to their lines in its locale file."""

    catalog: Catalog
    lang: str
    links: EditLinks | None

    def __bool__(self) -> bool:
        return self.links is not None

    def path(self, lang: str | None = None) -> str:
        """The locale file of a language (default: the page's), relative to the repository root."""
        locale = self.catalog.locales[lang or self.lang]
        return _below(locale.path, self.catalog.guide.data_dir)

    def key(self, key: str, lang: str | None = None) -> str:
        """The editor at the line of ``key`` in a language's locale file (the file's top where it lacks the key)."""
        entry = self.catalog.locales[lang or self.lang].entries.get(key)
        return self.links.url(self.path(lang), entry.line if entry else None) if self.links else ""

    def items(self, lang: str | None = None) -> list[WorkItem]:
        return work_items(self.catalog, lang or self.lang)


@lru_cache(maxsize=256)  # asked for every text with an edit link: thousands of times per build
def _below(path: Path, data_dir: Path) -> str:
    """``path`` relative to the repository root, the folder that holds the data folder."""
    return path.resolve().relative_to(data_dir.resolve().parent).as_posix()
