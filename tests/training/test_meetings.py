"""Meetings: the 民主评议 grid (a household rates each of its leaders once per round) and matters
registered as grievances from the meeting page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance.models import Posting
from grievances.models import Grievance
from tests.factories import PersonFactory, PostingFactory, category
from tests.factories.training import MeetingFactory
from training.models import Meeting, MeetingMatter, Rating
from training.services import rating_grid, save_ratings

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(cast):
    b = cast.branches[0]
    leaders = {}
    for role, unit in ((Posting.Role.AREA_LEADER, b.area), (Posting.Role.GROUP_LEADER, b.group),
                       (Posting.Role.NEIGHBORHOOD_LEADER, b.neighborhood)):  # fmt: skip
        leaders[role] = PersonFactory(village=b.village)
        PostingFactory(person=leaders[role], unit=unit, role=role)
    meeting = MeetingFactory(unit=b.village, held_on=datetime.date(2026, 4, 10))
    return b, leaders, meeting


def test_the_grid_lists_each_household_with_its_three_leaders(setting):
    b, leaders, meeting = setting
    rows = rating_grid(meeting)
    assert [row["household"] for row in rows] == sorted(b.households, key=lambda h: (h.head_name, h.pk))
    assert [cell["posting"].person for cell in rows[0]["cells"]] == list(leaders.values())


def test_ballots_saved_corrected_and_once_per_round(cast, setting):
    b, leaders, meeting = setting
    h0, h1 = b.households
    nb = leaders[Posting.Role.NEIGHBORHOOD_LEADER]
    user = cast.users["village"]
    assert save_ratings(user=user, meeting=meeting, answers={(h0.pk, nb.pk): "satisfied", (h1.pk, nb.pk): "basic"}) == (
        2,
        0,
    )
    assert save_ratings(user=user, meeting=meeting, answers={(h0.pk, nb.pk): "unsatisfied"}) == (0, 1)
    assert (
        Rating.objects.get(household=h0).answer == "unsatisfied" and Rating.objects.get(household=h0).round == "2026Q2"
    )
    later = MeetingFactory(unit=b.village, held_on=datetime.date(2026, 5, 10))  # same quarter: same round
    with pytest.raises(ValidationError, match="本轮已在其他会议评议过"):
        save_ratings(user=user, meeting=later, answers={(h0.pk, nb.pk): "satisfied"})
    other = PersonFactory(village=b.village)  # not this household's leader
    with pytest.raises(ValidationError):
        save_ratings(user=user, meeting=meeting, answers={(h0.pk, other.pk): "satisfied"})
    assert Rating.objects.count() == 2


def test_meeting_page_saves_the_grid_and_registers_a_matter(client, cast, setting):
    b, leaders, meeting = setting
    meeting.kind = Meeting.Kind.TALK_DAY
    meeting.save()
    nb = leaders[Posting.Role.NEIGHBORHOOD_LEADER]
    h0 = b.households[0]
    client.force_login(cast.users["village"])
    url = reverse("reports:training_meeting", args=[meeting.pk])
    assert "民主评议" in client.get(url).content.decode()
    assert client.post(url, {"do": "ratings", f"r-{h0.pk}-{nb.pk}": "basic"}).status_code == 302
    assert Rating.objects.get().answer == "basic"
    data = {"do": "matter", "household": h0.pk, "category": category().pk, "description": "村道路灯不亮"}
    assert client.post(url, data).status_code == 302
    grievance = MeetingMatter.objects.get(meeting=meeting).grievance
    assert grievance.channel == Grievance.Channel.TALK_DAY and grievance.household == h0
    assert grievance.received_on == meeting.held_on
    # bad input: nothing registered
    response = client.post(url, {"do": "matter", "category": "", "description": "x"}, follow=True)
    assert "请选择诉求类别" in response.content.decode() and Grievance.objects.count() == 1


def test_meeting_page_is_scoped(client, cast):
    from tests.core import scope_matrix as sm

    sm.check_object_view(
        client, cast, Meeting, lambda m: reverse("reports:training_meeting", args=[m.pk]),
        roles=["superuser", "county", "township", "township2", "village", "village2"],
    )  # fmt: skip
