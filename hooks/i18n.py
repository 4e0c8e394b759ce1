"""The one place that reads and writes mkdocs-static-i18n's build state; the other hooks import it.

Not a hook itself (mkdocs.yml does not list it): MkDocs puts hooks/ on the import path while it loads a hook,
so the hooks import it as `import i18n`.

mkdocs-static-i18n 1.3.1 builds the default language into site/ and then, from inside its own
on_post_build (priority -100) of that first pass, rebuilds the whole site once per other language into
site/<lang>/, reusing the same config object. So every hook event runs once per language pass. The plugin
tells which pass is running only through undocumented attributes of its plugin object:

- `current_language`: the language being built; set in the plugin's on_config (priority -100), so it is
  None in the first pass's earlier on_config handlers and reliable in every event after it, except in
  on_post_build handlers below -100 of the first pass: they run after every pass and see the last language;
- `building`: true while the plugin runs the other languages' passes, false in the first pass and again
  once all passes are done;
- `default_language` and `build_languages` (properties), and `config.build_only_locale` and
  `config.languages[]` (its config schema: locale, site_name, site_description, nav_translations).

With `build_only_locale` (BUILD_ONLY_LOCALE=en: the translator's preview) the plugin makes that language the
default and the only one built, so it is built at the site root.

`restrict_passes` makes one process build some languages only, each in its own folder as in a build of all
(`programme-guide build` runs several such processes side by side, see hooks/passes.py): at the end of the
first pass it sets the `build` flag of every language but the share to false, so the plugin's loop over
`build_languages` skips them. By then the plugin has made the language switcher's list (`extra.alternate`, in
its on_config of the first pass) from every language, and `build_languages()` here keeps answering with the
site's languages. The first pass's own language is switched off too: the plugin's loop compares each language
with the one built last, not with the first, so a build of all languages builds the default language twice
(at the start and again at its place in the list), with the same result.

In every pass the plugin also works out, for each page and each language, which file the language switcher
links to (`reconfigure_files_alternates`, some 200,000 new File objects in a build of 24 languages, and about
40 % of its time), and it keeps every pass's pages for its own sitemap template (`i18n_files_per_language`).
This site needs neither: its switcher (overrides/partials/alternate.html) links each language's version of the
page from the page's path, since every generated page exists in every language, and its sitemap is its own
(overrides/sitemap.xml, hooks/alternates.py). `skip_switcher_files` leaves out the first and
`forget_earlier_passes` lets the plugin hold the pages of the pass being built only (kept, they came to
over a gigabyte at 50 times the guide's size); a build with them writes the same bytes as one without
(tests/test_i18n_plumbing.py). For the same reason `other_languages_files` names the pages a pass can leave out
of its files before the plugin sees them: those of languages other than the pass's own and the default one.

Nothing else in hooks/ touches the plugin; tests/test_i18n_plumbing.py checks these attributes on the
installed plugin and fails when an upgrade changes them. Without the plugin (a plain MkDocs build) there is
one pass, in the language the caller names as the source.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PLUGIN = "i18n"  # the plugin's name under `plugins:` in mkdocs.yml
SITE_LANGUAGES = "_programme_guide_site_languages"  # set on the plugin object by restrict_passes
SHARE = "_programme_guide_share"  # set on the plugin object by set_share


@dataclass(frozen=True)
class LanguageTexts:
    """A language's settings in the plugin that the generator fills from the locale files."""

    site_name: str
    site_description: str
    nav_translations: dict[str, str] = field(default_factory=dict)


def current_language(config, source: str) -> str:
    """The language this pass builds, or ``source`` without the plugin. Before the plugin's on_config of the
    first pass has run, that is the language the first pass builds: the plugin's default language."""
    plugin = _plugin(config)
    if plugin is None:
        return source
    return plugin.current_language or plugin.default_language


def build_languages(config, source: str) -> list[str]:
    """The languages of the site this build makes, in the order of mkdocs.yml (only one in a preview); in a
    process that builds some of them only (`restrict_passes`), still all of them."""
    plugin = _plugin(config)
    if plugin is None:
        return [source]
    return list(getattr(plugin, SITE_LANGUAGES, None) or plugin.build_languages)


def set_share(config, languages) -> None:
    """Record, in the first pass's on_config, that this process builds the source language and ``languages``
    only (see restrict_passes)."""
    plugin = _plugin(config)
    if plugin is not None:
        setattr(plugin, SHARE, list(languages))


def share(config) -> list[str] | None:
    """The languages this process builds besides the first pass's (set_share), or None when it builds all."""
    plugin = _plugin(config)
    return getattr(plugin, SHARE, None) if plugin is not None else None


