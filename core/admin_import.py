"""Spreadsheet import pages for a model admin: upload, template, preview, confirm, marked errors.

``SheetImportMixin`` needs ``sheet_importer`` (a ``SheetImporter``: the app's columns,
instructions and its ``preview``/``confirm`` functions, which take (path, file name, user) and
return an outcome). Only users who may add and change the model import. The upload is stored
under the uploader's own folder (``core.importing.files``): another user's token is a 404. The
preview writes nothing and holds no lock; the confirm reports exactly what was committed, or the
refusal. A committed import is logged (access log: 导入数据, the file's name and counts); downloading
the marked copy (it holds full numbers) is logged as an export.
"""

from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from core.access import AccessAction, record_access
from core.admin_import_jobs import PHASES, finish_confirm, interrupted, page_data, rows_done, start_job
from core.client_ip import client_ip
from core.importing import files
from core.importing.report import marked_workbook, template_workbook
from core.importing.sheet import sheet_height

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOT_FOUND = "没有找到该上传文件：它可能已过期、已导入，或不是您上传的。请重新上传。"
REFUSED = "文件中有问题的行，未导入任何数据。"


@dataclass(frozen=True)
class SheetImporter:
    title: str  # what is imported, e.g. "户和家庭成员"
    columns: list
    instructions: list
    preview: object  # (path, name, user) -> outcome
    confirm: object  # (path, name, user) -> outcome
    describe: object  # outcome -> (headers, rows) for the preview table, numbers masked
    summary: object  # counts -> a Chinese sentence
    rows_title: str = "将要写入的数据"  # the preview table's heading
    row_unit: str = "行"  # what one preview row is: 户, 人


def xlsx_response(content, filename):
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


