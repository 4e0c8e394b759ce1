"""Content model -> Markdown pages, one per page and language.

Pages are rendered from Jinja templates (``templates/``) with HTML autoescaping on: every text from a
locale file is escaped where it lands, so markup typed into a translation shows as text. Headings are
written as Markdown (so the table of contents and search see them) through :func:`md_inline`, which
also escapes Markdown syntax. No MkDocs imports: the result is a plain Markdown tree any engine can build.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, partial

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from . import datacache
from .changes import call_changes
from .deadlines import as_of_date, build_moment, content_date, next_deadline, status
from .edits import EditLinks, Edits
from .errors import DataError, Problem
from .facttext import FactText
from .formatting import Formatter, formatter
from .locales import Catalog, Counts, Text
from .model import Language

COMPARE_ROWS_FILE = "rows.json"  # next to the comparison page: every row, for its script (compare_data)
COMPARE_ROWS = 25  # rows the comparison page holds; it loads the others, and the whole table has a page of its own
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")


@dataclass(frozen=True)
class Page:
    """One generated page in one language."""

    page_id: str
    lang: str
    url: str  # relative to the language root, '' or ending in '/'
    markdown: str
    states: frozenset[str] = frozenset()
    keys: frozenset[str] = frozenset()  # the texts its body shows (the notices above it left out)

    def docs_path(self, source_language: str) -> str:
        """Path in a static-i18n 'suffix' docs tree: index.md (source), index.<lang>.md (others)."""
        suffix = "" if self.lang == source_language else f".{self.lang}"
        return f"{self.url}index{suffix}.md"


@dataclass(frozen=True)
class Target:
    """A page that can be linked to: its id, URL (relative to the language root) and template."""

    id: str
    url: str
    kind: str
    title_key: str
    description_key: str
    subject: str = ""


def md_inline(text: str) -> Markup:
    """Escape text for a Markdown heading or front-matter-free inline context."""
    escaped = html.escape(str(text), quote=True)
    return Markup(_MD_SPECIAL.sub(r"\\\1", escaped).replace("\n", " "))  # noqa: S704 - escaped above


def yaml_string(text: str) -> Markup:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return Markup(json.dumps(str(text), ensure_ascii=False))  # noqa: S704 - a quoted YAML scalar


def relative(from_url: str, to_url: str, up: int = 0) -> str:
    """A relative link between two directory URLs of the site."""
    depth = from_url.count("/") + up
    return ("../" * depth + to_url) or "./"


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("programme_guide", "templates"),
        bytecode_cache=datacache.template_cache("pages"),
        auto_reload=False,  # the package's templates do not change while it runs; no file check per page
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = md_inline
    env.filters["yaml"] = yaml_string
    env.filters["attrs"] = lang_attributes
    env.filters["heading_attrs"] = heading_attributes
    env.filters["span"] = inline
    return env


def lang_attributes(text: Text) -> Markup:
    """HTML attributes for an element holding ``text``: mark Dutch fallback text as such."""
    if text.is_fallback:
        return Markup(f' lang="{html.escape(text.lang)}" data-pagefind-ignore')  # noqa: S704 - escaped
    return Markup("")


def inline(text: Text) -> Markup:
    """Text inside a sentence or cell: Dutch fallback wrapped in a span that says so."""
    if text.is_fallback:
        return Markup('<span lang="{}" data-pagefind-ignore>{}</span>').format(text.lang, text.value)
    return Markup.escape(text.value)


def heading_attributes(text: Text) -> Markup:
    """attr_list suffix for a Markdown heading holding ``text``."""
    if text.is_fallback:
        return Markup(f' {{ lang="{html.escape(text.lang)}" data-pagefind-ignore="" }}')  # noqa: S704 - escaped
    return Markup("")


def counted(catalog: Catalog, lang: str, key: str, count: float, **values: str) -> Text:
    """A plural text's form for ``count`` in ``lang`` (or its Dutch fallback), with ``{count}`` written as a
    number of ``lang``."""
    number = formatter(catalog.guide.language(lang).locale).number(count)
    return catalog.plural(lang, key, count, count=number, **values)


@dataclass
class PageContext:
    """What a template sees: texts for one language, links, and the states of the texts it used."""

    catalog: Catalog
    lang: str
    target: Target
    targets: dict[str, Target]
    used: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)  # the keys of the texts it used
    # The texts without placeholders already looked up, by language and key: shared by the pages of one
    # render_site call, during which the catalog does not change.
    known: dict[tuple[str, str], Text] = field(default_factory=dict)

    def t(self, key: str, **values: str) -> Text:
        text = None if values else self.known.get((self.lang, key))
        if text is None:
            text = self._lookup(key, values)
        self.used.add(text.state)
        self.keys.add(key)
        return text

    def _lookup(self, key: str, values: dict[str, str]) -> Text:
        source = self.catalog.source.entries.get(key)
        if source is not None and source.forms is not None:
            hint = f"a text with plural forms is shown for a number: tn('{key}', count) in templates, ctx.tn in code"
            raise DataError([Problem(self.catalog.source.path, f"key '{key}' is used without its number", hint)])
        text = self.catalog.text(self.lang, key, **values)
        if not values:
            self.known[(self.lang, key)] = text
        return text

    def tn(self, key: str, count: float, **values: str) -> Text:
        """A text that depends on ``count`` (a plural entry): the form for it in the language it is shown in,
        with ``{count}`` written as a number of the page's language."""
        text = counted(self.catalog, self.lang, key, count, **values)
        self.used.add(text.state)
        self.keys.add(key)
        return text

    def forms(self, key: str) -> dict:
        """A plural entry for a script: its forms by category and the locale whose rules pick one
        (``Intl.PluralRules``), which is Dutch's for Dutch fallback forms."""
        forms = self.catalog.forms(self.lang, key)
        self.used.add(forms.state)
        self.keys.add(key)
        return {"locale": self.catalog.guide.language(forms.lang).locale.replace("_", "-"), "forms": forms.forms}

    def link(self, target_id: str) -> str:
        return relative(self.target.url, self.targets[target_id].url)

    def targets_of_kind(self, kind: str) -> str:
        """The id of the first page of a kind (e.g. the overview)."""
        return next(t.id for t in self.targets.values() if t.kind == kind)

    def root(self) -> str:
        """The site root (where language-neutral files live), from this page."""
        up = 0 if self.lang == self.catalog.guide.source_language else 1
        return relative(self.target.url, "", up=up)

    def source_link(self) -> str:
        """The same page in the source language, from this page."""
        if self.lang == self.catalog.guide.source_language:
            return relative(self.target.url, self.target.url)
        return relative(self.target.url, self.target.url, up=1)


