"""governance.services: appoint, end (离任) and by-election (补选), each all or nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from governance.models import Posting
from governance.services import appoint, by_election, end_posting
from tests.factories import NeighborhoodFactory, PersonFactory, PostingFactory

pytestmark = pytest.mark.django_db
JAN, JUN, JUL = datetime.date(2025, 1, 1), datetime.date(2025, 6, 30), datetime.date(2025, 7, 1)


@pytest.fixture
def neighborhood():
    return NeighborhoodFactory()


def village_of(unit):
    return unit.ancestors()[2]


def person_in(unit, **kwargs):
    return PersonFactory(village=village_of(unit), **kwargs)


def test_appoint_creates_an_active_posting(neighborhood):
    person = person_in(neighborhood)
    posting = appoint(
        person=person,
        unit=neighborhood,
        role=Posting.Role.NEIGHBORHOOD_LEADER,
        start_date=JAN,
        selection_method=Posting.SelectionMethod.RECOMMENDED,
    )
    assert posting.pk and posting.is_active
    assert Posting.objects.get(unit=neighborhood).person == person


def test_appointing_a_second_active_leader_is_refused_in_chinese(neighborhood):
    current = appoint(person=person_in(neighborhood), unit=neighborhood, role="neighborhood_leader", start_date=JAN)
    with pytest.raises(ValidationError) as exc:
        appoint(person=person_in(neighborhood), unit=neighborhood, role="neighborhood_leader", start_date=JUL)
    assert "已有一名在任的邻长" in " ".join(exc.value.messages)
    assert current.person.name in " ".join(exc.value.messages)
    assert Posting.objects.filter(unit=neighborhood).count() == 1


def test_appoint_to_the_wrong_level_is_refused(neighborhood):
    group = neighborhood.parent
    with pytest.raises(ValidationError) as exc:
        appoint(person=person_in(neighborhood), unit=group, role="neighborhood_leader", start_date=JAN)
    assert "邻长应任职于邻一级" in " ".join(exc.value.messages)
    assert not Posting.objects.exists()


def test_appoint_outside_the_persons_village_is_refused(neighborhood):
    stranger = PersonFactory()  # another village
    with pytest.raises(ValidationError) as exc:
        appoint(person=stranger, unit=neighborhood, role="neighborhood_leader", start_date=JAN)
    assert "所属的村/社区之内" in " ".join(exc.value.messages)


def test_end_posting_keeps_the_row_as_history(neighborhood):
    posting = PostingFactory(unit=neighborhood, person=person_in(neighborhood), start_date=JAN)
    end_posting(posting=posting, end_date=JUN, end_reason=Posting.EndReason.PERSUADED)
    posting.refresh_from_db()
    assert (posting.end_date, posting.end_reason) == (JUN, "persuaded")
    assert not posting.is_active


def test_ending_an_ended_posting_is_refused():
    posting = PostingFactory(start_date=JAN, end_date=JUN, end_reason=Posting.EndReason.TERM_ENDED)
    with pytest.raises(ValidationError) as exc:
        end_posting(posting=posting, end_date=JUL, end_reason=Posting.EndReason.DISMISSED)
    assert "不能重复办理" in " ".join(exc.value.messages)
    posting.refresh_from_db()
    assert (posting.end_date, posting.end_reason) == (JUN, "term_ended")


def test_ending_before_the_start_is_refused():
    posting = PostingFactory(start_date=JUL)
    with pytest.raises(ValidationError) as exc:
        end_posting(posting=posting, end_date=JUN, end_reason=Posting.EndReason.OTHER)
    assert "不能早于任职日期" in " ".join(exc.value.messages)
    posting.refresh_from_db()
    assert posting.is_active


@pytest.mark.parametrize(("end_date", "end_reason"), [(None, "other"), (JUN, ""), (JUN, "bogus")])
def test_end_needs_a_date_and_a_known_reason(end_date, end_reason):
    posting = PostingFactory(start_date=JAN)
    with pytest.raises(ValidationError):
        end_posting(posting=posting, end_date=end_date, end_reason=end_reason)
    posting.refresh_from_db()
    assert posting.is_active


def test_by_election_ends_the_old_and_appoints_the_new(neighborhood):
    old = PostingFactory(unit=neighborhood, person=person_in(neighborhood), start_date=JAN)
    successor = person_in(neighborhood)
    new = by_election(posting=old, end_date=JUN, end_reason="dismissed", person=successor, start_date=JUL)
    old.refresh_from_db()
    assert old.end_reason == "dismissed" and old.end_date == JUN
    assert new.selection_method == Posting.SelectionMethod.BY_ELECTION
    assert new.person == successor and new.is_active
    assert Posting.objects.filter(unit=neighborhood).count() == 2


def test_a_failed_by_election_changes_nothing(neighborhood):
    old = PostingFactory(unit=neighborhood, person=person_in(neighborhood), start_date=JAN)
    stranger = PersonFactory()  # not of this village: the appointment fails
    with pytest.raises(ValidationError):
        by_election(posting=old, end_date=JUN, end_reason="dismissed", person=stranger, start_date=JUL)
    old.refresh_from_db()
    assert old.is_active
    assert Posting.objects.filter(unit=neighborhood).count() == 1
