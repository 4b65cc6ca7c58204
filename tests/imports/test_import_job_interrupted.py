"""A job whose worker died: after IMPORT_JOB_STALE_SECONDS without a heartbeat its page says so, gives the
upload back and lets the user start again; a late or slow job then stops before committing anything."""

import dataclasses
import time

import pytest
import time_machine
from django.contrib import admin
from django.test import override_settings

from accounts.models import AccessLog
from core.importing import files, sheet
from households.imports import service
from households.models import Household
from tests.imports.helpers import run_queued, url, xlsx_file
from tests.imports.test_import_households import good_rows
from tests.imports.test_import_jobs import start

LATER = 11 * 60  # past the default IMPORT_JOB_STALE_SECONDS (600)


@pytest.fixture
def large():
    with override_settings(IMPORT_JOB_ROWS=3):  # the database backend: a job waits for a worker (run_queued)
        yield


def previewed(client, cast):
    """A large upload previewed by a job; returns (user, token)."""
    user = cast.users["village"]
    client.force_login(user)
    token, _page = start(client, xlsx_file(good_rows(cast)[0]))
    run_queued()
    assert "预览：户：新增2户" in client.get(url("import_job", token)).content.decode()
    return user, token


def test_a_queued_preview_no_worker_runs_is_declared_interrupted_and_can_be_checked_again(client, cast, large):
    client.force_login(cast.users["village"])
    token, page = start(client, xlsx_file(good_rows(cast)[0]))
    with time_machine.travel(time.time() + 5 * 60, tick=False):
        assert 'http-equiv="refresh"' in client.get(url("import_job", token)).content.decode()
    with time_machine.travel(time.time() + LATER, tick=False):
        html = client.get(url("import_job", token)).content.decode()
    assert "后台任务超过10分钟仍未开始" in html and "检查和预览不写入任何数据" in html
    assert 'http-equiv="refresh"' not in html and f'href="{url("import_preview", token)}"' in html
    run_queued()  # the worker comes back: the old attempt does nothing
    assert files.load_job(cast.users["village"], token)["status"] == "interrupted"
    assert client.get(url("import_preview", token))["Location"] == url("import_job", token)  # 重新检查
    run_queued()
    assert "预览：户：新增2户" in client.get(url("import_job", token)).content.decode()


def test_a_confirm_whose_worker_died_wrote_nothing_gives_the_upload_back_and_can_be_confirmed_again(
    client, cast, large, monkeypatch
):
    user, token = previewed(client, cast)
    client.post(url("import_preview", token), {"confirm": "1"})
    assert files.upload_path(user, token) is None  # claimed by the confirm

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # the worker dies: no except clause of the job runs

    with monkeypatch.context() as patch:
        patch.setattr(service, "parse", killed)
        with pytest.raises(KeyboardInterrupt):
            run_queued()
    state = files.load_job(user, token)
    assert (state["status"], state["phase"]) == ("running", "check")
    with time_machine.travel(time.time() + 5 * 60, tick=False):
        assert "正在逐行检查" in client.get(url("import_job", token)).content.decode()
    assert files.upload_path(user, token) is None  # still claimed until the page gives up on the job
    with time_machine.travel(time.time() + LATER, tick=False):
        html = client.get(url("import_job", token)).content.decode()
    assert "后台任务超过10分钟没有进展，已中断" in html and "本次未写入任何数据" in html
    assert 'value="重新确认导入"' in html and 'http-equiv="refresh"' not in html
    assert files.upload_path(user, token) is not None and not Household.objects.filter(household_number="H001")
    done = client.post(url("import_preview", token), {"confirm": "1"})  # 重新确认导入
    assert done["Location"] == url("import_job", token)
    run_queued()
    assert "导入完成：户：新增2户" in client.get(url("import_job", token)).content.decode()
    assert Household.objects.filter(household_number__in=["H001", "H002"]).count() == 2


def test_a_slow_confirm_declared_interrupted_stops_before_committing(client, cast, large, monkeypatch):
    """What the page said (nothing written) stays true: the job checks its attempt inside its transaction."""
    user, token = previewed(client, cast)
    client.post(url("import_preview", token), {"confirm": "1"})
    write = service.FLOW.write

    def slow_write(items):
        counts = write(items)
        with time_machine.travel(time.time() + LATER, tick=False):  # meanwhile the user looks at the page
            assert "已中断" in client.get(url("import_job", token)).content.decode()
        return counts

    model_admin = admin.site.get_model_admin(Household)
    confirm = dataclasses.replace(service.FLOW, write=slow_write).confirm
    monkeypatch.setattr(model_admin, "sheet_importer", dataclasses.replace(model_admin.sheet_importer, confirm=confirm))
    run_queued()
    assert not Household.objects.filter(household_number__in=["H001", "H002"]).exists()
    assert files.load_job(user, token)["status"] == "interrupted" and files.upload_path(user, token) is not None
    assert not AccessLog.objects.filter(action="import").exists()


def test_a_job_interrupted_after_its_commit_says_what_was_written(client, cast, large):
    user, token = previewed(client, cast)
    client.post(url("import_preview", token), {"confirm": "1"})
    state = files.load_job(user, token)
    summary = "户：新增2户，修改0户，不变0户；居民：新增3人，修改0人，不变0人。"
    files.save_job(user, token, {**state, "status": "running", "phase": "committed", "summary": summary})
    with time_machine.travel(time.time() + LATER, tick=False):
        html = client.get(url("import_job", token)).content.decode()
    assert "但数据已在中断前全部写入：" + summary in html and 'value="重新确认导入"' not in html
    assert files.claimed_path(user, token) is None and files.upload_path(user, token) is None
    assert AccessLog.objects.filter(action="import", user=user).count() == 1


def test_the_state_carries_the_rows_checked_and_the_page_shows_them(client, cast, large, monkeypatch):
    user = cast.users["village"]
    client.force_login(user)
    rows = good_rows(cast)[0]
    rows += [[f"P{n}", "虎溪村", "", f"户主{n}", "户主", "", "", "", ""] for n in range(5)]
    token, _page = start(client, xlsx_file(rows))
    monkeypatch.setattr(sheet, "PROGRESS_ROWS", 2)
    seen = []
    save = files.save_job
    monkeypatch.setattr(files, "save_job", lambda u, t, state: seen.append(state) or save(u, t, state))
    run_queued()
    checked = [(s["done"], s["total"]) for s in seen if s.get("phase") == "check" and "total" in s]
    assert checked == [(0, 8), (2, 8), (4, 8), (6, 8)]
    assert all("updated" not in s for s in seen)  # stamped by save_job itself
    progress = next(s for s in seen if s.get("done") == 2)
    files.save_job(user, token, {**progress, "status": "running"})
    html = client.get(url("import_job", token)).content.decode()
    assert "正在逐行检查：2 / 8 行" in html
    files.save_job(user, token, {**progress, "done": 3000, "total": 10000})
    assert "正在逐行检查：3,000 / 10,000 行" in client.get(url("import_job", token)).content.decode()
