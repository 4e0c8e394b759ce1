"""The built site in a real browser (headless Chromium through Playwright, over http on 127.0.0.1): search in
each language, keyboard use, layout on a phone and a laptop, the language panel, axe-core in the light and the
dark scheme, printing, and no request to another host."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import ROOT
from helpers import ACTIONS
from programme_guide.generate import load
from programme_guide.pages import site_targets

pytestmark = pytest.mark.browser

LANGUAGES = tuple(
    lang["code"] for lang in yaml.safe_load((ROOT / "data" / "languages.yml").read_text("utf-8"))["languages"]
)

FACT_SHEET = "key-action-2/partnerships-for-cooperation/cooperation-partnerships/"
AXE_LANGUAGES = ("nl", "en", "el", "ga", "pl")
AXE_PAGES = (
    "",
    "key-action-2/",
    "key-action-2/partnerships-for-cooperation/",
    FACT_SHEET,
    "key-action-2/compare/",
    "glossary/",
    "translations/",
    "no-such-page/",
)
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 400, "height": 800}
SCREENS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 900}}
LAYOUT_LANGUAGES = ("nl", "el", "pl", "ga")
LAYOUT_PAGES = (
    "",
    "key-action-2/",
    "key-action-2/partnerships-for-innovation/",
    FACT_SHEET,
    "key-action-2/compare/",
    "glossary/",
    "translations/",
)
DARK_AXE_LANGUAGES = ("nl", "el")
WORD = re.compile(r"[^\W\d_]{4,}")
# Polish case endings, longest first: a word from a title with one of them swapped for another is an
# inflected form of the same word.
POLISH_ENDINGS = ("ami", "ach", "om", "ą", "ę", "y", "i", "a", "e")
POLISH_NEW_ENDINGS = ("om", "ach", "ą")
FIRST_SEARCH_BUDGET = 400_000  # bytes of Pagefind files for the first search of a page
NO_MATCH = "qxvjkw"  # no word in any language (and no stemmer reduces it to one)
READ_AT = "2026-01-15T10:00:00Z"  # two weeks after the date the tests build the site for (conftest.build_env)


@pytest.fixture(scope="module")
def catalog(site):
    return load(site.parent / "data")


@pytest.fixture(scope="module")
def overview(catalog):
    return next(t for t in site_targets(catalog).values() if t.kind == "overview")


class Tab:
    """A browser tab on the test server that records every request it makes."""

    def __init__(self, browser, server: str, viewport: dict):
        self.server = server
        self.context = browser.new_context(viewport=viewport)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.responses: list = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("response", lambda response: self.responses.append(response))

    def open(self, path: str):
        self.page.goto(self.server + path)
        return self.page

    def external_requests(self) -> list[str]:
        return [url for url in self.requests if urlsplit(url).hostname != "127.0.0.1"]


@pytest.fixture
def tabs(browser, server):
    opened: list[Tab] = []

    def new(viewport: dict = DESKTOP) -> Tab:
        opened.append(Tab(browser, server, viewport))
        return opened[-1]

    yield new
    for tab in opened:
        tab.context.close()


def prefix(lang: str, source: str = "nl") -> str:
    return "" if lang == source else f"{lang}/"


def focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement; return { tag: e.tagName, id: e.id, cls: e.className,
        label: e.getAttribute('aria-label'), hreflang: e.getAttribute('hreflang'),
        outline: getComputedStyle(e).outlineStyle } }"""
    )


def tab_until(page, predicate, limit: int = 60) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = focused(page)
        if predicate(state):
            return state
    raise AssertionError(f"not reached with {limit} presses of Tab")


def search(page, query: str) -> list[dict]:
    """Open the search from the keyboard, run ``query`` and return the results shown."""
    page.keyboard.press("/")
    page.fill("#pg-search-input", query)
    page.wait_for_function("q => document.querySelector('#pg-search-results').dataset.query === q", arg=query)
    return page.eval_on_selector_all(
        ".md-search-result__link",
        """links => links.map(a => ({ href: a.href,
            title: a.querySelector('.pg-search-result__title').textContent,
            excerpt: a.querySelector('.pg-search-result__excerpt').innerHTML }))""",
    )


