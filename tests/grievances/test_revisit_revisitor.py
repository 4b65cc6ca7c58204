"""The revisitor of a grievance is a person of its village's roster (a forged one is refused)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from grievances.models import Grievance, Revisit
from grievances.services import record_revisit
from tests.factories import GrievanceFactory, PersonFactory


def test_a_revisitor_from_another_village_is_refused(cast):
    branch = cast.branches[0]
    grievance = GrievanceFactory(
        household=branch.households[0], status=Grievance.Status.RESOLVED, resolved_on=timezone.localdate()
    )
    stranger = PersonFactory(village=cast.branches[1].village)
    with pytest.raises(ValidationError) as refused:
        record_revisit(user=cast.users["village"], grievance=grievance, satisfaction="satisfied", revisitor=stranger)
    assert "回访人须是该村/社区的人员。" in refused.value.messages
    assert not Revisit.objects.exists()
    own = PersonFactory(village=branch.village)
    record_revisit(user=cast.users["village"], grievance=grievance, satisfaction="satisfied", revisitor=own)
    assert Revisit.objects.get().revisitor == own


def test_the_admin_revisit_form_prefills_the_households_neighborhood_leader(client, cast):
    """Issue 14 #2: in the admin the 回访人 is prefilled with the household's 邻长."""
    from django.urls import reverse

    from tests.factories import PostingFactory

    branch = cast.branches[0]
    leader = PostingFactory(unit=branch.neighborhood, person__village=branch.village, person__name="邝银祥").person
    grievance = GrievanceFactory(
        household=branch.households[0], status=Grievance.Status.RESOLVED, resolved_on=timezone.localdate()
    )
    client.force_login(cast.users["village"])
    page = client.get(reverse("admin:grievances_grievance_transition", args=[grievance.pk, "revisit"])).content.decode()
    assert f'<option value="{leader.pk}" selected>' in page
