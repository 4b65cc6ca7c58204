"""The contact rule is defined once (households/contact.py): the due list, the contact status,
compliance and ``Household.contact_interval`` all agree, day by day, at every boundary."""

import datetime

import pytest

from households.contact import MONTHLY, WEEKLY, contact_interval, due_on
from households.models import Household
from households.selectors import contact_compliance, contact_status, households_for_contact, with_last_visit
from tests.mobile.mobile_helpers import household, leader_person, visit

TODAY = datetime.date(2026, 3, 31)
OFFSETS = [0, 1, 6, 7, 8, 29, 30, 31, None]  # days since the last visit (None: never visited)


def test_the_intervals():
    assert contact_interval(True) == WEEKLY == datetime.timedelta(days=7)
    assert contact_interval(False) == MONTHLY == datetime.timedelta(days=30)
    assert due_on(None, True) is None
    assert due_on(TODAY, False) == TODAY + MONTHLY


@pytest.mark.parametrize("special", [True, False])
def test_due_list_status_compliance_and_interval_agree(cast, special):
    branch = cast.branches[0]
    person = leader_person(branch)
    for h in branch.households:
        h.delete()
    by_offset = {}
    for offset in OFFSETS:
        target = household(branch, f"户{offset}", special=special)
        if offset is not None:
            visit(target, person, offset, TODAY)
        by_offset[offset] = target
    user = cast.users["village"]

    due = {h.pk for h in households_for_contact(user, today=TODAY)}
    listed = {h.pk: h for h in households_for_contact(user, today=TODAY, due_only=False)}
    interval = contact_interval(special)
    for offset, target in by_offset.items():
        expected_due = offset is None or offset >= interval.days
        assert (target.pk in due) is expected_due, offset
        row = listed[target.pk]
        status = contact_status(row, TODAY)
        assert status["interval"] == interval.days
        assert row.due_on == status["due_on"]
        assert (status["overdue_days"] is None or status["overdue_days"] >= 0) is expected_due, offset
        assert Household.objects.get(pk=target.pk).contact_interval == interval

        last = None if offset is None else TODAY - datetime.timedelta(offset)
        assert with_last_visit(Household.objects.filter(pk=target.pk)).get().last_visit == last
    # Compliance as of the same day is exactly "not due".
    report = contact_compliance(user, unit=branch.village, start=TODAY - MONTHLY, end=TODAY)
    assert report.total.households == len(OFFSETS)
    assert report.total.compliant == len(OFFSETS) - len(due)
