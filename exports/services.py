"""Background ledger exports: queue a job, run it (rebuilding the admin's filtered, scoped rows for
the requester), report progress, keep the file for ``EXPORT_KEEP_HOURS`` and then delete it."""

import datetime

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils import timezone

from core.admin_export import write_ledger
from core.jobs import WRITERS
from exports.models import ExportJob

PROGRESS_EVERY = 5000  # rows between progress updates


def start_export(request, model_admin, spec):
    """Queue the export of ``model_admin``'s ledger with the request's filters; returns 我的导出's URL."""
    from exports.tasks import export_ledger

    job = ExportJob.objects.create(
        user=request.user,
        model_label=model_admin.model._meta.label,
        ledger_name=model_admin.ledger_name(),
        query=request.GET.urlencode(),
        keys=list(spec["keys"]),
        extension=spec["extension"],
        filename=spec["filename"],
        total=spec["total"],
    )
    transaction.on_commit(lambda: export_ledger.enqueue(job.pk))
    return reverse("exports:my_exports")


def start_file_job(request, *, kind, params, filename, title, total=0):
    """Queue a file made by the ``core.jobs`` writer of ``kind``; returns 我的导出's URL."""
    from exports.tasks import export_ledger

    job = ExportJob.objects.create(
        user=request.user, kind=kind, params=params, ledger_name=title, filename=filename,
        extension=filename.rsplit(".", 1)[-1], total=total,
    )  # fmt: skip
    transaction.on_commit(lambda: export_ledger.enqueue(job.pk))
    return reverse("exports:my_exports")


def write_file(job, out, progress):
    """The job's rows written to ``out``: a ledger through its admin, any other kind by its writer."""
    if job.kind != "ledger":
        user = get_user_model().objects.select_related("unit").get(pk=job.user_id)
        return WRITERS[job.kind](out, user, job.params)
    model_admin, queryset = rebuild_queryset(job)
    ledger = model_admin.ledger
    rows = ledger.rows(queryset, job.keys)
    return write_ledger(out, ledger, rows, job.extension, keys=job.keys, progress=progress, every=PROGRESS_EVERY)


def rebuild_queryset(job):
    """The changelist rows the requester saw when asking: their scope, search and filters."""
    model = apps.get_model(job.model_label)
    model_admin = admin.site.get_model_admin(model)
    request = HttpRequest()
    request.method = "GET"
    request.GET = QueryDict(job.query)
    request.user = get_user_model().objects.select_related("unit").get(pk=job.user_id)
    return model_admin, model_admin.get_export_queryset(request)


def run_export(job_id):
    """Write the job's file, updating its progress; a failure is recorded on the job, never lost."""
    purge_expired()
    job = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).first()
    if job is None:
        return
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING)
    settings.EXPORT_ROOT.mkdir(parents=True, exist_ok=True)
    try:

        def progress(done):
            ExportJob.objects.filter(pk=job.pk).update(done=done)

        with open(job.path, "wb") as out:
            done = write_file(job, out, progress)
    except Exception as error:  # any failure is shown to the requester on 我的导出, then re-raised
        job.path.unlink(missing_ok=True)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=f"{type(error).__name__}: {error}"[:500], finished_at=timezone.now()
        )
        raise
    now = timezone.now()
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE,
        done=done,
        total=done,
        finished_at=now,
        expires_at=now + datetime.timedelta(hours=settings.EXPORT_KEEP_HOURS),
    )


def purge_expired(now=None):
    """Delete the files of jobs past their expiry and mark the jobs 已过期; returns how many."""
    now = now or timezone.now()
    expired = list(ExportJob.objects.filter(status=ExportJob.Status.DONE, expires_at__lte=now))
    for job in expired:
        job.path.unlink(missing_ok=True)
    ExportJob.objects.filter(pk__in=[j.pk for j in expired]).update(status=ExportJob.Status.EXPIRED)
    return len(expired)
