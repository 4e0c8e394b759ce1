"""A Python-Markdown extension that passes the generated pages' HTML blocks through without parsing them.

The pages this package generates are HTML blocks between Markdown headings. Python-Markdown finds where an
HTML block ends by running every block through an HTML parser written in Python, which costs more than the
rest of the conversion together (and grows with the comparison's table). This extension's preprocessor
does the same for the blocks the generator writes, with a regular expression: a run of lines that starts
with a block-level tag (or a comment) at the start of a line, after a blank line or another such block, is set
aside as raw HTML up to the line that closes that tag, as Python-Markdown's own preprocessor sets it aside. The
headings, and any line that starts with text or with an inline tag, are left to Markdown as before.

Used by mkdocs.yml as ``programme_guide.rawblocks``; it imports Python-Markdown only, so any engine that uses
Python-Markdown can load it, and one that does not loses nothing but time.
"""

from __future__ import annotations

import re

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

START = re.compile(r"<(?:(/?)([A-Za-z][A-Za-z0-9-]*)|(!--))")  # an element's tag, its end tag or a comment
COMMENT = re.compile(r"(?P<open><!--)|(?P<close>-->)")
VOID = {"hr", "br", "img", "input", "link", "meta", "source", "track", "wbr", "area", "base", "col", "embed"}
PRIORITY = 25  # after normalize_whitespace (30), before html_block (20)


class RawBlocks(Preprocessor):
    """Set the HTML blocks aside in the HTML stash; Markdown puts them back unchanged."""

    def run(self, lines: list[str]) -> list[str]:
        lines = list(lines)  # a block's closing line is split where text follows its end tag
        out: list[str] = []
        i = 0
        while i < len(lines):
            end = self._block_end(lines, i) if i == 0 or not lines[i - 1].strip() else None
            if end is None:
                out.append(lines[i])
                i += 1
                continue
            while end < len(lines) and lines[end].strip() and (more := self._block_end(lines, end)) is not None:
                end = more  # a block that follows on the next line joins it, as in Python-Markdown
            # Stored with the line break after it where a blank line follows, and set apart by blank lines: the
            # HTML Python-Markdown writes for it is then, byte for byte, what it writes when it parses the block.
            tail = "\n" if end == len(lines) or not lines[end].strip() else ""
            out += ["", self.md.htmlStash.store("\n".join(lines[i:end]) + tail), ""]
            i = end
        return out

    def _block_end(self, lines: list[str], start: int) -> int | None:
        """The index after the HTML block that starts at ``lines[start]``, or None if no block starts there (or it
        is never closed). The block ends with the end tag of the element it opens with; what follows that tag on
        its line is moved to a line of its own, as Python-Markdown moves it."""
        match = START.match(lines[start])
        if match is None:
            return None
        closing, name, comment = match.groups()
        if comment:
            tags = COMMENT
        elif closing or not self.md.is_block_level(name.lower()):
            return None
        elif name.lower() in VOID:
            tags = re.compile(rf"(?P<open>(?!))|(?P<close><{re.escape(name)}[^>]*>)", re.IGNORECASE)
        else:
            tags = re.compile(
                rf"(?P<open><{re.escape(name)}(?=[\s/>]))|(?P<close></{re.escape(name)}\s*>)", re.IGNORECASE
            )
        depth = 1 if name and name.lower() in VOID else 0
        for i in range(start, len(lines)):
            for tag in tags.finditer(lines[i]):
                depth += 1 if tag["open"] else -1
                if depth <= 0:
                    rest = lines[i][tag.end() :]
                    if rest.strip():
                        lines[i : i + 1] = [lines[i][: tag.end()], rest]
                    return i + 1
        return None  # never closed: Python-Markdown's own parser decides


class RawBlocksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(RawBlocks(md), "pg_raw_blocks", PRIORITY)


def makeExtension(**kwargs) -> RawBlocksExtension:
    return RawBlocksExtension(**kwargs)
