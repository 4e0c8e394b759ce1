"""MkDocs adapter: two builds of the same commit give byte-identical sites.

MkDocs dates every sitemap entry (<lastmod>) and the gzip header of sitemap.xml.gz with the day of the
build, unless SOURCE_DATE_EPOCH is set (https://reproducible-builds.org/specs/source-date-epoch/).
Pagefind lists the languages in pagefind/pagefind-entry.json in a different order on every run.
Everything else in the build already depends on the input only.

Events:
- on_config (priority 200, before every other handler): when SOURCE_DATE_EPOCH is not set, set it to
  the commit time of HEAD in the repository that holds mkdocs.yml, so the dates say when the content
  last changed. Outside a git checkout (an exported copy) the newest modification time of mkdocs.yml
  and of the files in data/ is used instead. A value set by the caller always wins.
- on_post_build (priority -300, after the Pagefind hook; once, after the last language): rewrite
  pagefind/pagefind-entry.json with its languages in alphabetical order. Pagefind looks languages up by
  code, so only the bytes change.

Reads the git history or the file times; writes the process environment and pagefind-entry.json.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from mkdocs.plugins import event_priority

import i18n
from programme_guide.deadlines import commit_time

VARIABLE = "SOURCE_DATE_EPOCH"
PAGEFIND_ENTRY = Path("pagefind") / "pagefind-entry.json"

# Hooks


@event_priority(200)
def on_config(config):
    if not os.environ.get(VARIABLE):
        root = Path(config.config_file_path).resolve().parent
        os.environ[VARIABLE] = str(commit_time(root) or _newest_input_time(root))
    return config


@event_priority(-300)
def on_post_build(config):
    if not i18n.is_last_pass(config):
        return
    entry = Path(config.site_dir) / PAGEFIND_ENTRY
    if entry.is_file():
        _sort_languages(entry)


# Helpers


def _newest_input_time(root: Path) -> int:
    inputs = [root / "mkdocs.yml", *sorted((root / "data").rglob("*"))]
    return max(int(path.stat().st_mtime) for path in inputs if path.is_file())


def _sort_languages(entry: Path) -> None:
    data = json.loads(entry.read_text("utf-8"))
    if isinstance(data.get("languages"), dict):
        data["languages"] = dict(sorted(data["languages"].items()))
        entry.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")