def query_word(catalog, lang: str, key: str) -> str:
    text = catalog.text(lang, key)
    if text.is_fallback:
        pytest.skip(f"'{key}' has no {lang} translation yet, so there is nothing in {lang} to search for")
    return max(WORD.findall(text.value), key=len)


def assert_only_language(results: list[dict], server: str, lang: str, codes: tuple[str, ...]):
    for result in results:
        path = result["href"].removeprefix(server)
        first = path.split("/", 1)[0]
        if lang == "nl":
            assert first not in codes, f"a result in another language: {result['href']}"
        else:
            assert first == lang, f"a result in another language: {result['href']}"


# Search


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_finds_the_overview_from_a_title_word_and_only_pages_in_the_page_language(
    tabs, server, catalog, overview, lang
):
    word = query_word(catalog, lang, overview.title_key)
    tab = tabs()
    page = tab.open(prefix(lang))
    results = search(page, word)
    assert results, f"no result for '{word}' in {lang}"
    assert_only_language(results, server, lang, catalog.guide.language_codes)
    assert f"{server}{prefix(lang)}{overview.url}" in [r["href"] for r in results]
    assert not tab.external_requests()


def test_greek_search_matches_greek_words_only_in_greek(tabs, server, catalog, overview):
    word = query_word(catalog, "el", overview.title_key)
    assert re.search(r"[\u0370-\u03ff]", word), f"the Greek title word '{word}' is not in Greek script"
    results = search(tabs().open("el/"), word.upper())
    assert f"{server}el/{overview.url}" in [r["href"] for r in results]
    assert_only_language(results, server, "el", catalog.guide.language_codes)


def test_bulgarian_search_matches_cyrillic_words_only_in_bulgarian(tabs, server, catalog, overview):
    word = query_word(catalog, "bg", overview.title_key)
    assert re.search(r"[\u0400-\u04ff]", word), f"the Bulgarian title word '{word}' is not in Cyrillic"
    results = search(tabs().open("bg/"), word)
    assert f"{server}bg/{overview.url}" in [r["href"] for r in results]
    assert_only_language(results, server, "bg", catalog.guide.language_codes)


def polish_inflection(catalog, key: str) -> tuple[str, str]:
    """A word of the Polish text ``key`` and another form of it that no Polish text of the site contains."""
    corpus = {w.lower() for k in catalog.source.entries for w in WORD.findall(catalog.text("pl", k).value)}
    for word in sorted(WORD.findall(catalog.text("pl", key).value), key=len, reverse=True):
        stem = next((word[: -len(e)] for e in POLISH_ENDINGS if word.endswith(e) and len(word) - len(e) >= 5), None)
        for ending in POLISH_NEW_ENDINGS if stem else ():
            if (stem + ending).lower() not in corpus:
                return word, stem + ending
    pytest.skip("no Polish word in the title to inflect")


def test_polish_search_finds_an_inflected_form(tabs, server, catalog, overview):
    query_word(catalog, "pl", overview.title_key)
    word, form = polish_inflection(catalog, overview.title_key)
    results = search(tabs().open("pl/"), form)
    hrefs = [r["href"] for r in results]
    assert f"{server}pl/{overview.url}" in hrefs, f"'{form}' did not find the page that has '{word}'"
    assert_only_language(results, server, "pl", catalog.guide.language_codes)


def test_search_results_show_title_and_excerpt_with_the_match_marked(tabs, catalog, overview):
    word = query_word(catalog, "en", overview.title_key)
    results = search(tabs().open("en/"), word)
    overview_title = catalog.text("en", overview.title_key).value
    assert overview_title in [r["title"] for r in results]
    assert all(r["excerpt"] for r in results)
    assert any("<mark>" in r["excerpt"] for r in results)


