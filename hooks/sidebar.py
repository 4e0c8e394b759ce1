"""MkDocs adapter: a group of many actions takes a few lines of a page's sidebar, not one line per action.

With `navigation.prune` the theme lists, on each page, the pages of the sections the page is in: on a fact
sheet, every action of its group. A group with more actions than the engine's limit
(programme_guide.navigation.listed_actions) lists only the page's own action and its neighbours, then a link to
the group's page, which lists them all ("All 150 actions in this group", in the page's language).

A group is a section of pages only: the group's own page first, then its actions (the navigation of
programme_guide.navigation). Sections that hold sections, and groups within the limit, are left as they are,
so a site whose groups are all within it is the same bytes with or without this hook.

Events:
- on_page_context (last of the handlers): the page's group gets the children the page lists, for the theme's
  render of this page.
- on_post_page (first of the handlers): the group gets all its children back, for the next page.

Reads data/ for the link's text; writes nothing.
"""

from __future__ import annotations

from mkdocs.plugins import event_priority
from mkdocs.structure.nav import Link

import i18n
from programme_guide.generate import load_beside
from programme_guide.navigation import all_actions_label, listed_actions

# The group whose children a page's render changed, and all its children: (section, children).
_changed: list[tuple] = []

# Hooks


@event_priority(-100)
def on_page_context(context, page, config, nav):
    group = page.parent
    if group is None or not group.children or not all(item.is_page for item in group.children):
        return context
    own, *actions = group.children
    current = next((n for n, action in enumerate(actions) if action is page), None)
    listed = listed_actions(len(actions), current)
    if len(listed) == len(actions):
        return context
    catalog = load_beside(config.config_file_path)
    lang = i18n.current_language(config, catalog.guide.source_language)
    link = Link(all_actions_label(catalog, lang, len(actions)), own.url)
    _changed.append((group, group.children))
    group.children = [own, *(actions[n] for n in listed), link]
    return context


@event_priority(100)
def on_post_page(output, page, config):
    while _changed:
        group, children = _changed.pop()
        group.children = children
    return output
