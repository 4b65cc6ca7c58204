"""Export and import in the admin through django-import-export, on top of the scoping base.

``ScopedExportMixin``: rows come from the admin's scoped changelist queryset (search and filters
applied), only users who ``may_export`` may export, and every export is logged (both in
core/access.py).
``ScopedImportMixin``: only users who may add and change the model may import; the resource is
bound to the user (scoped lookups, scoped updates) and any bad row rolls the whole file back.
Put these mixins before ``ScopedModelAdmin`` in the class bases.
"""

from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from import_export.admin import ExportMixin, ImportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import SelectableFieldsExportForm

from core.access import AccessAction, may_export, record_access


def changelist_filters(request):
    """The changelist GET parameters as a plain dict (single values unwrapped)."""
    return {key: values[0] if len(values) == 1 else values for key, values in request.GET.lists()}


class ChineseExportForm(SelectableFieldsExportForm):
    """The column checkboxes are labelled with the Chinese column headers only."""

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        return str(field.column_name) if field is not None else field_name


class ScopedExportMixin(ExportMixin):
    export_formats = [XLSX, CSV]
    export_form_class = ChineseExportForm

    def has_export_permission(self, request):
        return may_export(request.user) and self.has_view_permission(request)

    def get_export_resource_kwargs(self, request, **kwargs):
        return {**super().get_export_resource_kwargs(request, **kwargs), "user": request.user}

    def get_export_queryset(self, request):
        """Filter parameters the changelist would refuse export nothing (with a message), not a 500."""
        try:
            return super().get_export_queryset(request)
        except IncorrectLookupParameters:
            messages.error(request, "筛选条件无效，未导出任何记录。请回到列表页重新筛选后再导出。")
            return self.get_queryset(request).none()

    def get_valid_export_item_pks(self, request):
        return self.get_queryset(request).values_list("pk", flat=True)

    def get_data_for_export(self, request, queryset, **kwargs):
        dataset = super().get_data_for_export(request, queryset, **kwargs)
        record_access(
            request=request,
            action=AccessAction.EXPORT,
            model=self.model,
            filters=changelist_filters(request),
            row_count=len(dataset),
        )
        return dataset


class ScopedImportMixin(ImportMixin):
    import_formats = [XLSX]

    def has_import_permission(self, request):
        opts = self.opts
        user = request.user
        return user.has_perm(f"{opts.app_label}.add_{opts.model_name}") and user.has_perm(
            f"{opts.app_label}.change_{opts.model_name}"
        )

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "user": request.user}

    def get_import_data_kwargs(self, **kwargs):
        # All or nothing, also on the confirm step: one invalid row rolls the whole file back.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}


class ScopedImportExportMixin(ScopedImportMixin, ScopedExportMixin):
    import_export_change_list_template = "admin/import_export/change_list_import_export.html"
