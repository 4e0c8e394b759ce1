"""Deadline status against a date: upcoming (with the days left), expected (not yet confirmed) or closed.

A page is built for one moment, the build date: SOURCE_DATE_EPOCH when it is set (reproducible builds,
the daily rebuild), else the commit time of the data, else the newest data file. Pages say which date
their statuses are "as of"; a small script recomputes them from the reader's clock.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from .errors import Problem
from .facts import ActionFacts, Deadline, Facts

VARIABLE = "SOURCE_DATE_EPOCH"
BRUSSELS = ZoneInfo("Europe/Brussels")


@dataclass(frozen=True)
class Status:
    kind: str  # upcoming, expected or closed
    days: int | None = None  # days left until the deadline's day, for a deadline that has not passed

    @property
    def is_open(self) -> bool:
        return self.kind != "closed"


def status(deadline: Deadline, now: datetime) -> Status:
    """The status of ``deadline`` at ``now`` (an aware datetime)."""
    if now >= deadline.closes:
        return Status("closed")
    days = (deadline.day - now.astimezone(BRUSSELS).date()).days
    return Status("expected" if deadline.unconfirmed else "upcoming", days)


@dataclass(frozen=True)
class NextDeadline:
    """The first deadline that has not passed, or, when every one has, the last one."""

    deadline: Deadline | None
    status: Status

    @property
    def is_open(self) -> bool:
        return self.deadline is not None and self.status.is_open

    def sort_key(self) -> tuple:
        """Open calls first by closing time, then closed ones with the most recent first."""
        if self.deadline is None:
            return (2, 0.0)
        seconds = self.deadline.closes.timestamp()
        return (0, seconds) if self.is_open else (1, -seconds)


def next_deadline(sheet: ActionFacts, now: datetime) -> NextDeadline:
    deadlines = sheet.deadlines
    for deadline in deadlines:
        state = status(deadline, now)
        if state.is_open:
            return NextDeadline(deadline, state)
    if deadlines:
        return NextDeadline(deadlines[-1], Status("closed"))
    return NextDeadline(None, Status("closed"))


def stale_facts(facts: Facts, path: Path, now: datetime) -> list[Problem]:
    """Warnings a maintainer should see before readers do: facts older than the current Programme Guide, and
    actions whose deadlines have all passed."""
    warnings = []
    for action, sheet in facts.actions.items():
        newest = sheet.latest.year
        if newest < facts.guide_year:
            warnings.append(
                Problem(
                    path,
                    f"'{action}': the newest call described is {newest}, older than the {facts.guide_year} guide",
                    f"add the {facts.guide_year} call's facts with their sources",
                    line=sheet.line,
                )
            )
        upcoming = next_deadline(sheet, now)
        if not upcoming.is_open and upcoming.deadline is not None:
            last = upcoming.deadline.day.isoformat()
            warnings.append(
                Problem(
                    path,
                    f"'{action}': every deadline has passed (the last was {last}; status as of {as_of_date(now)})",
                    "add the next call's deadlines once a source states them",
                    line=sheet.line,
                )
            )
    return warnings


def build_moment(data_dir: Path | None = None, environ: dict[str, str] | None = None) -> datetime:
    """The moment a build describes: SOURCE_DATE_EPOCH, else the commit time of ``data_dir``, else its newest file."""
    environ = os.environ if environ is None else environ
    value = environ.get(VARIABLE, "").strip()
    if value.isdigit():
        return datetime.fromtimestamp(int(value), UTC)
    if data_dir is not None:
        seconds = commit_time(data_dir) or newest_file_time(data_dir)
        if seconds:
            return datetime.fromtimestamp(seconds, UTC)
    return datetime.now(UTC)


def content_date(data_dir: Path) -> date | None:
    """The day the guide's data last changed: its last commit, else its newest file (for "last updated")."""
    seconds = commit_time(data_dir, only_here=True) or newest_file_time(data_dir)
    return as_of_date(datetime.fromtimestamp(seconds, UTC)) if seconds else None


def commit_time(folder: Path, only_here: bool = False) -> int | None:
    """Seconds since the epoch of the HEAD commit of the repository holding ``folder`` (or of the last commit
    that changed ``folder``), or None outside a git checkout."""
    command = ["git", "log", "-1", "--format=%ct", *(["--", "."] if only_here else [])]
    try:
        result = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    value = result.stdout.strip()
    return int(value) if result.returncode == 0 and value.isdigit() else None


def newest_file_time(folder: Path) -> int | None:
    times = [int(p.stat().st_mtime) for p in folder.rglob("*") if p.is_file()]
    return max(times) if times else None


def as_of_date(now: datetime) -> date:
    """The calendar day in Brussels that a status is given for."""
    return now.astimezone(BRUSSELS).date()
