"""The user admin: who may create and edit which users, with which role and unit."""

import pytest
from django.urls import reverse

from accounts.models import Role, User

ADD = reverse("admin:accounts_user_add")
PASSWORD = "Qingshui-river-2026"


def add_user(client, **fields):
    data = {"username": "new-user", "password1": PASSWORD, "password2": PASSWORD, "name": "新"}
    data.update(fields)
    return client.post(ADD, data)


def form_errors(response):
    return " ".join(str(e) for e in response.context["adminform"].form.errors.values())


def test_township_creates_a_village_cadre_for_its_village(client, cast):
    client.force_login(cast.users["township"])
    response = add_user(client, role=Role.VILLAGE, unit=cast.branches[1].village.pk)
    assert response.status_code == 302
    user = User.objects.get(username="new-user")
    assert (user.role, user.unit, user.is_staff, user.is_superuser) == (
        Role.VILLAGE,
        cast.branches[1].village,
        True,
        False,
    )
    assert user.check_password(PASSWORD)


def test_role_choices_are_limited_to_grantable_roles(client, cast):
    client.force_login(cast.users["township"])
    choices = dict(client.get(ADD).context["adminform"].form.fields["role"].choices)
    assert set(choices) == {Role.TOWNSHIP, Role.VILLAGE, Role.LEADER}
    client.force_login(cast.users["village"])
    assert dict(client.get(ADD).context["adminform"].form.fields["role"].choices) == {Role.LEADER: "组长/邻长"}


def test_village_unit_choices_are_its_groups_and_neighborhoods(client, cast):
    client.force_login(cast.users["village"])
    units = set(client.get(ADD).context["adminform"].form.fields["unit"].queryset)
    assert units == {cast.branches[0].group, cast.branches[0].neighborhood}


def test_village_cadre_creates_a_leader_in_its_neighborhood(client, cast):
    client.force_login(cast.users["village"])
    assert add_user(client, role=Role.LEADER, unit=cast.branches[0].neighborhood.pk).status_code == 302
    assert User.objects.get(username="new-user").unit == cast.branches[0].neighborhood


@pytest.mark.parametrize(
    ("editor", "role", "branch", "attr", "message"),
    [
        ("township", Role.COUNTY, 0, "village", "不在可用的选项中"),  # role above their own
        ("village", Role.VILLAGE, 0, "village", "不在可用的选项中"),  # a peer's role
        ("township", Role.VILLAGE, 2, "village", "选择一个有效的选项"),  # another township's village
        ("village", Role.LEADER, 1, "neighborhood", "选择一个有效的选项"),  # another village's 邻
        ("township", Role.LEADER, 0, "village", "“组长/邻长”的所属单元必须是组/网格或邻一级。"),  # level mismatch
    ],
)
def test_forged_roles_and_units_are_refused_in_chinese(client, cast, editor, role, branch, attr, message):
    client.force_login(cast.users[editor])
    response = add_user(client, role=role, unit=getattr(cast.branches[branch], attr).pk)
    assert response.status_code == 200
    assert message in form_errors(response)
    assert not User.objects.filter(username="new-user").exists()


def test_forged_superuser_and_staff_flags_are_ignored(client, cast):
    client.force_login(cast.users["township"])
    response = add_user(
        client, role=Role.VILLAGE, unit=cast.branches[0].village.pk, is_superuser="on", groups="1", user_permissions="1"
    )
    assert response.status_code == 302
    user = User.objects.get(username="new-user")
    assert not user.is_superuser and not user.groups.exists() and not user.user_permissions.exists()
    target = cast.users["village"]
    change = reverse("admin:accounts_user_change", args=[target.pk])
    form = client.get(change).context["adminform"].form
    assert not {"is_superuser", "is_staff", "groups", "user_permissions"} & set(form.fields)
    data = {k: v for k, v in form.initial.items() if k in form.fields and v is not None}
    data.update(unit=target.unit_id, is_superuser="on", is_staff="", date_joined_0="2026-01-01")
    data.pop("password", None)
    data.pop("last_login", None)
    client.post(change, data)
    target.refresh_from_db()
    assert not target.is_superuser and target.is_staff


def test_superuser_sees_permission_fields(client, cast):
    client.force_login(cast.users["superuser"])
    change = reverse("admin:accounts_user_change", args=[cast.users["village"].pk])
    fields = client.get(change).context["adminform"].form.fields
    assert {"is_superuser", "is_staff", "groups", "user_permissions"} <= set(fields)


def test_weak_password_is_refused_on_the_add_form(client, cast):
    client.force_login(cast.users["township"])
    response = add_user(
        client, role=Role.VILLAGE, unit=cast.branches[0].village.pk, password1="12345678", password2="12345678"
    )
    assert response.status_code == 200
    errors = form_errors(response)
    assert "密码长度太短" in errors or "这个密码太常见了" in errors
    assert not User.objects.filter(username="new-user").exists()


def test_weak_password_is_refused_on_the_password_change_form(client, cast):
    client.force_login(cast.users["township"])
    target = cast.users["village"]
    url = reverse("admin:auth_user_password_change", args=[target.pk])
    response = client.post(url, {"password1": "password", "password2": "password"})
    assert response.status_code == 200
    assert "这个密码太常见了" in str(response.context["form"].errors)
    target.refresh_from_db()
    assert target.check_password("Sanzhang-test-2026")
    ok = client.post(url, {"password1": PASSWORD, "password2": PASSWORD})
    assert ok.status_code == 302


def test_village_cadre_cannot_edit_a_peer_or_a_superior(client, cast):
    peer = User.objects.create_user("peer", unit=cast.branches[0].village, role=Role.VILLAGE, is_staff=True)
    client.force_login(cast.users["village"])
    change = reverse("admin:accounts_user_change", args=[peer.pk])
    response = client.get(change)
    assert response.status_code == 200 and not response.context["has_change_permission"]  # view only
    assert client.post(change, {"username": "renamed"}).status_code == 403
    assert client.post(reverse("admin:auth_user_password_change", args=[peer.pk]), {}).status_code == 403
    township = cast.users["township"]
    assert client.get(reverse("admin:accounts_user_change", args=[township.pk])).status_code == 404
    peer.refresh_from_db()
    assert peer.username == "peer"


def test_other_township_users_are_out_of_reach(client, cast):
    client.force_login(cast.users["township"])
    other = cast.users["village2"]
    assert client.get(reverse("admin:accounts_user_change", args=[other.pk])).status_code == 404
    assert client.post(reverse("admin:auth_user_password_change", args=[other.pk]), {}).status_code == 404
