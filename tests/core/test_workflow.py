"""The workflow kit itself (core/workflow), exercised through the grievance workflow: every refusal
is a Chinese message and writes nothing; a success bumps the version and writes one event."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.workflow import Transition, allowed_actions, workflow_for
from grievances.models import Grievance, GrievanceEvent
from grievances.services import WORKFLOW
from tests.factories import GrievanceFactory

pytestmark = pytest.mark.django_db

S = Grievance.Status


def make(cast, status=S.REGISTERED, **kwargs):
    return GrievanceFactory(household=cast.branches[0].households[0], status=status, **kwargs)


def run(cast, grievance, action="verify", user="village", **kwargs):
    kwargs.setdefault("apply", lambda g: "说明")
    return WORKFLOW.run(action, user=cast.users[user], obj=grievance, **kwargs)


def assert_untouched(grievance, status=S.REGISTERED):
    grievance.refresh_from_db()
    assert grievance.status == status
    assert grievance.version == 1
    assert not GrievanceEvent.objects.filter(grievance=grievance).exists()


def test_a_step_sets_the_target_bumps_the_version_and_writes_one_event(cast):
    grievance = run(cast, make(cast), expected_version=1)
    grievance.refresh_from_db()
    assert (grievance.status, grievance.version) == (S.VERIFIED, 2)
    event = GrievanceEvent.objects.get(grievance=grievance)
    assert (event.action, event.from_status, event.to_status, event.note) == (
        "verify",
        S.REGISTERED,
        S.VERIFIED,
        "说明",
    )
    assert event.actor == cast.users["village"]
    assert (event.action_label, event.from_status_label, event.to_status_label) == ("核实", "已登记", "已核实")


def test_stale_version_is_refused_with_the_message(cast):
    grievance = make(cast)
    with pytest.raises(ValidationError) as error:
        run(cast, grievance, expected_version=7)
    assert error.value.messages == [
        "该诉求刚刚已被他人办理（当前状态：已登记），您的提交未保存。请刷新页面查看最新情况后再操作。"
    ]
    assert_untouched(grievance)


def test_illegal_source_is_refused_with_the_message(cast):
    grievance = make(cast)
    with pytest.raises(ValidationError) as error:
        run(cast, grievance, action="archive", expected_version=1)
    assert error.value.messages == ["当前状态为“已登记”，不能执行“归档”。"]
    assert_untouched(grievance)


def test_guard_refuses_what_the_sources_allow(cast):
    grievance = make(cast, S.IN_PROGRESS, handling_mode="on_spot")
    assert "reply" not in allowed_actions(grievance)
    with pytest.raises(ValidationError) as error:
        run(cast, grievance, action="reply")
    assert "不能执行“登记上级答复”" in error.value.messages[0]
    assert_untouched(grievance, S.IN_PROGRESS)


def test_out_of_scope_is_not_found_and_writes_nothing(cast):
    grievance = make(cast)
    with pytest.raises(ValidationError) as error:
        run(cast, grievance, user="village2", expected_version=1)
    assert error.value.messages == ["没有找到该诉求，或您无权办理。"]
    assert_untouched(grievance)


def test_without_the_change_permission_is_refused(cast):
    grievance = make(cast)
    with pytest.raises(ValidationError) as error:
        run(cast, grievance, user="leader", expected_version=1)
    assert error.value.messages == ["您没有办理群众诉求的权限。"]
    assert_untouched(grievance)


def test_a_refusal_inside_apply_rolls_everything_back(cast):
    grievance = make(cast)

    def apply(g):
        g.description = "不应保存"
        raise ValidationError("办理条件不满足。")

    with pytest.raises(ValidationError):
        run(cast, grievance, apply=apply)
    assert_untouched(grievance)
    grievance.refresh_from_db()
    assert grievance.description != "不应保存"


def test_a_target_function_decides_and_the_event_takes_its_name(cast):
    grievance = make(cast, S.RESOLVED, handling_mode="on_spot")
    revisit = WORKFLOW.transitions["revisit"]
    assert revisit.target_for(grievance, {"satisfaction": "unsatisfied"}) == S.IN_PROGRESS
    assert revisit.target_for(grievance, {"satisfaction": "basic"}) == S.REVISITED
    run(cast, grievance, action="revisit", data={"satisfaction": "unsatisfied"})
    grievance.refresh_from_db()
    assert grievance.status == S.IN_PROGRESS
    assert GrievanceEvent.objects.get(grievance=grievance).action == "reopen"


def test_every_transition_declares_where_it_leads():
    for transition in WORKFLOW.transitions.values():
        assert isinstance(transition, Transition)
        assert transition.sources
        assert transition.target is not None
    assert workflow_for(Grievance) is WORKFLOW


def test_unknown_action_is_refused(cast):
    with pytest.raises(ValidationError) as error:
        run(cast, make(cast), action="delete")
    assert error.value.messages == ["未知的办理操作。"]


def test_edit_without_a_change_writes_nothing_and_a_closed_object_is_refused(cast):
    grievance = make(cast)
    assert WORKFLOW.update(user=cast.users["village"], obj=grievance, apply=lambda g: None, expected_version=1)
    assert_untouched(grievance)
    closed = make(cast, S.REJECTED)
    with pytest.raises(ValidationError) as error:
        WORKFLOW.update(user=cast.users["village"], obj=closed, apply=lambda g: "改", expected_version=1)
    assert error.value.messages == ["当前状态为“不予受理”，不能再修改登记信息。"]
    assert_untouched(closed, S.REJECTED)


def test_edit_with_a_stale_version_is_refused(cast):
    grievance = make(cast)
    with pytest.raises(ValidationError) as error:
        WORKFLOW.update(user=cast.users["village"], obj=grievance, apply=lambda g: "改", expected_version=2)
    assert error.value.messages == ["该诉求刚刚已被他人更新，您的修改未保存。请刷新页面后重试。"]
    assert_untouched(grievance)


# ---------------------------------------------------------------- the admin pages the mixin gives


def transition_url(grievance, action):
    return reverse("admin:grievances_grievance_transition", args=[grievance.pk, action])


@pytest.mark.parametrize("version", [None, "", "abc"])
def test_transition_post_without_a_valid_version_shows_a_chinese_error(client, cast, version):
    grievance = make(cast)
    client.force_login(cast.users["village"])
    data = {"note": "核实"} if version is None else {"note": "核实", "version": version}
    response = client.post(transition_url(grievance, "verify"), data)
    assert response.status_code == 200
    assert "页面缺少版本信息，您的提交未保存。请刷新页面后重试。" in response.content.decode()
    assert_untouched(grievance)


def test_unknown_action_page_is_404_and_out_of_scope_page_is_404(client, cast):
    grievance = make(cast)
    client.force_login(cast.users["village"])
    assert client.get(transition_url(grievance, "delete")).status_code == 404
    client.force_login(cast.users["village2"])
    assert client.post(transition_url(grievance, "verify"), {"version": 1}).status_code == 404
    assert_untouched(grievance)


def test_change_page_has_the_buttons_and_the_timeline(client, cast):
    grievance = make(cast)
    run(cast, grievance, expected_version=1)
    client.force_login(cast.users["village"])
    page = client.get(reverse("admin:grievances_grievance_change", args=[grievance.pk])).content.decode()
    assert 'id="grievance-timeline"' in page
    assert "已登记 → 已核实" in page
    assert transition_url(grievance, "handle") in page
    assert transition_url(grievance, "verify") not in page


def test_an_unsatisfied_revisit_says_it_was_reopened(client, cast):
    grievance = make(cast, S.RESOLVED, handling_mode="on_spot")
    client.force_login(cast.users["village"])
    data = {"version": 1, "satisfaction": "unsatisfied", "comment": "路灯还是不亮"}
    response = client.post(transition_url(grievance, "revisit"), data, follow=True)
    assert "已回访" in response.content.decode()
    assert "（不满意，重新办理）" in response.content.decode()


def test_transition_page_uses_the_app_summary_and_the_generic_form(client, cast):
    grievance = make(cast, description="村口路灯坏了")
    client.force_login(cast.users["village"])
    response = client.get(transition_url(grievance, "verify"))
    page = response.content.decode()
    assert [t.name for t in response.templates][:2] == [
        "admin/grievances/grievance/transition.html",
        "admin/workflow/transition.html",
    ]
    assert "当前状态：<strong>已登记</strong>" in page
    assert "诉求内容：村口路灯坏了" in page
    assert 'name="version" value="1"' in page
    assert 'value="确认核实"' in page
