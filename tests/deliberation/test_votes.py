"""定事: quorum and majority at their boundaries, the counts held by the database, each voter once."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from deliberation.models import Ballot, Matter, Rule, Vote, meets
from deliberation.services import hold_vote
from tests.factories import PersonFactory
from tests.factories.deliberation import make_matter, make_vote, representatives
from tests.factories.training import MeetingFactory

pytestmark = pytest.mark.django_db
S = Matter.Status
TODAY = datetime.date.today()


@pytest.mark.parametrize(
    ("rule", "part", "whole", "expected"),
    [
        (Rule.HALF, 5, 10, False),  # exactly half is not more than half
        (Rule.HALF, 6, 10, True),
        (Rule.HALF, 5, 9, True),
        (Rule.HALF, 4, 9, False),
        (Rule.TWO_THIRDS, 6, 9, True),  # exactly two thirds is enough (以上)
        (Rule.TWO_THIRDS, 5, 9, False),
        (Rule.TWO_THIRDS, 7, 10, True),
        (Rule.TWO_THIRDS, 6, 10, False),
    ],
)
def test_the_rules_at_their_boundaries(rule, part, whole, expected):
    assert meets(rule, part, whole) is expected


@pytest.mark.parametrize(
    ("entitled", "present", "votes_for", "result", "status"),
    [
        (100, 50, 50, "no_quorum", S.NOTICE),  # half present: no quorum, whatever the ballots say
        (100, 51, 26, "passed", S.DECIDED),  # more than half present, more than half of them for
        (100, 51, 25, "failed", S.VOTED_DOWN),  # 25 of 51 is not more than half
        (100, 60, 30, "failed", S.VOTED_DOWN),  # exactly half in favour fails
        (100, 60, 31, "passed", S.DECIDED),
    ],
)
def test_the_result_is_computed_from_the_counts(cast, entitled, present, votes_for, result, status):
    matter = make_matter(cast.branches[0], S.NOTICE)
    hold_vote(
        user=cast.users["village"], matter=matter, body="assembly", held_on=TODAY, method="counts",
        entitled=entitled, present=present, votes_for=votes_for, votes_against=0, abstentions=0,
    )  # fmt: skip
    matter.refresh_from_db()
    assert matter.votes.get().result == result
    assert matter.status == status


def test_two_thirds_rules_when_the_village_chooses_them(cast):
    matter = make_matter(cast.branches[0], S.NOTICE)
    hold_vote(
        user=cast.users["village"], matter=matter, body="representatives", held_on=TODAY, method="counts",
        entitled=30, present=20, votes_for=13, votes_against=7, abstentions=0,
        quorum_rule=Rule.TWO_THIRDS, majority_rule=Rule.TWO_THIRDS,
    )  # fmt: skip
    assert matter.votes.get().result == "failed"  # 13 of 20 is under two thirds


@pytest.mark.parametrize(
    ("figures", "field", "message"),
    [
        ({"entitled": 10, "present": 11, "votes_for": 5}, "present", "实到人数不能多于应到人数"),
        ({"entitled": 10, "present": 6, "votes_for": 5, "votes_against": 2}, "votes_for", "票数之和不能多于实到人数"),
        ({"entitled": 0, "present": 0, "votes_for": 0}, "entitled", "应到人数至少为1"),
    ],
)
def test_impossible_counts_are_refused_and_nothing_is_written(cast, figures, field, message):
    matter = make_matter(cast.branches[0], S.NOTICE)
    values = {"votes_against": 0, "abstentions": 0, **figures}
    with pytest.raises(ValidationError) as error:
        hold_vote(user=cast.users["village"], matter=matter, body="assembly", held_on=TODAY, **values)
    assert message in error.value.message_dict[field][0]
    matter.refresh_from_db()
    assert matter.status == S.NOTICE and not matter.votes.exists() and matter.version == 1


@pytest.mark.parametrize(
    "values",
    [
        {"entitled": 10, "present": 11, "votes_for": 6, "result": "passed"},
        {"entitled": 10, "present": 6, "votes_for": 5, "votes_against": 2, "result": "passed"},
        {"entitled": 10, "present": 5, "votes_for": 5, "result": "passed"},  # no quorum stored as passed
        {"entitled": 10, "present": 6, "votes_for": 6, "result": "no_quorum"},  # quorum met stored as invalid
        {"entitled": 10, "present": 6, "votes_for": 3, "result": "passed"},  # no majority stored as passed
    ],
)
def test_the_database_refuses_counts_and_results_that_cannot_be(cast, values):
    matter = make_matter(cast.branches[0], S.NOTICE)
    row = {"votes_against": 0, "abstentions": 0, **values}
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(matter=matter, body="assembly", held_on=TODAY, **row)


def test_each_entitled_voter_votes_once(cast):
    matter = make_matter(cast.branches[0], S.NOTICE)
    vote = make_vote(matter, body="representatives", method="ballots", entitled=3, present=1, votes_for=1,
                     votes_against=0, abstentions=0)  # fmt: skip
    person = PersonFactory(village=cast.branches[0].village)
    Ballot.objects.create(vote=vote, voter=person, choice="for")
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(vote=vote, voter=person, choice="against")


def test_ballots_count_only_the_villages_current_representatives(cast):
    branch = cast.branches[0]
    people = representatives(branch, 4)
    outsider = representatives(cast.branches[1], 1)[0]
    matter = make_matter(branch, S.NOTICE)
    with pytest.raises(ValidationError) as error:
        hold_vote(user=cast.users["village"], matter=matter, body="representatives", held_on=TODAY,
                  method="ballots", ballots={people[0]: "for", outsider: "for"})  # fmt: skip
    assert "在任的村民代表" in error.value.messages[0]
    hold_vote(user=cast.users["village"], matter=matter, body="representatives", held_on=TODAY,
              method="ballots", ballots={people[0]: "for", people[1]: "for", people[2]: "abstain"})  # fmt: skip
    vote = matter.votes.get()
    assert (vote.entitled, vote.present, vote.votes_for, vote.abstentions, vote.result) == (4, 3, 2, 1, "passed")


def test_ballots_are_for_the_representatives_meeting_only(cast):
    matter = make_matter(cast.branches[0], S.NOTICE)
    with pytest.raises(ValidationError) as error:
        hold_vote(user=cast.users["village"], matter=matter, body="assembly", held_on=TODAY, method="ballots")
    assert "逐人录入只用于村民代表会议" in error.value.messages[0]


def test_no_vote_before_the_notice_period_has_run(cast):
    matter = make_matter(cast.branches[0], S.NOTICE)
    matter.notice.end_on = TODAY
    matter.notice.save()
    with pytest.raises(ValidationError) as error:
        hold_vote(user=cast.users["village"], matter=matter, body="assembly", held_on=TODAY, entitled=10,
                  present=8, votes_for=8, votes_against=0, abstentions=0)  # fmt: skip
    assert "期满后方可表决" in error.value.message_dict["held_on"][0]
    assert not matter.votes.exists()


def test_a_meeting_named_for_the_vote_is_the_villages_on_that_day(cast):
    branch = cast.branches[0]
    matter = make_matter(branch, S.NOTICE)
    figures = {"entitled": 10, "present": 8, "votes_for": 8, "votes_against": 0, "abstentions": 0}
    other_village = MeetingFactory(unit=cast.branches[1].area, held_on=TODAY)
    other_day = MeetingFactory(unit=branch.area, held_on=TODAY - datetime.timedelta(days=1))
    for meeting, message in ((other_village, "本村/社区召开"), (other_day, "与填写的日期不一致")):
        with pytest.raises(ValidationError) as error:
            hold_vote(user=cast.users["village"], matter=matter, body="assembly", held_on=TODAY, meeting=meeting,
                      **figures)  # fmt: skip
        assert message in error.value.message_dict["meeting"][0]
    congress = MeetingFactory(unit=branch.village, held_on=TODAY, kind="congress")
    hold_vote(user=cast.users["village"], matter=matter, body="assembly", held_on=TODAY, meeting=congress, **figures)
    assert matter.votes.get().meeting == congress
