"""Audit entries for rows an import bulk-creates: one "create" entry per row, as auditlog writes it.

``core.audit``'s audited ``bulk_create`` runs auditlog's ``model_instance_diff`` per row, which
redoes the field selection and the empty side of the diff each time; an import of 45,000 rows
spent most of its write time there. This writes the same entries (same fields, same masking,
same strings; tests/imports/test_import_audit.py compares them) with that work done once, and
inserts them with multi-row INSERT statements built once per batch instead of building 45,000
LogEntry instances for ``bulk_create`` to compile field by field.
"""

from auditlog.context import auditlog_disabled
from auditlog.diff import get_field_value, get_fields_in_model, get_mask_function
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router
from django.db.models import DateTimeField, ForeignKey, JSONField
from django.db.models.signals import pre_save
from django.utils import timezone
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


INSERT_BATCH = 500  # rows per multi-row INSERT


def value_reader(field):
    """``get_field_value(obj, field)`` for one field, with auditlog's type dispatch done once.

    Plain fields are read as auditlog's last branch reads them; dates with time, JSON and
    relations keep auditlog's own function."""
    if isinstance(field, DateTimeField | JSONField | ForeignKey) or field.is_relation:
        return lambda obj: get_field_value(obj, field)
    name = field.name

    def read(obj):
        value = getattr(obj, name)
        return value if type(value) is str else smart_str(value)

    return read


def as_text(value):
    return value if type(value) is str else smart_str(value)


def insert_entries(rows):
    """Insert LogEntry rows given as dicts of attribute names → values, ``INSERT_BATCH`` rows per statement."""
    from auditlog.models import LogEntry

    if not rows:
        return 0
    database = router.db_for_write(LogEntry)
    connection = connections[database]
    now = timezone.now()
    fields = [f for f in LogEntry._meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields]
    prepare = [
        (lambda v, f=f: f.get_db_prep_save(v, connection)) if isinstance(f, JSONField | DateTimeField) else None
        for f in fields
    ]
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(LogEntry._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "
    one = f"({', '.join(['%s'] * len(fields))})"
    defaults = {f.attname: f.get_default() for f in fields}
    defaults["timestamp"] = now
    batch = max(1, min(INSERT_BATCH, connection.ops.bulk_batch_size(fields, rows)))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            params = []
            part = rows[start : start + batch]
            for row in part:
                for name, prep in zip(names, prepare, strict=True):
                    value = row.get(name, defaults[name])
                    params.append(prep(value) if prep is not None and value is not None else value)
            cursor.execute(head + ", ".join([one] * len(part)), params)
    return len(rows)


def create_entries(model, objs):
    """Write one LogEntry per created object (already saved, pks set); returns how many."""
    from auditlog.cid import get_cid
    from auditlog.models import LogEntry

    if not objs or not is_tracked(model) or auditlog_disabled.get():
        return 0
    fields, options = tracked_fields(model, objs[0])
    mask = get_mask_function(options.get("mask_callable"))
    masked = set(options["mask_fields"])
    readers = [(field.name, value_reader(field), get_field_value(None, field)) for field in fields]
    content_type, cid = ContentType.objects.get_for_model(model), get_cid()
    context = request_context(LogEntry, content_type, cid)
    base = {"content_type_id": content_type.pk, "action": LogEntry.Action.CREATE, "changes_text": "", "cid": cid,
            **context}  # fmt: skip
    rows = []
    for obj in objs:
        changes = {}
        for name, read, empty in readers:
            value = read(obj)
            if empty != value:  # compared as auditlog compares them (a None key differs from "None")
                old, new = as_text(empty), as_text(value)
                changes[name] = [mask(old), mask(new)] if name in masked else [old, new]
        if changes:
            rows.append({**base, "object_pk": str(obj.pk), "object_id": obj.pk, "object_repr": str(obj),
                         "changes": changes})  # fmt: skip
    return insert_entries(rows)


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
    rows = [
        {
            "content_type_id": content_type.pk, "object_pk": str(obj.pk), "object_id": obj.pk,
            "object_repr": str(obj), "action": LogEntry.Action.UPDATE, "changes_text": "", "cid": cid,
            "changes": {field_name: {"type": "m2m", "operation": operation, "objects": list(names)}}, **context,
        }
        for obj, operation, names in changes
    ]  # fmt: skip
    return insert_entries(rows)
