"""Contact compliance per child unit: as of the period end, last visit within 7 (special) or 30 days."""

import datetime
import zoneinfo

import pytest
import time_machine

from households.selectors import contact_compliance
from tests.factories import AreaFactory, HouseholdFactory, NeighborhoodFactory, VillagerGroupFactory
from tests.mobile.mobile_helpers import household, leader_person, visit

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
END = datetime.date(2026, 3, 31)
START = datetime.date(2026, 3, 1)


def rows_by_name(report):
    return {(row.unit.name if row.unit else "未编入邻"): row for row in report.rows}


@pytest.mark.parametrize(
    ("special", "days_before_end", "complies"),
    [
        (True, 0, True),
        (True, 6, True),
        (True, 7, False),
        (False, 29, True),
        (False, 30, False),
        (True, -1, False),  # a visit after the period end does not count
        (False, None, False),  # never visited
    ],
)
def test_compliance_boundaries(cast, special, days_before_end, complies):
    branch = cast.branches[0]
    person = leader_person(branch)
    for h in branch.households:
        h.delete()
    target = household(branch, "边界", special=special)
    if days_before_end is not None:
        visit(target, person, days_before_end, END)
    report = contact_compliance(cast.users["village"], unit=branch.village, start=START, end=END)
    total = report.total
    assert (total.households, total.compliant) == (1, int(complies))
    assert total.special == int(special)
    assert total.special_compliant == int(special and complies)
    assert total.rate == (100.0 if complies else 0.0)


def test_rows_per_child_unit_with_special_households_separately(cast):
    branch = cast.branches[0]
    person = leader_person(branch)
    for h in branch.households:
        visit(h, person, 3, END)  # 2 regular, compliant
    late_special = household(branch, "特殊", special=True)
    visit(late_special, person, 10, END)
    area2 = AreaFactory(parent=branch.village, name="虎溪村二片")
    hood2 = NeighborhoodFactory(parent=VillagerGroupFactory(parent=area2, name="虎溪村二组"), name="二邻")
    ok_special = HouseholdFactory(neighborhood=hood2, village=branch.village, head_name="二片特殊")
    ok_special.care_categories.add(*late_special.care_categories.all())
    visit(ok_special, person, 1, END)
    HouseholdFactory(neighborhood=hood2, village=branch.village, head_name="二片从未")
    HouseholdFactory(neighborhood=None, village=branch.village, head_name="未编邻")
    visit(branch.households[0], person, 40, END)  # outside the period: not counted as a period visit

    report = contact_compliance(cast.users["village"], unit=branch.village, start=START, end=END)
    rows = rows_by_name(report)
    assert list(rows) == ["虎溪村一片", "虎溪村二片", "未编入邻"]
    first, second, unlinked = rows.values()
    assert (first.households, first.compliant, first.special, first.special_compliant) == (3, 2, 1, 0)
    assert (first.rate, first.special_rate, first.regular_rate) == (66.7, 0.0, 100.0)
    assert (second.households, second.compliant, second.special, second.special_compliant) == (2, 1, 1, 1)
    assert (unlinked.households, unlinked.compliant, unlinked.special_rate) == (1, 0, None)
    assert (first.visits, second.visits) == (3, 1)
    assert (report.total.households, report.total.compliant, report.total.visits) == (6, 3, 4)


def test_township_rows_are_its_villages_only(cast):
    person = leader_person(cast.branches[0])
    visit(cast.branches[0].households[0], person, 2, END)
    report = contact_compliance(cast.users["township"], unit=cast.townships[0], start=START, end=END)
    rows = rows_by_name(report)
    assert list(rows) == ["虎溪村", "大坪村"]
    assert (rows["虎溪村"].households, rows["虎溪村"].compliant) == (2, 1)
    assert (rows["大坪村"].households, rows["大坪村"].compliant) == (2, 0)
    assert report.total.households == 4


