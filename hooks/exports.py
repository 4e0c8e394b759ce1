"""MkDocs adapter: write the open-data exports of each language next to its KA2 pages.

Events:
- on_post_build: once per language pass of mkdocs-static-i18n (all passes share one site_dir), write the
  language's open data into its folder (programme_guide.finish.write_exports, which `programme-guide finish`
  also runs): <site>/<language>/key-action-2/actions.json and deadlines.ics, and next to each fact sheet its
  own <action>.ics; in the source-language pass also schemas/actions.schema.json at the site root.

Reads data/ (through the package); writes only inside the site directory of the pass.
"""

from __future__ import annotations

from pathlib import Path

import i18n
from programme_guide.finish import write_exports
from programme_guide.generate import load_beside

# Hooks


def on_post_build(config):
    catalog = load_beside(config.config_file_path)
    lang = i18n.current_language(config, catalog.guide.source_language)
    # prefix: '' for the language at the site root, also in a one-language preview
    write_exports(catalog, Path(config.site_dir), lang, i18n.prefix(config))
