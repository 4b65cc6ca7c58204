"""Building messy .xlsx files and driving the import pages."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

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
