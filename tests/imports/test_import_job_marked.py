"""A large import's marked copy: its preview job writes it to the uploader's folder; the download serves it."""

import dataclasses
import io
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.test import override_settings
from openpyxl import load_workbook

from accounts.models import AccessLog
from core.importing import files
from households.models import Household
from tests.imports.helpers import HEADER, run_queued, url, xlsx_file
from tests.imports.test_import_jobs import start

FAULTY = [
    HEADER,
    ["M1", "虎溪村", "", "好人", "户主", "", "", "", ""],
    ["M2", "虎溪村", "", "坏电话", "户主", "", "12345", "", ""],
    ["M3", "虎溪村", "", "也好", "户主", "", "", "", ""],
    ["M4", "虎溪村", "", "还好", "户主", "", "", "", ""],
]


@pytest.fixture
def no_preview_in_request(monkeypatch):
    """After the job, a preview in the request would fail the test."""
    model_admin = admin.site.get_model_admin(Household)

    def refuse(*args, **kwargs):
        raise AssertionError("the download re-ran the preview")

    def forbid():
        importer = dataclasses.replace(model_admin.sheet_importer, preview=refuse)
        monkeypatch.setattr(model_admin, "sheet_importer", importer)

    return forbid


def test_the_preview_job_writes_the_marked_copy_and_the_download_serves_it(
    client,
    cast,
    jobs_at_once,
    no_preview_in_request,
):
    user = cast.users["village"]
    client.force_login(user)
    token, page = start(client, xlsx_file(FAULTY))
    assert page.context["error_count"] == 1 and url("import_errors", token) in page.content.decode()
    assert files.marked_path(user, token) is not None
    no_preview_in_request()
    response = client.get(url("import_errors", token))
    assert response.status_code == 200 and quote("错误标注_花名册") in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.cell(1, len(HEADER) + 1).value == "错误原因"
    assert sheet.cell(3, len(HEADER) + 1).value.startswith("联系电话：电话号码格式不正确")
    assert sheet.cell(3, 7).fill.fgColor.rgb.endswith("FFC7CE") and sheet.cell(2, 7).fill.fill_type is None
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT, model_label="households.Household")
    assert log.row_count == len(FAULTY) and log.user == user


@pytest.mark.parametrize("other", ["township", "superuser"])
def test_only_the_uploader_downloads_the_jobs_marked_copy(client, cast, jobs_at_once, other):
    client.force_login(cast.users["village"])
    token, _page = start(client, xlsx_file(FAULTY))
    client.force_login(cast.users[other])
    assert client.get(url("import_errors", token)).status_code == 404
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


def test_a_faultless_large_preview_has_no_marked_copy(client, cast, jobs_at_once):
    user = cast.users["village"]
    client.force_login(user)
    token, page = start(client, xlsx_file([row for row in FAULTY if row[3] != "坏电话"]))
    assert page.context["error_count"] == 0 and files.marked_path(user, token) is None
    assert client.get(url("import_errors", token)).status_code == 404


def test_a_new_run_drops_the_last_runs_marked_copy_until_it_makes_its_own(client, cast):
    user = cast.users["village"]
    client.force_login(user)
    with override_settings(IMPORT_JOB_ROWS=3):  # the database backend: queued until a worker runs it
        token, _page = start(client, xlsx_file(FAULTY))
        run_queued()
        assert files.marked_path(user, token) is not None
        client.get(url("import_preview", token))  # checked again: a new job
        assert files.marked_path(user, token) is None
        assert client.get(url("import_errors", token)).status_code == 404
        run_queued()
        assert files.marked_path(user, token) is not None
        assert client.get(url("import_errors", token)).status_code == 200
