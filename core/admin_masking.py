"""Masking of ID numbers and phones in every admin page, and the logged reveal of full values.

``MaskedAdminMixin`` (a base of ScopedModelAdmin) does it centrally:
(a) list_display entries naming a masked field become masked display callables;
(b) change forms render those inputs masked, and a masked value submitted back unchanged keeps
    the stored value (a save never writes asterisks, the browser never gets the full number);
    read-only views (view permission only, readonly fields, inlines) show the masked value;
(c) ``<id>/reveal/`` (POST, CSRF) shows the full values once to a user who manages the
    object's village, and logs it (``core.access.record_access``, REVEAL).
"""

import copy
from urllib.parse import unquote

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from core.access import AccessAction, record_access
from core.admin_inlines import inline_foreign_key
from core.masking import looks_masked, mask_value, personal_fields

REVEAL_ROLES = {"township", "village"}


class MaskedInput(forms.TextInput):
    """Renders the stored value masked; a value the user typed in this request is echoed as typed."""

    stored_value = ""
    model_field = None

    def format_value(self, value):
        value = super().format_value(value)
        if value and self.stored_value and str(value) == str(self.stored_value):
            return mask_value(self.model_field, value)
        return value


class MaskedFormField(forms.CharField):
    """Keeps the stored value when its masked form comes back unchanged."""

    stored_value = ""
    model_field = None

    def to_python(self, value):
        value = super().to_python(value)
        if self.stored_value and value == mask_value(self.model_field, self.stored_value):
            return self.stored_value
        if looks_masked(value):
            raise forms.ValidationError("请填写完整的号码（或不修改带*号的原值）。", code="masked_value")
        return value


class MaskedFormMixin:
    """Gives each masked field and its widget the instance's stored value."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        for name, field in self.fields.items():
            if isinstance(field, MaskedFormField):
                stored = getattr(instance, name, "") if instance is not None and instance.pk else ""
                field.stored_value = field.widget.stored_value = stored or ""


def masked_form_class(form_class):
    if issubclass(form_class, MaskedFormMixin):
        return form_class
    return type(form_class.__name__, (MaskedFormMixin, form_class), {"__module__": form_class.__module__})


def masked_copy(obj):
    """A shallow copy of ``obj`` whose masked fields hold masked values (for read-only display)."""
    if obj is None or obj.pk is None:
        return obj
    fields = personal_fields(type(obj))
    if not fields:
        return obj
    clone = copy.copy(obj)
    for name, field in fields.items():
        setattr(clone, name, mask_value(field, getattr(obj, name, "")))
    return clone


def masked_column(name, model_field):
    def column(obj):
        return mask_value(model_field, getattr(obj, name, ""))

    column.short_description = model_field.verbose_name
    column.admin_order_field = name
    column.__name__ = f"masked_{name}"
    return column


class MaskedFieldsMixin:
    """Form-level masking, shared by model admins and inlines."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is None or db_field.name not in personal_fields(self.model):
            return field
        masked = MaskedFormField(
            required=field.required,
            label=field.label,
            help_text=field.help_text,
            max_length=getattr(field, "max_length", None),
            widget=MaskedInput(attrs=dict(field.widget.attrs)),
        )
        masked.model_field = masked.widget.model_field = db_field
        return masked


def mask_admin_form_instances(context):
    """Read-only fields are drawn from ``form.instance``: point every form at a masked copy."""
    forms_to_mask = [context["adminform"].form] if "adminform" in context else []
    for inline_formset in context.get("inline_admin_formsets", []):
        forms_to_mask.extend(inline_formset.formset.forms)
    for form in forms_to_mask:
        form.instance = masked_copy(form.instance)


def village_of(obj):
    """The village an object with personal data belongs to (None when it has none)."""
    for attr in ("village", "household"):
        related = getattr(obj, attr, None)
        if related is None:
            continue
        return related if attr == "village" else village_of(related)
    return None


def has_values(reveal_rows):
    """Whether any row of ``MaskedAdminMixin._reveal_fields`` holds a stored number."""
    return any(values for _label, values in reveal_rows)


