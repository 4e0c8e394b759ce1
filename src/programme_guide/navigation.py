"""The site's navigation as data: which pages, in which order, under which section titles, per language.

The structure is MkDocs' `nav` format, which other engines read too (Zensical reads mkdocs.yml): a list
whose items are a page's Markdown path, or a one-key mapping from a section title to its items. A page in
the list takes its title from its front matter; only sections have titles here.

- :func:`site_nav` is the navigation MkDocs gets (hooks/generate.py sets it as `config.nav`): the source
  language's paths and section titles. mkdocs-static-i18n finds each language's file of a path itself
  (index.md -> index.en.md) and translates the section titles with :func:`nav_translations`.
- :func:`language_nav` is the same navigation for one language, with that language's paths and section
  titles, for an engine that builds each language on its own.

A group with many actions is listed in part: :func:`listed_actions` picks which of them a page's sidebar shows
(the engine's rule; hooks/sidebar.py applies it to the theme's navigation), and a link to the group's page,
which lists them all, follows them.

`programme-guide generate` writes both as YAML next to the Markdown tree (:data:`NAV_FOLDER`), one file per
language: ``.nav/<lang>.yml``. The folder's name starts with a dot, so MkDocs does not copy it into the site.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml
from markupsafe import Markup

from .atomic import write_atomic
from .locales import Catalog
from .pages import counted, inline, site_targets

NAV_FOLDER = ".nav"
GROUP_LIMIT = 12  # a group with more actions than this lists only some of them in the sidebar
GROUP_WINDOW = 7  # how many: the page's own action and its neighbours
GROUP_ALL_KEY = "ui.family.all_actions"  # the link to the group's page that follows them (a plural text)


def site_nav(catalog: Catalog) -> list:
    """The navigation in model order, with the source language's paths and section titles."""
    return language_nav(catalog, catalog.guide.source_language)


def language_nav(catalog: Catalog, lang: str) -> list:
    """The navigation of one language: its Markdown paths (index.<lang>.md; index.md for the source) and its
    section titles."""
    source = catalog.guide.source_language
    suffix = "" if lang == source else f".{lang}"
    targets = site_targets(catalog)

    def path(target) -> str:
        return f"{target.url}index{suffix}.md"

    nav: list = []
    for target in targets.values():
        if target.kind == "overview":
            below = ("compare", "compare-all", "changes")
            children = [path(target)] + [path(t) for t in targets.values() if t.kind in below]
            for family in catalog.guide.families:
                family_target = targets[f"family-{family.id}"]
                pages = [path(family_target)] + [path(targets[f"action-{a}"]) for a in family.actions]
                children.append({catalog.text(lang, family_target.title_key).value: pages})
            nav.append({catalog.text(lang, f"{target.id}.nav").value: children})
        elif target.kind in ("home", "glossary", "status", "about"):
            nav.append(path(target))
    return nav


def listed_actions(count: int, current: int | None, limit: int = GROUP_LIMIT, window: int = GROUP_WINDOW) -> range:
    """Which of a group's ``count`` actions (by position) a page's sidebar lists: all of them when there are at
    most ``limit``; otherwise ``window`` of them, the page's own (at position ``current``) in the middle as far
    as the ends of the list allow, or the first ones on a page that is none of them (the group's own page)."""
    if count <= limit:
        return range(count)
    window = max(1, min(window, count))
    if current is None:
        return range(window)
    start = min(max(current - window // 2, 0), count - window)
    return range(start, start + window)


def all_actions_label(catalog: Catalog, lang: str, count: int) -> Markup:
    """The link to a group's page below its listed actions ("All 150 actions in this group"), as HTML: a Dutch
    fallback is marked as such."""
    return inline(counted(catalog, lang, GROUP_ALL_KEY, count))


def section_keys(catalog: Catalog) -> list[str]:
    """The text keys of the navigation's section titles."""
    return [f"{catalog.guide.overview_id}.nav"] + [f"family.{family.id}.name" for family in catalog.guide.families]


def nav_translations(catalog: Catalog, lang: str) -> dict[str, str]:
    """Section title in the source language -> the same title in ``lang``."""
    source = catalog.guide.source_language
    return {catalog.text(source, key).value: catalog.text(lang, key).value for key in section_keys(catalog)}


def nav_yaml(nav: list) -> bytes:
    return yaml.safe_dump(nav, allow_unicode=True, sort_keys=False, width=1000).encode("utf-8")


def nav_file(lang: str) -> str:
    """Where a language's navigation lies, relative to the folder of the Markdown tree."""
    return f"{NAV_FOLDER}/{lang}.yml"


def write_navigation(catalog: Catalog, out_dir: Path, languages: Iterable[str]) -> list[str]:
    """Write ``.nav/<lang>.yml`` for each language into ``out_dir`` (only files whose content changed);
    return the files written."""
    written = []
    folder = out_dir / NAV_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for lang in languages:
        target = out_dir / nav_file(lang)
        data = nav_yaml(language_nav(catalog, lang))
        if target.is_file() and target.read_bytes() == data:
            continue
        write_atomic(target, data, durable=False)
        written.append(nav_file(lang))
    return written


def section_titles(nav: list) -> list[str]:
    """The section titles of a navigation, in order (depth first): the same positions in every language, so
    two languages' lists pair up as a translation table (what mkdocs-static-i18n's nav_translations holds)."""
    titles = []
    for item in nav:
        if isinstance(item, dict):
            for title, children in item.items():
                titles += [title, *section_titles(children)]
    return titles


def read_navigation(tree: Path, lang: str) -> list:
    """The navigation of ``lang`` that :func:`write_navigation` wrote into the Markdown tree ``tree``."""
    return yaml.safe_load((tree / nav_file(lang)).read_text("utf-8"))
