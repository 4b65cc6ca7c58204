"""Hostile uploads are refused here, before any row is parsed, and uploads live between steps.

Checks, cheapest first: size, the zip magic bytes, the extension (.xlsm and .xls refused), the
zip directory (entry count, declared uncompressed size, macros), then every XML part's prologue
(no DTD: entity expansion and external entities are refused, parsed with defusedxml). The
temporary file between preview and confirm lives under the uploading user's own folder, named by
a random token, so another user's token finds nothing; old files are purged on each upload. A
confirm claims the file first (``claim_upload``): two confirms of one upload cannot both run.
"""

import json
import os
import secrets
import tempfile
import time
import zipfile
from pathlib import Path

from defusedxml import ElementTree
from django.conf import settings

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ENTRIES = 200
MAX_UNCOMPRESSED_BYTES = 120 * 1024 * 1024
MAX_RATIO = 200  # a sheet compresses ~10×; 200× is a bomb
UPLOAD_TTL_SECONDS = 2 * 3600
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls (BIFF) and encrypted workbooks


class ImportRefused(Exception):
    """The whole file is refused; the message is Chinese and says why."""


def check_xlsx(path, name):
    """Raise ImportRefused unless ``path`` is a plain .xlsx that is safe to parse."""
    size = os.path.getsize(path)
    if size > MAX_UPLOAD_BYTES:
        limit = MAX_UPLOAD_BYTES // 1024 // 1024
        raise ImportRefused(f"文件过大（{size / 1048576:.1f} MB），单个文件不能超过 {limit} MB，请分成几个文件导入。")
    lower = (name or "").lower()
    if lower.endswith(".xlsm"):
        raise ImportRefused("不能导入带宏的表格（.xlsm），请另存为“Excel 工作簿（.xlsx）”后再导入。")
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head.startswith(OLE_MAGIC) or lower.endswith(".xls"):
        raise ImportRefused(
            "这是旧版 Excel 文件（.xls）或加密的文件，请在 Excel 中另存为“Excel 工作簿（.xlsx）”后再导入。"
        )
    if not head.startswith(ZIP_MAGIC) or not lower.endswith(".xlsx"):
        raise ImportRefused("这不是 Excel 表格（.xlsx）文件，请选择 .xlsx 文件。")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_directory(infos, size)
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    _check_xml_prologue(archive, info)
    except zipfile.BadZipFile:
        raise ImportRefused("文件已损坏或不完整，无法读取，请重新保存后再导入。") from None


def _check_directory(infos, size):
    names = {info.filename for info in infos}
    if len(infos) > MAX_ENTRIES:
        raise ImportRefused("文件结构异常（包含的部件过多），已拒绝导入。")
    declared = sum(info.file_size for info in infos)
    if declared > MAX_UNCOMPRESSED_BYTES or declared > max(size, 1) * MAX_RATIO:
        raise ImportRefused("文件解压后过大（疑似压缩炸弹），已拒绝导入。如确是大表，请分成几个文件导入。")
    if any("vbaProject" in name for name in names):
        raise ImportRefused("不能导入带宏的表格，请另存为“Excel 工作簿（.xlsx）”后再导入。")
    if "xl/workbook.xml" not in names:
        raise ImportRefused("这不是 Excel 表格（.xlsx）文件，请选择 .xlsx 文件。")


def _check_xml_prologue(archive, info):
    """No DTD anywhere: read up to the root element and parse that with defusedxml."""
    with archive.open(info) as part:
        head = part.read(4096)
    upper = head.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        raise ImportRefused("文件中含有不允许的 XML 结构（实体定义），已拒绝导入。")
    if info.filename == "xl/workbook.xml" and info.file_size < 1024 * 1024:
        try:
            ElementTree.fromstring(archive.read(info))
        except Exception:
            raise ImportRefused("文件已损坏或含有不允许的 XML 结构，已拒绝导入。") from None


# --- the temporary upload between preview and confirm ------------------------------------------


def upload_root():
    return Path(getattr(settings, "IMPORT_UPLOAD_DIR", "") or Path(tempfile.gettempdir()) / "sanzhang-imports")


def _user_dir(user):
    return upload_root() / f"u{int(user.pk)}"


