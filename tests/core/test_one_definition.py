"""Rules core applies are defined once: personal fields (admin, export, audit), access logging
through core.access, the scoping entry points, and the inline's foreign key."""

import types

import pytest
from auditlog.registry import auditlog
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404

from accounts.models import AccessLog
from core.access import AccessAction, access_recorded, record_access
from core.admin_inlines import inline_foreign_key
from core.audit import project_models
from core.fields import PhoneField
from core.masking import mask_id_number, mask_phone, personal_fields
from core.resources import masker_for
from core.scoping import get_for_user_or_404, in_scope, restrict_queryset
from governance.models import Person, Posting, Unit, Village
from households.models import CareCategory, Household, Resident

# --- personal data ------------------------------------------------------------------------------


def test_the_personal_fields_of_the_project():
    found = {f"{m._meta.label}.{name}" for m in project_models() if not m._meta.proxy for name in personal_fields(m)}
    assert {
        "accounts.User.phone",
        "governance.Person.phone",
        "governance.Person.id_number",
        "households.Household.phone",
        "households.Resident.phone",
        "households.Resident.id_number",
        "grievances.Grievance.reporter_phone",
    } <= found
    assert "governance.Unit.contact_phone" not in found  # a public office number: personal=False


@pytest.mark.parametrize("model", [m for m in project_models() if not m._meta.proxy], ids=lambda m: m._meta.label)
def test_admin_export_and_audit_mask_the_same_fields(model):
    """The admin masks ``personal_fields`` itself (core.admin_masking); exports and audit agree."""
    personal = set(personal_fields(model))
    exported = {f.name for f in model._meta.concrete_fields if masker_for(model, f.name)}
    assert exported == personal
    if auditlog.contains(model):
        assert set(auditlog.get_model_fields(model)["mask_fields"]) == personal


def test_related_paths_resolve_to_the_field():
    assert masker_for(Resident, "household__phone") is mask_phone
    assert masker_for(Posting, "person__id_number") is mask_id_number
    assert masker_for(Household, "village__contact_phone") is None
    assert masker_for(Household, "head_name") is None
    assert masker_for(Household, "no_such__path") is None
    assert masker_for(Household, "phone_count") is None  # a name ending in "phone" is not a phone


def test_personal_false_survives_deconstruct():
    field = Unit._meta.get_field("contact_phone")
    _name, path, args, kwargs = field.deconstruct()
    assert kwargs["personal"] is False
    assert PhoneField(*args, **kwargs).personal is False
    assert "personal" not in Household._meta.get_field("phone").deconstruct()[3]


# --- access logging -----------------------------------------------------------------------------


def test_access_actions_keep_the_stored_values():
    assert AccessLog.Action is AccessAction
    assert AccessAction.values == ["export", "reveal", "view_minor", "import"]
    assert AccessLog._meta.get_field("action").choices == AccessAction.choices


def test_record_access_writes_an_access_log_row_through_accounts(cast, rf):
    request = rf.get("/")
    request.user = cast.users["village"]
    household = cast.branches[0].households[0]
    row = record_access(request=request, action=AccessAction.REVEAL, obj=household)
    assert isinstance(row, AccessLog) and row.pk
    assert (row.action, row.model_label, row.object_id) == ("reveal", "households.Household", str(household.pk))
    assert row.unit == cast.branches[0].village


def test_record_access_without_a_receiver_refuses_rather_than_drop_the_row(cast, rf):
    request = rf.get("/")
    request.user = cast.users["village"]
    receivers = access_recorded.receivers
    access_recorded.disconnect(dispatch_uid="accounts.write_access_log")
    try:
        with pytest.raises(ImproperlyConfigured):
            record_access(request=request, action=AccessAction.EXPORT, model=CareCategory, row_count=1)
    finally:
        from accounts.services import write_access_log

        access_recorded.connect(write_access_log, dispatch_uid="accounts.write_access_log")
    assert len(access_recorded.receivers) == len(receivers)
    assert not AccessLog.objects.exists()


def test_models_say_which_records_are_minors(cast):
    household = cast.branches[0].households[0]
    assert household.is_minor_record() is False
    household.care_categories.add(CareCategory.objects.get(code=CareCategory.Code.LEFT_BEHIND_CHILD))
    assert household.is_minor_record() is True
    assert Resident(birth_date=None).is_minor_record() is False


# --- scoping ------------------------------------------------------------------------------------


def test_one_scoping_path_for_models_managers_and_querysets(cast):
    user = cast.users["village"]
    own, foreign = cast.branches[0].households[0], cast.branches[2].households[0]
    expected = set(Household.objects.restrict(user).values_list("pk", flat=True))
    for source in (Household, Household.objects, Household.objects.all()):
        assert set(restrict_queryset(source, user).values_list("pk", flat=True)) == expected
    assert in_scope(own, user) and not in_scope(foreign, user)
    assert get_for_user_or_404(user, Household, pk=own.pk) == Household.objects.get_for_user_or_404(user, pk=own.pk)
    for lookups in ({"pk": foreign.pk}, {"pk": "x"}, {"pk": None}):
        with pytest.raises(Http404):
            Household.objects.get_for_user_or_404(user, **lookups)
        with pytest.raises(Http404):
            get_for_user_or_404(user, Household, **lookups)
    with pytest.raises(Http404):  # more than one row: 404, never a 500
        Household.objects.get_for_user_or_404(user, village=cast.branches[0].village)
    # Reference data is visible to all; other unscoped models to superusers only.
    assert restrict_queryset(CareCategory, user).count() == CareCategory.objects.count()


# --- inlines ------------------------------------------------------------------------------------


def test_inline_foreign_key_honours_fk_name_and_proxies():
    inline = types.SimpleNamespace(model=Posting, fk_name=None)
    assert inline_foreign_key(Village, inline).name == "unit"  # Village is a proxy of Unit
    assert inline_foreign_key(Person, inline).name == "person"
    assert inline_foreign_key(Household, types.SimpleNamespace(model=Resident, fk_name=None)).name == "household"
    assert inline_foreign_key(Unit, types.SimpleNamespace(model=Unit, fk_name="parent")).name == "parent"
    with pytest.raises(ImproperlyConfigured):
        inline_foreign_key(CareCategory, inline)


def test_may_export_is_the_role_permission(cast):
    from core.access import may_export

    assert may_export(cast.users["county"]) and may_export(cast.users["village"]) is True
    assert not may_export(cast.users["leader"])
    assert all(may_export(u) == u.has_perm("accounts.export") for u in cast.users.values())
