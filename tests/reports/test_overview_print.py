"""The brief (工作简报): the unit page as an A4 print view with the key figures in sentences."""

from django.urls import reverse

from tests.reports.overview_data import PERIOD, START, TODAY, populate


def test_the_brief_has_title_period_sentences_charts_and_ranked_units(client, cast):
    populate(cast)
    client.force_login(cast.users["county"])
    response = client.get(reverse("reports:overview_print"), {"unit": cast.county.pk, **PERIOD})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{cast.county.name}三长制工作简报</h1>" in html
    assert f"统计期间：{START:%Y}年{START.month}月{START.day}日至{TODAY:%Y}年{TODAY.month}月{TODAY.day}日" in html
    sentences = [s for panel in response.context["panels"] for s in panel.sentences]
    assert sentences and all(s in html for s in sentences)
    assert "应每周联系的特殊群体户 2 户，按时联系 1 户，联系率 50.0%" in html
    assert 'id="overview-charts"' in html and "data-chart=" in html  # charts drawn by static/js/overview.js
    assert "echarts.common.min.js" in html and "<script>" not in html  # no inline script (CSP)
    assert "@page" not in html  # the A4 page rule lives in static/css/overview.css
    for township in cast.townships:  # the ranked child units, without links in print
        assert township.name in html
    assert "/admin/households/household/" not in html
    assert 'href="/reports/overview/?unit=' in html  # only "返回工作概览"


def test_the_page_links_to_its_brief_with_the_same_period(client, cast):
    client.force_login(cast.users["township"])
    response = client.get(reverse("reports:overview"), {"unit": cast.townships[0].pk, **PERIOD})
    url = response.context["print_url"]
    assert url.startswith(reverse("reports:overview_print"))
    assert PERIOD["start"] in url and PERIOD["end"] in url
    assert client.get(url).status_code == 200


def test_an_invalid_period_is_explained_and_nothing_computed(client, cast):
    client.force_login(cast.users["county"])
    response = client.get(
        reverse("reports:overview"), {"unit": cast.county.pk, "start": "2026-05-01", "end": "2026-04-01"}
    )
    assert response.status_code == 200
    assert response.context["panels"] == []
    assert "结束日期不能早于开始日期。" in response.content.decode()
