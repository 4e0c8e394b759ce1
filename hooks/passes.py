"""MkDocs adapter: build some of the site's languages only, each where a build of all puts it.

`programme-guide build` (programme_guide.build) runs several `mkdocs build` processes side by side, each for
a share of the languages, and merges their folders into one site; this hook restricts a process to its share,
given by PROGRAMME_GUIDE_PASSES (comma-separated codes; empty: the source language only). Without the variable
nothing changes.

Events:
- on_config (priority 110, before hooks/generate.py writes the pages): in the first pass, record the share
  (hooks/i18n.py set_share) and point docs_dir at a folder of this process's own, <site_dir>.docs, holding
  the static files of docs/ and, written by hooks/generate.py, the pages of the source language and the
  share only. mkdocs-static-i18n looks at every page file of docs_dir in every pass, so a share's pass costs
  less with the other languages' files left out.
- on_post_build (priority -90: in the first pass, after the other hooks' handlers and before
  mkdocs-static-i18n's, which starts the other languages' passes): build only the share after the first pass
  (hooks/i18n.py restrict_passes). Every page still lists every language (switcher, hreflang, sitemap);
  the search index is left to the merged site (hooks/search.py).

Reads the environment and docs/; writes <site_dir>.docs/.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

import i18n

VARIABLE = "PROGRAMME_GUIDE_PASSES"
GENERATED = ("index.md", "index.*.md", ".generated", ".nav")  # what hooks/generate.py writes into docs_dir

# Hooks


@event_priority(110)
def on_config(config):
    languages = _share()
    if languages is None or not i18n.is_first_pass(config):
        return config
    i18n.set_share(config, languages)
    docs = Path(f"{Path(config.site_dir)}.docs")
    if docs.exists():
        shutil.rmtree(docs)
    shutil.copytree(config.docs_dir, docs, ignore=shutil.ignore_patterns(*GENERATED))
    config.docs_dir = str(docs)
    return config


@event_priority(-90)
def on_post_build(config):
    languages = _share()
    if languages is None or not i18n.is_first_pass(config):
        return
    try:
        i18n.restrict_passes(config, languages)
    except ValueError as exc:
        raise PluginError(f"{VARIABLE}: {exc}") from None


# Helpers


def _share() -> list[str] | None:
    value = os.environ.get(VARIABLE)
    return None if value is None else [code.strip() for code in value.split(",") if code.strip()]
