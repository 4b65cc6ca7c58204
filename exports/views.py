"""我的导出: the requester's background exports with their progress, and the download of a finished file."""

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from exports.models import ExportJob
from exports.services import purge_expired

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@staff_member_required
def my_exports(request):
    purge_expired()
    jobs = list(ExportJob.objects.of(request.user)[:50])
    running = any(job.status in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING) for job in jobs)
    context = {**admin.site.each_context(request), "title": "我的导出", "jobs": jobs, "running": running}
    return TemplateResponse(request, "exports/my_exports.html", context)


@staff_member_required
def download(request, pk):
    """Only the requester, only while the file is kept (else 404: another's job does not exist for you)."""
    job = get_object_or_404(ExportJob.objects.of(request.user), pk=pk)
    if not job.is_downloadable() or not job.path.exists():
        raise Http404("该导出文件已过期或尚未完成，请重新导出。")
    return FileResponse(
        open(job.path, "rb"), as_attachment=True, filename=job.filename, content_type=CONTENT_TYPES[job.extension]
    )
