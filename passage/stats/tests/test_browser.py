"""The statistics page draws its charts in a real browser, and the tables match them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from passage.profiles.choices import Programme
from passage.stats.tests.helpers import BISHKEK, departed_case
from passage.testing.browser import login
from passage.testing.factories import PASSWORD

# How many pixels of a canvas are not transparent.
PAINTED = """(sel) => {
  const c = document.querySelector(sel);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; }
  return n;
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_charts_render_and_match_the_tables(live_server: Any, page: Any, personas: Any) -> None:
    departed_case(
        "US", Programme.USRAP_P1, [("M", None)] * 3, dt.datetime(2007, 3, 1, 9, tzinfo=BISHKEK)
    )
    departed_case("SE", Programme.FAMILY_REUNIFICATION, [("F", None)] * 2,
                  dt.datetime(2008, 6, 1, 9, tzinfo=BISHKEK))  # fmt: skip
    login(page, live_server, "stats_reader", PASSWORD)
    page.goto(f"{live_server.url}/stats/?start=2007-01-01&end=2008-12-31")
    for chart in ("#chart-years", "#chart-destinations"):
        page.wait_for_selector(f"{chart}[data-drawn]")
        assert page.locator(chart).get_attribute("data-drawn") == "5"
        # Chart.js drew on the canvas: some pixels are not transparent.
        painted = page.evaluate(PAINTED, chart)
        assert painted > 500
    assert page.evaluate("Chart.getChart(document.querySelector('#chart-years')).data.labels") == [
        "2007", "2008",
    ]  # fmt: skip
    data = page.evaluate(
        "Chart.getChart(document.querySelector('#chart-years')).data.datasets"
        ".map(d => [d.label, d.data])"
    )
    assert data == [["Refugee resettlement", [3, 0]], ["Family reunification", [0, 2]]]
    rows = page.locator("#table-years tbody tr").all_inner_texts()
    assert [r.split("\t") for r in rows] == [["2007", "3", "0", "3"], ["2008", "0", "2", "2"]]
    bars = page.evaluate(
        "Chart.getChart(document.querySelector('#chart-destinations')).data.datasets[0].data"
    )
    table = page.locator("#table-destination tbody tr td:nth-child(2)").all_inner_texts()
    assert bars == [3, 2] and table == ["2", "3"]  # chart sorted by size, table by code
    # A filter through htmx redraws the charts for the new results.
    page.select_option("#id_stream", "family_reunification")
    page.click("form.filters button[type=submit]")
    page.wait_for_function(
        "(document.querySelector('#chart-years') || {dataset: {}}).dataset.drawn === '2'"
    )
    assert page.locator("#table-years tfoot td strong").inner_text() == "2"
