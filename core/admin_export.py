"""Export and import in the admin through django-import-export, on top of the scoping base.

``ScopedExportMixin``: rows come from the admin's scoped changelist queryset (search and filters
applied), only users who ``may_export`` may export, and every export is logged (both in
core/access.py). An admin with a ``ledger`` (core/ledger.py) streams it: one query, a streaming
writer; more than ``settings.EXPORT_BACKGROUND_ROWS`` rows go to the background job runner that
the page layer registers (``register_background_export``), which the user follows on 我的导出.
Files are named 单位-台账-日期, the sheet for the ledger.
``ScopedImportMixin``: only users who may add and change the model may import; the resource is
bound to the user (scoped lookups, scoped updates) and any bad row rolls the whole file back.
Put these mixins before ``ScopedModelAdmin`` in the class bases.
"""

import io

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import content_disposition_header
from import_export.admin import ExportMixin, ImportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import SelectableFieldsExportForm

from core.access import AccessAction, may_export, record_access
from core.ledger import write_csv, write_xlsx

BACKGROUND = {}  # "start": the job runner registered by the page layer (see register_background_export)


def register_background_export(start):
    """The page layer's ``start(request, model_admin, ledger_request) -> redirect URL`` for large exports."""
    BACKGROUND["start"] = start


def export_filename(user, ledger_name, extension, today=None):
    """单位-台账-日期: 岭头村-户台账-20261130.xlsx (everything for a superuser without a unit: 全部)."""
    unit = getattr(user, "unit", None)
    today = today or timezone.localdate()
    return f"{unit.name if unit is not None else '全部'}-{ledger_name}-{today:%Y%m%d}.{extension}"


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
    ledger = None  # a core.ledger.Ledger: streamed in one query instead of the resource's rows

    def ledger_name(self):
        return self.ledger.name if self.ledger is not None else f"{self.opts.verbose_name}台账"

    def get_export_filename(self, request, queryset, file_format):
        return export_filename(request.user, self.ledger_name(), file_format.get_extension())

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
        dataset.title = self.ledger_name()
        return dataset

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        """The ledger streamed (in the request when small, as a job when large); files named in Chinese."""
        filename = self.get_export_filename(request, queryset, file_format)
        if self.ledger is None:
            response = super()._do_file_export(file_format, request, queryset, export_form=export_form)
            response["Content-Disposition"] = content_disposition_header(True, filename)
            return response
        if not self.has_export_permission(request):
            raise PermissionDenied
        keys = self.get_export_resource_fields_from_form(export_form) or []
        extension = file_format.get_extension()
        total = queryset.count()
        record_access(
            request=request,
            action=AccessAction.EXPORT,
            model=self.model,
            filters=changelist_filters(request),
            row_count=total,
        )
        start = BACKGROUND.get("start")
        if total > settings.EXPORT_BACKGROUND_ROWS and start is not None:
            url = start(request, self, {"keys": keys, "extension": extension, "filename": filename, "total": total})
            messages.success(request, f"共 {total} 行，已转入后台导出；完成后请在“我的导出”下载。")
            return redirect(url)
        buffer = io.BytesIO()
        write_ledger(buffer, self.ledger, self.ledger.rows(queryset, keys), extension, keys=keys)
        response = HttpResponse(buffer.getvalue(), content_type=file_format.get_content_type())
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response


def write_ledger(out, ledger, rows, extension, **kwargs):
    """Write ``rows`` of ``ledger`` as xlsx or csv (by the file extension); returns the row count."""
    writer = write_csv if extension == "csv" else write_xlsx
    return writer(out, ledger, rows, **kwargs)


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
