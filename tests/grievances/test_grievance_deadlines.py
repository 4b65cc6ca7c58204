"""Overdue and revisit-due lists at their date boundaries (time-machine fixes "today")."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from grievances.models import Grievance
from tests.factories import GrievanceFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
S = Grievance.Status


def day(offset):
    return TODAY + datetime.timedelta(days=offset)


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def grievance(cast, **kwargs):
    kwargs.setdefault("received_on", day(-30))
    return GrievanceFactory(household=cast.branches[0].households[0], **kwargs)


def test_due_today_is_not_overdue_due_yesterday_is(cast):
    today_ = grievance(cast, due_date=TODAY, description="今天到期")
    yesterday = grievance(cast, due_date=day(-1), description="昨天到期")
    overdue = set(Grievance.objects.overdue(TODAY))
    assert yesterday in overdue
    assert today_ not in overdue
    assert today_ in set(Grievance.objects.due_soon(TODAY))


def test_closed_grievances_are_never_overdue(cast):
    for status in [S.RESOLVED, S.REVISITED, S.ARCHIVED, S.REJECTED]:
        grievance(cast, status=status, due_date=day(-10), resolved_on=day(-11) if status != S.REJECTED else None)
    assert not Grievance.objects.overdue(TODAY).exists()


def test_due_soon_window_is_seven_days(cast):
    inside = grievance(cast, due_date=day(7))
    outside = grievance(cast, due_date=day(8))
    soon = set(Grievance.objects.due_soon(TODAY))
    assert inside in soon
    assert outside not in soon


def test_revisit_due_within_seven_days_of_resolution(cast):
    on_time = grievance(cast, status=S.RESOLVED, resolved_on=day(-7), handling_mode="on_spot")
    late = grievance(cast, status=S.RESOLVED, resolved_on=day(-8), handling_mode="on_spot")
    assert on_time.revisit_due_date == TODAY
    revisit_overdue = set(Grievance.objects.revisit_overdue(TODAY))
    assert late in revisit_overdue
    assert on_time not in revisit_overdue
    assert {on_time, late} <= set(Grievance.objects.awaiting_revisit())


def test_changelist_filters_use_the_real_today(client, cast, frozen):
    grievance(cast, due_date=TODAY, description="今天到期的诉求")
    grievance(cast, due_date=day(-1), description="昨天到期的诉求")
    grievance(cast, status=S.RESOLVED, resolved_on=day(-8), description="早已办结未回访", handling_mode="on_spot")
    client.force_login(cast.users["village"])
    url = reverse("admin:grievances_grievance_changelist")
    page = client.get(url, {"deadline": "overdue"}).content.decode()
    assert "昨天到期的诉求" in page
    assert "今天到期的诉求" not in page
    assert "超期1天" in page
    page = client.get(url, {"deadline": "due_soon"}).content.decode()
    assert "今天到期的诉求" in page
    assert "昨天到期的诉求" not in page
    page = client.get(url, {"deadline": "revisit_overdue"}).content.decode()
    assert "早已办结未回访" in page
    assert "今天到期的诉求" not in page


def test_a_day_later_the_same_grievance_becomes_overdue(client, cast):
    grievance(cast, due_date=TODAY, description="边界诉求")
    client.force_login(cast.users["village"])
    url = reverse("admin:grievances_grievance_changelist")
    with time_machine.travel(
        datetime.datetime(2026, 6, 15, 23, 59, tzinfo=datetime.timezone(datetime.timedelta(hours=8))), tick=False
    ):
        assert "边界诉求" not in client.get(url, {"deadline": "overdue"}).content.decode()
    with time_machine.travel(
        datetime.datetime(2026, 6, 16, 0, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=8))), tick=False
    ):
        assert "边界诉求" in client.get(url, {"deadline": "overdue"}).content.decode()


def test_admin_overdue_column_due_today_is_not_overdue_due_yesterday_is(client, cast, frozen):
    grievance(cast, due_date=TODAY, description="今天到期的诉求")
    grievance(cast, due_date=day(-1), description="昨天到期的诉求")
    grievance(cast, due_date=day(-3), status=S.RESOLVED, resolved_on=day(-1), handling_mode="on_spot")
    client.force_login(cast.users["village"])
    page = client.get(reverse("admin:grievances_grievance_changelist")).content.decode()
    rows = {row.split("</tr>")[0] for row in page.split("<tr")[1:]}
    due_today = next(row for row in rows if "今天到期" in row)
    due_yesterday = next(row for row in rows if "昨天到期" in row)
    assert "超期" not in due_today
    assert "2026年6月15日" in due_today
    assert "2026-06-14（超期1天）" in due_yesterday
    assert page.count("（超期") == 1  # the resolved one past its date is not overdue


def test_is_overdue_agrees_with_the_overdue_list(cast):
    rows = [
        grievance(cast, due_date=TODAY),
        grievance(cast, due_date=day(-1)),
        grievance(cast, due_date=day(-1), status=S.REJECTED),
        grievance(cast, due_date=day(-2), status=S.IN_PROGRESS, handling_mode="on_spot"),
    ]
    listed = set(Grievance.objects.overdue(TODAY))
    assert [row.is_overdue(TODAY) for row in rows] == [row in listed for row in rows] == [False, True, False, True]


def test_admin_revisit_overdue_column_after_seven_days(client, cast, frozen):
    grievance(cast, status=S.RESOLVED, resolved_on=day(-7), handling_mode="on_spot", description="七天前办结")
    grievance(cast, status=S.RESOLVED, resolved_on=day(-8), handling_mode="on_spot", description="八天前办结")
    client.force_login(cast.users["village"])
    page = client.get(reverse("admin:grievances_grievance_changelist")).content.decode()
    rows = [row.split("</tr>")[0] for row in page.split("<tr")[1:]]
    assert "回访已超期" not in next(row for row in rows if "七天前办结" in row)
    assert "回访已超期" in next(row for row in rows if "八天前办结" in row)
