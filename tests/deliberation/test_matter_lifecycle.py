"""The six steps in order through the admin's pages, each shown with who and when; a step cannot be skipped."""

import datetime

import pytest
from django.urls import reverse

from deliberation.models import Matter, MatterEvent, Opinion, Suggestion, Vote
from tests.factories.deliberation import make_matter, make_opinion, representatives

pytestmark = pytest.mark.django_db
S = Matter.Status
TODAY = datetime.date.today()


def day(n=0):
    return (TODAY - datetime.timedelta(days=n)).isoformat()


def step(client, matter, action, data):
    matter.refresh_from_db()
    url = reverse("admin:deliberation_matter_transition", args=[matter.pk, action])
    assert client.get(url).status_code == 200
    response = client.post(url, {"version": matter.version, **data})
    assert response.status_code == 302, response.content.decode()[:3000]
    matter.refresh_from_db()
    return matter


def test_a_matter_goes_through_the_six_steps_on_its_pages(client, cast):
    branch = cast.branches[0]
    user = cast.users["village"]
    client.force_login(user)
    opinions = [make_opinion(branch, collected_on=TODAY - datetime.timedelta(days=30)) for _ in range(2)]
    make_opinion(cast.branches[1])  # another village's: not offered
    add = reverse("admin:deliberation_matter_add")
    page = client.get(add)
    assert page.status_code == 200
    offered = {o.pk for o in page.context["adminform"].form.fields["opinions"].queryset}
    assert offered == {o.pk for o in opinions}
    response = client.post(add, {
        "village": branch.village.pk, "title": "硬化通组公路", "category": "road", "description": "1.2公里",
        "proposer": "村党支部", "estimated_cost": "180000", "proposed_on": day(20),
        "opinions": [o.pk for o in opinions],
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    matter = Matter.objects.get()
    assert matter.status == S.PROPOSED and matter.proposed_by == user
    assert set(Opinion.objects.filter(matter=matter)) == set(opinions)

    step(client, matter, "consult", {
        "held_on": day(18), "body": "representatives", "participants": "村民代表12人",
        "suggestions": "张三：路面加宽到4米\n李四：请群众投工投劳",
    })  # fmt: skip
    assert matter.status == S.CONSULTING
    adopt = Suggestion.objects.get(made_by="张三")
    step(client, matter, "publish", {
        "text": "实施方案", "posted_at": "村务公开栏", "start_on": day(15), "end_on": day(10), "min_days": "5",
        "adopted": [adopt.pk],
    })  # fmt: skip
    assert matter.status == S.NOTICE and matter.notice.days == 6
    assert list(Suggestion.objects.filter(adopted=True)) == [adopt]
    step(client, matter, "object", {"received_on": day(12), "raised_by": "王五", "text": "占地", "response": "已协调"})
    assert matter.objections.count() == 1 and matter.status == S.NOTICE
    step(client, matter, "vote", {
        "body": "assembly", "held_on": day(8), "method": "counts", "quorum_rule": "half", "majority_rule": "half",
        "entitled": "100", "present": "60", "votes_for": "40", "votes_against": "15", "abstentions": "5",
    })  # fmt: skip
    assert matter.status == S.DECIDED and matter.decided_on == TODAY - datetime.timedelta(days=8)
    step(
        client, matter, "supervise", {"entry_on": day(5), "supervisor": "监委", "progress": "开工", "spending": "60000"}
    )
    step(
        client, matter, "supervise", {"entry_on": day(3), "supervisor": "监委", "progress": "完工", "spending": "90000"}
    )
    assert matter.status == S.SUPERVISING and matter.total_spent == 150000
    step(client, matter, "complete", {"completed_on": day(2)})
    assert matter.status == S.EVALUATING
    for household, answer in zip(branch.households, ["satisfied", "basic"], strict=True):
        step(client, matter, "survey", {"household": household.pk, "answer": answer, "surveyed_on": day(1)})
    step(client, matter, "close", {"outcome": "道路已通车", "closed_on": day()})
    assert matter.status == S.CLOSED

    actions = list(matter.events.values_list("action", flat=True))
    assert actions == ["propose", "consult", "publish", "object", "vote", "supervise", "supervise", "complete",
                       "survey", "survey", "close"]  # fmt: skip
    assert set(matter.events.values_list("actor", flat=True)) == {user.pk}
    page = client.get(reverse("admin:deliberation_matter_change", args=[matter.pk])).content.decode()
    assert "议事过程（六事）" in page and "已办结" in page and "张三：路面加宽到4米（已采纳）" in page
    assert user.get_full_name() in page or user.username in page


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (S.PROPOSED, "publish"),  # 亮事 before 谋事
        (S.CONSULTING, "vote"),  # 定事 before 亮事
        (S.NOTICE, "supervise"),  # 审事 before 定事
        (S.DECIDED, "complete"),  # no supervision yet
        (S.SUPERVISING, "survey"),
        (S.EVALUATING, "close"),  # no survey yet
        (S.VOTED_DOWN, "supervise"),
        (S.CLOSED, "reject"),
    ],
)
def test_a_step_cannot_be_skipped(client, cast, status, action):
    matter = make_matter(cast.branches[0], status)
    client.force_login(cast.users["village"])
    url = reverse("admin:deliberation_matter_transition", args=[matter.pk, action])
    response = client.get(url)
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("不能执行" in m for m in messages), messages
    client.post(url, {"version": matter.version, "reason": "x", "completed_on": day(), "outcome": "x"})
    matter.refresh_from_db()
    assert matter.status == status and matter.version == 1
    assert not MatterEvent.objects.filter(matter=matter).exists()


