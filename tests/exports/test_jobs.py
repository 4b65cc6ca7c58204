"""Large ledgers run as background jobs: queued, logged, followed on 我的导出, for the requester only, expiring."""

import datetime
import io

import openpyxl
import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import AccessLog
from exports.models import ExportJob
from exports.services import purge_expired, run_export
from households.models import Household
from tests.exports.test_ledgers import post_export
from tests.factories import user_for

MY_EXPORTS = reverse("exports:my_exports")


@pytest.fixture
def small_threshold(tmp_path):
    with override_settings(EXPORT_BACKGROUND_ROWS=1, EXPORT_ROOT=tmp_path):
        yield tmp_path


def ask(client, cast, user="township"):
    client.force_login(cast.users[user])
    response = post_export(client, Household, ["id", "head_name", "phone"], params="?o=1")
    assert response.status_code == 302 and response["Location"] == MY_EXPORTS
    return ExportJob.objects.get()


def test_a_large_export_is_queued_logged_and_runs(client, cast, small_threshold, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = ask(client, cast)
    assert DBTaskResult.objects.get().args_kwargs == {"args": [job.pk], "kwargs": {}}  # queued in the database
    expected = Household.objects.restrict(cast.users["township"]).count()
    assert (job.status, job.total, job.ledger_name) == (ExportJob.Status.QUEUED, expected, "户台账")
    log = AccessLog.objects.get()
    assert log.row_count == expected and log.filters == {"o": "1"}
    page = client.get(MY_EXPORTS).content.decode()
    assert "排队中" in page and 'http-equiv="refresh"' in page and "<progress" in page
    run_export(job.pk)  # what the worker runs
    job.refresh_from_db()
    assert (job.status, job.done, job.percent) == (ExportJob.Status.DONE, expected, 100)
    page = client.get(MY_EXPORTS).content.decode()
    download = reverse("exports:download", args=[job.pk])
    assert download in page and 'http-equiv="refresh"' not in page
    response = client.get(download)
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book["户台账"].iter_rows(values_only=True))
    assert rows[0] == ("编号", "户主姓名", "联系电话")
    scope = Household.objects.restrict(cast.users["township"])
    assert {r[0] for r in rows[1:]} == set(scope.values_list("pk", flat=True))
    assert all("****" in r[2] for r in rows[1:] if r[2])


def test_the_task_runs_the_job_through_the_task_backend(
    client, cast, small_threshold, django_capture_on_commit_callbacks
):
    immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with override_settings(TASKS=immediate), django_capture_on_commit_callbacks(execute=True):
        job = ask(client, cast, "village")
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.path.exists()


@pytest.mark.parametrize("other", ["township", "superuser", "same_unit"])
def test_only_the_requester_downloads(client, cast, small_threshold, other):
    job = ask(client, cast, "village")
    run_export(job.pk)
    other_user = user_for(cast.branches[0].village, username="colleague") if other == "same_unit" else cast.users[other]
    client.force_login(other_user)
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404
    assert job.filename not in client.get(MY_EXPORTS).content.decode()


def test_files_expire(client, cast, small_threshold):
    job = ask(client, cast)
    run_export(job.pk)
    job.refresh_from_db()
    assert job.path.exists()
    assert purge_expired(now=timezone.now()) == 0
    assert purge_expired(now=job.expires_at + datetime.timedelta(seconds=1)) == 1
    job.refresh_from_db()
    assert job.status == ExportJob.Status.EXPIRED and not job.path.exists()
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404
    assert "已过期" in client.get(MY_EXPORTS).content.decode()


def test_small_exports_download_at_once(client, cast, tmp_path):
    client.force_login(cast.users["township"])
    with override_settings(EXPORT_ROOT=tmp_path):
        response = post_export(client, Household, ["id"])
    assert response.status_code == 200 and not ExportJob.objects.exists()


def test_my_exports_needs_a_staff_login(client):
    assert client.get(MY_EXPORTS).status_code == 302