def test_first_search_loads_only_the_page_language_index_in_chunks(tabs, server, catalog, overview):
    word = query_word(catalog, "pl", overview.title_key)
    tab = tabs()
    search(tab.open("pl/"), word)
    pagefind = [r for r in tab.responses if "/pagefind/" in r.url]
    assert pagefind
    other = [r.url for r in pagefind if re.search(r"/(?:index|fragment)/(?!pl_)|pagefind\.(?!pl_)\w+\.pf_meta", r.url)]
    assert not other, f"files of another language's index: {other}"
    loaded = sum(len(r.body()) for r in pagefind)
    assert loaded < FIRST_SEARCH_BUDGET, f"the first search loaded {loaded} bytes"


@pytest.mark.parametrize("lang", ["nl", "en", "el", "bg", "ga", "mt", "pl"])
def test_search_is_labelled_in_the_page_language(tabs, catalog, lang):
    page = tabs().open(prefix(lang))
    field = page.locator("#pg-search-input")
    label, placeholder = field.get_attribute("aria-label"), field.get_attribute("placeholder")
    for key, shown in (("site.search.label", label), ("site.search.placeholder", placeholder)):
        text = catalog.text(lang, key)
        if not text.is_fallback:
            assert shown == text.value
        elif lang not in ("nl", "en"):
            assert shown not in ("Search", "Search this site", text.value), f"{lang} search {key} is not in {lang}"
    assert page.locator(".pg-search-open").get_attribute("aria-label") == label
    results = search(page, NO_MATCH)
    assert results == []
    meta = page.locator(".md-search-result__meta").text_content().strip()
    assert meta
    if lang not in ("nl", "en"):
        assert "matching" not in meta and "No " not in meta, f"{lang} search says '{meta}'"


# Keyboard


@pytest.mark.parametrize("path", ["", "key-action-2/", "el/translations/", "no-such-page/", "pl/no-such-page/"])
def test_tab_reaches_the_skip_link_first_and_it_leads_to_the_content(tabs, path):
    page = tabs().open(path)
    page.keyboard.press("Tab")
    state = focused(page)
    assert "md-skip" in state["cls"], f"first Tab stop: {state}"
    box = page.locator(".md-skip").bounding_box()
    assert box and box["width"] > 0 and box["y"] >= 0, "the skip link is not shown when focused"
    target = page.locator(".md-skip").get_attribute("href")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == target
    assert page.locator(target).count() == 1


def test_search_opens_from_the_keyboard_and_its_results_can_be_reached(tabs, catalog, overview):
    word = query_word(catalog, "en", overview.title_key)
    page = tabs().open("en/key-action-2/")
    state = tab_until(page, lambda s: s["id"] == "pg-search-input")
    assert state["outline"] != "none", "the focused search field shows no focus"
    assert page.evaluate("document.getElementById('__search').checked")
    page.keyboard.type(word)
    page.wait_for_function("q => document.querySelector('#pg-search-results').dataset.query === q", arg=word)
    page.keyboard.press("ArrowDown")
    state = focused(page)
    assert state["tag"] == "A" and "md-search-result__link" in state["cls"]
    assert state["outline"] != "none", "a focused result shows no focus"
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("/")
    assert focused(page)["id"] == "pg-search-input"
    assert page.evaluate("document.getElementById('__search').checked")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert "md-search-result__link" in focused(page)["cls"], "Tab from the field does not reach the results"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.evaluate("document.documentElement.lang") == "en"


def test_search_opens_from_its_button_on_a_small_screen(tabs):
    page = tabs(PHONE).open("el/")
    assert not page.locator("#pg-search-input").is_visible()
    state = tab_until(page, lambda s: "pg-search-open" in s["cls"])
    assert state["label"] and state["outline"] != "none"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "pg-search-input"
    assert page.locator("#pg-search-input").is_visible()
    assert page.locator(".pg-search-open").get_attribute("aria-expanded") == "true"
    page.keyboard.press("Escape")
    assert "pg-search-open" in focused(page)["cls"]


