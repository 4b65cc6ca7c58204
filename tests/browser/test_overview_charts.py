"""The unit page in a real browser (issue 12): the county's charts are drawn with no console error
(no CSP violation either), and a click on a township's bar then on a village's name goes down to
the village's page; the brief draws its charts too."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser.conftest import admin_log_in
from tests.reports.overview_data import populate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def charts_drawn(page):
    charts = page.locator("[data-chart]")
    expect(charts.first).to_have_class("sz-chart sz-chart-rank sz-drawn")
    count = charts.count()
    assert count >= 8
    for i in range(count):  # ECharts drew each one (a canvas inside the element)
        expect(charts.nth(i).locator("canvas")).to_have_count(1)
    return count


def test_the_county_page_draws_its_charts_and_drills_down_to_a_village(live_server, cast, desktop):
    cache.clear()  # figures of an earlier test's units (reports.overview.views.build)
    populate(cast)
    admin_log_in(desktop, live_server.url, "county")
    desktop.get_by_role("link", name="工作概览（本单位图表、工作简报）").click()
    expect(desktop.locator("h1")).to_have_text(f"工作概览：{cast.county.name}")
    charts_drawn(desktop)

    # a click on the first township's bar of the ranked chart opens the township's page
    township = cast.townships[0]
    chart = desktop.locator("#chart-coverage-rank")
    expect(chart).to_have_class(re.compile(r"\bsz-settled\b"))  # the bars have grown: a click lands where aimed
    box = chart.bounding_box()
    ranked = desktop.locator("#table-coverage-rank tbody tr")
    expect(ranked).to_have_count(2)
    rows = desktop.evaluate("JSON.parse(document.getElementById('overview-charts').textContent)['coverage-rank']")
    index = rows["categories"].index(township.name)
    plot_top, plot_bottom = box["y"] + 32, box["y"] + box["height"] - 8 - 20  # grid top / bottom (axis labels)
    band = (plot_bottom - plot_top) / len(rows["categories"])
    desktop.mouse.click(box["x"] + box["width"] * 0.3, plot_top + band * (index + 0.5))
    expect(desktop.locator("h1")).to_have_text(f"工作概览：{township.name}")
    charts_drawn(desktop)

    village = cast.branches[0].village
    desktop.locator("#table-coverage-rank").get_by_role("link", name=village.name).click()
    expect(desktop.locator("h1")).to_have_text(f"工作概览：{village.name}")
    expect(desktop.locator(".breadcrumbs")).to_contain_text(township.name)
    charts_drawn(desktop)

    desktop.get_by_role("link", name="打印工作简报（A4）").click()
    expect(desktop.locator("h1")).to_have_text(f"{village.name}三长制工作简报")
    charts_drawn(desktop)
    assert not desktop.console_errors, desktop.console_errors
