"""Audit history: every project model is tracked; the object's '操作历史' page shows who/when/before/after."""

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.conf import settings

from core.audit import exempt_project_models, is_excluded
from households.models import CareCategory, Household, Resident
from tests.factories import PersonFactory, ResidentFactory, make_id_number


def test_every_project_model_is_tracked_or_explicitly_excluded():
    untracked = [
        model._meta.label
        for label in settings.PROJECT_APPS
        if apps.is_installed(label)
        for model in apps.get_app_config(label).get_models()
        if not auditlog.contains(model) and not is_excluded(model)
    ]
    assert untracked == []
    exempt = {model._meta.label for model in exempt_project_models()}
    assert {"accounts.AccessLog", "households.CareCategory"} <= exempt
    for label in exempt:
        assert not auditlog.contains(apps.get_model(label))
    assert all(getattr(apps.get_model(label), "is_reference_data", False) for label in ["households.CareCategory"])


@pytest.mark.parametrize(
    "label", ["governance.Unit", "governance.Person", "governance.Posting", "households.Household", "accounts.User"]
)
def test_core_governance_models_are_tracked(label):
    assert auditlog.contains(apps.get_model(label))


def test_id_and_phone_are_mask_fields():
    resident_fields = auditlog.get_model_fields(apps.get_model("households.Resident"))
    assert {"id_number", "phone"} <= set(resident_fields["mask_fields"])
    user_fields = auditlog.get_model_fields(apps.get_model("accounts.User"))
    assert "password" in user_fields["exclude_fields"]


def edit_household(client, household, **changes):
    data = {
        "village": household.village_id,
        "neighborhood": household.neighborhood_id or "",
        "head_name": household.head_name,
        "address": household.address,
        "phone": household.phone,
        "note": household.note,
        "care_categories": [c.pk for c in household.care_categories.all()],
        "residents-TOTAL_FORMS": "0",
        "residents-INITIAL_FORMS": "0",
        "residents-MIN_NUM_FORMS": "0",
        "residents-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return client.post(f"/admin/households/household/{household.pk}/change/", data)


def test_admin_edit_is_recorded_with_actor_before_and_after(client, cast):
    household = cast.branches[0].households[0]
    old_name = household.head_name
    client.force_login(cast.users["village"])
    response = edit_household(client, household, head_name="王大山", address="虎溪村3号")
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = LogEntry.objects.get_for_object(household).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == cast.users["village"]
    assert entry.changes_dict["head_name"] == [old_name, "王大山"]

    html = client.get(f"/admin/households/household/{household.pk}/history/").content.decode()
    assert "操作历史" in html
    assert "户主姓名" in html and old_name in html and "王大山" in html
    assert "修改" in html and "新增" in html
    assert str(cast.users["village"]) in html


def test_care_category_changes_are_recorded(client, cast):
    household = cast.branches[0].households[0]
    client.force_login(cast.users["village"])
    response = edit_household(client, household, care_categories=["left_behind_child"])
    assert response.status_code == 302
    entry = LogEntry.objects.get_for_object(household).filter(changes__has_key="care_categories").get()
    assert entry.changes_dict["care_categories"]["operation"] == "add"
    html = client.get(f"/admin/households/household/{household.pk}/history/").content.decode()
    assert "特殊群体类别" in html and "添加" in html and "留守儿童" in html


def test_history_of_an_object_out_of_scope_is_404(client, cast):
    household = cast.branches[2].households[0]
    client.force_login(cast.users["village"])
    assert client.get(f"/admin/households/household/{household.pk}/history/").status_code == 404
    assert client.get(f"/admin/households/household/{household.pk + 999}/history/").status_code == 404


def test_history_of_a_unit_proxy_is_shown(client, cast):
    village = cast.branches[0].village
    client.force_login(cast.users["township"])
    village.name = "虎溪新村"
    village.save()
    html = client.get(f"/admin/governance/village/{village.pk}/history/").content.decode()
    assert "虎溪新村" in html and "修改" in html


def test_history_masks_id_numbers(client, cast):
    id_number = make_id_number(serial=901)
    resident = ResidentFactory(household=cast.branches[0].households[0], id_number=id_number)
    client.force_login(cast.users["village"])
    html = client.get(f"/admin/households/resident/{resident.pk}/history/").content.decode()
    assert id_number[:6] + "********" + id_number[-4:] in html
    assert id_number not in html


def test_admin_bulk_delete_is_recorded_per_row(client, cast):
    people = [PersonFactory(village=cast.branches[0].village) for _ in range(3)]
    client.force_login(cast.users["village"])
    response = client.post(
        "/admin/governance/person/",
        {"action": "delete_selected", "_selected_action": [p.pk for p in people], "post": "yes"},
    )
    assert response.status_code == 302
    deleted = LogEntry.objects.filter(action=LogEntry.Action.DELETE, object_pk__in=[str(p.pk) for p in people])
    assert deleted.count() == 3
    assert {e.actor for e in deleted} == {cast.users["village"]}


def test_reference_data_is_not_tracked(cast):
    category = CareCategory.objects.first()
    category.sort_order += 1
    category.save()
    assert not LogEntry.objects.get_for_object(category).exists()
    assert Household.objects.exists()


def test_household_history_includes_its_residents(client, cast):
    household = cast.branches[0].households[0]
    resident = ResidentFactory(household=household, name="孙小梅")
    Resident.objects.filter(pk=resident.pk).update(name="孙晓梅")
    other = ResidentFactory(household=cast.branches[0].households[1], name="别家人")
    client.force_login(cast.users["village"])
    html = client.get(f"/admin/households/household/{household.pk}/history/").content.decode()
    assert "居民：孙晓梅" in html and "孙小梅" in html
    assert other.name not in html
