"""MkDocs adapter: one 404 page per language, in that language.

Events:
- on_post_template (priority -50, after hooks/markup.py): mkdocs-static-i18n renders the theme's 404.html
  once per language, each time into the site root, so the last language built would win. For every
  language but the source, write the page into the language's folder instead (<site>/<lang>/404.html, the
  place programme_guide.finish.not_found_file names, where `programme-guide finish` looks for it) and give
  MkDocs an empty result, which it does not write. The source language's 404 page stays at <site>/404.html.

Reads nothing; writes <site>/<lang>/404.html.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import event_priority

import i18n
from programme_guide.finish import NOT_FOUND, not_found_file

# Hooks


@event_priority(-50)
def on_post_template(output_content, template_name, config):
    folder = i18n.prefix(config)
    if template_name != NOT_FOUND or not folder:
        return output_content
    target = Path(config.site_dir) / not_found_file(folder)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(output_content, encoding="utf-8")
    return ""
