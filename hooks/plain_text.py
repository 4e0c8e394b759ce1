"""MkDocs adapter: texts from data/ reach the theme as text, never as HTML.

Material for MkDocs prints the site name, the site description, page titles and navigation titles
into its HTML as they are (MkDocs' Jinja environment does not escape), so a `<script>` typed into
data/locales/nl.yml would run in every page's header. The generated page bodies are escaped by the
engine already; this hook escapes what goes around them. Each value becomes markupsafe.Markup
holding the escaped text: printed as is it shows as text, and the theme's own `| e` leaves it alone
instead of escaping it twice.

Events:
- on_config (priority -150: after mkdocs-static-i18n has put the language's site name and description
  into the configuration, which it resets before each language): escape them.
- on_page_markdown: escape the page's title and description from its front matter.
- on_nav (priority -200, after mkdocs-static-i18n has translated them): escape the section titles.

Reads and writes only the configuration, navigation and page metadata it is given.
"""

from __future__ import annotations

from markupsafe import Markup
from mkdocs.plugins import event_priority
from mkdocs.structure.nav import Section

FIELDS = ("site_name", "site_description")
META = ("title", "description")

# Hooks


@event_priority(-150)
def on_config(config):
    for name in FIELDS:
        if isinstance(config[name], str):
            config[name] = escaped(config[name])
    return config


def on_page_markdown(markdown, page, config, files):
    for key in META:
        if isinstance(page.meta.get(key), str):
            page.meta[key] = escaped(page.meta[key])
    return markdown


@event_priority(-200)
def on_nav(nav, config, files):
    _escape_sections(nav.items)
    return nav


# Helpers


def escaped(text: str) -> Markup:
    """The text as HTML that shows exactly the text (already escaped text is left as it is)."""
    return Markup.escape(text)


def _escape_sections(items) -> None:
    for item in items:
        if isinstance(item, Section):
            item.title = escaped(item.title)
            _escape_sections(item.children)
