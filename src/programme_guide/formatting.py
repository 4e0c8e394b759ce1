"""Locale-aware formatting of numbers, percentages, lists and dates, via Babel.

Babel parses a locale name ('nl_NL') into its CLDR data on every call that is given the name; a page formats
hundreds of values, so each :class:`Formatter` parses its locale once (:func:`babel_locale`, shared by the
whole process) and hands Babel the parsed locale, and numbers, amounts and days, which recur on many pages, are
formatted once per locale and value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, cached_property, lru_cache

from babel import Locale
from babel.dates import format_date, format_time, format_timedelta
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal, format_percent


@cache
def babel_locale(name: str) -> Locale:
    """The Babel locale of a name such as 'nl_NL', parsed once per process."""
    return Locale.parse(name)


@dataclass(frozen=True)
class Formatter:
    """Formats values for one Babel locale, e.g. 'nl_NL' or 'en_IE'."""

    locale: str
    or_word: str = ""  # joins alternatives where Babel has no pattern of its own for the language

    def number(self, value: float) -> str:
        return _number(self.locale, value)

    def percent(self, value: float) -> str:
        """``value`` is a percentage (0-100); shown rounded to a whole percent."""
        return _percent(self.locale, value)

    def list(self, values: Iterable[object], style: str = "standard") -> str:
        items = [str(v) for v in values]
        if style == "or" and self.or_word and len(items) > 1 and self._or_is_borrowed():
            # The language's own separator between list items (CLDR 'middle'), its word for 'or' before the last
            middle = self.babel.list_patterns["standard"]["middle"]
            head = items[0]
            for item in items[1:-1]:
                head = middle.format(head, item)
            return f"{head} {self.or_word} {items[-1]}"
        return format_list(items, style=style, locale=self.babel)

    def _or_is_borrowed(self) -> bool:
        """True when the locale's 'or' list pattern is the English one inherited from the CLDR root."""
        if self.babel.language == "en":
            return False
        return self.babel.list_patterns.get("or") == babel_locale("en").list_patterns.get("or")

    def money(self, euros: int) -> str:
        """An amount in euro, in the locale's currency pattern, without cents."""
        return _money(self.locale, euros)

    def money_list(self, values: Iterable[int], style: str = "standard") -> str:
        return self.list([self.money(v) for v in values], style=style)

    def time(self, value: datetime) -> str:
        return format_time(value, "HH:mm", locale=self.babel)

    def date(self, value: date) -> str:
        if type(value) is date:  # a datetime's day depends on its time zone, which the cache would not see
            return _date(self.locale, value)
        return format_date(value, format="long", locale=self.babel)

    def country(self, code: str) -> str:
        """A country's name in the locale's language (ISO 3166 code, e.g. 'FI')."""
        return self.babel.territories.get(code, code)

    def in_days(self, days: int) -> str:
        """A number of days from now, with the locale's plural and direction ("over 12 dagen", "in 1 day")."""
        return format_timedelta(
            timedelta(days=days), granularity="day", threshold=10**6, add_direction=True, locale=self.babel
        )

    def browser_fallback(self) -> dict:
        """What the reader's browser needs to word days and dates for languages its Intl data lacks (Chromium
        has no relative-time or date names for Irish and Maltese): the "in {0} days" pattern per CLDR plural
        category, and the long date pattern with the month names it uses."""
        babel = self.babel
        return {
            "days": dict(babel._data["date_fields"]["day"]["future"]),
            "date": {
                "pattern": babel.date_formats["long"].pattern,
                "months": list(babel.months["format"]["wide"].values()),
            },
        }

    @cached_property
    def babel(self) -> Locale:
        return babel_locale(self.locale)


@lru_cache(maxsize=256)
def formatter(locale: str, or_word: str = "") -> Formatter:
    """The :class:`Formatter` of a locale and word for 'or', made once per process (it holds nothing else)."""
    return Formatter(locale, or_word)


# The same amounts, numbers and dates recur on many pages of a language: each is formatted once per process.
# ``typed``: 1 and 1.0 are equal keys but not always the same text.


@lru_cache(maxsize=65536, typed=True)
def _number(locale: str, value: float) -> str:
    return format_decimal(value, locale=babel_locale(locale))


@lru_cache(maxsize=65536, typed=True)
def _percent(locale: str, value: float) -> str:
    return format_percent(round(value) / 100, locale=babel_locale(locale))


@lru_cache(maxsize=65536, typed=True)
def _money(locale: str, euros: int) -> str:
    babel = babel_locale(locale)
    pattern = babel.currency_formats["standard"].pattern.split(";")[0].replace(".00", "")
    return format_currency(euros, "EUR", format=pattern, locale=babel, currency_digits=False)


@lru_cache(maxsize=65536)
def _date(locale: str, value: date) -> str:
    return format_date(value, format="long", locale=babel_locale(locale))
