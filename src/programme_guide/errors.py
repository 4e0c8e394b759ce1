"""Errors that point a person at the exact place in a data file that needs fixing.

:class:`DataError` means the data (or a file given to a command) has problems: exit code 1.
:class:`UsageError` means the command was used wrongly (an unknown language, a path that does not
exist, a target that would overwrite something): exit code 2.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as possible."""

    file: Path | str
    message: str
    hint: str = ""
    line: int | None = None
    key_path: str = ""

    def format(self, root: Path | None = None) -> str:
        name = Path(self.file)
        if root is not None:
            with suppress(ValueError):
                name = name.resolve().relative_to(root.resolve())
        where = f"{name}:{self.line}" if self.line else str(name)
        head = f"{where}: {self.message}"
        if self.key_path:
            head = f"{where}: at '{self.key_path}': {self.message}"
        return f"{head}\n    fix: {self.hint}" if self.hint else head


@dataclass
class DataError(Exception):
    """Raised when the data cannot be used; carries every problem found."""

    problems: list[Problem] = field(default_factory=list)
    listed: int | None = None  # name at most this many problems, then count the rest
    subject: str = "the guide data"

    def __str__(self) -> str:
        return self.format()

    def format(self, root: Path | None = None) -> str:
        count = len(self.problems)
        shown = self.problems if self.listed is None else self.problems[: self.listed]
        lines = [p.format(root) for p in shown]
        if len(shown) < count:
            lines.append(f"... and {count - len(shown)} more (fix these first, then run the command again)")
        noun = "problem" if count == 1 else "problems"
        return f"{count} {noun} in {self.subject}:\n" + "\n".join(lines)


class UsageError(Exception):
    """The command was used wrongly; the message says what to do instead (exit code 2)."""
