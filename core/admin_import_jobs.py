"""What an import page shows, as plain data, and a large import's preview or confirm run as a job.

``page_data`` turns an outcome into what the preview page shows (numbers masked, lists cut), as
JSON, so a job can keep it in its state file (``files.save_job``, in the uploader's own folder:
nobody else can read it) and the page shows it later exactly as the request would have. A
confirm ends in ``finish_confirm`` in the request and in the job alike: the claimed upload is
dropped and the import logged when committed, given back to the user otherwise.

A job writes its state at each stage and every few hundred rows (``files.save_job`` stamps the
time): the page takes a state not written for ``IMPORT_JOB_STALE_SECONDS`` as a dead worker
(``interrupted``), says so, gives the upload back and lets the user start again. Each start is an
``attempt``: a job whose attempt is no longer the state's (declared interrupted, or started again)
stops at its next progress point, before its transaction commits, so what the page said stays true.
When a preview (or a refused confirm) finds faults, the job also writes the marked copy of the file
beside the upload (``files.save_marked``): its download does not read the file again.
"""

import contextlib
import re
import secrets
import time

from auditlog.context import set_actor
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.http import HttpRequest

from core.access import AccessAction, record_access
from core.importing import files
from core.importing.report import marked_workbook
from core.jobs import register_runner, run_in_background
from core.masking import mask_numbers_in_text

QUOTED = re.compile(r"“([^”]*)”")
SHOWN_ERRORS = 500
SHOWN_ROWS = 300
FAILED = "导入过程中出错，未导入任何数据。请稍后重试；如仍出错，请把文件分成几个较小的文件导入。"
PHASES = {
    "queued": "排队等待中",
    "read": "正在读取文件",
    "check": "正在逐行检查",
    "compare": "正在与系统中的数据比对",
    "write": "正在写入",
    "commit": "正在写入",
    "committed": "数据已写入，正在收尾",
    "mark": "正在生成标注了问题的文件",
}
GONE = "没有找到该上传文件：它可能已过期或已导入。请重新上传。"
INTERRUPTED = {
    "queued": "后台任务超过{minutes}分钟仍未开始（处理导入的后台进程可能没有运行）。",
    "running": "后台任务超过{minutes}分钟没有进展，已中断（可能服务器重启或任务被终止）。",
}
NOTHING_WRITTEN = {
    "preview": "检查和预览不写入任何数据。请重新检查，或重新上传文件。",
    "confirm": "导入是全部写入或全部不写入的，本次未写入任何数据。请重新确认导入，或重新上传文件。",
}
WRITTEN = "但数据已在中断前全部写入：{summary}"


def page_data(importer, outcome):
    headers, rows = importer.describe(outcome)
    counts = outcome.counts
    return {
        "sheet_name": outcome.sheet.name if outcome.sheet else "",
        "header_row": outcome.header.row if outcome.header else 0,
        "refusal": outcome.refusal,
        "ok": outcome.ok,
        "committed": outcome.committed,
        "summary": importer.summary(counts) if counts else "",
        "unchanged_only": bool(counts) and outcome.ok and not _has_changes(counts),
        "headers": headers,
        "rows": rows[:SHOWN_ROWS],
        "more_rows": max(0, len(rows) - SHOWN_ROWS),
        "errors": [(e.row or "", e.column, mask_quoted(e.reason)) for e in outcome.errors[:SHOWN_ERRORS]],
        "error_count": len(outcome.errors),
        "more_errors": max(0, len(outcome.errors) - SHOWN_ERRORS),
        "ignored": list(outcome.header.ignored) if outcome.header else [],
    }


def rows_done(state):
    """'3,000 / 10,000 行' while a stage counts rows, else ''."""
    total = state.get("total")
    return f"{state.get('done', 0):,} / {total:,} 行" if total else ""


def mask_quoted(reason):
    """Cell values quoted in a reason (“…”) with any ID number or phone in them masked."""
    return QUOTED.sub(lambda m: f"“{mask_numbers_in_text(m.group(1))}”", reason)


def _has_changes(counts):
    return any(counts.get(key) for key in counts if key.endswith(("_create", "_update")))


def finish_confirm(request, model, token, name, outcome):
    """After a confirm: drop the claimed upload and log the import, or give the upload back."""
    if not outcome.committed:
        files.release_upload(request.user, token)
        return
    files.discard_claimed(request.user, token)
    record_access(
        request=request,
        action=AccessAction.IMPORT,
        model=model,
        filters={"导入文件": name, **{k: v for k, v in outcome.counts.items() if v}},
        row_count=outcome.rows_read,
    )


