"""The phone due list: most overdue first, weekly vs monthly, scoping, fixed query count."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mobile.views import PAGE_SIZE
from tests.factories import HouseholdFactory, NeighborhoodFactory
from tests.mobile.mobile_helpers import household, leader_person, visit

TODAY = datetime.date(2026, 3, 15)
NOON = datetime.datetime(2026, 3, 15, 12, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
URL = "/m/due/"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(NOON, tick=False):
        yield


def names(response):
    return re.findall(r'<span class="name">(.+?)户</span>', response.content.decode())


@pytest.fixture
def leader_households(cast):
    branch = cast.branches[0]
    person = leader_person(branch)
    for h in branch.households:  # the cast's own two: visited yesterday, not due
        visit(h, person, 1, TODAY)
    household(branch, "从未")
    special_late = household(branch, "特殊超期", special=True)
    visit(special_late, person, 10, TODAY)  # due 3 days ago
    regular_late = household(branch, "普通超期")
    visit(regular_late, person, 40, TODAY)  # due 10 days ago
    regular_ok = household(branch, "普通按期")
    visit(regular_ok, person, 5, TODAY)  # due in 25 days
    special_ok = household(branch, "特殊按期", special=True)
    visit(special_ok, person, 2, TODAY)  # due in 5 days
    return person


def test_anonymous_is_sent_to_the_phone_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/m/login/?next=")


def test_due_households_come_most_overdue_first_never_visited_first(client, cast, leader_households):
    client.force_login(cast.users["leader"])
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == ["从未", "普通超期", "特殊超期"]
    html = response.content.decode()
    assert "从未联系" in html and "超期10天" in html and "超期3天" in html
    assert "/m/household/" in html and "记走访" in html


def test_show_all_lists_households_not_yet_due_after_the_due_ones(client, cast, leader_households):
    client.force_login(cast.users["leader"])
    shown = names(client.get(URL, {"show": "all"}))
    assert shown[:3] == ["从未", "普通超期", "特殊超期"]
    assert shown.index("特殊按期") < shown.index("普通按期")  # due in 5 days before due in 25
    assert len(shown) == 7


@pytest.mark.parametrize(
    ("special", "days_ago", "due"),
    [(True, 6, False), (True, 7, True), (False, 29, False), (False, 30, True)],
)
def test_special_households_are_due_weekly_and_others_monthly(client, cast, special, days_ago, due):
    branch = cast.branches[0]
    person = leader_person(branch)
    for h in branch.households:
        visit(h, person, 0, TODAY)
    target = household(branch, "边界", special=special)
    visit(target, person, days_ago, TODAY)
    client.force_login(cast.users["leader"])
    response = client.get(URL)
    assert (names(response) == ["边界"]) is due
    if due:
        assert "今天到期" in response.content.decode()


def test_leader_sees_only_their_neighborhood(client, cast):
    branch = cast.branches[0]
    other_hood = NeighborhoodFactory(parent=branch.group, name="虎溪村二邻")
    HouseholdFactory(neighborhood=other_hood, village=branch.village, head_name="隔壁邻")
    HouseholdFactory(neighborhood=cast.branches[2].neighborhood, village=cast.branches[2].village, head_name="外村")
    client.force_login(cast.users["leader"])
    shown = names(client.get(URL))
    assert sorted(shown) == sorted(h.head_name for h in branch.households)


def test_village_cadre_sees_the_village_and_filters_by_neighborhood(client, cast):
    branch = cast.branches[0]
    other_hood = NeighborhoodFactory(parent=branch.group, name="虎溪村二邻")
    HouseholdFactory(neighborhood=other_hood, village=branch.village, head_name="二邻户")
    client.force_login(cast.users["village"])
    response = client.get(URL)
    assert len(names(response)) == 3
    assert "虎溪村二邻" in response.content.decode()  # offered in the 组/邻 filter
    assert names(client.get(URL, {"unit": other_hood.pk})) == ["二邻户"]


def test_village_cadre_list_is_paginated(client, cast):
    branch = cast.branches[0]
    for i in range(35):
        household(branch, f"户{i:02d}")
    client.force_login(cast.users["village"])
    first = client.get(URL)
    assert len(names(first)) == 30
    assert "第1/2页" in first.content.decode()
    assert len(names(client.get(URL, {"page": 2}))) == 7


def test_a_unit_of_another_village_is_404(client, cast):
    client.force_login(cast.users["village"])
    assert client.get(URL, {"unit": cast.branches[2].neighborhood.pk}).status_code == 404
    assert client.get(URL, {"unit": "x"}).status_code == 404


def test_query_count_is_fixed_whatever_the_number_of_households(client, cast, django_assert_max_num_queries):
    branch = cast.branches[0]
    person = leader_person(branch)
    client.force_login(cast.users["village"])

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, {"show": "all"}).status_code == 200
        return [q["sql"] for q in ctx.captured_queries]

    visit(household(branch, "少1", special=True), person, 1, TODAY)
    short = queries()
    assert not [sql for sql in short if "COUNT(" in sql.upper()], "one short page is counted by its length"
    for i in range(PAGE_SIZE):
        visit(household(branch, f"多{i}", special=i % 2 == 0), person, i, TODAY)
    full = queries()
    assert len(full) == len(short) + 1  # a full page: the total is counted
    for i in range(PAGE_SIZE):
        visit(household(branch, f"更多{i}", special=i % 2 == 0), person, i, TODAY)
    # session, user, filter units, count, page rows, care categories (+ session save)
    with django_assert_max_num_queries(8):
        assert client.get(URL, {"show": "all"}).status_code == 200
    assert len(queries()) == len(full)


@pytest.mark.parametrize("role", ["county", "township"])
def test_staff_without_a_roster_person_see_the_card_not_a_visit_link(client, cast, role):
    """Issue 14 #18: each role is shown only what it can do (county and township staff log no visits)."""
    client.force_login(cast.users[role])
    html = client.get(URL, {"show": "all"}).content.decode()
    household = cast.branches[0].households[0]
    assert f"/m/household/{household.pk}/card/" in html
    assert "/visit/" not in html and "记走访" not in html
    assert "点一下记走访" not in client.get("/m/").content.decode()


def test_a_leader_sees_the_visit_link(client, cast):
    leader_person(cast.branches[0])
    client.force_login(cast.users["leader"])
    html = client.get(URL, {"show": "all"}).content.decode()
    assert f"/m/household/{cast.branches[0].households[0].pk}/visit/" in html and "记走访 ›" in html
