"""The role table (accounts/backends.py) against issue 3's "who sees what"."""

import pytest
from django.apps import apps

from accounts.backends import grantable_roles
from accounts.models import Role

ACTIONS = ["view", "add", "change", "delete"]
APPS = ["governance", "households", "accounts"]


def model_perms(user):
    granted = set()
    for model in apps.get_models():
        if model._meta.app_label in APPS:
            for action in ACTIONS:
                perm = f"{model._meta.app_label}.{action}_{model._meta.model_name}"
                if user.has_perm(perm):
                    granted.add(perm)
    return granted


def test_county_reads_everything_and_edits_nothing(cast):
    perms = model_perms(cast.users["county"])
    assert "households.view_household" in perms and "governance.view_person" in perms
    assert not [p for p in perms if not p.split(".")[1].startswith("view_")]
    assert cast.users["county"].has_perm("accounts.export")


def test_township_manages_its_township_but_not_the_county(cast):
    user = cast.users["township"]
    for perm in ["governance.change_person", "governance.add_posting", "households.delete_household",
                 "accounts.add_user", "governance.change_township"]:  # fmt: skip
        assert user.has_perm(perm), perm
    for perm in ["governance.change_county", "governance.delete_township", "households.change_carecategory"]:
        assert not user.has_perm(perm), perm
    assert user.has_perm("accounts.export")


def test_village_cadre_manages_the_village_reads_the_levels_above(cast):
    user = cast.users["village"]
    assert user.has_perm("households.add_household") and user.has_perm("governance.add_neighborhood")
    assert user.has_perm("governance.change_village") and not user.has_perm("governance.delete_village")
    assert not user.has_perm("governance.change_township")


def test_leader_reads_households_and_nothing_of_the_roster(cast):
    perms = model_perms(cast.users["leader"])
    assert {"households.view_household", "households.view_resident", "households.add_visit"} <= perms
    assert not [p for p in perms if not p.split(".")[1].startswith("view_") and p != "households.add_visit"]
    assert "governance.view_person" not in perms and "accounts.view_user" not in perms
    assert not cast.users["leader"].has_perm("accounts.export")


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("county", set()),
        ("township", {Role.TOWNSHIP, Role.VILLAGE, Role.LEADER}),
        ("village", {Role.LEADER}),
        ("leader", set()),
        ("superuser", set(Role)),
    ],
)
def test_nobody_grants_a_role_above_their_own(cast, role, expected):
    assert set(grantable_roles(cast.users[role])) == expected


def test_inactive_or_unit_less_users_have_no_permissions(cast, django_user_model):
    user = cast.users["township"]
    user.is_active = False
    assert not model_perms(user) and not user.has_perm("accounts.export") and not grantable_roles(user)
    nobody = django_user_model(username="x", is_staff=True)
    assert not model_perms(nobody) and not nobody.has_perm("accounts.export")
