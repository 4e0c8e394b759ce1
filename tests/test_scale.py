"""Page weight does not grow with the number of actions: a fact sheet built from data that holds every
action three times links to no other family's actions and weighs what it weighs at the real size; with
more actions than the comparison page holds, it loads the others from one JSON file, and the whole table has
a page of its own.

The sample data (tests/samples/basic) is scaled as bench/scale.py scales the guide; the build is the
one-language preview, for speed. Times are measured by the benchmark, not here.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from lxml import html

from conftest import mkdocs_build, sample_project, serve
from helpers import scale_data
from programme_guide.generate import load
from programme_guide.navigation import GROUP_LIMIT, GROUP_WINDOW
from programme_guide.pages import COMPARE_ROWS, COMPARE_ROWS_FILE

pytestmark = pytest.mark.slow

FAMILY = "partnerships-for-cooperation"
FACT_SHEET = f"key-action-2/{FAMILY}/cooperation-partnerships/"
FACTOR = 3
WIDE = 9  # times the sample's three actions with facts: more rows than the comparison page holds
COMPARE = "en/key-action-2/compare/"


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[int, Path]:
    """The English preview of the sample as it is (1) and with every action three times (FACTOR)."""
    built = {}
    for factor in (1, FACTOR):
        project = sample_project(tmp_path_factory.mktemp(f"x{factor}"))
        scale_data(project / "data", factor)
        result = mkdocs_build(project, project / "site", BUILD_ONLY_LOCALE="en")
        assert result.returncode == 0, result.stderr[-4000:]
        built[factor] = project / "site"
    return built


@pytest.fixture(scope="module")
def wide(tmp_path_factory) -> Path:
    """The English preview of the sample with every action WIDE times."""
    project = sample_project(tmp_path_factory.mktemp(f"x{WIDE}"))
    scale_data(project / "data", WIDE)
    result = mkdocs_build(project, project / "site", BUILD_ONLY_LOCALE="en")
    assert result.returncode == 0, result.stderr[-4000:]
    return project / "site"


def fact_sheet(site: Path) -> Path:
    page = site / "en" / FACT_SHEET / "index.html"
    return page if page.is_file() else site / FACT_SHEET / "index.html"


def action_pages(site: Path) -> dict[str, str]:
    """Path of every built fact sheet under /key-action-2/<family>/<action>/, with its family's slug."""
    pages = {}
    for page in site.rglob("key-action-2/*/*/index.html"):
        family = page.parent.parent.name
        if family not in ("compare", "changes"):
            pages["/" + page.parent.relative_to(site).as_posix() + "/"] = family
    return pages


def test_scaled_data_has_three_times_the_actions(sites):
    pages = action_pages(sites[FACTOR])
    assert len(pages) == FACTOR * len(action_pages(sites[1])) > 0
    assert any(path.endswith(f"/cooperation-partnerships-copy{FACTOR}/") for path in pages)


def test_fact_sheet_links_to_no_other_familys_actions(sites):
    site = sites[FACTOR]
    page = fact_sheet(site)
    url = "/" + page.parent.relative_to(site).as_posix() + "/"
    families = action_pages(site)
    links = {urlsplit(urljoin(url, a.get("href"))).path for a in html.parse(str(page)).getroot().iter("a")}
    others = sorted(link for link in links if families.get(link, FAMILY) != FAMILY)
    assert not others, f"{url} links to other families' fact sheets: {others[:5]}"
    own = [link for link in links if families.get(link) == FAMILY]
    assert own, "the fact sheet's navigation lists no action of its own family"


def test_fact_sheet_weighs_the_same_with_three_times_the_actions(sites):
    one, many = (fact_sheet(sites[factor]).stat().st_size for factor in (1, FACTOR))
    assert many <= 1.2 * one, f"fact sheet grew from {one} to {many} bytes ({many / one - 1:+.0%})"


# A group of many actions in the sidebar


def sidebar(page: Path):
    return html.parse(str(page)).getroot().cssselect("nav.md-nav--primary")[0]