class SheetImportMixin:
    sheet_importer = None
    import_export_change_list_template = "admin/import_export/change_list_import_export.html"

    def has_import_permission(self, request):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.add_{opts.model_name}") and request.user.has_perm(
            f"{opts.app_label}.change_{opts.model_name}"
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "has_import_permission": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name=f"{prefix}_import"),
            path("import/template/", wrap(self.import_template_view), name=f"{prefix}_import_template"),
            path("import/<str:token>/", wrap(self.import_preview_view), name=f"{prefix}_import_preview"),
            path("import/<str:token>/errors/", wrap(self.import_errors_view), name=f"{prefix}_import_errors"),
            path("import/<str:token>/job/", wrap(self.import_job_view), name=f"{prefix}_import_job"),
            *super().get_urls(),
        ]

    def _url(self, name, *args):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}", args=args)

    def _check(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied

    def _context(self, request, **extra):
        importer = self.sheet_importer
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"导入{importer.title}",
            "importer": importer,
            "template_url": self._url("import_template"),
            **extra,
        }

    def import_view(self, request):
        self._check(request)
        if request.method == "POST":
            uploaded = request.FILES.get("import_file")
            if uploaded is None:
                messages.error(request, "请选择要导入的 .xlsx 文件。")
            else:
                try:
                    token, path = files.store_upload(request.user, uploaded)
                except files.ImportRefused as error:
                    messages.error(request, str(error))
                else:
                    request.session[f"import-name-{token}"] = uploaded.name[:200]
                    request.session[f"import-rows-{token}"] = sheet_height(path, uploaded.name)
                    return redirect(self._url("import_preview", token))
        return TemplateResponse(request, "admin/import_sheet/upload.html", self._context(request))

    def import_template_view(self, request):
        self._check(request)
        importer = self.sheet_importer
        content = template_workbook(importer.title, importer.columns, importer.instructions)
        return xlsx_response(content, f"{importer.title}导入模板.xlsx")

    def _upload(self, request, token):
        self._check(request)
        upload = files.upload_path(request.user, token)
        if upload is None:
            raise Http404(NOT_FOUND)
        return upload, self._name(request, token)

    def _name(self, request, token):
        return request.session.get(f"import-name-{token}", "upload.xlsx")

    def _large(self, request, token):
        return request.session.get(f"import-rows-{token}", 0) > settings.IMPORT_JOB_ROWS

    def _start_job(self, request, token, step):
        """Queue the preview or confirm of a large upload; its page follows it."""
        name, ip = self._name(request, token), client_ip(request)
        start_job(request.user, token, model=self.opts.label, step=step, name=name, ip=ip)
        return redirect(self._url("import_job", token))

    def import_preview_view(self, request, token):
        if request.method == "POST" and "confirm" in request.POST:
            return self._confirm(request, token)
        upload, name = self._upload(request, token)
        if self._large(request, token):
            return self._start_job(request, token, "preview")
        outcome = self.sheet_importer.preview(upload, name, request.user)
        return self._page(request, token, name, page_data(self.sheet_importer, outcome), outcome=outcome)

    def _confirm(self, request, token):
        """Claim the upload (a second confirm of it at the same time is refused), then confirm it."""
        self._check(request)
        claimed = files.claim_upload(request.user, token)
        if claimed is None:
            if not files.is_claimed(request.user, token):
                raise Http404(NOT_FOUND)
            messages.error(request, "该文件正在导入中，请勿重复确认；未重复导入任何数据。")
            return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
        if self._large(request, token):
            return self._start_job(request, token, "confirm")
        name = self._name(request, token)
        try:
            outcome = self.sheet_importer.confirm(claimed, name, request.user)
        except BaseException:
            files.release_upload(request.user, token)
            raise
        finish_confirm(request, self.model, token, name, outcome)
        if outcome.committed:
            messages.success(request, f"导入完成：{self.sheet_importer.summary(outcome.counts)}")
            return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
        messages.error(request, outcome.refusal or REFUSED)
        return self._page(request, token, name, page_data(self.sheet_importer, outcome), outcome=outcome)

    def _page(self, request, token, name, page, **extra):
        context = self._context(
            request,
            token=token,
            file_name=name,
            **page,
            preview_url=self._url("import_preview", token),
            errors_url=self._url("import_errors", token),
            **extra,
        )
        return TemplateResponse(request, "admin/import_sheet/preview.html", context)

    def import_job_view(self, request, token):
        """A large import's status, then its page; the state lives in the uploader's folder: only they see it."""
        self._check(request)
        state = files.load_job(request.user, token)
        if state is None:
            raise Http404(NOT_FOUND)
        name = self._name(request, token)
        state = interrupted(request, self.model, token, name, state)
        if state["status"] == "done":
            return self._page(request, token, name, state["page"], step=state["step"])
        context = self._context(
            request,
            file_name=name,
            state=state,
            phase=PHASES.get(state.get("phase"), ""),
            running=state["status"] in ("queued", "running"),
            preview_url=self._url("import_preview", token),
            rows_done=rows_done(state),
        )
        return TemplateResponse(request, "admin/import_sheet/job.html", context)

    def import_errors_view(self, request, token):
        """The copy of the file with its faults marked: a large import's job made it; a small one is made now."""
        if self._large(request, token):
            return self._marked_by_job(request, token)
        upload, name = self._upload(request, token)
        outcome = self.sheet_importer.preview(upload, name, request.user)
        if outcome.sheet is None:
            raise Http404(outcome.refusal)
        header_row = outcome.header.row if outcome.header else 0
        content = marked_workbook(outcome.sheet, header_row, outcome.errors)
        record_access(
            request=request,
            action=AccessAction.EXPORT,
            model=self.model,
            filters={"导入文件": name, "标注错误": len(outcome.errors)},
            row_count=len(outcome.sheet.rows),
        )
        return xlsx_response(content, "错误标注_" + name.rsplit("/", 1)[-1])

    def _marked_by_job(self, request, token):
        self._check(request)
        marked, state = files.marked_path(request.user, token), files.load_job(request.user, token)
        if marked is None or state is None:
            raise Http404("没有找到标注了问题的文件：它可能已过期，或检查尚未完成。请重新上传。")
        name, info = self._name(request, token), state.get("marked") or {}
        record_access(
            request=request,
            action=AccessAction.EXPORT,
            model=self.model,
            filters={"导入文件": name, "标注错误": info.get("errors", 0)},
            row_count=info.get("rows", 0),
        )
        response = FileResponse(marked.open("rb"), as_attachment=True, content_type=XLSX_TYPE)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('错误标注_' + name.rsplit('/', 1)[-1])}"
        return response
