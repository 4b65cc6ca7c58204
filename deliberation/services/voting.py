"""定事: who is entitled to vote, the figures of a sitting checked, the result computed.

Rules (defaults from the 村民委员会组织法): a 村民会议 needs more than half of the village's adult
villagers or two thirds of its households present, a 村民代表会议 two thirds of its representatives;
what is decided needs more than half of those present. The village chooses the rules per sitting
(过半数 or 三分之二以上) and the defaults are 过半数 and 过半数, as the issue asks.
Ballots entered one per voter (逐人录入) are for the 村民代表会议: each current representative
of the village once (a unique constraint), the counts then come from the ballots.
"""

from collections import Counter

from django.core.exceptions import ValidationError
from django.utils import timezone

from deliberation.models import Ballot, Rule, Vote
from governance.models import Person, Posting
from households.models import Household


def entitled_representatives(village, day=None):
    """The village's 村(居)民代表 in office on ``day``: each one entitled once."""
    day = day or timezone.localdate()
    return (
        Person.objects.filter(
            postings__role=Posting.Role.REPRESENTATIVE,
            postings__unit__path__startswith=village.path,
            postings__start_date__lte=day,
        )
        .exclude(postings__end_date__lt=day)
        .distinct()
        .order_by("name", "pk")
    )


def entitled_count(village, body):
    """The default 应到 figure: the village's households for a 村民会议, its representatives otherwise."""
    if body == Vote.Body.ASSEMBLY:
        return Household.objects.filter(village=village).count()
    return entitled_representatives(village).count()


def tally(ballots):
    """(present, for, against, abstain) from {person: choice}."""
    counts = Counter(ballots.values())
    return (
        len(ballots),
        counts[Ballot.Choice.FOR],
        counts[Ballot.Choice.AGAINST],
        counts[Ballot.Choice.ABSTAIN],
    )


def check_meeting(meeting, matter, day):
    """A meeting named as the record of a step is the village's own (or one of its 片/组's), that day."""
    if meeting is None:
        return
    if not meeting.unit.path.startswith(matter.village.path):
        raise ValidationError({"meeting": "会议须是本村/社区召开的。"})
    if meeting.held_on != day:
        raise ValidationError({"meeting": f"所选会议于{meeting.held_on:%Y-%m-%d}召开，与填写的日期不一致。"})


def build_vote(matter, vote):
    """The unsaved Vote with its result; refused in Chinese when the figures cannot be right."""
    method = vote.get("method") or Vote.Method.COUNTS
    body = vote.get("body")
    if body not in Vote.Body.values:
        raise ValidationError({"body": "请选择表决机构（村民会议或村民代表会议）。"})
    for rule in ("quorum_rule", "majority_rule"):
        if (vote.get(rule) or Rule.HALF) not in Rule.values:
            raise ValidationError({rule: "请选择表决规则。"})
    ballots = vote.get("ballots") or {}
    if method == Vote.Method.BALLOTS:
        if body != Vote.Body.REPRESENTATIVES:
            raise ValidationError({"method": "逐人录入只用于村民代表会议；村民会议请按票数录入。"})
        voters = {p.pk for p in entitled_representatives(matter.village, vote["held_on"])}
        if not voters:
            raise ValidationError({"method": "本村没有在任的村民代表，无法逐人录入。"})
        if any(p.pk not in voters for p in ballots):
            raise ValidationError({"method": "表决人须是本村在任的村民代表。"})
        entitled = len(voters)
        present, votes_for, against, abstain = tally(ballots)
    else:
        entitled, present = vote.get("entitled"), vote.get("present")
        votes_for, against, abstain = (vote.get(k) for k in ("votes_for", "votes_against", "abstentions"))
        figures = {"entitled": entitled, "present": present, "votes_for": votes_for,
                   "votes_against": against, "abstentions": abstain}  # fmt: skip
        for name, value in figures.items():
            if value is None or value < 0:
                raise ValidationError({name: "请填写不小于0的人数。"})
        if entitled < 1:
            raise ValidationError({"entitled": "应到人数至少为1。"})
        if present > entitled:
            raise ValidationError({"present": "实到人数不能多于应到人数。"})
        if votes_for + against + abstain > present:
            raise ValidationError({"votes_for": "同意、反对、弃权票数之和不能多于实到人数。"})
    row = Vote(
        matter=matter,
        body=body,
        held_on=vote["held_on"],
        meeting=vote.get("meeting"),
        method=method,
        entitled=entitled,
        present=present,
        votes_for=votes_for,
        votes_against=against,
        abstentions=abstain,
        quorum_rule=vote.get("quorum_rule") or Rule.HALF,
        majority_rule=vote.get("majority_rule") or Rule.HALF,
    )
    row.result = row.compute_result()
    return row, ballots


def record_vote(workflow, *, user, matter, expected_version, vote):
    """Run the 定事 transition: the notice period must be over; the Vote and its ballots are written."""
    row, ballots = build_vote(matter, vote)

    def apply(m):
        notice = m.notice
        if row.held_on <= notice.end_on:
            raise ValidationError({"held_on": f"公示期至{notice.end_on:%Y-%m-%d}，期满后方可表决。"})
        check_meeting(row.meeting, m, row.held_on)
        row.matter, row.recorded_by = m, user
        row.full_clean()
        row.save()
        Ballot.objects.bulk_create([Ballot(vote=row, voter=p, choice=c) for p, c in ballots.items()])
        if row.result == Vote.Result.PASSED:
            m.decided_on = row.held_on
        figures = (
            f"{row.get_body_display()}（{row.held_on:%Y-%m-%d}）：应到{row.entitled}，实到{row.present}，"
            f"同意{row.votes_for}，反对{row.votes_against}，弃权{row.abstentions}。"
        )
        return f"{figures}结果：{row.get_result_display()}"

    return workflow.run(
        "vote", user=user, obj=matter, expected_version=expected_version, apply=apply, data={"result": row.result}
    )
