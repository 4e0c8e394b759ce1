"""MkDocs adapter: two builds of the same commit give byte-identical sites.

MkDocs dates every sitemap entry (<lastmod>) and the gzip header of sitemap.xml.gz with the day of the
build, unless SOURCE_DATE_EPOCH is set (https://reproducible-builds.org/specs/source-date-epoch/).
Everything else in the build already depends on the input only.

Events:
- on_config (priority 200, before every other handler): when SOURCE_DATE_EPOCH is not set, set it to
  the commit time of HEAD in the repository that holds mkdocs.yml, so the dates say when the content
  last changed. Outside a git checkout (an exported copy) the newest modification time of mkdocs.yml
  and of the files in data/ is used instead. A value set by the caller always wins.

Reads the git history or the file times; writes only the process environment.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from mkdocs.plugins import event_priority

VARIABLE = "SOURCE_DATE_EPOCH"

# Hooks


@event_priority(200)
def on_config(config):
    if not os.environ.get(VARIABLE):
        root = Path(config.config_file_path).resolve().parent
        os.environ[VARIABLE] = str(_commit_time(root) or _newest_input_time(root))
    return config


# Helpers


def _commit_time(root: Path) -> int | None:
    """Seconds since the epoch of the HEAD commit, or None outside a git checkout."""
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    value = result.stdout.strip()
    return int(value) if result.returncode == 0 and value.isdigit() else None


def _newest_input_time(root: Path) -> int:
    inputs = [root / "mkdocs.yml", *sorted((root / "data").rglob("*"))]
    return max(int(path.stat().st_mtime) for path in inputs if path.is_file())