def test_language_switcher_is_reachable_and_operable_by_keyboard(tabs, catalog):
    page = tabs().open("key-action-2/")
    name = catalog.text("nl", "ui.language_current", language="Nederlands").value
    state = tab_until(page, lambda s: name in (s["label"] or ""))
    assert state["outline"] != "none", "the focused language switcher shows no focus"
    assert page.locator(".pg-lang__button").text_content().split() == ["nl"]
    assert re.split(r"\W+", state["label"])[0] == "nl", "the button's name does not start with the code it shows"
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    assert focused(page)["hreflang"] == LANGUAGES[0]
    page.keyboard.press("End")
    assert focused(page)["hreflang"] == LANGUAGES[-1]
    page.keyboard.press("Escape")
    assert focused(page)["label"] == state["label"], "Escape does not return focus to the language button"
    assert not page.locator(".pg-lang__panel").is_visible()
    page.keyboard.press("Enter")
    state = tab_until(page, lambda s: s["hreflang"] == "en", limit=30)
    assert page.locator(".pg-lang__link[hreflang=en]").is_visible()
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/key-action-2/")
    assert page.evaluate("document.documentElement.lang") == "en"


def test_escape_in_the_search_returns_focus_to_where_the_search_was_opened(tabs, catalog, overview):
    page = tabs().open("el/key-action-2/")
    page.focus(".pg-lang__button")
    search(page, query_word(catalog, "el", overview.title_key))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")
    assert "pg-lang__button" in focused(page)["cls"], f"focus after Escape: {focused(page)}"


# Layout: phone and laptop


@pytest.fixture(scope="module")
def screens(browser, server):
    """One tab per screen size, shared by the layout tests (they only read the pages they open). The reader's
    clock is fixed two weeks after the date the site is built for, so the deadline statuses are those a reader
    of a fresh build sees."""
    opened = {name: Tab(browser, server, viewport) for name, viewport in SCREENS.items()}
    for tab in opened.values():
        tab.page.clock.set_fixed_time(READ_AT)
    yield opened
    for tab in opened.values():
        tab.context.close()


