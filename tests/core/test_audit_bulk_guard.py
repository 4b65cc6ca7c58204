"""No tracked model changes behind the audit history: update/bulk_update/bulk_create write LogEntries."""

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db.models import F

from accounts.models import User
from core.audit import AuditedQuerySetMixin, audited_queryset_classes, tracked_project_models
from governance.models import Person, Unit
from households.models import Household, Resident
from tests.factories import PersonFactory, ResidentFactory, make_id_number


def entries_for(model):
    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model))


def test_every_tracked_model_has_an_audited_default_queryset():
    classes = audited_queryset_classes()
    assert len(classes) == len(tracked_project_models()) > 5
    plain = [model._meta.label for model, qs_class in classes if not issubclass(qs_class, AuditedQuerySetMixin)]
    assert plain == []
    # and through every manager a model declares, not only the default one
    for model in tracked_project_models():
        for manager in model._meta.managers:
            assert isinstance(manager.all(), AuditedQuerySetMixin), f"{model._meta.label}.{manager.name}"


@pytest.mark.parametrize("model", tracked_project_models(), ids=lambda m: m._meta.label)
def test_update_on_every_tracked_model_goes_through_the_audit(db, monkeypatch, model):
    """Exercise update() on each tracked model's default manager: the audit writer must run."""
    calls = []
    monkeypatch.setattr("core.audit.write_entries", lambda m, pairs, action, **kw: calls.append((m, action)))
    field = next(f for f in model._meta.concrete_fields if not f.primary_key and f.concrete)
    model._default_manager.filter(pk__in=[]).update(**{field.name: F(field.name)})
    assert calls == [(model, LogEntry.Action.UPDATE)]


def test_update_writes_one_entry_per_row_with_before_and_after(cast):
    households = Household.objects.filter(village=cast.branches[0].village)
    old = {h.pk: h.address for h in households}
    assert households.update(address="虎溪村统一地址") == 2
    entries = entries_for(Household).filter(action=LogEntry.Action.UPDATE)
    assert entries.count() == 2
    for entry in entries:
        assert entry.changes_dict["address"] == [old[int(entry.object_pk)] or "", "虎溪村统一地址"]


def test_update_masks_id_numbers_in_the_diff(cast):
    resident = ResidentFactory(household=cast.branches[0].households[0])
    new_id = make_id_number(serial=555)
    Resident.objects.filter(pk=resident.pk).update(id_number=new_id)
    entry = entries_for(Resident).get(action=LogEntry.Action.UPDATE)
    assert entry.changes_dict["id_number"][1] == new_id[:6] + "********" + new_id[-4:]


def test_update_without_change_writes_nothing(cast):
    households = Household.objects.filter(village=cast.branches[0].village)
    households.update(head_name="同名")
    count = LogEntry.objects.count()
    households.update(head_name="同名")
    assert LogEntry.objects.count() == count


def test_bulk_update_is_audited(cast):
    people = [PersonFactory(village=cast.branches[0].village, note="") for _ in range(3)]
    for person in people:
        person.note = "已培训"
    Person.objects.bulk_update(people, ["note"])
    entries = entries_for(Person).filter(action=LogEntry.Action.UPDATE)
    assert entries.count() == 3
    assert {e.changes_dict["note"][1] for e in entries} == {"已培训"}


def test_bulk_create_is_audited(cast):
    village = cast.branches[0].village
    created = Person.objects.bulk_create([Person(village=village, name=f"批量{i}") for i in range(3)])
    entries = entries_for(Person).filter(action=LogEntry.Action.CREATE, object_pk__in=[str(p.pk) for p in created])
    assert entries.count() == 3


def test_subtree_path_rewrite_is_audited(cast):
    area = cast.branches[0].area
    area.parent = cast.branches[1].village
    area.save()
    descendants = Unit.objects.under(area, include_self=False)
    assert descendants.exists()
    logged = set(entries_for(Unit).filter(action=LogEntry.Action.UPDATE).values_list("object_pk", flat=True))
    assert {str(u.pk) for u in descendants} <= logged


def test_bulk_update_records_the_actor_of_the_request(client, cast):
    """An admin bulk action that uses update() records who did it."""
    from auditlog.context import set_actor

    user = cast.users["village"]
    with set_actor(user):
        Household.objects.filter(village=cast.branches[0].village).update(note="走访完毕")
    entry = entries_for(Household).filter(action=LogEntry.Action.UPDATE).latest("pk")
    assert entry.actor == user
    # outside the request context nobody is named
    Household.objects.filter(village=cast.branches[0].village).update(note="再次走访")
    assert entries_for(Household).filter(action=LogEntry.Action.UPDATE).latest("pk").actor is None


def test_users_are_tracked(cast):
    assert auditlog.contains(User)
    User.objects.filter(pk=cast.users["village"].pk).update(name="王小明")
    assert entries_for(User).filter(action=LogEntry.Action.UPDATE).exists()


def test_an_explicit_disable_auditlog_block_writes_nothing(cast):
    """Only code that says so skips the history (the demo-data builder does)."""
    from auditlog.context import disable_auditlog

    count = LogEntry.objects.count()
    with disable_auditlog():
        Household.objects.filter(village=cast.branches[0].village).update(note="演示数据")
        Person.objects.bulk_create([Person(village=cast.branches[0].village, name="演示")])
    assert LogEntry.objects.count() == count
