"""Reading the built site the way a browser or a screen reader would."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from lxml import html

SEED = Path(__file__).parent / "fixtures" / "seed-ka2-nl.txt"


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


def seed_blocks() -> tuple[str, list[str]]:
    """The seed's title and its paragraphs and list items, in order (the site chrome above the title dropped)."""
    lines = [normalise(line) for line in SEED.read_text("utf-8").splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.startswith("Kernactie 2:"))
    blocks = [line.lstrip("•").strip() for line in lines[start + 1 :]]
    return lines[start], blocks


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