def overflow(page) -> int:
    """How many pixels the document is wider than the window (0 or less: no horizontal scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - innerWidth")


def settle(page) -> None:
    """Wait until no transition or animation runs (the theme's search overlay and colour-scheme changes)."""
    page.wait_for_function(
        """() => document.getAnimations().every(a =>
            a.playState !== "running" || a.effect.getComputedTiming().iterations === Infinity)"""
    )


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("lang", LAYOUT_LANGUAGES)
def test_no_page_is_wider_than_the_screen_even_with_search_results_open(screens, catalog, overview, lang, screen):
    tab = screens[screen]
    wider = {}
    for path in LAYOUT_PAGES:
        page = tab.open(prefix(lang) + path)
        if overflow(page) > 0:
            wider[path or "/"] = overflow(page)
    assert not wider, f"{lang} pages wider than the {screen}, in px: {wider}"
    if page.locator(".pg-search-open").is_visible():
        page.locator(".pg-search-open").click()
    assert search(page, query_word(catalog, lang, overview.title_key))
    page.wait_for_selector(".md-search-result__link", state="visible")
    settle(page)
    assert overflow(page) <= 0, f"with search results open the page is {overflow(page)} px wider than the {screen}"
    width = page.evaluate("innerWidth")
    for box in page.eval_on_selector_all(".md-search-result__link", "ls => ls.map(a => a.getBoundingClientRect())"):
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"a result is cut off: {box}"


@pytest.mark.parametrize("lang", LAYOUT_LANGUAGES)
def test_fact_sheet_summary_is_on_the_first_screen(screens, catalog, lang):
    laptop = screens["laptop"].open(prefix(lang) + FACT_SHEET)
    box = laptop.locator("dl.pg-summary").first.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= SCREENS["laptop"]["height"], f"laptop: summary at {box}"
    phone = screens["phone"].open(prefix(lang) + FACT_SHEET)
    summary = phone.locator("dl.pg-summary").first
    funding = catalog.text(lang, "fact.label.funding").value
    rows = {
        "next deadline": summary.locator("> .pg-summary__next"),
        "grant": summary.locator("> div").filter(has=phone.locator("dt", has_text=funding)),
    }
    for name, row in rows.items():
        assert row.count() == 1, f"the summary has no single {name} row"
        # a row is a term and its value laid out by the list's grid (the row itself has no box of its own)
        top, bottom = row.evaluate(
            "r => [...r.children].map(c => c.getBoundingClientRect()).reduce((a, b) => ["
            "Math.min(a[0], b.top), Math.max(a[1], b.bottom)], [Infinity, -Infinity])"
        )
        assert top >= 0 and bottom <= SCREENS["phone"]["height"], f"phone: the {name} is at {top} to {bottom} px"


@pytest.mark.parametrize("lang", ["nl", "el"])
def test_search_results_show_the_section_a_page_sits_in(tabs, catalog, lang):
    action = "cooperation-partnerships"
    word = query_word(catalog, lang, f"action.{action}.name")
    page = tabs().open(prefix(lang))
    search(page, word)
    link = page.locator(f".md-search-result__link[href$='/partnerships-for-cooperation/{action}/']")
    assert link.count() == 1, f"'{word}' does not find the {action} fact sheet"
    section = link.locator(".pg-search-result__path").text_content()
    for key in ("ka2.nav", "family.cooperation.name"):
        assert catalog.text(lang, key).value in section, f"the section '{section}' does not name {key}"


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("lang", LAYOUT_LANGUAGES)
def test_language_panel_shows_all_languages_at_once(screens, lang, screen):
    page = screens[screen].open(prefix(lang) + "key-action-2/")
    button = page.locator(".pg-lang__button")
    assert button.text_content().split() == [lang], "the button does not show the current language's code"
    button.click()
    panel = page.locator(".pg-lang__panel")
    assert panel.is_visible()
    assert overflow(page) <= 0
    links = page.locator(".pg-lang__link")
    assert links.evaluate_all("ls => ls.map(a => a.hreflang)") == list(LANGUAGES)
    assert links.evaluate_all("ls => ls.map(a => a.lang)") == list(LANGUAGES)
    assert page.locator(".pg-lang__link[aria-current=true]").get_attribute("hreflang") == lang
    area = panel.bounding_box()
    view = SCREENS[screen]
    assert area["y"] + area["height"] <= view["height"] and area["x"] + area["width"] <= view["width"]
    for box in links.evaluate_all("ls => ls.map(a => a.getBoundingClientRect().toJSON())"):
        assert area["x"] <= box["x"] and box["x"] + box["width"] <= area["x"] + area["width"] + 0.5, box
        assert area["y"] <= box["y"] and box["y"] + box["height"] <= area["y"] + area["height"] + 0.5, box
    assert panel.evaluate("p => p.scrollHeight <= p.clientHeight && p.scrollWidth <= p.clientWidth")
    page.keyboard.press("Escape")
    assert not panel.is_visible()
    assert "pg-lang__button" in focused(page)["cls"]


# Accessibility, printing, requests


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def violations(axe, page) -> list[str]:
    found = axe.run(page).response["violations"]
    return [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:3]]}" for v in found]


@pytest.mark.parametrize("lang", AXE_LANGUAGES)
def test_axe_finds_no_violations_on_any_page_type_in_the_light_and_the_dark_scheme(tabs, axe, lang):
    tab = tabs()
    schemes = {"light": "default", "dark": "slate"} if lang in DARK_AXE_LANGUAGES else {"light": "default"}
    problems = {}
    for path in AXE_PAGES:
        page = tab.open(prefix(lang) + path)
        assert page.evaluate("document.documentElement.lang") == lang
        for scheme, theme_scheme in schemes.items():
            page.emulate_media(color_scheme=scheme)
            page.wait_for_function("s => document.body.dataset.mdColorScheme === s", arg=theme_scheme)
            settle(page)
            problems[f"{path or '/'} ({scheme})"] = violations(axe, page)
    assert not any(problems.values()), {where: found for where, found in problems.items() if found}
    assert not tab.external_requests(), tab.external_requests()


