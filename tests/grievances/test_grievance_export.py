"""Excel export of the grievance statistics: same numbers as the page, Chinese headers, access log."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AccessLog
from grievances.models import Grievance
from tests.factories import GrievanceFactory

pytestmark = pytest.mark.django_db

URL = "reports:grievance_stats_export"
PERIOD = {"start": "2026-01-01", "end": "2026-06-30"}


@pytest.fixture
def data(cast):
    for i, branch in enumerate(cast.branches):
        for _ in range(i + 1):
            GrievanceFactory(
                household=branch.households[0],
                received_on=datetime.date(2026, 3, 1),
                due_date=datetime.date(2026, 3, 16),
                status=Grievance.Status.RESOLVED,
                handling_mode="on_spot",
                resolved_on=datetime.date(2026, 3, 5),
            )
    return cast


def test_export_has_chinese_headers_rows_and_total(client, data, django_assert_max_num_queries):
    client.force_login(data.users["county"])
    client.get(reverse(URL), PERIOD)  # warm up the session and permission caches
    with django_assert_max_num_queries(12):
        response = client.get(reverse(URL), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "群众诉求办理情况统计" in rows[0][0]
    assert rows[1][:3] == ("单位", "收集诉求", "已核实")
    assert "满意率(%)" in rows[1]
    body = {row[0]: row for row in rows[2:]}
    assert body["塔峰镇"][1] == 3  # 虎溪村 1 + 大坪村 2
    assert body["祠堂圩镇"][1] == 7  # 新圩村 3 + 毛俊村 4
    assert body["蓝山县合计"][1] == 10
    assert body["蓝山县合计"][rows[1].index("平均办结天数")] == 4.0


def test_export_is_written_to_the_access_log(client, data):
    client.force_login(data.users["township"])
    client.get(reverse(URL), {**PERIOD, "unit": data.townships[0].pk})
    log = AccessLog.objects.get()
    assert log.action == AccessLog.Action.EXPORT
    assert log.user == data.users["township"]
    assert log.model_label == "grievances.Grievance"
    assert log.filters["unit"] == data.townships[0].pk
    assert log.filters["start"] == "2026-01-01"
    assert log.row_count == 2  # 虎溪村, 大坪村


def test_export_outside_scope_is_404_and_not_logged(client, data):
    client.force_login(data.users["township"])
    response = client.get(reverse(URL), {**PERIOD, "unit": data.townships[1].pk})
    assert response.status_code == 404
    assert not AccessLog.objects.exists()


def test_leaders_may_not_export(client, data):
    client.force_login(data.users["leader"])
    assert client.get(reverse(URL), PERIOD).status_code == 403
    assert not AccessLog.objects.exists()
