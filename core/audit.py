"""Audit history for every model that holds governance data.

``register_project_models()`` (called from ``CoreConfig.ready``) registers every model of the
project apps (``settings.PROJECT_APPS``) with django-auditlog, so models added later are tracked
by default. A model opts out by declaring why (``audit_exempt = "<reason>"``, e.g. the access log)
or by being reference data (``is_reference_data = True``); it leaves noisy fields out with
``audit_exclude_fields``. Personal fields (``core.masking.personal_fields``) are registered as
mask fields, so the stored diff never holds them whole (``core.masking.mask_for_audit``).

Querysets of tracked models must not change rows behind auditlog's back: ``AuditedQuerySetMixin``
(mixed into ``ScopedQuerySet``) turns ``update()`` and ``bulk_update()`` into one LogEntry per
affected row (before and after), and ``bulk_create()`` into one "create" entry per new row.
"""

from django.apps import apps
from django.conf import settings
from django.db import transaction

from core.masking import personal_fields


def is_excluded(model):
    """The model declares ``audit_exempt`` (a reason), or is reference data (fixed lookup rows)."""
    return bool(getattr(model, "audit_exempt", "")) or getattr(model, "is_reference_data", False)


def project_models():
    """Every concrete or proxy model of the project apps (``settings.PROJECT_APPS``)."""
    result = []
    for label in settings.PROJECT_APPS:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        result.extend(config.get_models())
    return result


def exempt_project_models():
    return [model for model in project_models() if is_excluded(model)]


def tracked_project_models():
    """Every project model minus the exempt ones."""
    return [model for model in project_models() if not is_excluded(model)]


def register_project_models():
    from auditlog.registry import auditlog

    for model in tracked_project_models():
        if auditlog.contains(model):
            continue
        concrete = model._meta.concrete_model
        auditlog.register(
            model,
            exclude_fields=list(getattr(concrete, "audit_exclude_fields", ())),
            mask_fields=list(personal_fields(concrete)),
            m2m_fields={f.name for f in concrete._meta.many_to_many},
        )


def is_tracked(model):
    from auditlog.registry import auditlog

    return auditlog.contains(model)


def _fill_context(entry):
    """Actor, address and correlation id, set exactly as auditlog does for a saved entry.

    AuditlogMiddleware fills these in a pre_save receiver that is connected only while a request
    runs; bulk_create sends no pre_save, so send it here.
    """
    from auditlog.models import LogEntry
    from django.db.models.signals import pre_save

    pre_save.send(sender=LogEntry, instance=entry, raw=False, using=entry._state.db, update_fields=None)


def _auditlog_disabled():
    from auditlog.context import auditlog_disabled

    return auditlog_disabled.get()


def write_entries(model, pairs, action, fields_to_check=None):
    """One LogEntry per (old, new) pair that differs; one INSERT for all of them."""
    from auditlog.cid import get_cid
    from auditlog.diff import model_instance_diff
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(model)
    cid = get_cid()
    entries = []
    for old, new in pairs:
        changes = model_instance_diff(old, new, fields_to_check=fields_to_check)
        if not changes:
            continue
        instance = new if new is not None else old
        pk = instance.pk
        try:
            object_repr = str(instance)
        except Exception:  # a broken __str__ must not lose the history row
            object_repr = f"#{pk}"
        entry = LogEntry(
            content_type=content_type,
            object_pk=str(pk),
            object_id=pk if isinstance(pk, int) else None,
            object_repr=object_repr,
            action=action,
            changes=changes,
            changes_text="",
            cid=cid,
        )
        _fill_context(entry)
        entries.append(entry)
    LogEntry.objects.bulk_create(entries)
    return len(entries)


class AuditedQuerySetMixin:
    """update() (so bulk_update() too) and bulk_create() on a tracked model write audit history."""

    def _audited(self):
        return is_tracked(self.model) and not _auditlog_disabled()

    def update(self, **kwargs):
        if not self._audited():
            return super().update(**kwargs)
        from auditlog.models import LogEntry

        with transaction.atomic(using=self.db):
            olds = {obj.pk: obj for obj in self._chain()}
            rows = super().update(**kwargs)
            news = self.model._base_manager.using(self.db).in_bulk(list(olds))
            pairs = [(olds[pk], news[pk]) for pk in olds if pk in news]
            write_entries(self.model, pairs, LogEntry.Action.UPDATE, fields_to_check=set(kwargs))
        return rows

    update.alters_data = True

    # bulk_update() needs no override: Django runs it as update(field=Case(When(pk=…)…)) per batch,
    # which goes through update() above (tests/core/test_audit_bulk_guard.py pins this).

    def bulk_create(self, objs, *args, **kwargs):
        if not self._audited():
            return super().bulk_create(objs, *args, **kwargs)
        from auditlog.models import LogEntry

        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            missing = [o for o in created if o.pk is None]
            if missing:
                raise RuntimeError("批量新增的记录没有返回编号，无法写入操作历史。")
            write_entries(self.model, [(None, o) for o in created], LogEntry.Action.CREATE)
        return created

    bulk_create.alters_data = True


def audited_queryset_classes():
    """(model, default manager queryset class) for every tracked model: the bulk-guard test scans these."""
    return [(m, type(m._default_manager.all())) for m in tracked_project_models()]
