"""MkDocs adapter: write the open-data exports of each language next to its KA2 pages.

Events:
- on_post_build: once per language pass of mkdocs-static-i18n (all passes share one site_dir), write
  <site>/<language>/key-action-2/actions.json and deadlines.ics, and next to each fact sheet its own
  <action>.ics; in the source-language pass also schemas/actions.schema.json at the site root.

Reads data/ (through the package); writes only inside the site directory of the pass.
"""

from __future__ import annotations

from pathlib import Path

import i18n
from programme_guide.exports import SCHEMA_URL_PATH, actions_json, deadlines_ics, schema_bytes
from programme_guide.generate import load_beside
from programme_guide.pages import site_targets

# Hooks


def on_post_build(config):
    catalog = load_beside(config.config_file_path)
    if catalog.facts is None:
        return
    lang = i18n.current_language(config, catalog.guide.source_language)
    site = Path(config.site_dir)
    targets = site_targets(catalog)
    overview = next(t for t in targets.values() if t.kind == "overview")
    prefix = i18n.prefix(config)  # '' for the language at the site root, also in a one-language preview
    folder = site / prefix / overview.url
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "actions.json").write_bytes(actions_json(catalog, lang))
    (folder / "deadlines.ics").write_bytes(deadlines_ics(catalog, lang))
    for action in catalog.facts.actions:
        sheet = site / prefix / targets[f"action-{action}"].url
        sheet.mkdir(parents=True, exist_ok=True)
        (sheet / f"{action}.ics").write_bytes(deadlines_ics(catalog, lang, [action]))
    if lang == catalog.guide.source_language:
        schema = site / SCHEMA_URL_PATH
        schema.parent.mkdir(parents=True, exist_ok=True)
        schema.write_bytes(schema_bytes())
