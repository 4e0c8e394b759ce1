"""Open-data exports per language: all actions as JSON (with a published JSON Schema) and all
deadlines as an iCalendar file (RFC 5545, one event per deadline, times in Europe/Brussels)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from importlib import resources

from icalendar import Calendar, Event, Timezone, vText

from .locales import Catalog

SCHEMA_URL_PATH = "schemas/actions.schema.json"


def schema_bytes() -> bytes:
    return resources.files(__package__).joinpath("schemas", "actions.schema.json").read_bytes()


def actions_document(catalog: Catalog, lang: str) -> dict:
    """All actions with facts, in one language: numbers and dates as data, texts translated."""
    facts = catalog.facts
    actions = []
    for action_id, sheet in facts.actions.items():
        action = catalog.guide.actions[action_id]
        record = {
            "id": action_id,
            "code": action.code,
            "name": catalog.text(lang, f"action.{action_id}.name").value,
            "family": action.family,
            "call_year": sheet.year,
            "managed_by": list(action.managed_by),
            "facts": {group: _fact(fact) for group, fact in sheet.facts.items()},
            "deadlines": [
                {
                    "date": d.day.isoformat(),
                    "time": d.at.strftime("%H:%M") if d.at else None,
                    "timezone": d.timezone,
                    "source": _source(d.source),
                    "year": d.year,
                }
                for d in sheet.deadlines
            ],
        }
        actions.append(record)
    return {"$schema": f"../../{SCHEMA_URL_PATH}", "language": lang, "actions": actions}


def _fact(fact) -> dict:
    return {"values": dict(fact.values), "source": _source(fact.source), "year": fact.year}


def _source(source) -> dict:
    return {"id": source.id, "url": source.url, "confidence": source.confidence}


def actions_json(catalog: Catalog, lang: str) -> bytes:
    return (json.dumps(actions_document(catalog, lang), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def deadlines_ics(catalog: Catalog, lang: str, site_url: str = "") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//programme-guide//KA2 deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", vText(catalog.text(lang, "fact.deadlines").value))  # vText escapes line breaks
    calendar.add_component(_brussels())
    stamp = datetime(2000, 1, 1)  # a fixed DTSTAMP keeps the file reproducible
    for action_id, sheet in catalog.facts.actions.items():
        name = catalog.text(lang, f"action.{action_id}.name").value
        for index, deadline in enumerate(sheet.deadlines):
            event = Event()
            event.add("uid", f"{action_id}-{deadline.day.isoformat()}-{index}@programme-guide")
            event.add("dtstamp", stamp)
            event.add("summary", catalog.text(lang, "fact.ics.event", action=name).value)
            if deadline.moment is not None:
                event.add("dtstart", deadline.moment)
                event.add("dtend", deadline.moment)
            else:
                event.add("dtstart", deadline.day)
                event.add("dtend", deadline.day + timedelta(days=1))
            if deadline.source.url:
                event.add("url", deadline.source.url)
            if deadline.source.confidence == "third-party":
                event.add("status", "TENTATIVE")
                event.add("description", catalog.text(lang, "fact.confidence.third-party").value)
            calendar.add_component(event)
    return calendar.to_ical()


def _brussels() -> Timezone:
    """VTIMEZONE for Europe/Brussels (CET/CEST), so calendars place 17:00 Brussels time correctly."""
    return Timezone.from_tzid("Europe/Brussels")
