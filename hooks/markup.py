"""MkDocs adapter: correct the spots where the theme's markup fails the Nu HTML Checker or axe-core.

Events:
- on_post_page: fix every page's HTML.
- on_post_template: fix the 404 page the same way.

The spots, all in Material for MkDocs 9.8.2:
1. base.html gives its drawer and search checkboxes autocomplete="off", which HTML allows only on
   text-like fields.
2. partials/nav-item.html writes tabindex="" on navigation section labels; an empty tabindex is no number.
3. partials/toc.html labels the table of contents for the "__toc" checkbox, which partials/nav-item.html
   renders only for a page shown as a leaf of the navigation, not for a section's index page.
4. partials/nav-item.html names each section's <nav> after the section's expand toggle, which holds only
   an icon when the section has an index page (navigation.indexes): the landmarks end up without a name.
   They are named after the section's title instead.
Each fix matches the theme's exact markup, so it does nothing once the theme no longer writes it; the
checks in tests/test_html.py and tests/test_browser.py tell when a theme update needs a new one.

Reads nothing; writes nothing but the HTML it is given.
"""

from __future__ import annotations

import re

CHECKBOX_AUTOCOMPLETE = re.compile(
    r'(<input class="md-toggle" data-md-toggle="\w+" type="checkbox" id="\w+") autocomplete="off">'
)
EMPTY_TABINDEX = ' tabindex="">'
TOC_TOGGLE = 'id="__toc"'
TOC_LABEL = re.compile(r'(<label class="md-nav__title") for="__toc">')
SECTION_NAV = re.compile(r'(<nav class="md-nav" data-md-level="\d+" aria-labelledby="__nav_[\d_]+)_label"')
SECTION_TITLE = re.compile(r'(<label class="md-nav__title" for="(__nav_[\d_]+)")>')

# Hooks


def on_post_page(output, page, config):
    return fix(output)


def on_post_template(output_content, template_name, config):
    return fix(output_content) if template_name.endswith(".html") else output_content


# Helpers


def fix(html: str) -> str:
    html = CHECKBOX_AUTOCOMPLETE.sub(r"\1>", html)
    html = html.replace(EMPTY_TABINDEX, ">")
    if TOC_TOGGLE not in html:
        html = TOC_LABEL.sub(r"\1>", html)
    html = SECTION_NAV.sub(r'\1_title"', html)
    return SECTION_TITLE.sub(r'\1 id="\2_title">', html)