def can_reveal(user, obj):
    """Superusers, and township or village staff whose unit contains the object's village."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    village = village_of(obj)
    unit = getattr(user, "unit", None)
    if village is None or unit is None or user.role not in REVEAL_ROLES:
        return False
    return village.path.startswith(unit.path)


class MaskedAdminMixin(MaskedFieldsMixin):
    """For ModelAdmins: masked columns, masked change forms, and the logged reveal view."""

    reveal_template = "admin/reveal.html"

    def get_list_display(self, request):
        fields = personal_fields(self.model)
        # list_editable columns stay fields (their masked inputs come from the changelist form)
        editable = set(self.list_editable) if self.list_editable and self.has_change_permission(request) else set()
        result = []
        for item in super().get_list_display(request):
            masked = isinstance(item, str) and item in fields and item not in editable
            result.append(masked_column(item, fields[item]) if masked else item)
        return result

    def get_list_display_links(self, request, list_display):
        """Links naming a masked field point at its masked column."""
        links = super().get_list_display_links(request, list_display)
        if not links:
            return links
        columns = {getattr(item, "__name__", ""): item for item in list_display if callable(item)}
        return [columns.get(f"masked_{link}", link) if isinstance(link, str) else link for link in links]

    def get_form(self, request, obj=None, **kwargs):
        return masked_form_class(super().get_form(request, obj, **kwargs))

    def get_changelist_form(self, request, **kwargs):
        """list_editable rows: the same masked inputs as the change form."""
        return masked_form_class(super().get_changelist_form(request, **kwargs))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        mask_admin_form_instances(context)
        if change and obj is not None and self._offers_reveal(request, obj):
            opts = self.opts
            context["reveal_url"] = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_reveal", args=[obj.pk], current_app=self.admin_site.name
            )
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def get_urls(self):
        opts = self.opts
        reveal = path(
            "<path:object_id>/reveal/",
            self.admin_site.admin_view(require_POST(self.reveal_view)),
            name=f"{opts.app_label}_{opts.model_name}_reveal",
        )
        return [reveal, *super().get_urls()]

    def _offers_reveal(self, request, obj):
        """Show the reveal button only when the user may reveal and there is a number to reveal."""
        return has_values(self._reveal_fields(request, obj))

    def _reveal_fields(self, request, obj):
        """Masked fields of the object and of its inline rows, if the user may reveal them."""
        if not can_reveal(request.user, obj):
            return []
        rows = []
        own = personal_fields(type(obj))
        if own:
            rows.append((obj, own))
        for inline in self.get_inline_instances(request, obj):
            fields = personal_fields(inline.model)
            if not fields:
                continue
            fk = inline_foreign_key(type(obj), inline)
            for child in inline.get_queryset(request).filter(**{fk.name: obj}):
                rows.append((child, fields))
        return [
            (
                str(item),
                [(field.verbose_name, getattr(item, name)) for name, field in fields.items() if getattr(item, name)],
            )
            for item, fields in rows
        ]

    def reveal_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))  # 404 when missing or out of scope
        if not self.has_view_or_change_permission(request, obj) or not can_reveal(request.user, obj):
            raise PermissionDenied("只有管理该村/社区的乡镇、村干部可以查看完整号码。")
        rows = self._reveal_fields(request, obj)
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[obj.pk],
            current_app=self.admin_site.name,
        )
        if not has_values(rows):
            # Nothing whole to show: no access-log row for an empty reveal.
            messages.info(request, "该记录没有登记证件号码或电话，无需显示完整号码。")
            return HttpResponseRedirect(change_url)
        record_access(request=request, action=AccessAction.REVEAL, obj=obj)
        context = {
            **self.admin_site.each_context(request),
            "title": f"完整号码：{obj}",
            "opts": self.opts,
            "object": obj,
            "rows": rows,
            "change_url": change_url,
        }
        return TemplateResponse(request, self.reveal_template, context)


class MaskedInlineMixin(MaskedFieldsMixin):
    """For inlines: masked form inputs (read-only rows are masked by the parent admin)."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = masked_form_class(formset.form)
        return formset
