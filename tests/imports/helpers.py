"""Building messy .xlsx files and driving the import pages."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook

from core.jobs import RUNNERS
from households.models import Household

HEADER = ["户号", "村/社区", "邻", "姓名", "与户主关系", "身份证号", "联系电话", "住址", "特殊群体类别"]


def workbook_bytes(rows, title="Sheet1", merges=(), setup=None):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for merge in merges:
        sheet.merge_cells(merge)
    if setup:
        setup(workbook, sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_file(rows, name="花名册.xlsx", **kwargs):
    return SimpleUploadedFile(name, workbook_bytes(rows, **kwargs), "application/octet-stream")


def url(name, *args):
    return reverse(f"admin:households_household_{name}", args=args)


def upload(client, file):
    """Upload and follow to the preview page; returns the preview response."""
    response = client.post(url("import"), {"import_file": file})
    if response.status_code != 302:
        return response
    return client.get(response["Location"])


def token_of(response):
    return response.context["token"]


def confirm(client, response):
    return client.post(url("import_preview", token_of(response)), {"confirm": "1"}, follow=True)


def household_snapshot():
    return sorted(
        Household.objects.values_list("pk", "village_id", "neighborhood_id", "head_name", "household_number", "phone")
    )


def run_queued():
    """What the worker does: run the queued jobs, oldest first; returns how many ran."""
    queued = list(DBTaskResult.objects.filter(status=TaskResultStatus.READY).order_by("enqueued_at"))
    for task in queued:
        kind, params = task.args_kwargs["args"]
        RUNNERS[kind](**params)
        DBTaskResult.objects.filter(pk=task.pk).update(status=TaskResultStatus.SUCCESSFUL)
    return len(queued)
