"""Integrity rules the database itself enforces (bulk writes and imports cannot skip them)."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from governance.models import Person, Posting
from households.models import Resident
from tests.factories import (
    HouseholdFactory,
    NeighborhoodFactory,
    PersonFactory,
    PostingFactory,
    ResidentFactory,
    make_id_number,
)

pytestmark = pytest.mark.django_db
START = datetime.date(2025, 1, 1)


def create_posting(**kwargs):
    """Plain ``objects.create``: no model validation, only the database stands in the way."""
    return Posting.objects.create(**{"role": Posting.Role.NEIGHBORHOOD_LEADER, "start_date": START, **kwargs})


def test_a_unit_has_at_most_one_active_leader_per_role():
    first = PostingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        create_posting(person=PersonFactory(), unit=first.unit)
    assert Posting.objects.filter(unit=first.unit).count() == 1


@pytest.mark.parametrize("role", ["area_leader", "group_leader"])
def test_area_and_group_leaders_are_single_holders_too(role):
    first = PostingFactory(role=role)
    with pytest.raises(IntegrityError), transaction.atomic():
        create_posting(person=PersonFactory(), unit=first.unit, role=role)


def test_representatives_may_be_many_per_unit():
    first = PostingFactory(role=Posting.Role.REPRESENTATIVE)
    create_posting(person=PersonFactory(), unit=first.unit, role=Posting.Role.REPRESENTATIVE)
    assert Posting.objects.filter(unit=first.unit).count() == 2


def test_an_ended_posting_allows_a_new_leader_and_stays_as_history():
    first = PostingFactory(end_date=datetime.date(2025, 6, 30), end_reason=Posting.EndReason.PERSUADED)
    create_posting(person=PersonFactory(), unit=first.unit, start_date=datetime.date(2025, 7, 1))
    assert Posting.objects.filter(unit=first.unit).count() == 2
    assert Posting.objects.filter(unit=first.unit, end_date__isnull=True).count() == 1


def test_end_date_before_start_date_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        create_posting(
            person=PersonFactory(),
            unit=NeighborhoodFactory(),
            end_date=START - datetime.timedelta(days=1),
            end_reason=Posting.EndReason.OTHER,
        )


@pytest.mark.parametrize(
    ("end_date", "end_reason"),
    [(None, Posting.EndReason.DISMISSED), (datetime.date(2025, 3, 1), "")],
    ids=["reason-without-date", "date-without-reason"],
)
def test_end_reason_and_end_date_come_together(end_date, end_reason):
    with pytest.raises(IntegrityError), transaction.atomic():
        create_posting(person=PersonFactory(), unit=NeighborhoodFactory(), end_date=end_date, end_reason=end_reason)


def test_resident_id_is_unique_after_normalisation():
    number = make_id_number(male=False)
    ResidentFactory(id_number=number)
    typed = number.translate(str.maketrans("0123456789X", "０１２３４５６７８９x"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Resident.objects.create(household=HouseholdFactory(), name="重复", id_number=f" {typed} ")
    assert Resident.objects.filter(id_number=number).count() == 1


def test_residents_without_an_id_do_not_collide():
    ResidentFactory(id_number="")
    ResidentFactory(id_number="")
    assert Resident.objects.filter(id_number="").count() == 2


def test_person_id_is_unique():
    number = make_id_number()
    PersonFactory(id_number=number)
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(id_number=number.lower())
    assert Person.objects.filter(id_number=number).count() == 1


@pytest.mark.parametrize("bad", ["43112719800517001", "4311271980051700AB", "43112719800517-01X"])
def test_id_format_is_checked_by_the_database(bad):
    household = HouseholdFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Resident.objects.create(household=household, name="格式", id_number=bad)
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(id_number=bad)
