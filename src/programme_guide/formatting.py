"""Locale-aware formatting of numbers, percentages, lists and dates, via Babel."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from babel import Locale
from babel.dates import format_date, format_time, format_timedelta
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal, format_percent


@dataclass(frozen=True)
class Formatter:
    """Formats values for one Babel locale, e.g. 'nl_NL' or 'en_IE'."""

    locale: str
    or_word: str = ""  # joins alternatives where Babel has no pattern of its own for the language

    def number(self, value: float) -> str:
        return format_decimal(value, locale=self.locale)

    def percent(self, value: float) -> str:
        """``value`` is a percentage (0-100); shown rounded to a whole percent."""
        return format_percent(round(value) / 100, locale=self.locale)

    def list(self, values: Iterable[object], style: str = "standard") -> str:
        items = [str(v) for v in values]
        if style == "or" and self.or_word and len(items) > 1 and self._or_is_borrowed():
            # The language's own separator between list items (CLDR 'middle'), its word for 'or' before the last
            middle = self.babel.list_patterns["standard"]["middle"]
            head = items[0]
            for item in items[1:-1]:
                head = middle.format(head, item)
            return f"{head} {self.or_word} {items[-1]}"
        return format_list(items, style=style, locale=self.locale)

    def _or_is_borrowed(self) -> bool:
        """True when the locale's 'or' list pattern is the English one inherited from the CLDR root."""
        if self.babel.language == "en":
            return False
        return self.babel.list_patterns.get("or") == Locale.parse("en").list_patterns.get("or")

    def money(self, euros: int) -> str:
        """An amount in euro, in the locale's currency pattern, without cents."""
        pattern = self.babel.currency_formats["standard"].pattern.split(";")[0].replace(".00", "")
        return format_currency(euros, "EUR", format=pattern, locale=self.locale, currency_digits=False)

    def money_list(self, values: Iterable[int], style: str = "standard") -> str:
        return self.list([self.money(v) for v in values], style=style)

    def time(self, value: datetime) -> str:
        return format_time(value, "HH:mm", locale=self.locale)

    def date(self, value: date) -> str:
        return format_date(value, format="long", locale=self.locale)

    def country(self, code: str) -> str:
        """A country's name in the locale's language (ISO 3166 code, e.g. 'FI')."""
        return self.babel.territories.get(code, code)

    def in_days(self, days: int) -> str:
        """A number of days from now, with the locale's plural and direction ("over 12 dagen", "in 1 day")."""
        return format_timedelta(
            timedelta(days=days), granularity="day", threshold=10**6, add_direction=True, locale=self.locale
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

    @property
    def babel(self) -> Locale:
        return Locale.parse(self.locale)
