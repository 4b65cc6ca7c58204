"""The six steps on the real admin pages: each path to its end, illegal orders, stale forms, deadlines."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from disputes.models import Agreement, Dispute, DisputeEvent
from disputes.models.disputes import one_month_after
from disputes.services import (
    accept_dispute,
    allowed_actions,
    assign_mediator,
    extend_deadline,
    record_session,
    register_dispute,
)
from tests.factories import PersonFactory
from tests.factories.disputes import committee_for, make_dispute, presiding_member

pytestmark = pytest.mark.django_db
S = Dispute.Status
TODAY = datetime.date.today()


def step(client, dispute, action, data):
    dispute.refresh_from_db()
    url = reverse("admin:disputes_dispute_transition", args=[dispute.pk, action])
    return client.post(url, {"version": dispute.version, **data})


def through_mediation(client, dispute):
    chair = presiding_member(dispute)
    assert step(client, dispute, "accept", {}).status_code == 302
    assert step(client, dispute, "assign", {"presiding": chair.pk}).status_code == 302
    assert step(client, dispute, "investigate", {"investigation": "走访双方"}).status_code == 302
    assert step(client, dispute, "notify", {"signed": "on"}).status_code == 302
    session = {"held_on": TODAY.isoformat(), "place": "村调解室", "participants": "双方", "record": "各自陈述"}
    assert step(client, dispute, "mediate", session).status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == S.MEDIATING


def test_registration_with_parties_through_the_add_page(client, cast):
    committee_for(cast.branches[0].village)
    client.force_login(cast.users["village"])
    residents = [h.residents.create(name=f"当事人{i}") for i, h in enumerate(cast.branches[0].households)]
    prefix = "parties"
    data = {
        "village": cast.branches[0].village.pk,
        "title": "王某与赵某土地纠纷",
        "dispute_type": "land",
        "source": "application",
        "facts": "承包地边界争议",
        "persons_involved": 2,
        "received_on": TODAY.isoformat(),
        f"{prefix}-TOTAL_FORMS": 2,
        f"{prefix}-INITIAL_FORMS": 0,
        f"{prefix}-0-side": "applicant",
        f"{prefix}-0-resident": residents[0].pk,
        f"{prefix}-1-side": "respondent",
        f"{prefix}-1-name": "外村人员",
        f"{prefix}-1-gender": "male",
        f"{prefix}-1-age": 50,
    }
    response = client.post(reverse("admin:disputes_dispute_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    dispute = Dispute.objects.get(title="王某与赵某土地纠纷")
    assert dispute.parties.count() == 2
    assert dispute.events.get().action == DisputeEvent.Action.REGISTER


def test_one_party_is_refused(client, cast):
    committee_for(cast.branches[0].village)
    client.force_login(cast.users["village"])
    data = {
        "village": cast.branches[0].village.pk, "title": "单方", "dispute_type": "land", "source": "application",
        "facts": "x", "persons_involved": 2, "parties-TOTAL_FORMS": 1, "parties-INITIAL_FORMS": 0,
        "parties-0-side": "applicant", "parties-0-name": "甲",
    }  # fmt: skip
    response = client.post(reverse("admin:disputes_dispute_add"), data)
    assert response.status_code == 200
    assert "纠纷须有两方及以上当事人" in response.content.decode()
    assert not Dispute.objects.filter(title="单方").exists()


def test_success_path_numbers_the_agreement_and_schedules_the_revisit(client, cast):
    client.force_login(cast.users["village"])
    dispute = make_dispute(cast.branches[0], received_on=TODAY, accepted_on=None, due_date=None)
    through_mediation(client, dispute)
    dispute.refresh_from_db()
    assert dispute.due_date == one_month_after(dispute.accepted_on)
    fulfil_by = TODAY + datetime.timedelta(days=10)
    data = {"kind": "written", "disputed_points": "界址", "terms": "退让", "fulfil_by": fulfil_by.isoformat()}
    assert step(client, dispute, "succeed", data).status_code == 302
    dispute.refresh_from_db()
    agreement = dispute.agreement
    assert (agreement.year, agreement.number) == (TODAY.year, 1)
    assert agreement.document_number == f"（{TODAY.year}）{dispute.committee.short_name}人调字第1号"
    assert dispute.revisit_due_on == fulfil_by
    data = {"fulfilment": "fulfilled", "satisfaction": "satisfied", "follow_up": "none"}
    assert step(client, dispute, "revisit", data).status_code == 302
    data = {"file_number": "2026-1", "filed_by": "文书", "retention": "长期"}
    assert step(client, dispute, "archive", data).status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == S.ARCHIVED
    actions = list(dispute.events.values_list("action", flat=True))
    assert actions == ["accept", "assign", "investigate", "notify", "mediate", "succeed", "revisit", "archive"]


def test_second_agreement_of_the_committee_gets_the_next_number(cast):
    user = cast.users["village"]
    numbers = []
    for _ in range(2):
        dispute = make_dispute(cast.branches[0], S.MEDIATING, session_count=1)
        from disputes.services import sign_agreement

        signed = sign_agreement(user=user, dispute=dispute, kind="written", terms="t", disputed_points="p")
        numbers.append(signed.agreement.number)
    oral = make_dispute(cast.branches[0], S.MEDIATING, session_count=1)
    from disputes.services import sign_agreement

    sign_agreement(user=user, dispute=oral, kind="oral", terms="口头约定")
    assert numbers == [1, 2]
    assert Agreement.objects.get(dispute=oral).number is None


def test_failure_and_withdrawal_paths(client, cast):
    client.force_login(cast.users["village"])
    failed = make_dispute(cast.branches[0], received_on=TODAY, accepted_on=None, due_date=None)
    through_mediation(client, failed)
    assert step(client, failed, "fail", {"failure_route": "lawsuit", "reason": "分歧大"}).status_code == 302
    archive = {"file_number": "2026-2", "filed_by": "文书", "retention": "短期"}
    assert step(client, failed, "archive", archive).status_code == 302
    withdrawn = make_dispute(cast.branches[0], S.ASSIGNED)
    assert step(client, withdrawn, "withdraw", {"reason": "已自行和解"}).status_code == 302
    rejected = make_dispute(cast.branches[0])
    assert step(client, rejected, "reject", {"reason": "已起诉"}).status_code == 302
    for dispute, status in [(failed, S.ARCHIVED), (withdrawn, S.WITHDRAWN), (rejected, S.REJECTED)]:
        dispute.refresh_from_db()
        assert dispute.status == status


@pytest.mark.parametrize(
    ("status", "action", "data"),
    [
        (S.REGISTERED, "assign", {"presiding": "chair"}),
        (S.ACCEPTED, "investigate", {"investigation": "x"}),
        (S.ASSIGNED, "notify", {"signed": "on"}),
        (S.INVESTIGATED, "mediate", {"held_on": TODAY.isoformat(), "place": "p", "participants": "a", "record": "r"}),
        (S.NOTIFIED, "succeed", {"kind": "oral", "terms": "x"}),
        (S.ACCEPTED, "fail", {"failure_route": "lawsuit", "reason": "x"}),
        (S.MEDIATING, "archive", {"file_number": "1", "filed_by": "x", "retention": "长期"}),
        (S.SUCCEEDED, "accept", {}),
    ],
)
def test_each_illegal_order_is_refused_with_its_message(client, cast, status, action, data):
    client.force_login(cast.users["village"])
    dispute = make_dispute(cast.branches[0], status)
    if data.get("presiding") == "chair":
        data = {"presiding": presiding_member(dispute).pk}
    url = reverse("admin:disputes_dispute_transition", args=[dispute.pk, action])
    response = client.get(url, follow=True)
    assert f"当前状态为“{dispute.get_status_display()}”，不能执行" in response.content.decode()
    response = client.post(url, {"version": dispute.version, **data})
    assert "不能执行" in response.content.decode()
    before = dispute.version
    dispute.refresh_from_db()
    assert (dispute.status, dispute.version) == (status, before)


def test_a_stale_form_is_refused(client, cast):
    client.force_login(cast.users["village"])
    dispute = make_dispute(cast.branches[0])
    accept_dispute(user=cast.users["village"], dispute=dispute)
    url = reverse("admin:disputes_dispute_transition", args=[dispute.pk, "reject"])
    response = client.post(url, {"version": 1, "reason": "x"})
    assert "已被他人办理" in response.content.decode()


def test_only_a_current_committee_member_may_preside(cast):
    dispute = make_dispute(cast.branches[0], S.ACCEPTED)
    other = committee_for(cast.branches[1].village).members.first()
    with pytest.raises(ValidationError, match="在任成员"):
        assign_mediator(user=cast.users["township"], dispute=dispute, presiding=other)
    member = presiding_member(dispute)
    member.end_date = TODAY
    member.save()
    with pytest.raises(ValidationError, match="在任成员"):
        assign_mediator(user=cast.users["village"], dispute=dispute, presiding=member)


def test_changing_the_mediator_needs_a_reason(cast):
    dispute = make_dispute(cast.branches[0], S.ACCEPTED)
    first, second = dispute.committee.members.order_by("pk")
    assign_mediator(user=cast.users["village"], dispute=dispute, presiding=first)
    with pytest.raises(ValidationError, match="理由"):
        assign_mediator(user=cast.users["village"], dispute=dispute, presiding=second)
    assign_mediator(user=cast.users["village"], dispute=dispute, presiding=second, reason="当事人申请回避")
    dispute.refresh_from_db()
    assert (dispute.status, dispute.presiding) == (S.ASSIGNED, second)


def test_deadline_overdue_and_extension_with_consent(cast):
    user = cast.users["village"]
    past = TODAY - datetime.timedelta(days=40)
    dispute = make_dispute(cast.branches[0], S.MEDIATING, accepted_on=past, due_date=one_month_after(past),
                           received_on=past)  # fmt: skip
    assert dispute.is_overdue(TODAY)
    assert Dispute.objects.deadline("overdue", TODAY).filter(pk=dispute.pk).exists()
    with pytest.raises(ValidationError, match="当事人同意"):
        extend_deadline(user=user, dispute=dispute, due_date=TODAY + datetime.timedelta(days=10), consent="")
    extend_deadline(user=user, dispute=dispute, due_date=TODAY + datetime.timedelta(days=10), consent="双方签字同意")
    dispute.refresh_from_db()
    assert not dispute.is_overdue(TODAY) and dispute.extension_count == 1
    assert "双方签字同意" in dispute.events.get(action="extend").note


def test_escalation_names_the_lead_and_happens_once(client, cast):
    client.force_login(cast.users["township"])
    dispute = make_dispute(cast.branches[0], S.MEDIATING)
    response = step(client, dispute, "escalate", {"escalated_to": "塔峰镇", "lead_official": ""})
    assert "请写明包案领导" in response.content.decode()
    assert step(client, dispute, "escalate", {"escalated_to": "塔峰镇", "lead_official": "王镇长"}).status_code == 302
    dispute.refresh_from_db()
    assert dispute.escalated and dispute.lead_official == "王镇长"
    assert "escalate" not in allowed_actions(dispute)


def test_archiving_lists_the_missing_papers(client, cast):
    client.force_login(cast.users["village"])
    dispute = make_dispute(cast.branches[0], S.FAILED, failure_route="lawsuit")
    response = step(client, dispute, "archive", {"file_number": "1", "filed_by": "x", "retention": "长期"})
    assert "卷宗尚缺以下材料" in response.content.decode() and "调查记录" in response.content.decode()


def test_session_before_acceptance_date_is_refused(cast):
    dispute = make_dispute(cast.branches[0], S.NOTIFIED)
    with pytest.raises(ValidationError, match="不能早于受理日期"):
        record_session(user=cast.users["village"], dispute=dispute, held_on=TODAY - datetime.timedelta(days=30),
                       place="p", participants="a", record="r")  # fmt: skip


def test_a_village_without_committee_cannot_register(cast):
    with pytest.raises(ValidationError, match="尚未设立人民调解委员会"):
        register_dispute(user=cast.users["village"], village=cast.branches[0].village, title="t", dispute_type="land",
                         facts="f")  # fmt: skip


def test_leader_may_not_move_a_dispute(cast):
    dispute = make_dispute(cast.branches[0])
    PersonFactory(village=cast.branches[0].village)
    with pytest.raises(ValidationError, match="权限"):
        accept_dispute(user=cast.users["leader"], dispute=dispute)