def test_a_neighborhood_reports_on_itself(cast):
    branch = cast.branches[0]
    report = contact_compliance(cast.users["leader"], unit=branch.neighborhood, start=START, end=END)
    assert [row.unit for row in report.rows] == [branch.neighborhood]
    assert report.rows[0].households == 2


def test_a_fixed_number_of_queries_whatever_the_households(cast, django_assert_num_queries):
    branch = cast.branches[0]
    person = leader_person(branch)
    for i in range(30):
        visit(household(branch, f"户{i}", special=i % 3 == 0), person, i, END)
    # households grouped by child unit, visits grouped by child unit, the child units
    with django_assert_num_queries(3):
        report = contact_compliance(cast.users["village"], unit=branch.village, start=START, end=END)
    assert report.total.households == 32


# --- the page -------------------------------------------------------------------------------------


def test_the_page_defaults_to_this_month_up_to_today_in_china(client, cast):
    client.force_login(cast.users["village"])
    # 2026-03-01 00:30 in Shanghai is still 28 February in UTC.
    with time_machine.travel(datetime.datetime(2026, 3, 1, 0, 30, tzinfo=SHANGHAI), tick=False):
        html = client.get("/m/compliance/").content.decode()
    assert 'value="2026-03-01"' in html
    assert "截至2026年3月1日" in html
    assert "虎溪村一片" in html and "合计" in html


def test_a_special_household_falls_out_of_compliance_at_midnight_on_the_seventh_day(client, cast):
    branch = cast.branches[0]
    person = leader_person(branch)
    target = household(branch, "特殊", special=True)
    visit(target, person, 0, datetime.date(2026, 3, 2))
    client.force_login(cast.users["village"])
    with time_machine.travel(datetime.datetime(2026, 3, 8, 23, 59, tzinfo=SHANGHAI), tick=False):
        before = client.get("/m/compliance/").context["report"].total
    with time_machine.travel(datetime.datetime(2026, 3, 9, 0, 1, tzinfo=SHANGHAI), tick=False):
        after = client.get("/m/compliance/").context["report"].total
    assert (before.special, before.special_compliant) == (1, 1)
    assert (after.special, after.special_compliant) == (1, 0)


def test_the_period_picker_and_drill_down(client, cast):
    branch = cast.branches[0]
    client.force_login(cast.users["township"])
    response = client.get("/m/compliance/", {"unit": branch.village.pk, "start": "2026-02-01", "end": "2026-02-28"})
    report = response.context["report"]
    assert (report.unit, report.start, report.end) == (
        branch.village,
        START.replace(month=2),
        END.replace(month=2, day=28),
    )
    html = response.content.decode()
    assert f'href="?unit={branch.area.pk}&amp;start=2026-02-01&amp;end=2026-02-28"' in html
    assert "返回塔峰镇" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-13-01"}, "日期格式不正确"),
        ({"start": "2026-03-10", "end": "2026-03-01"}, "开始日期不能晚于结束日期"),
    ],
)
def test_bad_periods_give_chinese_errors(client, cast, params, message):
    client.force_login(cast.users["village"])
    response = client.get("/m/compliance/", params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_unit_outside_scope_is_404(client, cast):
    client.force_login(cast.users["village"])
    assert client.get("/m/compliance/", {"unit": cast.branches[2].village.pk}).status_code == 404
    assert client.get("/m/compliance/", {"unit": cast.townships[0].pk}).status_code == 404


def test_the_phone_menu_links_compliance_for_cadres_and_leaders(client, cast):
    """Issue 14 #3 reverses the earlier cadres-only menu: a 邻长 also sees the rate of their own 邻."""
    client.force_login(cast.users["village"])
    assert "各片/组/邻按期联系情况" in client.get("/m/").content.decode()
    client.force_login(cast.users["leader"])
    assert "我联系的户按期联系情况" in client.get("/m/").content.decode()
    assert client.get("/m/compliance/").status_code == 200
