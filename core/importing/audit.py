"""Audit entries for rows an import bulk-creates: one "create" entry per row, as auditlog writes it.

``core.audit``'s audited ``bulk_create`` runs auditlog's ``model_instance_diff`` per row, which
redoes the field selection and the empty side of the diff each time; an import of 45,000 rows
spent most of its write time there. This writes the same entries (same fields, same masking,
same strings; tests/imports/test_import_audit.py compares them) with that work done once.
"""

from auditlog.context import auditlog_disabled
from auditlog.diff import get_field_value, get_fields_in_model, get_mask_function
from django.contrib.contenttypes.models import ContentType
from django.db import router
from django.db.models.signals import pre_save
from django.utils.encoding import smart_str

from core.audit import is_tracked


def tracked_fields(model, sample):
    from auditlog.registry import auditlog

    options = auditlog.get_model_fields(model)
    fields = list(get_fields_in_model(sample))
    if options["include_fields"]:
        fields = [f for f in fields if f.name in options["include_fields"]]
    if options["exclude_fields"]:
        fields = [f for f in fields if f.name not in options["exclude_fields"]]
    return fields, options


def request_context(log_model, content_type, cid):
    """Actor, address and the like, as auditlog's middleware fills them for a saved entry: asked once
    (pre_save on one entry) and copied to every entry of the import, not sent 45,000 times."""
    probe = log_model(content_type=content_type, cid=cid)
    blank = log_model(content_type=content_type, cid=cid)
    database = router.db_for_write(log_model)
    pre_save.send(sender=log_model, instance=probe, raw=False, using=database, update_fields=None)
    names = [f.attname for f in log_model._meta.concrete_fields if not f.primary_key]
    return {name: getattr(probe, name) for name in names if getattr(probe, name) != getattr(blank, name)}


def create_entries(model, objs):
    """Write one LogEntry per created object (already saved, pks set); returns how many."""
    from auditlog.cid import get_cid
    from auditlog.models import LogEntry

    if not objs or not is_tracked(model) or auditlog_disabled.get():
        return 0
    fields, options = tracked_fields(model, objs[0])
    mask = get_mask_function(options.get("mask_callable"))
    masked = set(options["mask_fields"])
    empty = {field: get_field_value(None, field) for field in fields}
    content_type, cid = ContentType.objects.get_for_model(model), get_cid()
    context = request_context(LogEntry, content_type, cid)
    entries = []
    for obj in objs:
        changes = {}
        for field in fields:
            old, new = empty[field], get_field_value(obj, field)
            if old != new:
                pair = (smart_str(old), smart_str(new))
                changes[field.name] = (mask(pair[0]), mask(pair[1])) if field.name in masked else pair
        if not changes:
            continue
        entries.append(
            LogEntry(
                content_type=content_type,
                object_pk=str(obj.pk),
                object_id=obj.pk,
                object_repr=str(obj),
                action=LogEntry.Action.CREATE,
                changes=changes,
                changes_text="",
                cid=cid,
                **context,
            )
        )
    LogEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)


def m2m_entries(model, field_name, changes):
    """One "update" entry per (object, operation, [names]) in ``changes``, as auditlog writes an m2m change.

    Bulk writes to a through table send no ``m2m_changed``: an import states the change itself
    (e.g. a household's 特殊群体类别 added or removed). Returns how many entries were written.
    """
    from auditlog.cid import get_cid
    from auditlog.models import LogEntry

    changes = [(obj, operation, names) for obj, operation, names in changes if names]
    if not changes or not is_tracked(model) or auditlog_disabled.get():
        return 0
    content_type, cid = ContentType.objects.get_for_model(model), get_cid()
    context = request_context(LogEntry, content_type, cid)
    entries = [
        LogEntry(
            content_type=content_type,
            object_pk=str(obj.pk),
            object_id=obj.pk,
            object_repr=str(obj),
            action=LogEntry.Action.UPDATE,
            changes={field_name: {"type": "m2m", "operation": operation, "objects": list(names)}},
            changes_text="",
            cid=cid,
            **context,
        )
        for obj, operation, names in changes
    ]
    LogEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)