def is_partial(config) -> bool:
    """True in a process that builds some of the site's languages only (`restrict_passes`)."""
    plugin = _plugin(config)
    return plugin is not None and getattr(plugin, SITE_LANGUAGES, None) is not None


def only_locale(config) -> str | None:
    """The one language a preview builds (`build_only_locale`), or None when every language is built."""
    plugin = _plugin(config)
    return (plugin.config.build_only_locale or None) if plugin is not None else None


def prefix(config) -> str:
    """The folder of the current pass below the site root: '' for the language built at the root (the
    default language, or the one language of a preview), else '<lang>/'."""
    plugin = _plugin(config)
    if plugin is None:
        return ""
    lang = plugin.current_language or plugin.default_language
    return "" if lang == plugin.default_language else f"{lang}/"


def is_first_pass(config) -> bool:
    """True in the first language pass (the one MkDocs itself started); for on_config and earlier events."""
    return not _building(config)


def is_last_pass(config) -> bool:
    """True once every language has been built. Valid only in an on_post_build handler with a priority
    below the plugin's (-100, e.g. -200): that handler then runs once per pass, and only its last run, in
    the first pass after the plugin has built the other languages, sees this true."""
    return not _building(config)


def restrict_passes(config, languages) -> list[str]:
    """After the first pass, build only ``languages`` (codes) of the site's other languages; return the
    languages this process builds, the first pass's included. Valid only in an on_post_build handler of
    the first pass with a priority above the plugin's (-100, e.g. -90), before the plugin starts the
    other passes. A language that mkdocs.yml does not build (`build: false`) stays unbuilt; a code that
    it does not list at all raises ValueError."""
    plugin = _plugin(config)
    if plugin is None:
        return []
    site = list(plugin.build_languages)
    configured = [language.locale for language in plugin.config.languages]
    unknown = [code for code in languages if code not in configured]
    if unknown:
        raise ValueError(f"not a language of this site: {', '.join(unknown)}; the languages: {', '.join(site)}")
    setattr(plugin, SITE_LANGUAGES, site)
    first = plugin.current_language or plugin.default_language
    for language in plugin.config.languages:
        if language.locale not in languages or language.locale == first:
            language.build = False
    return [code for code in site if code in languages or code == first]


def set_language_texts(config, texts: dict[str, LanguageTexts]) -> None:
    """Give each configured language (by code) its site name, description and navigation translations;
    the plugin puts them into the config at the start of that language's pass."""
    plugin = _plugin(config)
    if plugin is None:
        return
    for language in plugin.config.languages:
        found = texts.get(language.locale)
        if found is not None:
            language.site_name = found.site_name
            language.site_description = found.site_description
            language.nav_translations = dict(found.nav_translations)


def skip_switcher_files(config) -> None:
    """Make the plugin skip working out which file each page's language switcher links to, in every pass: the
    site's switcher does not use it (see above). Call it in on_config, before the plugin's on_files."""
    plugin = _plugin(config)
    if plugin is not None:
        plugin.reconfigure_files_alternates = _no_switcher_files


def forget_earlier_passes(config) -> None:
    """Let the plugin keep the page files of the pass being built only, not of every pass before it (which it
    keeps for a sitemap template the site does not use). Call it in on_files: the plugin records the pass's
    files there, and reads them only in its on_template_context."""
    plugin = _plugin(config)
    if plugin is not None:
        current = plugin.current_language
        kept = plugin.i18n_files_per_language
        for lang in [lang for lang in kept if lang != current]:
            del kept[lang]


def other_languages_files(files, config) -> list:
    """The files of ``files`` (the docs folder's, before the plugin's on_files) that the pass being built does not
    use: pages of another language (``<name>.<code>.md``, the plugin's suffix structure) than the pass's own
    and its default language's. The plugin would only list them as the switcher's alternates, which the site
    does not use (skip_switcher_files); a pass ignores them. Call it in on_files, before the plugin's."""
    plugin = _plugin(config)
    if plugin is None:
        return []
    used = {plugin.current_language or plugin.default_language, plugin.default_language}
    others = set(plugin.all_languages) - used
    return [file for file in files if _suffix_language(file.src_uri) in others]


def _suffix_language(src_uri: str) -> str | None:
    name = src_uri.rpartition("/")[2]
    parts = name.split(".")
    return parts[-2] if len(parts) >= 3 and parts[-1] == "md" else None


def _no_switcher_files(i18n_src_uris, i18n_alternate_src_uris, mkdocs_config, create_i18n_file) -> None:
    """What the plugin's reconfigure_files_alternates is replaced with: each file keeps the alternates it was
    made with (itself)."""


# Helpers


def _plugin(config):
    return config.plugins.get(PLUGIN)


def _building(config) -> bool:
    plugin = _plugin(config)
    return plugin is not None and bool(plugin.building)
