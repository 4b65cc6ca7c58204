"""Large imports run as background jobs: a status page, then the exact preview or result, for the uploader only."""

import pytest
from auditlog.models import LogEntry
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from accounts.models import AccessLog
from core.importing import files
from core.jobs import RUNNERS
from governance.models import Person, Posting
from households.models import Household
from tests.factories import PersonFactory, PostingFactory
from tests.imports import test_import_roster as roster
from tests.imports.helpers import url, xlsx_file
from tests.imports.test_import_households import good_rows


def start(client, file, url=url):
    """Upload; the preview of a large file is a job: returns the job page the preview redirects to."""
    preview = client.get(client.post(url("import"), {"import_file": file})["Location"])
    assert preview.status_code == 302, preview.content.decode()[:2000]
    token = preview["Location"].split("/")[-3]
    assert preview["Location"] == url("import_job", token)
    return token, client.get(preview["Location"])


def test_a_large_household_import_previews_and_confirms_as_jobs(client, cast, jobs_at_once):
    user = cast.users["village"]
    client.force_login(user)
    rows, _ids = good_rows(cast)
    token, page = start(client, xlsx_file(rows))
    html = page.content.decode()
    assert "预览：户：新增2户" in html and "新增3人" in html and "138****1111" in html
    assert f'action="{url("import_preview", token)}"' in html and not Household.objects.filter(household_number="H001")
    done = client.post(url("import_preview", token), {"confirm": "1"})
    assert done.status_code == 302 and done["Location"] == url("import_job", token)
    html = client.get(done["Location"]).content.decode()
    assert "导入完成：户：新增2户，修改0户，不变0户；居民：新增3人，修改0人，不变0人。" in html
    assert Household.objects.filter(household_number__in=["H001", "H002"]).count() == 2
    created = LogEntry.objects.filter(action=LogEntry.Action.CREATE, object_repr__in=["赵大户", "孙二户", "钱氏"])
    assert created.count() == 3 and {e.actor for e in created} == {user}
    log = AccessLog.objects.get(action="import")
    assert (log.user, log.model_label, log.row_count) == (user, "households.Household", 3)
    assert files.upload_path(user, token) is None and files.claimed_path(user, token) is None


def test_a_refused_confirm_job_shows_the_rows_and_reasons_and_writes_nothing(client, cast, jobs_at_once):
    b0 = cast.branches[0]
    client.force_login(cast.users["village"])
    token, page = start(client, xlsx_file(roster.good_rows()), url=roster.url)
    assert "预览：人员：新增3人" in page.content.decode()
    PostingFactory(unit=b0.neighborhood, person=PersonFactory(village=b0.village, name="抢先"))
    before, people = roster.snapshot(), Person.objects.count()
    done = client.post(roster.url("import_preview", token), {"confirm": "1"})
    page = client.get(done["Location"])
    html = page.content.decode()
    assert "导入完成" not in html and 'name="confirm"' not in html
    assert [7, "职务", "虎溪村一邻已有在任邻长“抢先”，请先在系统中办理其离任后再导入。"] in page.context["errors"]
    assert (roster.snapshot(), Person.objects.count()) == (before, people)
    assert not AccessLog.objects.filter(action="import").exists()
    assert files.upload_path(cast.users["village"], token) is not None  # given back: the marked copy still downloads
    assert client.get(roster.url("import_errors", token)).status_code == 200


def test_the_job_is_queued_and_its_page_follows_it(client, cast):
    client.force_login(cast.users["village"])
    rows, _ids = good_rows(cast)
    with override_settings(IMPORT_JOB_ROWS=3):  # the database backend: queued until a worker runs it
        token, page = start(client, xlsx_file(rows))
    html = page.content.decode()
    assert "正在后台检查和预览" in html and "排队等待中" in html and 'http-equiv="refresh"' in html
    task = DBTaskResult.objects.get()
    kind, params = task.args_kwargs["args"]
    assert kind == "import" and params["step"] == "preview" and params["token"] == token
    RUNNERS[kind](**params)  # what the worker runs
    html = client.get(url("import_job", token)).content.decode()
    assert "预览：户：新增2户" in html and 'http-equiv="refresh"' not in html


@pytest.mark.parametrize("other", ["township", "superuser"])
def test_only_the_uploader_sees_the_job_or_confirms_it(client, cast, jobs_at_once, other):
    client.force_login(cast.users["village"])
    token, _page = start(client, xlsx_file(good_rows(cast)[0]))
    client.force_login(cast.users[other])
    assert client.get(url("import_job", token)).status_code == 404
    assert client.post(url("import_preview", token), {"confirm": "1"}).status_code == 404
    assert not Household.objects.filter(household_number="H001").exists()


def test_a_small_import_stays_in_the_request(client, cast):
    client.force_login(cast.users["village"])
    response = client.post(url("import"), {"import_file": xlsx_file(good_rows(cast)[0])})
    assert client.get(response["Location"]).status_code == 200 and not DBTaskResult.objects.exists()


def test_a_second_confirm_of_an_upload_being_confirmed_is_refused(client, cast):
    user = cast.users["village"]
    client.force_login(user)
    response = client.post(url("import"), {"import_file": xlsx_file(good_rows(cast)[0])})
    token = response["Location"].split("/")[-2]
    assert files.claim_upload(user, token) is not None  # the first confirm holds it
    page = client.post(url("import_preview", token), {"confirm": "1"}, follow=True)
    assert "该文件正在导入中，请勿重复确认；未重复导入任何数据。" in page.content.decode()
    assert not Household.objects.filter(household_number="H001").exists() and not Posting.objects.exists()
