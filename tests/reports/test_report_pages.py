"""The report pages in the admin's look: access, figures, drill-down, periods, Excel, query counts."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AccessLog
from grievances.models import Grievance
from households.selectors import contact_compliance
from tests.conftest import build_branch
from tests.factories import GrievanceFactory, UserFactory
from tests.mobile.mobile_helpers import household, leader_person, visit

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2026-03-01", "end": "2026-03-31"}
END = datetime.date(2026, 3, 31)
PAGES = ["reports:grievance_stats", "reports:compliance"]


@pytest.fixture
def data(cast):
    branch = cast.branches[0]
    person = leader_person(branch)
    visit(branch.households[0], person, 2, END)
    visit(household(branch, "特殊户", special=True), person, 10, END)
    for branch in cast.branches:
        GrievanceFactory(
            household=branch.households[0],
            received_on=datetime.date(2026, 3, 2),
            due_date=datetime.date(2026, 3, 17),
            status=Grievance.Status.RESOLVED,
            resolved_on=datetime.date(2026, 3, 4),
        )
    return cast


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_users_go_to_the_admin_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("name", [*PAGES, "reports:compliance_export"])
def test_a_user_without_the_permission_is_refused(client, db, name):
    client.force_login(UserFactory(unit=None))  # staff, but no unit: no permission at all
    assert client.get(reverse(name)).status_code == 403


def test_the_page_has_the_admins_look_and_breadcrumbs_within_the_users_scope(client, data):
    client.force_login(data.users["township"])
    village = data.branches[0].village
    response = client.get(reverse("reports:compliance"), {"unit": village.pk, **PERIOD})
    html = response.content.decode()
    assert 'id="nav-sidebar"' in html  # the admin's sidebar (each_context)
    assert "联系率统计：虎溪村" in html
    breadcrumbs = html.split('class="breadcrumbs"')[1].split("</div>")[0]
    assert "首页" in breadcrumbs and "塔峰镇" in breadcrumbs
    assert "蓝山县" not in breadcrumbs  # above the township user's unit
    assert f"?unit={data.branches[0].area.pk}&amp;start=2026-03-01&amp;end=2026-03-31" in html  # drill down
    assert "导出Excel" in html and "本月" in html and "上一年" in html


def test_the_compliance_page_shows_the_selectors_figures(client, data):
    village = data.branches[0].village
    client.force_login(data.users["village"])
    response = client.get(reverse("reports:compliance"), PERIOD)
    report = contact_compliance(data.users["village"], unit=village, start=END.replace(day=1), end=END)
    assert [item["row"].values() for item in response.context["table"]] == [row.values() for row in report.rows]
    assert response.context["report"].total.values() == report.total.values()
    assert (report.total.households, report.total.compliant, report.total.special) == (3, 1, 1)
    html = response.content.decode()
    assert "虎溪村一片" in html and "虎溪村合计" in html and "33.3" in html


def test_a_leader_sees_the_page_of_their_own_neighborhood_without_export(client, data):
    client.force_login(data.users["leader"])
    html = client.get(reverse("reports:compliance"), PERIOD).content.decode()
    assert "虎溪村一邻" in html
    assert "导出Excel" not in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-13-01", "end": "2026-03-01"}, "日期格式不正确"),
        ({"start": "2026-03-10", "end": "2026-03-01"}, "结束日期不能早于开始日期"),
        ({"start": "", "end": "2026-03-01"}, "请填写开始日期"),
    ],
)
@pytest.mark.parametrize("name", [*PAGES, "reports:compliance_export"])
def test_bad_periods_show_chinese_messages_and_compute_nothing(client, data, name, params, message):
    client.force_login(data.users["village"])
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()
    assert response.context["report"] is None
    assert not AccessLog.objects.exists()


def test_the_compliance_export(client, data):
    client.force_login(data.users["township"])
    response = client.get(reverse("reports:compliance_export"), PERIOD)
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert "%E5%A1%94%E5%B3%B0%E9%95%87" in response["Content-Disposition"]  # 塔峰镇
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "塔峰镇联系率统计（2026年03月01日至2026年03月31日）" in rows[0][0] and "导出时间" in rows[0][0]
    assert rows[1][:4] == ("单位", "户数", "按期联系户数", "联系率(%)")
    body = {row[0]: row for row in rows[2:]}
    assert body["虎溪村"][1:4] == (3, 1, 33.3)
    assert body["大坪村"][1:4] == (2, 0, 0.0)
    assert body["塔峰镇合计"][1] == 5
    assert sheet.freeze_panes == "B3" and sheet["B2"].font.bold
    log = AccessLog.objects.get()
    assert (log.action, log.model_label) == (AccessLog.Action.EXPORT, "households.Household")
    assert log.user == data.users["township"]
    assert (log.filters["unit"], log.filters["end"], log.row_count) == (data.townships[0].pk, "2026-03-31", 2)


def test_the_admin_home_links_the_reports(client, data):
    client.force_login(data.users["village"])
    html = client.get(reverse("admin:index")).content.decode()
    assert 'href="/reports/grievances/"' in html and 'href="/reports/compliance/"' in html
    assert 'href="/m/cards/"' in html  # issue 14 #19: the printable contact cards
    html = client.get(reverse("admin:grievances_grievance_changelist")).content.decode()
    assert 'href="/reports/grievances/"' in html


def count_queries(client, name, params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name), params).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("name", "limit"),
    [
        # session, user, the user's unit, the asked unit, grouped queries (1 / 2), child units,
        # breadcrumb units (page) or the access log row (export), the session's save (3)
        ("reports:grievance_stats", 10),
        ("reports:compliance", 11),
        ("reports:grievance_stats_export", 10),
        ("reports:compliance_export", 11),
    ],
)
def test_a_fixed_number_of_queries_whatever_the_number_of_villages(client, data, name, limit):
    client.force_login(data.users["county"])
    client.get(reverse(name), PERIOD)  # warm up the session and permission caches
    before = count_queries(client, name, PERIOD)
    for i in range(3):
        branch = build_branch(data.townships[0], f"新村{i}")
        visit(branch.households[0], leader_person(branch), 1, END)
        GrievanceFactory(household=branch.households[1], received_on=END, due_date=END)
    township = {"unit": data.townships[0].pk, **PERIOD}
    assert count_queries(client, name, PERIOD) == before
    assert count_queries(client, name, township) <= limit
    assert before <= limit