def site_targets(catalog: Catalog) -> dict[str, Target]:
    """Every page of the site, by id, in navigation order."""
    targets: dict[str, Target] = {}
    for spec in catalog.guide.pages:
        url = f"{spec.slug}/" if spec.slug else ""
        targets[spec.id] = Target(spec.id, url, spec.kind, f"{spec.id}.title", f"{spec.id}.description")
        if spec.kind == "overview":
            targets.update(_overview_children(catalog, url))
    return targets


def _overview_children(catalog: Catalog, url: str) -> dict[str, Target]:
    """Below the overview: the comparison, each family page, and each action's fact sheet."""
    children: dict[str, Target] = {}
    if catalog.facts is not None:
        children["compare"] = Target("compare", f"{url}compare/", "compare", "compare.title", "compare.description")
        children["compare-all"] = Target(
            "compare-all", f"{url}compare/all/", "compare-all", "compare.all.title", "compare.all.description"
        )
        children["changes"] = Target("changes", f"{url}changes/", "changes", "changes.title", "changes.description")
    for family in catalog.guide.families:
        key = f"family.{family.id}"
        family_url = f"{url}{family.slug}/"
        children[f"family-{family.id}"] = Target(
            f"family-{family.id}", family_url, "family", f"{key}.name", f"{key}.intro", family.id
        )
        for action in family.actions:
            key = f"action.{action}"
            children[f"action-{action}"] = Target(
                f"action-{action}", f"{family_url}{action}/", "action", f"{key}.name", f"{key}.summary", action
            )
    return children


