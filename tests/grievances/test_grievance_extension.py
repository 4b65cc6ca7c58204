"""延期 (issue 14 #4): the promised deadline moves only through an extension step with a reason."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from grievances.models import Grievance, GrievanceEvent
from grievances.services import extend_deadline, update_details
from tests.factories import GrievanceFactory

TODAY = timezone.localdate()


def day(n):
    return TODAY + datetime.timedelta(days=n)


def overdue(cast):
    return GrievanceFactory(household=cast.branches[0].households[0], received_on=day(-20), due_date=day(-3))


def test_an_overdue_grievance_extended_keeps_that_it_was_overdue(cast):
    grievance = extend_deadline(
        user=cast.users["village"], grievance=overdue(cast), due_date=day(10), reason="等待乡镇批复"
    )
    assert (grievance.due_date, grievance.extension_count, grievance.extended_when_overdue) == (day(10), 1, True)
    assert not Grievance.objects.overdue(TODAY).filter(pk=grievance.pk).exists()
    note = GrievanceEvent.objects.get(grievance=grievance, action="extend").note
    assert f"由{day(-3):%Y-%m-%d}延期至{day(10):%Y-%m-%d}" in note
    assert "延期时已超期3天" in note and "等待乡镇批复" in note


def test_an_extension_needs_a_reason_and_a_later_date(cast):
    grievance = overdue(cast)
    with pytest.raises(ValidationError, match="延期时必须填写理由"):
        extend_deadline(user=cast.users["village"], grievance=grievance, due_date=day(10), reason=" ")
    with pytest.raises(ValidationError) as refused:
        extend_deadline(user=cast.users["village"], grievance=grievance, due_date=day(-5), reason="x")
    assert "须晚于原时限" in str(refused.value)
    grievance.refresh_from_db()
    assert (grievance.due_date, grievance.extension_count, grievance.version) == (day(-3), 0, 1)


def test_the_detail_form_no_longer_moves_the_deadline(client, cast):
    grievance = overdue(cast)
    update_details(user=cast.users["village"], grievance=grievance, changes={"due_date": day(30)})
    grievance.refresh_from_db()
    assert grievance.due_date == day(-3)
    client.force_login(cast.users["village"])
    page = client.get(reverse("admin:grievances_grievance_change", args=[grievance.pk])).content.decode()
    assert reverse("admin:grievances_grievance_transition", args=[grievance.pk, "extend"]) in page
    assert 'name="due_date"' not in page


def test_the_extension_page_moves_it_and_the_timeline_shows_both_dates(client, cast):
    grievance = overdue(cast)
    client.force_login(cast.users["village"])
    url = reverse("admin:grievances_grievance_transition", args=[grievance.pk, "extend"])
    response = client.post(url, {"version": 1, "due_date": day(7).isoformat(), "reason": "需县水利局现场勘察"})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert f"延期至{day(7):%Y-%m-%d}" in page and "需县水利局现场勘察" in page