def purge_expired(now=None):
    """Delete uploads older than the TTL, whoever left them (refused files too)."""
    now = now or time.time()
    root = upload_root()
    if not root.exists():
        return 0
    removed = 0
    for path in root.glob("u*/*"):  # uploads, claimed uploads, job states
        try:
            if now - path.stat().st_mtime > UPLOAD_TTL_SECONDS:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def store_upload(user, uploaded):
    """Save an UploadedFile for ``user``; returns (token, path). Refuses an oversized one unread."""
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise ImportRefused(f"文件过大，单个文件不能超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB，请分成几个文件导入。")
    purge_expired()
    folder = _user_dir(user)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    token = secrets.token_urlsafe(16)
    path = folder / f"{token}.xlsx"
    with open(path, "wb") as handle:
        for chunk in uploaded.chunks():
            handle.write(chunk)
    return token, path


def _valid(token):
    return bool(token) and all(c.isalnum() or c in "-_" for c in token) and len(token) <= 64


def upload_path(user, token):
    """The user's own upload for ``token``, or None (another user's, expired, malformed)."""
    if not _valid(token):
        return None
    path = _user_dir(user) / f"{token}.xlsx"
    if not path.exists() or time.time() - path.stat().st_mtime > UPLOAD_TTL_SECONDS:
        return None
    return path


def discard_upload(user, token):
    path = upload_path(user, token)
    if path is not None:
        path.unlink(missing_ok=True)


def _claimed_path(user, token):
    return _user_dir(user) / f"{token}.confirming.xlsx"


def claim_upload(user, token):
    """Take the user's upload for one confirm (an atomic rename), so a second confirm of the same
    upload at the same time finds it taken. Returns the claimed path, or None."""
    path = upload_path(user, token)
    if path is None:
        return None
    claimed = _claimed_path(user, token)
    try:
        os.rename(path, claimed)
    except FileNotFoundError:  # the other confirm renamed it first
        return None
    return claimed


def is_claimed(user, token):
    return _valid(token) and upload_path(user, token) is None and _claimed_path(user, token).exists()


def claimed_path(user, token):
    """The upload a confirm (or its job) has claimed, or None."""
    path = _claimed_path(user, token) if _valid(token) else None
    return path if path is not None and path.exists() else None


def release_upload(user, token):
    """Give a claimed upload back after a confirm that wrote nothing (the user may fix and confirm again)."""
    claimed = _claimed_path(user, token)
    if claimed.exists():
        os.rename(claimed, _user_dir(user) / f"{token}.xlsx")


def discard_claimed(user, token):
    _claimed_path(user, token).unlink(missing_ok=True)


# --- a large import's job: its status and result, kept beside the upload (so only its owner sees it)


def save_job(user, token, state):
    """Write the job's state with the time it was written: the page tells a dead job by that heartbeat."""
    folder = _user_dir(user)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = folder / f"{token}.job.{secrets.token_hex(4)}.tmp"  # the page and the job may both write
    temporary.write_text(json.dumps({**state, "updated": time.time()}, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, folder / f"{token}.job.json")  # a reader never sees half a state


def load_job(user, token):
    """The user's own job state for ``token``, or None."""
    if not _valid(token):
        return None
    path = _user_dir(user) / f"{token}.job.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


# --- a large import's copy of the file with its faults marked, made by its job, beside the upload


def _marked_path(user, token):
    return _user_dir(user) / f"{token}.marked.xlsx"


def save_marked(user, token, write):
    """``write(path)`` writes the marked copy; it replaces the old one only once complete."""
    folder = _user_dir(user)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = folder / f"{token}.marked.{secrets.token_hex(4)}.tmp"
    try:
        write(temporary)
        os.replace(temporary, _marked_path(user, token))
    finally:
        temporary.unlink(missing_ok=True)


def marked_path(user, token):
    """The user's own marked copy for ``token``, or None (another user's, expired, not made)."""
    if not _valid(token):
        return None
    path = _marked_path(user, token)
    if not path.exists() or time.time() - path.stat().st_mtime > UPLOAD_TTL_SECONDS:
        return None
    return path


def discard_marked(user, token):
    if _valid(token):
        _marked_path(user, token).unlink(missing_ok=True)
