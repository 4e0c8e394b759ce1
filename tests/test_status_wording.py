"""The browser rewords deadline statuses in the page's language even where its own Intl data lacks that
language: Chromium has no relative-time or date names for Irish and Maltese, so docs/assets/deadlines.js uses
the CLDR patterns the page carries. Runs the real script in headless Chromium on a page whose texts come from
the engine, with the reader's clock fixed."""

from __future__ import annotations

import json
from datetime import date

import pytest

from conftest import ROOT
from programme_guide.formatting import Formatter

pytestmark = pytest.mark.browser

SCRIPT = (ROOT / "docs" / "assets" / "deadlines.js").read_text("utf-8")
# 18 March 2099, 12:00 Brussels; the reader's clock stands at 15 March, 10:00 UTC: three days left.
CLOSES = "2099-03-18T12:00:00+01:00"
NOW = "2099-03-15T10:00:00Z"


def status_page(locale: str) -> str:
    fmt = Formatter(locale)
    texts = {
        "locale": locale.replace("_", "-"),
        "upcoming": "[{in_days}]",
        "today": "[today]",
        "expected": "[{in_days}?]",
        "closed": "[closed]",
        "as_of": "[{date}]",
        "fallback": fmt.browser_fallback(),
    }
    lang = locale.split("_")[0]
    return f"""<!doctype html><html lang="{lang}"><body>
<span data-pg-status data-pg-closes="{CLOSES}" data-pg-day="2099-03-18">?</span>
<p data-pg-asof="2000-01-01">?</p>
<script type="application/json" id="pg-status-text">{json.dumps(texts, ensure_ascii=False)}</script>
<script>{SCRIPT}</script>
</body></html>"""


@pytest.mark.parametrize("locale", ["ga_IE", "mt_MT", "pl_PL", "el_GR"])
def test_days_left_and_the_date_are_worded_as_babel_words_them(browser, locale):
    fmt = Formatter(locale)
    tab = browser.new_page()
    try:
        tab.clock.set_fixed_time(NOW)
        tab.set_content(status_page(locale))
        tab.wait_for_function("document.querySelector('[data-pg-status]').textContent !== '?'")
        assert tab.locator("[data-pg-status]").inner_text() == f"[{fmt.in_days(3)}]"
        assert tab.locator("[data-pg-asof]").inner_text() == f"[{fmt.date(date(2099, 3, 15))}]"
    finally:
        tab.close()