def test_colour_scheme_toggle_is_labelled_in_the_page_language(tabs):
    tab = tabs()
    labels = {}
    for lang in ("nl", "en", "el", "ga", "pl"):
        page = tab.open(prefix(lang))
        names = page.eval_on_selector_all("[name=__palette]", "ins => ins.map(i => i.getAttribute('aria-label'))")
        assert len(names) == 3 and all(names), names
        labels[lang] = tuple(names)
    assert len(set(labels.values())) == len(labels), f"two languages share the toggle's labels: {labels}"


def test_axe_finds_no_violations_with_search_results_open(tabs, axe, catalog, overview):
    word = query_word(catalog, "el", overview.title_key)
    for viewport in (DESKTOP, PHONE):
        page = tabs(viewport).open("el/key-action-2/")
        if viewport is PHONE:
            page.locator(".pg-search-open").click()
        search(page, word)
        assert not violations(axe, page), viewport


def test_print_hides_navigation_header_and_search_and_writes_out_links(tabs, server):
    page = tabs().open("key-action-2/")
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-search", ".md-skip"):
        assert page.eval_on_selector(selector, "e => getComputedStyle(e).display") == "none", selector
    assert page.locator(".pg-disclaimer").is_visible(), "the independent-edition notice is not printed"
    assert page.locator(".md-copyright").is_visible(), "the source credit is not printed"
    after = page.eval_on_selector_all(
        "article a[href]:not([href^='#'])", "links => links.map(a => getComputedStyle(a, '::after').content)"
    )
    assert after and all(server in content or "http" in content for content in after), after[:3]


def test_no_request_leaves_the_site_while_pages_load_and_search(tabs, catalog, overview):
    tab = tabs()
    for lang in ("nl", "en", "el", "ga", "mt", "bg"):
        tab.open(prefix(lang) + "key-action-2/partnerships-for-cooperation/")
        tab.page.wait_for_load_state("networkidle")
    search(tab.page, query_word(catalog, "bg", overview.title_key))
    assert len(tab.requests) > 20
    assert not tab.external_requests(), tab.external_requests()


@pytest.mark.parametrize(("path", "lang"), [("en/no-such-page/", "en"), ("ga/x/y/", "ga"), ("no-such-page/", "nl")])
def test_a_host_with_one_404_page_still_shows_the_readers_language(browser, pages_server, path, lang):
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.goto(pages_server + path)
        tab.wait_for_load_state("load")
        if lang != "nl":
            tab.wait_for_url(f"{pages_server}{lang}/404.html")
        assert tab.evaluate("document.documentElement.lang") == lang
        assert tab.locator("h1").count() == 1
    finally:
        context.close()


def test_axe_finds_no_violations_with_finder_results_shown(tabs, axe):
    tab = tabs()
    tab.page.clock.set_fixed_time(READ_AT)
    page = tab.open("en/key-action-2/compare/")
    page.select_option("#pg-finder-field", "school")
    page.click("#pg-finder button[type=submit]")
    page.click("#pg-compare thead th button")
    assert page.locator("#pg-finder-list li").count() > 0
    assert not violations(axe, page)


# Search keywords (keywords.* in the locale files): indexed with the page, never shown


@pytest.mark.parametrize(("lang", "word"), [("nl", "subsidie"), ("en", "grant"), ("el", "επιχορήγηση")])
def test_searching_the_word_applicants_use_finds_every_fact_sheet(tabs, server, catalog, lang, word):
    page = tabs().open(prefix(lang))
    results = search(page, word)
    assert_only_language(results, server, lang, catalog.guide.language_codes)
    found = {r["href"] for r in results}
    for action, family in ACTIONS.items():
        assert f"{server}{prefix(lang)}key-action-2/{family}/{action}/" in found, f"{lang} '{word}': {action}"


def test_searching_jongeren_finds_the_youth_actions_and_the_keywords_stay_hidden(tabs, server):
    page = tabs().open("")
    found = {r["href"] for r in search(page, "jongeren")}
    assert f"{server}key-action-2/capacity-building/capacity-youth/" in found
    page.goto(f"{server}key-action-2/capacity-building/capacity-youth/")
    keywords = page.locator(".pg-keywords")
    assert "jongeren" in keywords.text_content() and not keywords.is_visible()
