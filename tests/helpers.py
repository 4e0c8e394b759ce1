"""Shared by the test modules: reading the built site the way a browser or a screen reader would, and the lists
the live-content tests check against."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from lxml import html

SEED = Path(__file__).parent / "fixtures" / "seed-ka2-nl.txt"


def sweep(cases, quick: int = 1) -> list:
    """The parameters of a test that sweeps many inputs, each a command run or more: the first ``quick`` cases run
    in the quick subset (`-m "not browser and not slow"`), the others are `slow`. Single values or tuples."""
    return [
        case if index < quick else pytest.param(*(case if isinstance(case, tuple) else (case,)), marks=pytest.mark.slow)
        for index, case in enumerate(cases)
    ]


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` by its path there, with its bytes: to compare two builds or a folder before
    and after a command."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def page(site: Path, url: str):
    """Parse the page at a site URL such as 'en/key-action-2/'."""
    path = site / url / "index.html" if not url.endswith(".html") else site / url
    return html.parse(str(path)).getroot()


def text(element) -> str:
    return normalise(element.text_content())


def normalise(value: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", value)).strip()


def article(doc):
    return doc.cssselect("article.md-content__inner")[0]


def structure(doc) -> list[tuple[str, int]]:
    """Headings and list lengths of the article, in order."""
    out = []
    for el in article(doc).iter("h1", "h2", "h3", "ul", "ol"):
        out.append((el.tag, len(el.findall("li")) if el.tag in ("ul", "ol") else 0))
    return out


def prefix(lang: str, source: str = "nl") -> str:
    """The folder of a language below the site root: '' for the source language, else '<lang>/'."""
    return "" if lang == source else f"{lang}/"


def seed_blocks() -> tuple[str, list[str]]:
    """The seed's title and its paragraphs and list items, in order (the site chrome above the title dropped)."""
    lines = [normalise(line) for line in SEED.read_text("utf-8").splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.startswith("Kernactie 2:"))
    blocks = [line.lstrip("•").strip() for line in lines[start + 1 :]]
    return lines[start], blocks


# The 24 languages in the EU's order (the Interinstitutional Style Guide's order of native names).
EU_ORDER = [
    *["bg", "es", "cs", "da", "de", "et", "el", "en", "fr", "ga", "hr", "it"],
    *["lv", "lt", "hu", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "fi", "sv"],
]

# The live guide's pages outside the fact sheets, the comparison and the what-changed page.
PAGES = [
    "",
    "key-action-2/",
    "key-action-2/partnerships-for-cooperation/",
    "key-action-2/partnerships-for-excellence/",
    "key-action-2/partnerships-for-innovation/",
    "key-action-2/capacity-building/",
    "key-action-2/european-sport-events/",
    "translations/",
    "about/",
    "glossary/",
]

# Every action with a fact sheet, and the folder of its family (the site's URLs, same in every language).
ACTIONS = {
    "cooperation-partnerships": "partnerships-for-cooperation",
    "small-scale-partnerships": "partnerships-for-cooperation",
    "school-development": "partnerships-for-cooperation",
    "vocational-excellence": "partnerships-for-excellence",
    "teacher-academies": "partnerships-for-excellence",
    "mundus-joint-masters": "partnerships-for-excellence",
    "mundus-design-measures": "partnerships-for-excellence",
    "alliances-for-innovation": "partnerships-for-innovation",
    "capacity-higher-education": "capacity-building",
    "capacity-vet": "capacity-building",
    "capacity-youth": "capacity-building",
    "capacity-sport": "capacity-building",
    "sport-events": "european-sport-events",
}


@dataclass
class Tally:
    """The hostile inputs a run tried (tests/test_hostile.py), each with its category, and those that got a clear
    error or safe output; tests/conftest.py prints the tally at the end of the run."""

    tried: dict[str, str] = field(default_factory=dict)
    safe: set[str] = field(default_factory=set)

    def summary(self) -> str:
        parts = []
        for category in dict.fromkeys(self.tried.values()):
            names = [name for name, c in self.tried.items() if c == category]
            parts.append(f"{category} {sum(name in self.safe for name in names)}/{len(names)}")
        line = f"hostile input: {len(self.tried)} inputs tried, {len(self.safe & set(self.tried))} got a clear error"
        line += f" or safe output ({', '.join(parts)})"
        bad = sorted(set(self.tried) - self.safe)
        return line + (f"; failed: {', '.join(bad)}" if bad else "")


