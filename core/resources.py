"""Shared base for django-import-export resources: scoped, masked, with Chinese column headers.

Every resource is built with the requesting ``user``: its queryset (used to find rows to update on
import) is ``restrict(user)``, its lookup widgets only find units in the user's scope, and each
saved row is re-read through the scope inside the import's transaction. Exported ID numbers and
phones always go through ``core.masking``, whoever exports.
"""

from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.core.exceptions import FieldDoesNotExist, ValidationError
from import_export import resources, widgets

from core.masking import field_masker
from core.scoping import in_scope, restrict_queryset

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def restore_formula_text(value):
    """Undo ``neutralise_formula`` on import, so an exported file round-trips unchanged."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def masker_for(model, attribute):
    """The masking function for a (possibly related, ``a__b``) attribute, or None (not personal)."""
    if not attribute:
        return None
    try:
        field = get_fields_from_path(model, attribute)[-1]
    except (FieldDoesNotExist, NotRelationField):
        return None
    return field_masker(field)


class ScopedModelResource(resources.ModelResource):
    """Model resource bound to a user; headers are the fields' verbose names."""

    export_select_related = ()  # relations that exported columns read, joined in the one query

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        for field in self.fields.values():
            if isinstance(field.widget, ScopedLookupWidget):
                field.widget.user = user

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        field = super().field_from_django_field(field_name, django_field, readonly)
        field.column_name = "编号" if django_field.primary_key else str(django_field.verbose_name)
        return field

    def get_queryset(self):
        return restrict_queryset(super().get_queryset(), self.user)

    def filter_export(self, queryset, **kwargs):
        """Rows stay as the admin scoped them; related columns are joined once, not per row."""
        queryset = restrict_queryset(super().filter_export(queryset, **kwargs), self.user)
        related = self.export_select_related
        return queryset.select_related(*related) if related else queryset

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        mask = masker_for(self._meta.model, field.attribute or self.get_field_name(field))
        return neutralise_formula(mask(value) if mask and value else value)

    def import_row(self, row, instance_loader, **kwargs):
        """Row errors are keyed by the Chinese column names the user sees, not attribute names."""
        for key, value in list(row.items()):
            row[key] = restore_formula_text(value)
        result = super().import_row(row, instance_loader, **kwargs)
        error = result.validation_error
        if error is not None and hasattr(error, "error_dict"):
            labels = self.column_labels()
            result.validation_error = ValidationError(
                {labels.get(key, key): value for key, value in error.error_dict.items()}
            )
        return result

    def column_labels(self):
        labels = {f.name: str(f.verbose_name) for f in self._meta.model._meta.concrete_fields}
        labels.update({"id": "编号", "pk": "编号"})
        for name, field in self.fields.items():
            labels[name] = field.column_name
            if field.attribute:
                labels[field.attribute] = field.column_name
        return labels

    def after_save_instance(self, instance, row, **kwargs):
        """A saved row must still be inside the user's scope (checked in the import's transaction)."""
        super().after_save_instance(instance, row, **kwargs)
        if not in_scope(instance, self.user):
            raise ValidationError("该行的数据超出了您的管辖范围。")


class ScopedLookupWidget(widgets.ForeignKeyWidget):
    """Finds a related row by a natural key among the rows the user may see, in Chinese."""

    def __init__(self, model, field="name", label="", **kwargs):
        super().__init__(model, field=field, **kwargs)
        self.label = label or str(model._meta.verbose_name)
        self.user = None

    def get_queryset(self, value, row, *args, **kwargs):
        return restrict_queryset(self.model._default_manager.all(), self.user)

    def clean(self, value, row=None, **kwargs):
        value = str(value).strip() if value is not None else ""
        if not value:
            return None
        matches = list(self.get_queryset(value, row, **kwargs).filter(**{self.field: value})[:2])
        if not matches:
            raise ValueError(f"{self.label}“{value}”不存在，或不在您的管辖范围内。")
        if len(matches) > 1:
            raise ValueError(f"{self.label}“{value}”有重名，无法确定是哪一个。")
        return matches[0]
