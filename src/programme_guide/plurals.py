"""Plural forms: texts that depend on a number, with one form per CLDR plural category of the language.

A plural entry holds one form for each plural category its language has in CLDR, as Babel knows them:
Dutch and English 'one' and 'other', Polish 'one', 'few', 'many' and 'other' (the last for fractions),
Irish and Maltese 'one', 'two', 'few', 'many' and 'other'. ``{count}`` in each form becomes the number,
and the number picks the form (:func:`category`). Every form keeps the same placeholders.

For PO files, the categories are numbered as gettext numbers the plural forms of the language
(:func:`gettext_plurals`): the order of the ``Plural-Forms`` expression Babel gives for it, followed by the
categories that only fractions reach (which gettext, counting whole numbers, leaves out).
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import babel
from babel import Locale
from babel.messages.plurals import get_plural
from babel.numbers import format_decimal

from . import datacache

ORDER = ("zero", "one", "two", "few", "many", "other")  # CLDR's order of the categories
COUNT = "{count}"
_SAMPLES = range(0, 1000)
_FRACTIONS = (1.5, 0.5, 2.5, 1.1, 0.1, 2.1, 5.5)


@cache
def categories(locale: str) -> tuple[str, ...]:
    """The plural categories of a Babel locale ('pl_PL'), in CLDR order; 'other' is always one of them.

    Loading a locale's data from Babel takes longer than reading its categories from the cache (see
    :mod:`datacache`), where they are kept per Babel version: loading a catalog checks the plural texts of every
    language, and a build that shows one language needs Babel's data of that language only."""
    key = f"babel {babel.__version__} {locale}"
    cached = datacache.find_value("plural-categories", key)
    if isinstance(cached, list) and "other" in cached and all(name in ORDER for name in cached):
        return tuple(cached)
    tags = Locale.parse(locale).plural_form.tags | {"other"}
    names = tuple(name for name in ORDER if name in tags)
    datacache.store_value("plural-categories", key, list(names))
    return names


def category(locale: str, count: float) -> str:
    """The plural category ``count`` falls into in the locale."""
    return Locale.parse(locale).plural_form(count)


def pick(forms: Mapping[str, str], locale: str, count: float) -> str:
    """The form for ``count``; 'other' if the forms lack its category."""
    return forms.get(category(locale, count)) or forms["other"]


def language_name(locale: str) -> str:
    """The language's English name, for messages ('Polish')."""
    return Locale.parse(locale).get_language_name("en") or locale


@cache
def examples(locale: str, name: str) -> str:
    """Numbers that take the category, for a translator: "2-4, 22-24, 32-34, ...", "0, 5 and up" or
    "numbers with decimals, such as 1,5"."""
    numbers = [n for n in _SAMPLES if category(locale, n) == name]
    if not numbers:
        fraction = next((f for f in _FRACTIONS if category(locale, f) == name), None)
        if fraction is None:
            return "no common number"
        return f"numbers with decimals, such as {format_decimal(fraction, locale=locale)}"
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    last = _SAMPLES[-1]
    shown = [
        f"{run[0]}" if len(run) == 1 else f"{run[0]} and up" if run[-1] == last else f"{run[0]}-{run[-1]}"
        for run in runs[:4]
    ]
    return ", ".join(shown) + (", ..." if len(runs) > 4 else "")


def serialise(forms: Mapping[str, str], names: tuple[str, ...] = ORDER) -> str:
    """One text standing for all forms, in CLDR order ("one: ...\\nother: ..."): what a plural entry's
    fingerprint is taken of. Forms hold no line breaks, so the text is unambiguous."""
    return "\n".join(f"{name}: {forms[name]}" for name in names if name in forms)


def ordered(forms: Mapping[str, str], locale: str) -> dict[str, str]:
    """The forms of the locale's categories, in CLDR order (other names are left out)."""
    return {name: forms[name] for name in categories(locale) if name in forms}


def shape_problems(forms: Mapping[str, str], locale: str) -> list[tuple[str | None, str, str]]:
    """Categories missing from, or unknown to, the language, as (category, message, hint) triples."""
    names = categories(locale)
    language = language_name(locale)
    listed = ", ".join(names)
    problems: list[tuple[str | None, str, str]] = []
    for name in forms:
        if name not in names:
            message = f"'{name}' is not a plural category of {language}"
            hint = f"remove it or rename it: {language} has the categories {listed}"
            problems.append((name, message, hint))
    for name in names:
        if name not in forms:
            message = f"the plural form '{name}' is missing"
            hint = f"add '{name}:' with the form for {examples(locale, name)} ({language} has the categories {listed})"
            problems.append((None, message, hint))
    return problems


@dataclass(frozen=True)
class GettextPlurals:
    """How a language's plural forms are numbered in a PO file."""

    nplurals: int
    expression: str
    names: tuple[str, ...]  # the category of each msgstr index

    @property
    def header(self) -> str:
        return f"nplurals={self.nplurals}; plural={self.expression};"


@cache
def gettext_plurals(locale: str) -> GettextPlurals:
    """The ``Plural-Forms`` of the locale and the category of each index: Babel's gettext expression, with
    the categories that only fractions reach numbered after those whole numbers reach."""
    rule = get_plural(locale)
    names = index_names(rule.num_plurals, rule.plural_expr, locale)
    if names is None:  # Babel's expression disagrees with its CLDR rules: number the categories in CLDR order
        raise ValueError(f"the gettext plural expression for {locale} does not match its CLDR categories")
    extra = tuple(name for name in categories(locale) if name not in names)
    return GettextPlurals(rule.num_plurals + len(extra), rule.plural_expr, names + extra)


def index_names(nplurals: int, expression: str, locale: str) -> tuple[str, ...] | None:
    """The category of each index of a gettext plural expression, found by evaluating it for whole numbers;
    None when the expression cannot be read or an index stands for two categories of the language."""
    try:
        plural = gettext.c2py(expression)
    except (ValueError, RecursionError):
        return None
    found: dict[int, str] = {}
    for number in [*_SAMPLES, 1_000_000, 2_000_000]:
        index = plural(number)
        name = category(locale, number)
        if found.setdefault(index, name) != name or not 0 <= index < nplurals:
            return None
    if sorted(found) != list(range(len(found))):
        return None
    return tuple(found[index] for index in range(len(found)))


def parse_header(value: str) -> tuple[int, str] | None:
    """``nplurals`` and the expression of a ``Plural-Forms`` header value; None when it is malformed."""
    parts = {}
    for part in value.split(";"):
        name, _, setting = part.partition("=")
        if setting:
            parts[name.strip()] = setting.strip()
    try:
        return int(parts["nplurals"]), parts["plural"]
    except (KeyError, ValueError):
        return None