HOSTILE = Tally()


# The guide with N times as many actions (tests/test_scale.py, bench/scale.py)


def scale_data(data: Path, factor: int) -> None:
    """Add factor - 1 copies of every action to the data folder ``data``, in place."""
    guide = yaml.safe_load((data / "guide.yml").read_text("utf-8"))
    ids = [action["id"] for action in guide["actions"]]
    copies = {action: [f"{action}-copy{n}" for n in range(2, factor + 1)] for action in ids}
    if factor > 1:
        _scale_guide(data / "guide.yml", copies)
        _scale_blocks(data / "facts.yml", copies, _facts_key)
        for locale in sorted((data / "locales").glob("*.yml")):
            _scale_blocks(locale, copies, _locale_key)


def _scale_guide(path: Path, copies: dict[str, list[str]]) -> None:
    """Each family lists its actions' copies after its own; each `- {id: ...}` action line gets its copies."""
    out = []
    for line in path.read_text("utf-8").splitlines(keepends=True):
        family = re.fullmatch(r"(\s+actions: \[)([^\]]*)(\]\s*)", line)
        action = re.fullmatch(r"(\s+- \{id: )([a-z0-9-]+)(,.*\n?)", line)
        if family:
            listed = [a.strip() for a in family[2].split(",")]
            every = listed + [copy for a in listed for copy in copies[a]]
            out.append(family[1] + ", ".join(every) + family[3])
        elif action and action[2] in copies:
            out.append(line)
            out += [action[1] + copy + action[3] for copy in copies[action[2]]]
        else:
            out.append(line)
    path.write_text("".join(out), "utf-8")


def _facts_key(line: str) -> tuple[str, str] | None:
    """An action in facts.yml: `  <id>:` under the top-level `actions:`."""
    match = re.fullmatch(r"  ([a-z0-9-]+):\s*", line)
    return (match[1], "") if match else None


def _locale_key(line: str) -> tuple[str, str] | None:
    """A text of an action in a locale file: `  action.<id>.<what>:`."""
    match = re.match(r"  action\.([a-z0-9-]+)(\.[a-z_.]+):", line)
    return (match[1], match[2]) if match else None


def _scale_blocks(path: Path, copies: dict[str, list[str]], key) -> None:
    """Copy each block of lines that ``key`` recognises as an action's (the key line and the lines indented
    below it) under the copies' ids, after the last block of the same action. Comments are not copied."""
    lines = path.read_text("utf-8").splitlines(keepends=True)
    blocks: dict[str, list[list[str]]] = {}
    last: dict[str, int] = {}
    section = ""
    i = 0
    while i < len(lines):
        if re.match(r"[a-z_]+:", lines[i]):
            section = lines[i].split(":")[0]
        found = key(lines[i]) if section in ("actions", "strings") else None
        if not found or found[0] not in copies:
            i += 1
            continue
        end = i + 1
        while end < len(lines) and (lines[end].startswith("    ") or lines[end].strip() == ""):
            end += 1
        while end > i + 1 and lines[end - 1].strip() == "":
            end -= 1
        blocks.setdefault(found[0], []).append(lines[i:end])
        last[found[0]] = end
        i = end
    # An action in facts.yml is separated from the next by a blank line; the texts in a locale file are not.
    gap = "\n" if key is _facts_key else ""
    inserts = {
        end: [
            gap
            + re.sub(rf"(\s*(?:action\.)?){re.escape(action)}([.:])", rf"\g<1>{copy}\g<2>", block[0], count=1)
            + "".join(block[1:])
            for copy in copies[action]
            for block in blocks[action]
        ]
        for action, end in last.items()
    }
    out = []
    for index, line in enumerate(lines):
        out += inserts.get(index, [])
        out.append(line)
    out += inserts.get(len(lines), [])
    path.write_text("".join(out), "utf-8")
