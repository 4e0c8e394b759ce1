"""Open-data exports per language: all actions as JSON (with a published JSON Schema), all deadlines as an
iCalendar file (RFC 5545, one event per deadline, times in Europe/Brussels; past ones kept), and one
calendar per action for its fact sheet's "add to my calendar" link.

Deadline statuses in the JSON are computed for the build moment, which the file names (status_as_of).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from .deadlines import as_of_date, build_moment, next_deadline, status
from .facts import Deadline, Source
from .locales import Catalog

if TYPE_CHECKING:
    from icalendar import Event

SCHEMA_URL_PATH = "schemas/actions.schema.json"


def schema_bytes() -> bytes:
    return resources.files(__package__).joinpath("schemas", "actions.schema.json").read_bytes()


def actions_document(catalog: Catalog, lang: str, now: datetime | None = None) -> dict:
    """All actions with facts, in one language: numbers and dates as data, texts translated."""
    facts = catalog.facts
    now = now or build_moment(catalog.guide.data_dir)
    actions = []
    for action_id, sheet in facts.actions.items():
        action = catalog.guide.actions[action_id]
        upcoming = next_deadline(sheet, now)
        actions.append(
            {
                "id": action_id,
                "code": action.code,
                "name": catalog.text(lang, f"action.{action_id}.name").value,
                "family": action.family,
                "managed_by": list(action.managed_by),
                "next_deadline": {
                    "open": upcoming.is_open,
                    "deadline": _deadline(upcoming.deadline, now) if upcoming.deadline else None,
                },
                "calls": [
                    {
                        "year": call.year,
                        "facts": {
                            group: {"values": dict(fact.values), "source": _source(fact.source)}
                            for group, fact in call.facts.items()
                        },
                        "deadlines": [_deadline(d, now) for d in call.deadlines],
                    }
                    for call in sheet.calls
                ],
            }
        )
    return {
        "$schema": f"../../{SCHEMA_URL_PATH}",
        "language": lang,
        "programme_guide_year": facts.guide_year,
        "status_as_of": as_of_date(now).isoformat(),
        "actions": actions,
    }


def _deadline(deadline: Deadline, now: datetime) -> dict:
    state = status(deadline, now)
    return {
        "date": deadline.day.isoformat(),
        "time": deadline.at.strftime("%H:%M") if deadline.at else None,
        "timezone": deadline.timezone,
        "closes": deadline.closes.isoformat(),
        "round": deadline.round,
        "expected": deadline.unconfirmed,
        "status": state.kind,
        "days_left": state.days,
        "source": _source(deadline.source),
        "year": deadline.year,
    }


def _source(source: Source) -> dict:
    return {
        "id": source.id,
        "url": source.url,
        "confidence": source.confidence,
        "publisher": source.publisher,
        "title": source.title,
        "country": source.country,
    }


def actions_json(catalog: Catalog, lang: str, now: datetime | None = None) -> bytes:
    document = actions_document(catalog, lang, now)
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def deadlines_ics(catalog: Catalog, lang: str, actions: list[str] | None = None) -> bytes:
    """Every deadline of the given actions (default: all), past ones included, as one calendar.

    The calendar is put together from parts serialised once: the time zone per process, each action's
    events per language (a site asks for every action's events twice: in its own calendar and in all)."""
    from icalendar import Calendar, vText  # only here: the commands that write no calendar start faster

    calendar = Calendar()
    calendar.add("prodid", "-//programme-guide//KA2 deadlines//EN")
    calendar.add("version", "2.0")
    if actions is not None and len(actions) == 1:
        name = catalog.text(lang, f"action.{actions[0]}.name").value
        calendar.add("x-wr-calname", vText(catalog.text(lang, "fact.ics.event", action=name).value))
    else:
        calendar.add("x-wr-calname", vText(catalog.text(lang, "fact.deadlines").value))  # vText escapes line breaks
    parts = [_brussels_ical()]
    for action_id in catalog.facts.actions:
        if actions is None or action_id in actions:
            parts.append(_events_ical(catalog, lang, action_id))
    head, end = calendar.to_ical().rsplit(b"END:VCALENDAR", 1)
    return head + b"".join(parts) + b"END:VCALENDAR" + end


_events: list = [None, {}]  # the catalog the cache is for, and (language, action) -> its events as bytes


def _events_ical(catalog: Catalog, lang: str, action_id: str) -> bytes:
    """The serialised events of one action's deadlines in one language (kept while the catalog is the same)."""
    if _events[0] is not catalog:
        _events[:] = [catalog, {}]
    cached = _events[1]
    if (lang, action_id) not in cached:
        stamp = datetime(2000, 1, 1)  # a fixed DTSTAMP keeps the file reproducible
        name = catalog.text(lang, f"action.{action_id}.name").value
        sheet = catalog.facts.actions[action_id]
        events = [_event(catalog, lang, action_id, name, deadline, stamp) for deadline in sheet.deadlines]
        cached[(lang, action_id)] = b"".join(event.to_ical() for event in events)
    return cached[(lang, action_id)]


def _event(catalog: Catalog, lang: str, action_id: str, name: str, deadline: Deadline, stamp: datetime) -> Event:
    from icalendar import Event

    event = Event()
    suffix = f"-{deadline.round}" if deadline.round else ""
    event.add("uid", f"{action_id}-{deadline.day.isoformat()}{suffix}@programme-guide")
    event.add("dtstamp", stamp)
    event.add("summary", catalog.text(lang, "fact.ics.event", action=name).value)
    if deadline.moment is not None:
        event.add("dtstart", deadline.moment)
        event.add("dtend", deadline.moment)
    else:
        event.add("dtstart", deadline.day)
        event.add("dtend", deadline.day + timedelta(days=1))
    event.add("url", deadline.source.url)
    if deadline.unconfirmed:
        event.add("status", "TENTATIVE")
        event.add("description", catalog.text(lang, "fact.confidence.third-party").value)
    return event


@cache
def _brussels_ical() -> bytes:
    """VTIMEZONE for Europe/Brussels (CET/CEST), so calendars place 17:00 Brussels time correctly."""
    from icalendar import Timezone

    return Timezone.from_tzid("Europe/Brussels").to_ical()
