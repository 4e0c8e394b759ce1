"""Page weight does not grow with the number of actions: a fact sheet built from data that holds every
action three times links to no other family's actions and weighs what it weighs at the real size.

The sample data (tests/samples/basic) is scaled as bench/scale.py scales the guide; the build is the
one-language preview, for speed. Times are measured by the benchmark, not here.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from lxml import html

from conftest import mkdocs_build, sample_project
from helpers import scale_data

pytestmark = pytest.mark.slow

FAMILY = "partnerships-for-cooperation"
FACT_SHEET = f"key-action-2/{FAMILY}/cooperation-partnerships/"
FACTOR = 3


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
