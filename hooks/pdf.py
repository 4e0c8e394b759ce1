"""MkDocs adapter: a PDF of the whole Key Action 2 guide in each language, written once every language is built.

Events:
- on_startup: remember the command. `mkdocs serve` skips the PDFs (its previews rebuild on every change);
  `mkdocs build` and `mkdocs gh-deploy` write them. PROGRAMME_GUIDE_PDF=0 skips them in any command, =1
  writes them under `mkdocs serve` too, and a list of language codes (PROGRAMME_GUIDE_PDF=nl,el) writes
  those languages' PDFs only, in any command.
- on_env: put `pg_pdf` (the file name of the language's PDF, or None when this build writes no PDF for the
  language: its pages then link none) into the Jinja globals, for the link in
  overrides/partials/copyright.html. Runs once per language pass.
- on_post_build (priority -200): mkdocs-static-i18n builds the other languages from inside its own
  on_post_build of the source-language pass, so this handler runs once per language; it returns while that
  plugin is still building and, after the last language, writes the PDF of every language whose pages this
  build made (only the preview's language with BUILD_ONLY_LOCALE, only its share in one process of a
  parallel build) with programme_guide.pdf.build_pdfs.

Reads the built site and data/ (through the package); writes <language folder>/programme-guide-ka2-<lang>.pdf.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger

import i18n
from programme_guide.errors import DataError
from programme_guide.generate import load_beside
from programme_guide.pdf import build_pdfs, built_languages, pdf_name

SWITCH = "PROGRAMME_GUIDE_PDF"  # "0": none; "1": all, under `mkdocs serve` too; "nl,el": those; unset: all but serve
log = get_plugin_logger(__name__)
_command = {"name": "build"}  # `mkdocs serve` does not reload hook modules: set again at each start

# Hooks


def on_startup(command, dirty):
    _command["name"] = command


def on_config(config):
    catalog = load_beside(config.config_file_path)
    _wanted(catalog.guide.language_codes)  # an unknown code stops the build before any page is built
    return config


def on_env(env, config, files):
    catalog = load_beside(config.config_file_path)
    lang = i18n.current_language(config, catalog.guide.source_language)
    env.globals["pg_pdf"] = pdf_name(lang) if lang in _wanted(catalog.guide.language_codes) else None
    return env


@event_priority(-200)
def on_post_build(config):
    if not i18n.is_last_pass(config):
        return
    catalog = load_beside(config.config_file_path)
    wanted = _wanted(catalog.guide.language_codes)
    site = Path(config.site_dir)
    languages = [
        lang
        for lang in built_languages(site, i18n.build_languages(config, catalog.guide.source_language))
        if lang in wanted
    ]
    if not languages:
        return
    started = time.monotonic()
    try:
        build_pdfs(site, languages, catalog)
    except DataError as error:
        raise PluginError(f"The PDFs could not be written: {error}") from None
    log.info("PDF of the guide written for %s in %.1f s", ", ".join(languages), time.monotonic() - started)


# Helpers


def _wanted(codes) -> list[str]:
    """The languages whose PDF this build writes (and whose pages link it), from PROGRAMME_GUIDE_PDF."""
    switch = os.environ.get(SWITCH, "").strip()
    if switch == "0" or (not switch and _command["name"] == "serve"):
        return []
    if switch in ("", "1"):
        return list(codes)
    wanted = [code.strip() for code in switch.split(",") if code.strip()]
    unknown = [code for code in wanted if code not in codes]
    if unknown:
        raise PluginError(
            f"{SWITCH}={switch}: {', '.join(unknown)} is not a configured language; use 0, 1 or a comma-separated "
            f"list of: {', '.join(codes)}"
        )
    return wanted