def test_no_quorum_keeps_the_matter_on_notice_and_a_failed_vote_ends_it(client, cast):
    client.force_login(cast.users["village"])
    matter = make_matter(cast.branches[0], S.NOTICE)
    base = {"body": "assembly", "held_on": day(), "method": "counts", "quorum_rule": "half", "majority_rule": "half"}
    step(client, matter, "vote", {**base, "entitled": "100", "present": "50", "votes_for": "50",
                                  "votes_against": "0", "abstentions": "0"})  # fmt: skip
    assert matter.status == S.NOTICE
    assert matter.events.last().action == "no_quorum"
    assert matter.votes.get().result == Vote.Result.NO_QUORUM
    step(client, matter, "vote", {**base, "entitled": "100", "present": "51", "votes_for": "25",
                                  "votes_against": "20", "abstentions": "6"})  # fmt: skip
    assert matter.status == S.VOTED_DOWN and matter.events.last().action == "vote_failed"
    assert [v.result for v in matter.votes.all()] == ["no_quorum", "failed"]


def test_representatives_vote_one_ballot_each_on_the_page(client, cast):
    branch = cast.branches[0]
    people = representatives(branch, 5)
    client.force_login(cast.users["village"])
    matter = make_matter(branch, S.NOTICE)
    ballots = {f"voter_{people[0].pk}": "for", f"voter_{people[1].pk}": "for", f"voter_{people[2].pk}": "against"}
    step(client, matter, "vote", {"body": "representatives", "held_on": day(), "method": "ballots",
                                  "quorum_rule": "half", "majority_rule": "half", **ballots})  # fmt: skip
    vote = matter.votes.get()
    assert (vote.entitled, vote.present, vote.votes_for, vote.votes_against) == (5, 3, 2, 1)
    assert vote.result == Vote.Result.PASSED and vote.ballots.count() == 3
    assert matter.status == S.DECIDED


def test_a_rejected_matter_keeps_its_reason(client, cast):
    client.force_login(cast.users["village"])
    matter = make_matter(cast.branches[0], S.CONSULTING)
    step(client, matter, "reject", {"reason": "资金来源未落实"})
    assert matter.status == S.REJECTED and matter.rejection_reason == "资金来源未落实"
    assert "不予立项理由：资金来源未落实" in matter.events.last().note


def test_bad_input_is_refused_in_chinese_and_nothing_changes(client, cast):
    client.force_login(cast.users["village"])
    matter = make_matter(cast.branches[0], S.PROPOSED)
    url = reverse("admin:deliberation_matter_transition", args=[matter.pk, "consult"])
    response = client.post(url, {"version": 1, "held_on": day(), "body": "committees", "participants": "两委",
                                 "suggestions": "没有冒号的一行"})  # fmt: skip
    assert response.status_code == 200
    assert "第1行请按“提出人：建议内容”填写" in response.content.decode()
    matter.refresh_from_db()
    assert matter.status == S.PROPOSED and not matter.consultations.exists()


def test_a_leader_sees_no_matter_in_the_admin_and_may_not_move_one(client, cast):
    matter = make_matter(cast.branches[0], S.PROPOSED)
    client.force_login(cast.users["leader"])
    url = reverse("admin:deliberation_matter_transition", args=[matter.pk, "reject"])
    assert client.post(url, {"version": 1, "reason": "x"}).status_code in (403, 404)
    matter.refresh_from_db()
    assert matter.status == S.PROPOSED