def render_site(
    catalog: Catalog, languages: list[str] | None = None, now: datetime | None = None, edit: EditLinks | None = None
) -> list[Page]:
    """All pages in all (or the given) languages, in a stable order, with deadline statuses as of ``now``
    (default: the build moment, see :func:`deadlines.build_moment`) and, with ``edit``, links that open their
    texts in the locale files on the code host."""
    return list(iter_site(catalog, languages, now, edit))


def iter_site(
    catalog: Catalog, languages: list[str] | None = None, now: datetime | None = None, edit: EditLinks | None = None
) -> Iterator[Page]:
    """The pages of :func:`render_site`, one at a time, each rendered when it is asked for; ``languages=None`` is
    every language, an empty list none."""
    codes = list(catalog.guide.language_codes) if languages is None else languages
    targets = site_targets(catalog)
    now = now or build_moment(catalog.guide.data_dir)
    updated = content_date(catalog.guide.data_dir) or as_of_date(now)
    known: dict[tuple[str, str], Text] = {}
    site_status_rows = cache(partial(status_rows, catalog))  # every language's status page: counted once
    for lang in codes:
        for target in targets.values():
            yield render_page(catalog, lang, target, targets, now, updated, edit, known, site_status_rows)


@dataclass(frozen=True)
class StatusRow:
    language: Language
    counts: Counts
    is_source: bool


def status_rows(catalog: Catalog) -> list[StatusRow]:
    guide = catalog.guide
    return [StatusRow(lang, catalog.counts(lang.code), lang.code == guide.source_language) for lang in guide.languages]


def official_url(url: str, lang: str, guide) -> str:
    """The official page in the reader's language where the Commission publishes one (English otherwise)."""
    prefix = "https://erasmus-plus.ec.europa.eu/"
    official = {language.code for language in guide.languages if language.official_guide}
    if lang == "en" or lang not in official or not url.startswith(prefix):
        return url
    return f"{prefix}{lang}/{url.removeprefix(prefix)}"


def _names(ctx: PageContext, fmt: Formatter, prefix: str, ids, style: str) -> Markup:
    """A localized list of names (e.g. fields), each escaped and marked if it is Dutch fallback."""
    items = [inline(ctx.t(f"{prefix}.{i}.name")) for i in ids]
    return Markup(fmt.list(items, style=style))  # noqa: S704 - every item escaped by inline()


def _notes(ctx: PageContext, catalog: Catalog) -> dict[str, str]:
    """What else each action requires, by action id: the note of its newest call, where it has one."""
    sheets = catalog.facts.actions.items() if catalog.facts else ()
    return {id: ctx.t(sheet.latest.note["key"]).value for id, sheet in sheets if sheet.latest.note}


def _join(fmt: Formatter, items, style: str) -> Markup:
    """A localized list of items that are markup (from a macro) or text (escaped here)."""
    return Markup(fmt.list([Markup.escape(item) for item in items], style=style))  # noqa: S704 - escaped


def _helpers(
    ctx: PageContext,
    now: datetime,
    updated: date | None = None,
    edit: EditLinks | None = None,
    rows: Callable[[], list[StatusRow]] | None = None,
) -> dict:
    """What the page templates see, for the page and language of ``ctx``."""
    catalog, lang, target = ctx.catalog, ctx.lang, ctx.target
    guide = catalog.guide
    fmt = formatter(guide.language(lang).locale, catalog.text(lang, "ui.list.or").value)
    helpers = {
        "ctx": ctx,
        "guide": guide,
        "t": ctx.t,
        "tn": ctx.tn,
        "plural_forms": ctx.forms,
        "format_list": fmt.list,
        "format_number": fmt.number,
        "format_percent": fmt.percent,
        "official": lambda url: official_url(url, lang, guide),
        "status_rows": rows or (lambda: status_rows(catalog)),
        "family": next((f for f in guide.families if f.id == target.subject), None),
        "action": guide.actions.get(target.subject),
        "sheet": catalog.facts.actions.get(target.subject) if catalog.facts else None,
        "facts": catalog.facts,
        "fmt": fmt,
        "label_map": lambda prefix, ids: {i: ctx.t(f"{prefix}.{i}.name").value for i in ids},
        "names": lambda prefix, ids, style="standard": _names(ctx, fmt, prefix, ids, style),
        "join": lambda items, style="standard": _join(fmt, items, style),
        "glossary": {term.id: term for term in guide.glossary},
        "notes": lambda: _notes(ctx, catalog),
        "targets": ctx.targets,
        "compare_rows": COMPARE_ROWS,
        "compare_rows_file": COMPARE_ROWS_FILE,
        "edits": Edits(catalog, lang, edit),
        "ft": FactText(ctx, fmt),
        "changes": call_changes,
        "now": now,
        "as_of": as_of_date(now),
        "updated": updated or as_of_date(now),
        "status": lambda deadline: status(deadline, now),
        "next_deadline": lambda sheet: next_deadline(sheet, now),
        "by_next_deadline": lambda: sorted(
            catalog.facts.actions.items(), key=lambda item: next_deadline(item[1], now).sort_key()
        ),
    }
    return helpers