class Superseded(Exception):
    """This job's attempt is no longer the state's: the page declared it interrupted, or it was started again."""


def start_job(user, token, *, model, step, name, ip):
    """Queue the preview or confirm of ``user``'s upload as a new attempt; its page follows the state."""
    attempt = secrets.token_hex(8)
    files.discard_marked(user, token)  # the last run's marked copy: this run makes its own
    files.save_job(user, token, {"step": step, "attempt": attempt, "status": "queued", "phase": "queued"})
    run_in_background("import", model=model, step=step, user_id=user.pk, token=token, name=name, ip=ip, attempt=attempt)


def run_import(*, model, step, user_id, token, name, ip=None, attempt=""):
    """The job: preview or confirm the user's upload, keeping its phase and then its page in the state."""
    model_admin = admin.site.get_model_admin(apps.get_model(model))
    importer = model_admin.sheet_importer
    user = get_user_model().objects.select_related("unit").get(pk=user_id)
    base = {"step": step, "attempt": attempt}

    def save(status, *, after_commit=False, **info):
        state = files.load_job(user, token)
        mine = state is not None and state.get("attempt") == attempt
        if not mine or (state["status"] not in ("queued", "running") and not after_commit):
            raise Superseded
        files.save_job(user, token, {**base, "status": status, **info})

    def progress(phase, **info):
        if phase != "committed":
            return save("running", phase=phase, **info)
        with contextlib.suppress(Superseded):  # once committed: what was written, should the worker die now
            save("running", phase=phase, after_commit=True, summary=importer.summary(info["counts"]))

    try:
        save("running", phase="read")
        outcome = _run(importer, model_admin.model, step, user, token, name, ip, progress)
        if outcome is None:
            return save("failed", error=GONE)
        marked = _mark(user, token, outcome, progress)
        save("done", after_commit=outcome.committed, page=page_data(importer, outcome), marked=marked)
    except Superseded:
        return  # the page has said what happened and given the upload back
    except Exception:
        with contextlib.suppress(Superseded):  # a superseded job leaves the upload to its successor
            save("failed", error=FAILED)
            if step == "confirm":
                files.release_upload(user, token)
        raise


def _run(importer, model, step, user, token, name, ip, progress):
    if step == "preview":
        path = files.upload_path(user, token)
        return importer.preview(path, name, user, progress=progress) if path else None
    path = files.claimed_path(user, token)
    if path is None:
        return None
    request = HttpRequest()  # for the access log: who, from where
    request.user, request.META["REMOTE_ADDR"] = user, ip
    with set_actor(user, remote_addr=ip):  # the audit entries' actor, as the middleware sets it
        outcome = importer.confirm(path, name, user, progress=progress)
    finish_confirm(request, model, token, name, outcome)
    return outcome


def _mark(user, token, outcome, progress):
    """The marked copy of a faulty file, beside the upload; what its download logs (or None)."""
    if outcome.committed or outcome.sheet is None or not outcome.errors:
        files.discard_marked(user, token)
        return None
    header_row = outcome.header.row if outcome.header else 0

    def write(path):
        tick = lambda done, total: progress("mark", done=done, total=total)  # noqa: E731
        marked_workbook(outcome.sheet, header_row, outcome.errors, out=path, tick=tick)

    files.save_marked(user, token, write)
    return {"errors": len(outcome.errors), "rows": len(outcome.sheet.rows)}


def interrupted(request, model, token, name, state):
    """A queued or running job whose state has not been written for ``IMPORT_JOB_STALE_SECONDS``
    died with its worker: the state says so and what was written, the upload is given back."""
    if state["status"] not in ("queued", "running"):
        return state
    stale = settings.IMPORT_JOB_STALE_SECONDS
    if time.time() - state.get("updated", time.time()) <= stale:
        return state
    user, step = request.user, state["step"]
    error = INTERRUPTED[state["status"]].format(minutes=max(1, round(stale / 60)))
    if state.get("phase") == "committed":  # past the commit: the data is in, only the tidying was lost
        files.discard_claimed(user, token)
        error += WRITTEN.format(summary=state.get("summary", ""))
        filters = {"导入文件": name, "说明": "收尾时中断"}
        record_access(request=request, action=AccessAction.IMPORT, model=model, filters=filters)
    else:
        if step == "confirm":
            files.release_upload(user, token)
        error += NOTHING_WRITTEN[step]
    state = {"step": step, "attempt": state.get("attempt"), "status": "interrupted", "error": error,
             "written": state.get("phase") == "committed"}  # fmt: skip
    files.save_job(user, token, state)
    return state


register_runner("import", run_import)
