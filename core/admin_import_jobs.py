"""What an import page shows, as plain data, and a large import's preview or confirm run as a job.

``page_data`` turns an outcome into what the preview page shows (numbers masked, lists cut), as
JSON, so a job can keep it in its state file (``files.save_job``, in the uploader's own folder:
nobody else can read it) and the page shows it later exactly as the request would have. A
confirm ends in ``finish_confirm`` in the request and in the job alike: the claimed upload is
dropped and the import logged when committed, given back to the user otherwise.
"""

import re

from auditlog.context import set_actor
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.http import HttpRequest

from core.access import AccessAction, record_access
from core.importing import files
from core.jobs import register_runner
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
}


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


def run_import(*, model, step, user_id, token, name, ip=None):
    """The job: preview or confirm the user's upload, keeping its phase and then its page in the state."""
    model_admin = admin.site.get_model_admin(apps.get_model(model))
    importer = model_admin.sheet_importer
    user = get_user_model().objects.select_related("unit").get(pk=user_id)

    def progress(phase):
        files.save_job(user, token, {"step": step, "status": "running", "phase": phase})

    try:
        if step == "preview":
            path = files.upload_path(user, token)
            outcome = importer.preview(path, name, user, progress=progress) if path else None
        else:
            path = files.claimed_path(user, token)
            request = HttpRequest()  # for the access log: who, from where
            request.user, request.META["REMOTE_ADDR"] = user, ip
            with set_actor(user, remote_addr=ip):  # the audit entries' actor, as the middleware sets it
                outcome = importer.confirm(path, name, user, progress=progress) if path else None
            if outcome is not None:
                finish_confirm(request, model_admin.model, token, name, outcome)
    except Exception:
        if step == "confirm":
            files.release_upload(user, token)
        files.save_job(user, token, {"step": step, "status": "failed", "error": FAILED})
        raise
    if outcome is None:
        gone = "没有找到该上传文件：它可能已过期或已导入。请重新上传。"
        files.save_job(user, token, {"step": step, "status": "failed", "error": gone})
        return
    files.save_job(user, token, {"step": step, "status": "done", "page": page_data(importer, outcome)})


register_runner("import", run_import)
