"""MkDocs adapter: generate the pages from data/ before MkDocs reads docs/.

Events:
- on_config (priority 100, before mkdocs-static-i18n): validate data/ (the pages are rendered once: rendering
  the Dutch pages and one translation's, before anything is written, is also the check that every key they
  use exists; a preview of one translation renders its pages only), write
  the generated Markdown tree page by page (programme_guide.generate.write_site) and its
  navigation data (.nav/<lang>.yml) into docs_dir (only files whose content changed), set
  the navigation (programme_guide.navigation) and the per-language site name, description and
  navigation titles. Runs once per build: the later language passes of
  mkdocs-static-i18n reuse the same config and files.
- on_serve: watch data/ so `mkdocs serve --livereload` rebuilds when a YAML file changes.

The pages link their texts to their lines in the locale files on the code host: `repo_url`, on the branch
`extra.edit_branch` (default main).

Reads data/ (next to mkdocs.yml); writes <docs_dir>/**/index*.md, <docs_dir>/.nav/ and <docs_dir>/.generated, holding
the lock on docs_dir that `programme-guide generate` also takes (a second build waits for the first to
finish writing; a one-language preview leaves the other languages' pages in place).
A data error stops the build before anything is written to site/.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

import i18n
from programme_guide.edits import EditLinks
from programme_guide.errors import DataError
from programme_guide.generate import LockTimeout, data_dir_beside, load_cached, write_site
from programme_guide.navigation import nav_translations, site_nav, write_navigation

log = logging.getLogger("mkdocs.hooks.generate")

# Hooks


@event_priority(100)
def on_config(config):
    if not i18n.is_first_pass(config):
        return config
    data_dir = _data_dir(config)
    try:
        catalog = load_cached(data_dir)
        _check_languages(catalog, i18n.build_languages(config, catalog.guide.source_language))
        languages = _languages_to_build(catalog, i18n.only_locale(config))
        share = i18n.share(config)  # one process of `programme-guide build` writes its languages only
        if share is not None:
            languages = [code for code in languages if code == catalog.guide.source_language or code in share]
        # Rendered and written one page at a time; raises for a text the pages lack before writing any
        result = write_site(catalog, languages, Path(config.docs_dir), _edit_links(config), log.info)
    except DataError as exc:
        raise PluginError(exc.format(data_dir.parent)) from None
    except LockTimeout as exc:
        raise PluginError(str(exc)) from None
    for warning in result.warnings:
        log.warning(warning)
    write_navigation(catalog, Path(config.docs_dir), languages)
    config.nav = site_nav(catalog)
    i18n.set_language_texts(config, _language_texts(catalog))
    return config


def on_serve(server, config, builder):
    server.watch(str(_data_dir(config)))
    return server


# Helpers


def _data_dir(config) -> Path:
    return data_dir_beside(config.config_file_path)


def _edit_links(config) -> EditLinks | None:
    """Where the "improve this translation" links open the locale files: `repo_url`, on the branch named by
    `extra.edit_branch` (default main); no links without a repo_url."""
    if not config.repo_url:
        return None
    try:
        return EditLinks(config.repo_url, str(config.extra.get("edit_branch") or "main"))
    except ValueError as exc:
        hint = "set repo_url (or REPO_URL) to the repository's https:// address"
        raise PluginError(f"mkdocs.yml: {exc}; {hint}") from None


def _check_languages(catalog, built: list[str]) -> None:
    """mkdocs.yml builds only languages that data/languages.yml configures: another one has no texts."""
    unknown = [code for code in built if code not in catalog.guide.language_codes]
    if unknown:
        raise PluginError(
            f"mkdocs.yml builds {', '.join(unknown)}, which data/languages.yml does not configure: remove "
            "them from plugins.i18n.languages in mkdocs.yml, or add them to data/languages.yml, each with a "
            "locale file"
        )


def _languages_to_build(catalog, only: str | None) -> list[str]:
    """All languages, or the one given by build_only_locale (translator preview). A preview of a translation
    needs no page of the source language: the plugin finds each page of the navigation in the preview's
    language, which has every page."""
    if not only:
        return list(catalog.guide.language_codes)
    if only not in catalog.guide.language_codes:
        codes = ", ".join(catalog.guide.language_codes)
        raise PluginError(f"BUILD_ONLY_LOCALE={only} is not a configured language; use one of: {codes}")
    return [only]


def _language_texts(catalog) -> dict[str, i18n.LanguageTexts]:
    """Per-language site name, description and navigation section titles from the locale files."""
    return {
        code: i18n.LanguageTexts(
            site_name=catalog.text(code, "site.name").value,
            site_description=catalog.text(code, "site.description").value,
            nav_translations=nav_translations(catalog, code),
        )
        for code in catalog.locales
    }
