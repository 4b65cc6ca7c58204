"""Issue 14 #5: every statistics column defined once, and the columns that must nest do."""

import datetime
import itertools

import pytest
from django.utils import timezone

from grievances.models import Grievance
from grievances.selectors import STATS_NOTE, grievance_stats
from tests.factories import GrievanceFactory, RevisitFactory

S, H = Grievance.Status, Grievance.HandlingMode
TODAY = timezone.localdate()
NESTS = [  # (outer, inner): inner can never exceed outer
    ("collected", "verified"),
    ("verified", "resolved"),
    ("resolved", "revisited"),
    ("collected", "overdue"),
    ("extended", "extended_when_overdue"),
    ("collected", "extended"),
    ("rated", "satisfied"),
    ("collected", "rated"),
    ("collected", "reopened"),
]


@pytest.fixture
def mixed(cast):
    """Every status, reopened and extended ones, revisits of each answer, in two villages."""
    day = datetime.timedelta(days=1)
    for i, (branch, status) in enumerate(itertools.product(cast.branches[:2], S.values)):
        resolved = status in (S.RESOLVED, S.REVISITED, S.ARCHIVED)
        grievance = GrievanceFactory(
            household=branch.households[i % 2],
            status=status,
            received_on=TODAY - 20 * day,
            due_date=TODAY - (i % 3) * day,
            handling_mode=H.ON_SPOT if status not in (S.REGISTERED, S.REJECTED, S.VERIFIED) else "",
            resolved_on=TODAY - 5 * day if resolved else None,
            reopen_count=1 if status == S.IN_PROGRESS else 0,
            extension_count=i % 2,
            extended_when_overdue=i % 4 == 1,
        )
        if status in (S.REVISITED, S.ARCHIVED):
            RevisitFactory(grievance=grievance, satisfaction="basic" if i % 2 else "satisfied", revisited_on=TODAY)
        if status == S.IN_PROGRESS:  # reopened after an unsatisfied revisit
            RevisitFactory(grievance=grievance, satisfaction="unsatisfied", revisited_on=TODAY - 2 * day)
    return cast


@pytest.mark.parametrize("unit", ["county", "township", "village"])
def test_columns_that_must_nest_do_in_every_row_and_the_total(mixed, unit):
    target = {"county": mixed.county, "township": mixed.townships[0], "village": mixed.branches[0].village}[unit]
    report = grievance_stats(mixed.users["county"], unit=target, start=TODAY - datetime.timedelta(days=30), end=TODAY)
    for row in [*report.rows, report.total]:
        for outer, inner in NESTS:
            assert row[inner] <= row[outer], (row.unit_name, outer, inner)
    villages = 1 if unit == "village" else 2  # each village: 2 closed by revisit, 1 reopened, 3 rated
    total = report.total
    assert (total["revisited"], total["reopened"], total["rated"]) == (2 * villages, villages, 3 * villages)


def test_the_definitions_are_written_under_the_table(client, mixed):
    client.force_login(mixed.users["county"])
    page = client.get("/reports/grievances/").content.decode()
    assert STATS_NOTE in page and "已回访 = 回访满意或基本满意而结案的" in page


def test_the_latest_revisit_decides_satisfied_by_date_then_entry_order(cast):
    branch, day = cast.branches[0], datetime.timedelta(days=1)
    made = {"household": branch.households[0], "received_on": TODAY - 20 * day}
    came_round = GrievanceFactory(status=S.REVISITED, **made)  # 不满意 first, then 满意
    RevisitFactory(grievance=came_round, satisfaction="unsatisfied", revisited_on=TODAY - 3 * day)
    RevisitFactory(grievance=came_round, satisfaction="satisfied", revisited_on=TODAY - day)
    same_day = GrievanceFactory(status=S.IN_PROGRESS, reopen_count=1, **made)  # two answers one day: the later entry
    RevisitFactory(grievance=same_day, satisfaction="basic", revisited_on=TODAY - day)
    RevisitFactory(grievance=same_day, satisfaction="unsatisfied", revisited_on=TODAY - day)
    GrievanceFactory(status=S.RESOLVED, **made)  # not revisited: not rated
    report = grievance_stats(cast.users["county"], unit=branch.village, start=TODAY - 30 * day, end=TODAY)
    assert (report.total["collected"], report.total["rated"], report.total["satisfied"]) == (3, 2, 1)