def test_a_fact_sheet_lists_a_few_of_its_groups_many_actions_and_links_the_group_page_for_all(wide, sites):
    folder = compare_folder(wide).parent / FAMILY  # (en/)key-action-2/<family>/
    url = "/" + folder.relative_to(wide).as_posix() + "/"
    guide = load(wide.parent / "data").guide
    count = len(next(family.actions for family in guide.families if family.slug == FAMILY))
    assert count > GROUP_LIMIT

    def links(page_url: str, element) -> list[tuple[str, str]]:
        return [(a.text_content().strip(), urljoin(page_url, a.get("href"))) for a in element.iter("a")]

    # The group's page lists every action in its text.
    group_page = html.parse(str(folder / "index.html")).getroot()
    actions = [
        href for _, href in links(url, group_page.cssselect("article")[0]) if href.count("/") == url.count("/") + 1
    ]
    assert len(set(actions)) == count
    # A fact sheet in the middle of the group lists its own action in the middle of GROUP_WINDOW of them.
    middle = f"{url}cooperation-partnerships-copy5/"
    listed = [href for _, href in links(middle, sidebar(wide / middle.strip("/") / "index.html")) if href in actions]
    assert len(listed) == GROUP_WINDOW, listed
    assert listed.index(middle) == GROUP_WINDOW // 2, "the page's own action is in the middle of those listed"
    assert (f"All {count} actions in this group", url) in links(
        middle, sidebar(wide / middle.strip("/") / "index.html")
    )
    # The group's page lists the first ones in its sidebar.
    assert [href for _, href in links(url, sidebar(folder / "index.html")) if href in actions] == actions[:GROUP_WINDOW]
    # Within the limit every action is listed, as before, and a fact sheet weighs what it does at the real size.
    few = fact_sheet(sites[FACTOR])
    assert not [a for a in sidebar(few).iter("a") if "in this group" in a.text_content()]
    assert fact_sheet(wide).stat().st_size <= 1.2 * fact_sheet(sites[1]).stat().st_size


# The comparison


def compare_folder(site: Path) -> Path:
    folder = site / COMPARE
    return folder if folder.is_dir() else site / COMPARE.removeprefix("en/")


def actions(site: Path) -> int:
    """The actions with facts, which the comparison lists."""
    return len(load(site.parent / "data").facts.actions)


def row_ids(rows) -> list[str]:
    return [row.cssselect("th[data-id]")[0].get("data-id") for row in rows]


def test_the_comparison_page_holds_the_nearest_rows_and_loads_every_row_from_one_json_file(wide):
    folder = compare_folder(wide)
    table = html.parse(str(folder / "index.html")).getroot().get_element_by_id("pg-compare")
    assert table.get("data-rows") == COMPARE_ROWS_FILE
    data = json.loads((folder / COMPARE_ROWS_FILE).read_text("utf-8"))
    every = row_ids(html.fragment_fromstring(row) for row in data["rows"])
    assert len(every) == len(set(every)) == actions(wide) > COMPARE_ROWS
    held = row_ids(table.cssselect("tbody tr"))
    assert held == every[:COMPARE_ROWS], "the page holds the first rows of the file, in its order"
    assert set(data["durations"]) <= set(every) and data["durations"]
    assert set(data["notes"]) <= set(every)


def test_the_whole_table_has_a_page_of_its_own_that_needs_no_script(wide):
    folder = compare_folder(wide)
    page = html.parse(str(folder / "index.html")).getroot()
    link = page.cssselect(".pg-compare-all a")[0].get("href")
    whole = html.parse(str((folder / link / "index.html").resolve())).getroot()
    data = json.loads((folder / COMPARE_ROWS_FILE).read_text("utf-8"))
    rows = whole.cssselect("table.pg-compare tbody tr")
    assert row_ids(rows) == row_ids(html.fragment_fromstring(row) for row in data["rows"])
    assert not whole.cssselect("table[data-rows]") and not whole.cssselect("#pg-compare-text")


@pytest.mark.browser
def test_the_comparison_shows_filters_and_finds_every_action_from_the_file_fetched_once(wide, browser):
    fetched = []
    for url in serve(wide):
        tab = browser.new_page()
        tab.on("request", lambda request: fetched.append(request.url) if COMPARE_ROWS_FILE in request.url else None)
        tab.goto(url + compare_folder(wide).relative_to(wide).as_posix() + "/")
        tab.wait_for_selector("#pg-finder:not([hidden])")
        assert tab.eval_on_selector_all("#pg-compare tbody tr", "rows => rows.length") == actions(wide)
        assert len(fetched) == 1
        tab.select_option("#pg-filter-field", "youth")
        shown = tab.eval_on_selector_all(
            "#pg-compare tbody tr:not([hidden])", "rows => rows.map(r => r.children[0].dataset.id)"
        )
        assert any(id.endswith(f"-copy{WIDE}") for id in shown)
        tab.close()
