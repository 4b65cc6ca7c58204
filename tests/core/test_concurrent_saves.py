"""Issue 14 #8: the loser of a race on a unique thing gets the Chinese message, not a 500.

Two real browsers cannot race inside one test transaction, so the race is reproduced where it
happens: the loser's form validation ran before the winner committed (patched to miss the
winner's row once), and its insert then meets the database constraint.
"""

from unittest import mock

from django.db import models

from governance.models import Posting
from households.models import Resident
from tests.factories import PersonFactory, PostingFactory, ResidentFactory, make_id_number


def validation_misses_the_winner_once(model):
    real = models.Model.validate_constraints
    calls = []

    def patched(self, exclude=None):
        if isinstance(self, model):
            calls.append(self)
            if len(calls) == 1:
                return None
        return real(self, exclude=exclude)

    return mock.patch.object(models.Model, "validate_constraints", patched)


def test_two_leaders_for_one_vacant_neighborhood(client, cast):
    branch = cast.branches[0]
    PostingFactory(unit=branch.neighborhood, person__village=branch.village)  # the winner's, committed
    loser = PersonFactory(village=branch.village)
    client.force_login(cast.users["village"])
    data = {
        "person": loser.pk,
        "role": "neighborhood_leader",
        "unit": branch.neighborhood.pk,
        "start_date": "2026-11-01",
    }
    with validation_misses_the_winner_once(Posting):
        response = client.post("/admin/governance/posting/add/", data)
    assert response.status_code == 200
    assert "该单元已有一名在任的同职务人员" in response.content.decode()
    assert Posting.objects.filter(unit=branch.neighborhood, end_date__isnull=True).count() == 1


def test_one_new_id_number_in_two_households(client, cast):
    number = make_id_number(serial=4242)
    ResidentFactory(household=cast.branches[0].households[0], id_number=number)  # the winner's
    other = cast.branches[0].households[1]
    client.force_login(cast.users["village"])
    page = client.get(f"/admin/households/household/{other.pk}/change/")
    data = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    data.update(
        {
            "village": other.village_id,
            "neighborhood": other.neighborhood_id or "",
            "head_name": other.head_name,
            "phone": other.phone,
            "residents-TOTAL_FORMS": "1",
            "residents-INITIAL_FORMS": "0",
            "residents-0-name": "新成员",
            "residents-0-relation": "child",
            "residents-0-id_number": number,
        }
    )
    data.pop("care_categories", None)
    with validation_misses_the_winner_once(Resident):
        response = client.post(f"/admin/households/household/{other.pk}/change/", data)
    assert response.status_code == 200
    assert "该身份证号不能使用" in response.content.decode()
    assert Resident.objects.filter(id_number=number).count() == 1
