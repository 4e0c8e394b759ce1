"""MkDocs adapter: two builds of the same commit give byte-identical sites.

MkDocs dates every sitemap entry (<lastmod>) and the gzip header of sitemap.xml.gz with the day of the
build, unless SOURCE_DATE_EPOCH is set (https://reproducible-builds.org/specs/source-date-epoch/).
(Pagefind's language order in pagefind-entry.json is fixed where the index is made,
programme_guide.finish.index_search.) Everything else in the build already depends on the input only.

Events:
- on_config (priority 200, before every other handler): when SOURCE_DATE_EPOCH is not set, set it to
  the commit time of HEAD in the repository that holds mkdocs.yml, so the dates say when the content
  last changed. Outside a git checkout (an exported copy) the newest modification time of mkdocs.yml
  and of the files in data/ is used instead. A value set by the caller always wins.

Reads the git history or the file times; writes the process environment.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.plugins import event_priority

from programme_guide.deadlines import commit_time

VARIABLE = "SOURCE_DATE_EPOCH"

# Hooks


@event_priority(200)
def on_config(config):
    if not os.environ.get(VARIABLE):
        root = Path(config.config_file_path).resolve().parent
        os.environ[VARIABLE] = str(commit_time(root) or _newest_input_time(root))
    return config


# Helpers


def _newest_input_time(root: Path) -> int:
    inputs = [root / "mkdocs.yml", *sorted((root / "data").rglob("*"))]
    return max(int(path.stat().st_mtime) for path in inputs if path.is_file())
