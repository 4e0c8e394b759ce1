"""programme_guide.rawblocks, the Markdown extension that passes the generated pages' HTML blocks through without
parsing them: Python-Markdown writes the same HTML with it as without it, for every page of the guide and for the
block shapes Python-Markdown treats in its own way."""

from __future__ import annotations

import markdown
import pytest

from conftest import ROOT, sample_data
from programme_guide.generate import load
from programme_guide.pages import render_site

EXTENSIONS = ["attr_list", "md_in_html", "toc"]  # mkdocs.yml's, without this one

SHAPES = {
    "blocks and headings": '# T\n\n<div class="a">\n<p>x</p>\n</div>\n\n<p>y</p>\n<p>z</p>\n\n## H\n\n<ul>\n</ul>',
    "text right after a block": "<p>a</p>\ntext after\n\n<p>b</p>\n",
    "comment and void element": "<!-- c -->\n<hr>\n\n<p>x</p>\n",
    "inline tag starts a paragraph": "<span>x *y*</span> and <em>z</em>\n\n<p>w</p>\n",
    "blank lines inside an element": "<details>\n<summary>s</summary>\n\n<p>in</p>\n\n</details>\n# After\n",
    "text after the end tag": "<div>a</div>tail *x*\n\n<table>\n<tr><td>1</td></tr>\n</table>## H { #h }\n",
    "nested elements of the same name": "<div>\n<div>\n\n<p>a</p>\n</div>\n</div>\n\nafter\n",
    "block inside a paragraph": "some text\n<div>not a block</div>\n\n<p>x</p>\n",
    "unclosed element": "<div>\n<p>open\n\n# not a heading\n",
    "script with markup inside": '<script type="application/json">{"a": "<div>"}</script>\n\n## H\n',
}


def both(text: str) -> tuple[str, str]:
    plain = markdown.Markdown(extensions=EXTENSIONS)
    quick = markdown.Markdown(extensions=[*EXTENSIONS, "programme_guide.rawblocks"])
    return plain.convert(text), quick.convert(text)


@pytest.mark.parametrize("text", SHAPES.values(), ids=SHAPES.keys())
def test_each_block_shape_converts_as_without_the_extension(text):
    plain, quick = both(text)
    assert quick == plain


def body(page) -> str:
    """A generated page without its front matter, as MkDocs hands it to Markdown."""
    return page.markdown.split("---\n", 2)[2]


def test_every_page_of_the_sample_converts_as_without_the_extension(tmp_path):
    catalog = load(sample_data(tmp_path / "data"))
    pages = render_site(catalog)
    assert len(pages) > 20
    different = [f"{page.lang}:{page.url}" for page in pages if len(set(both(body(page)))) > 1]
    assert not different


@pytest.mark.slow
def test_every_page_of_the_guide_in_every_language_converts_as_without_the_extension():
    pages = render_site(load(ROOT / "data"))
    assert len(pages) > 500
    different = [f"{page.lang}:{page.url}" for page in pages if len(set(both(body(page)))) > 1]
    assert not different


def test_the_build_uses_the_extension():
    assert "  - programme_guide.rawblocks\n" in (ROOT / "mkdocs.yml").read_text("utf-8")
