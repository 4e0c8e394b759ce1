"""Facts as text in one language: terms stated the way the source states them, deadlines and their status.

Templates call these through ``ft``; each returns escaped markup (``Markup``) or plain data for scripts.
Every text comes from the locale file; values (amounts, dates, counts) are formatted with Babel.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup

from .deadlines import Status
from .facts import ActionFacts, Deadline, Fact
from .formatting import Formatter
from .locales import Text

PLACEHOLDER = re.compile(r"(\{[a-z_]+\})")

if TYPE_CHECKING:
    from .pages import PageContext


@dataclass
class FactText:
    ctx: PageContext
    fmt: Formatter

    def pattern(self, key: str, **values: object) -> Markup:
        """A punctuation pattern of the locale file (``ui.separator.*``, e.g. "{label}: {value}"), its
        placeholders filled with ``values``: plain text is escaped, markup (already escaped) kept."""
        parts = PLACEHOLDER.split(self.ctx.t(key).value)
        filled = (
            Markup.escape(values.get(part[1:-1], part) if PLACEHOLDER.fullmatch(part) else part) for part in parts
        )
        return Markup("").join(filled)

    def terms(self, fact: Fact, kind: str) -> Markup:
        """Each term of a group ('consortium', 'duration', 'funding'); a list when there is more than one."""
        from .pages import inline

        items = [inline(self.term(term, kind)) for term in fact["terms"]]
        if kind == "funding" and fact.get("eu_share_max_percent"):
            items.append(
                inline(self.ctx.t("fact.funding.cofinancing", percent=self.fmt.percent(fact["eu_share_max_percent"])))
            )
        if len(items) == 1:
            return items[0]
        return Markup('<ul class="pg-terms">{}</ul>').format(
            Markup("").join(Markup("<li>{}</li>").format(i) for i in items)
        )

    def term(self, term: dict, kind: str) -> Text:
        text = {"consortium": self._consortium, "duration": self._duration, "funding": self._funding}[kind](term)
        if "part" in term:
            part = self.ctx.t(f"part.{term['part']}.name").value
            text = self.ctx.t("fact.term.part", part=part, value=text.value)
        return text

    def _consortium(self, term: dict) -> Text:
        n = self.fmt.number
        if "max_organisations" in term or "max_countries" in term:
            return self.ctx.t(
                "fact.consortium.ranges",
                min_organisations=n(term["min_organisations"]),
                max_organisations=n(term["max_organisations"]),
                min_countries=n(term["min_countries"]),
                max_countries=n(term["max_countries"]),
            )
        if "min_organisations" in term and "min_countries" in term:
            organisations = self.ctx.tn("fact.consortium.organisations", term["min_organisations"]).value
            countries = self.ctx.tn("fact.consortium.from_countries", term["min_countries"]).value
            return self.ctx.t("fact.consortium.both", organisations=organisations, countries=countries)
        if "min_organisations" in term:
            return self.ctx.tn("fact.consortium.organisations", term["min_organisations"])
        return self.ctx.tn("fact.consortium.countries", term["min_countries"])

    def _duration(self, term: dict) -> Text:
        n = self.fmt.number
        if "months" in term:
            return self.ctx.t("fact.duration.choice", months=self.fmt.list([n(m) for m in term["months"]], style="or"))
        if "min_months" not in term:
            return self.ctx.tn("fact.duration.max", term["max_months"])
        if term["min_months"] == term["max_months"]:
            return self.ctx.tn("fact.duration.fixed", term["min_months"])
        # A range takes the form of its upper end ("6 to 24 months")
        return self.ctx.tn("fact.duration.range", term["max_months"], min=n(term["min_months"]))

    def _funding(self, term: dict) -> Text:
        money = self.fmt.money
        if term["kind"] == "lump-sum" and isinstance(term["eur"], list):
            text = self.ctx.t("fact.funding.lump_sums", amounts=self.fmt.money_list(term["eur"], style="or"))
        elif term["kind"] == "lump-sum":
            text = self.ctx.t("fact.funding.lump_sum", amount=money(term["eur"]))
        elif term["kind"] == "maximum":
            text = self.ctx.t("fact.funding.max", max=money(term["eur"]))
        else:
            text = self.ctx.t("fact.funding.range", min=money(term["min_eur"]), max=money(term["max_eur"]))
        if "months" in term:
            text = self.ctx.tn("fact.funding.for_months", term["months"], value=text.value)
        return text

    def deadline(self, item: Deadline) -> Text:
        """The date, and the time in Brussels where the source gives one."""
        if item.moment is None:
            return Text(self.fmt.date(item.day), self.ctx.lang, "source")
        return self.ctx.t("fact.deadline.with_time", date=self.fmt.date(item.day), time=self.fmt.time(item.moment))

    def _deadline_with_round(self, item: Deadline) -> Markup:
        from .pages import inline

        if item.round is None:
            return inline(self.deadline(item))
        return Markup("{} ({})").format(inline(self.deadline(item)), inline(self.ctx.t(f"part.{item.round}.name")))

    def status(self, state: Status) -> Text:
        if state.kind == "closed":
            return self.ctx.t("fact.status.closed")
        if state.days == 0:
            return self.ctx.t("fact.status.today")
        key = "fact.status.expected" if state.kind == "expected" else "fact.status.upcoming"
        return self.ctx.t(key, in_days=self.fmt.in_days(state.days))

    def no_open_call(self, item: Deadline) -> Text:
        return self.ctx.t("fact.status.no_open_call", date=self.fmt.date(item.day), year=str(item.year))

    def candidates(self, sheet: ActionFacts) -> list[dict]:
        """Every deadline of an action, for deadlines.js to pick the next one by the reader's clock."""
        return [
            {
                "closes": item.closes.isoformat(),
                "day": item.day.isoformat(),
                "text": self.deadline(item).value,
                "unconfirmed": item.unconfirmed,
                "no_open": self.no_open_call(item).value,
            }
            for item in sheet.deadlines
        ]

    def source_number(self, sheet: ActionFacts, fact) -> int:
        """The note number of a fact's source on the action's page (1-based, in order of first use)."""
        return [s.id for s in sheet.sources].index(fact.source.id) + 1

    @staticmethod
    def minimum_partnership(call) -> dict:
        """The smallest stated minimum of organisations and of countries over a call's terms (for the finder's
        filter; a part that states no minimum is not assumed to need one)."""
        terms = call.consortium["terms"] if call.consortium else []
        smallest = {}
        for name in ("organisations", "countries"):
            stated = [term[f"min_{name}"] for term in terms if f"min_{name}" in term]
            smallest[name] = min(stated) if len(stated) == len(terms) and stated else None
        return smallest

    @staticmethod
    def group_label(group: str) -> str:
        """The text key that names a group of facts."""
        return {"criteria": "fact.criteria", "deadlines": "fact.deadlines"}.get(group, f"fact.label.{group}")

    def figure(self, group: str, call) -> Markup:
        """A group's value in one call, with a link to its source; 'not stated' where the call has none."""
        from .pages import inline

        if group == "deadlines":
            if not call.deadlines:
                return inline(self.ctx.t("changes.absent"))
            items = [self._deadline_with_round(d) for d in call.deadlines]
            return self._with_source(Markup("<br>").join(items), call.deadlines[0].source)
        fact = call.facts.get(group)
        if fact is None:
            return inline(self.ctx.t("changes.absent"))
        if group in ("consortium", "duration", "funding"):
            value = self.terms(fact, group)
        elif group in ("fields", "applicants"):
            prefix = {"fields": "field", "applicants": "applicant"}[group]
            names = [inline(self.ctx.t(f"{prefix}.{i}.name")) for i in fact["value"]]
            value = Markup(self.fmt.list(names))  # noqa: S704 - every item escaped by inline()
        elif group == "budget":
            value = Markup.escape(self.fmt.money(fact["eur"]))
        else:
            points = fact.get("points", {})
            parts = [
                self.pattern(
                    "ui.separator.label", label=inline(self.ctx.t(f"criterion.{c}.name")), value=self.fmt.number(p)
                )
                for c, p in points.items()
            ]
            if fact.get("minimum_total"):
                parts.append(
                    inline(self.ctx.t("fact.criteria.minimum_total", points=self.fmt.number(fact["minimum_total"])))
                )
            value = Markup("<br>").join(parts)
        return self._with_source(value, fact.source)

    @staticmethod
    def _with_source(value: Markup, source) -> Markup:
        return Markup(
            '{} <small class="pg-change-source">(<a href="{}" rel="external" lang="{}">{}</a>)</small>'
        ).format(value, source.url, source.lang, source.title)
