"""Malformed ids in admin URLs and forms are a Chinese message or an ignored parameter, never a 500.

An id typed into a URL or posted by hand (``village=abc``, a 23-digit number) used to reach the
database as is: Django raised ValueError (not a number) or OverflowError (beyond 64 bits) while
filtering a changelist, drawing an autocomplete widget or checking a choice. Every value meant
for a numeric field (or a relation to one) is checked here first with the field's own
``to_python`` and validators (which carry the database's integer range):
- changelist and export filters (``?village=abc``, ``?village__id__exact=…``, ``…__in=1,x``): the
  bad parameter is ignored, with a message;
- add-page initial values from the URL (``add/?village=abc``): ignored;
- foreign-key and many-to-many form fields (POST): "选择一个有效的选项" like any unknown id;
- autocomplete widgets: a malformed selected value is not looked up.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models.constants import LOOKUP_SEP

NUMERIC_FIELDS = (models.IntegerField, models.DecimalField, models.FloatField, models.UUIDField)
CHECKED_LOOKUPS = {"exact", "in", "gt", "gte", "lt", "lte"}


def is_valid_for(field, value):
    """Whether ``value`` can be compared with ``field`` in a query (always true for text fields)."""
    if not isinstance(field, NUMERIC_FIELDS):
        return True
    try:
        cleaned = field.to_python(value)
        if cleaned is not None:
            field.run_validators(cleaned)  # the integer range of the database: no overflow
    except (ValidationError, TypeError, ValueError):
        return False
    return True


def relation_target(field):
    """The field a relation's values are compared with (the related primary key or to_field)."""
    if field.many_to_one or field.one_to_one:
        target = getattr(field, "target_field", None)
        if target is not None:
            return target
    related = field.related_model
    return related._meta.pk if related is not None else None


def lookup_target(model, key):
    """(field compared, lookup) for a query-string key naming a field path, or (None, None)."""
    field, current, rest = None, model, []
    parts = key.split(LOOKUP_SEP)
    for index, part in enumerate(parts):
        if current is None:
            rest = parts[index:]
            break
        try:
            field = current._meta.pk if part == "pk" else current._meta.get_field(part)
        except FieldDoesNotExist:
            rest = parts[index:]
            break
        current = field.related_model if field.is_relation else None
    if field is None or len(rest) > 1:
        return None, None
    lookup = rest[0] if rest else "exact"
    target = relation_target(field) if field.is_relation else field
    return target, lookup


def invalid_filter(model, key, values):
    """Whether a changelist parameter holds a value its field cannot be compared with."""
    target, lookup = lookup_target(model, key)
    if target is None or lookup not in CHECKED_LOOKUPS:
        return False
    items = [part for value in values for part in (str(value).split(",") if lookup == "in" else [value])]
    return not all(is_valid_for(target, item) for item in items)


def filter_label(model, key):
    """The Chinese name of the field a filter parameter starts from."""
    try:
        return str(model._meta.get_field(key.split(LOOKUP_SEP)[0]).verbose_name)
    except FieldDoesNotExist:
        return "筛选"


class ValidFiltersChangeListMixin:
    """ChangeList (and import-export's export list): malformed filter parameters are ignored."""

    invalid_filters = ()

    def get_filters_params(self, params=None):
        lookup_params = super().get_filters_params(params)
        invalid = [key for key, values in lookup_params.items() if invalid_filter(self.model, key, values)]
        for key in invalid:
            del lookup_params[key]
        self.invalid_filters = invalid
        return lookup_params

    def get_filters(self, request):
        result = super().get_filters(request)
        if self.invalid_filters:
            names = "、".join(f"“{filter_label(self.model, key)}”" for key in self.invalid_filters)
            messages.warning(request, f"筛选条件{names}的值无效，已忽略该条件。")
        return result


_valid_changelist_classes = {}


def valid_filters_changelist(changelist_class):
    """A subclass of ``changelist_class`` that ignores malformed filter values (built once per class)."""
    if issubclass(changelist_class, ValidFiltersChangeListMixin):
        return changelist_class
    if changelist_class not in _valid_changelist_classes:
        _valid_changelist_classes[changelist_class] = type(
            f"Valid{changelist_class.__name__}", (ValidFiltersChangeListMixin, changelist_class), {}
        )
    return _valid_changelist_classes[changelist_class]


def valid_initial(model, initial):
    """Add-page initial values from the URL, without ids their field cannot hold."""
    cleaned = {}
    for key, value in initial.items():
        try:
            field = model._meta.get_field(key)
        except FieldDoesNotExist:
            cleaned[key] = value
            continue
        target = relation_target(field) if field.is_relation else field
        values = value if isinstance(value, list) else [value]
        if target is None or all(is_valid_for(target, item) for item in values if item not in ("", None)):
            cleaned[key] = value
    return cleaned


class ValidIdChoiceMixin:
    """A posted id its target field cannot hold is an unknown choice, not a database error."""

    def malformed(self, values):
        """The first value the target field cannot hold, or None."""
        name = self.to_field_name or "pk"
        opts = self.queryset.model._meta
        target = opts.pk if name == "pk" else opts.get_field(name)
        return next((v for v in values if v not in self.empty_values and not is_valid_for(target, v)), None)


class ValidIdModelChoiceField(ValidIdChoiceMixin, forms.ModelChoiceField):
    def to_python(self, value):
        if isinstance(value, str | int) and self.malformed([value]) is not None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return super().to_python(value)


class ValidIdModelMultipleChoiceField(ValidIdChoiceMixin, forms.ModelMultipleChoiceField):
    def clean(self, value):
        bad = self.malformed(value) if isinstance(value, list | tuple) else None
        if bad is not None:
            raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": bad})
        return super().clean(value)


class ValidIdAutocompleteMixin:
    """Autocomplete widgets look up only the selected values their field can hold."""

    def optgroups(self, name, value, attr=None):
        related = self.field.remote_field
        to_field = getattr(related, "field_name", None)
        model = related.model
        target = model._meta.get_field(to_field) if to_field else model._meta.pk
        value = [v for v in value if v in ("", None) or is_valid_for(target, v)]
        return super().optgroups(name, value, attr)


class ValidIdAutocompleteSelect(ValidIdAutocompleteMixin, AutocompleteSelect):
    pass


class ValidIdAutocompleteSelectMultiple(ValidIdAutocompleteMixin, AutocompleteSelectMultiple):
    pass


class ValidIdFormfieldMixin:
    """For ModelAdmins and inlines: relation fields refuse malformed ids, autocomplete widgets skip them."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", ValidIdModelChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = ValidIdAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", ValidIdModelMultipleChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = ValidIdAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ValidParamsMixin:
    """Malformed ids in URLs: filter parameters and add-page initial values are ignored, not a 500."""

    def get_changelist(self, request, **kwargs):
        """Changelist and export lists ignore filter parameters whose values are malformed ids."""
        return valid_filters_changelist(super().get_changelist(request, **kwargs))

    def get_changeform_initial_data(self, request):
        """``add/?village=abc``: an initial value its field cannot hold is dropped."""
        return valid_initial(self.model, super().get_changeform_initial_data(request))
