"""MkDocs adapter: one 404 page per language, in that language.

Events:
- on_post_template (priority -50, after hooks/markup.py): mkdocs-static-i18n renders the theme's 404.html
  once per language, each time into the site root, so the last language built would win. For every
  language but the source, write the page to <site>/<lang>/404.html instead and give MkDocs an empty
  result, which it does not write. The source language's 404 page stays at <site>/404.html.

Reads nothing; writes <site>/<lang>/404.html.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import event_priority

TEMPLATE = "404.html"

# Hooks


@event_priority(-50)
def on_post_template(output_content, template_name, config):
    i18n = config.plugins.get("i18n")
    if template_name != TEMPLATE or i18n is None or i18n.current_language == i18n.default_language:
        return output_content
    target = Path(config.site_dir) / i18n.current_language / TEMPLATE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(output_content, encoding="utf-8")
    return ""