def compare_data(catalog: Catalog, lang: str, now: datetime | None = None) -> dict:
    """What the comparison page loads (its rows.json): every action's row of the comparison table in ``lang``, in
    the table's order (next deadline first), as the page would hold it; each action's duration and the note of
    its newest call, for the finder's results."""
    targets = site_targets(catalog)
    ctx = PageContext(catalog, lang, targets["compare"], targets)
    helpers = _helpers(ctx, now or build_moment(catalog.guide.data_dir))
    table = _environment().get_template("_compare.j2").make_module(helpers)
    sheets = helpers["by_next_deadline"]()
    fmt, ft = helpers["fmt"], helpers["ft"]
    durations = {
        id: fmt.list([ft.term(term, "duration").value for term in sheet.latest.duration["terms"]])
        for id, sheet in catalog.facts.actions.items()
        if sheet.latest.duration
    }
    return {
        "rows": [str(table.row(id, sheet)).strip() for id, sheet in sheets],
        "durations": durations,
        "notes": _notes(ctx, catalog),
    }


def render_page(
    catalog: Catalog,
    lang: str,
    target: Target,
    targets: dict[str, Target],
    now: datetime,
    updated: date | None = None,
    edit: EditLinks | None = None,
    known: dict[tuple[str, str], Text] | None = None,
    rows: Callable[[], list[StatusRow]] | None = None,
) -> Page:
    ctx = PageContext(catalog, lang, target, targets, known={} if known is None else known)
    helpers = _helpers(ctx, now, updated, edit, rows)
    env = _environment()
    body = env.get_template(f"{target.kind}.md.j2").render(**helpers)
    body = body.rstrip("\n") + "\n" + env.get_template("keywords.html.j2").render(**helpers)
    body = body.rstrip("\n") + "\n" + env.get_template("updated.html.j2").render(**helpers)
    keys = frozenset(ctx.keys)
    notices = env.get_template("notices.html.j2").render(**helpers, states=set(ctx.used))
    head = env.get_template("front-matter.md.j2").render(
        title=ctx.t(target.title_key), description=ctx.t(target.description_key), lang=lang
    )
    return Page(target.id, lang, target.url, head + notices + body, frozenset(ctx.used), keys | _head_keys(target))


def _head_keys(target: Target) -> frozenset[str]:
    return frozenset((target.title_key, target.description_key))


def states_in(catalog: Catalog, lang: str, page: Page, target: Target, edit: EditLinks | None = None) -> frozenset[str]:
    """The states of the texts that ``page`` (``target`` rendered in a language other than the source) shows in
    ``lang`` (another such language), without rendering it: its body and head show the same texts in every
    language but the source, and the notices above them follow from their states, so only the notices are
    rendered (tests/test_html.py compares this with rendering every language)."""
    guide = catalog.guide
    if guide.source_language in (lang, page.lang):
        raise ValueError("the states of a page in the source language come from rendering it")
    ctx = PageContext(catalog, lang, target, {})
    for key in page.keys:
        forms = catalog.source.entries[key].forms is not None
        ctx.used.add(catalog.forms(lang, key).state if forms else catalog.text(lang, key).state)
    helpers = {
        "ctx": ctx,
        "guide": guide,
        "t": ctx.t,
        "official": lambda url: official_url(url, lang, guide),
        "edits": Edits(catalog, lang, edit),
    }
    _environment().get_template("notices.html.j2").render(**helpers, states=set(ctx.used))
    return frozenset(ctx.used)
