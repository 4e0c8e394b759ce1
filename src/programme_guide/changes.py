"""What changed between an action's two most recent calls: each figure added, changed or removed."""

from __future__ import annotations

from dataclasses import dataclass

from .facts import FIGURE_GROUPS, ActionFacts, CallFacts


@dataclass(frozen=True)
class Change:
    group: str  # a figure group (see facts.FIGURE_GROUPS) or 'deadlines'
    kind: str  # added, removed or changed
    old: CallFacts
    new: CallFacts


def call_changes(sheet: ActionFacts) -> list[Change]:
    """Figures that differ between the newest call and the one before it (none when there is only one)."""
    new, old = sheet.latest, sheet.previous
    if old is None:
        return []
    changes = []
    for group in FIGURE_GROUPS:
        before, after = old.facts.get(group), new.facts.get(group)
        if before is None and after is None:
            continue
        if before is None:
            changes.append(Change(group, "added", old, new))
        elif after is None:
            changes.append(Change(group, "removed", old, new))
        elif before.values != after.values:
            changes.append(Change(group, "changed", old, new))
    if _dates(old) != _dates(new):
        changes.append(Change("deadlines", "changed" if old.deadlines and new.deadlines else "added", old, new))
    return changes


def _dates(call: CallFacts) -> list[tuple]:
    """Deadlines as a reader compares them: day, time and round, ignoring the year they belong to."""
    return [(d.day.month, d.day.day, d.at, d.round) for d in call.deadlines]
