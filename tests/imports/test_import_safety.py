"""Hostile files refused before parsing; uploads bound to their owner; all or nothing; scope."""

import io
import os
import re
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.importing import files, sheet
from governance.models import Neighborhood
from households.models import Household
from tests.imports.helpers import HEADER, confirm, household_snapshot, upload, url, workbook_bytes, xlsx_file

GOOD = [HEADER, ["S1", "虎溪村", "虎溪村一邻", "安全", "户主", "", "13800005555", "", ""]]


def refusal(client, content, name="户.xlsx"):
    preview = upload(client, SimpleUploadedFile(name, content))
    if preview.status_code == 200 and "outcome" in (preview.context or {}):
        return preview.context["outcome"].refusal
    return " ".join(str(m) for m in preview.context["messages"])


def rezip(content, extra=None, replace=None):
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if replace and info.filename in replace:
                data = replace[info.filename](data)
            target.writestr(info, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        (b"not a zip at all", "户.xlsx", "这不是 Excel 表格"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "户.xls", "旧版 Excel 文件"),
        (None, "户.xlsm", "带宏"),
        (None, "truncated", "损坏"),
        (None, "bomb", "压缩炸弹"),
        (None, "entries", "部件过多"),
        (None, "entity", "实体定义"),
    ],
)
def test_hostile_files_are_refused_with_a_chinese_reason(client, cast, content, name, reason):
    client.force_login(cast.users["village"])
    good = workbook_bytes(GOOD)
    if name == "户.xlsm":
        content = good
    elif name == "truncated":
        content, name = good[: len(good) // 2], "户.xlsx"
    elif name == "bomb":
        content, name = rezip(good, extra={"xl/media/big.bin": b"\0" * (files.MAX_UNCOMPRESSED_BYTES + 1)}), "户.xlsx"
    elif name == "entries":
        content, name = rezip(good, extra={f"xl/x{i}.bin": b"" for i in range(files.MAX_ENTRIES)}), "户.xlsx"
    elif name == "entity":
        lol = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>'
        content, name = rezip(good, replace={"xl/workbook.xml": lambda data: lol + data}), "户.xlsx"
    before = household_snapshot()
    assert reason in refusal(client, content, name)
    assert household_snapshot() == before


def test_an_oversized_upload_is_refused_unread(client, cast, monkeypatch):
    monkeypatch.setattr(files, "MAX_UPLOAD_BYTES", 1000)
    client.force_login(cast.users["village"])
    assert "文件过大" in refusal(client, workbook_bytes(GOOD))


def test_more_rows_than_allowed_are_refused(client, cast, monkeypatch):
    monkeypatch.setattr(sheet, "MAX_ROWS", 3)
    client.force_login(cast.users["village"])
    rows = GOOD + [["S2", "虎溪村", "", f"人{i}", "户主", "", "", "", ""] for i in range(5)]
    assert "行数过多" in refusal(client, workbook_bytes(rows))


def test_another_users_upload_is_404_and_the_owner_can_still_confirm(client, cast):
    client.force_login(cast.users["village"])
    preview = upload(client, xlsx_file(GOOD))
    token = preview.context["token"]
    client.force_login(cast.users["township"])
    assert client.get(url("import_preview", token)).status_code == 404
    assert client.post(url("import_preview", token), {"confirm": "1"}).status_code == 404
    assert client.get(url("import_errors", token)).status_code == 404
    client.force_login(cast.users["village"])
    assert client.post(url("import_preview", token), {"confirm": "1"}).status_code == 302
    assert Household.objects.filter(household_number="S1").count() == 1


def test_the_upload_is_deleted_after_confirm_and_expired_ones_are_purged(client, cast, upload_dir):
    client.force_login(cast.users["village"])
    preview = upload(client, xlsx_file(GOOD))
    confirm(client, preview)
    assert not list(upload_dir.glob("u*/*.xlsx"))
    upload(client, xlsx_file([HEADER, ["X", "新圩村", "", "外", "户主", "", "", "", ""]]))  # refused rows
    (left,) = upload_dir.glob("u*/*.xlsx")
    old = time.time() - files.UPLOAD_TTL_SECONDS - 10
    os.utime(left, (old, old))
    assert files.purge_expired() == 1 and not left.exists()


def test_a_confirm_that_finds_the_file_stale_commits_nothing_and_says_so(client, cast):
    client.force_login(cast.users["village"])
    rows = GOOD + [["S2", "虎溪村", "虎溪村一邻", "第二户", "户主", "", "", "", ""]]
    preview = upload(client, xlsx_file(rows))
    assert preview.context["outcome"].ok
    Neighborhood.objects.filter(pk=cast.branches[0].neighborhood.pk).update(name="改名后的邻")
    before = household_snapshot()
    response = confirm(client, preview)
    html = response.content.decode()
    assert "导入完成" not in html and "新增" not in html.split("import-errors")[0].split("errornote")[-1][:60]
    assert "虎溪村没有名为“虎溪村一邻”的邻。" in html
    assert household_snapshot() == before


def test_a_village_cadre_cannot_import_into_another_village(client, cast):
    client.force_login(cast.users["village"])
    rows = [HEADER, ["V1", "大坪村", "", "邻村户", "户主", "", "", "", ""]]
    preview = upload(client, xlsx_file(rows))
    assert [e.reason for e in preview.context["outcome"].errors] == ["村/社区“大坪村”不存在，或不在您的管辖范围内。"]
    foreign = cast.branches[1].households[0]
    rows = [["编号", "村/社区", "户主姓名"], [foreign.pk, "虎溪村", "改名"]]
    preview = upload(client, xlsx_file(rows))
    assert f"编号为{foreign.pk}的户不存在，或不在您的管辖范围内。" in preview.content.decode()


@pytest.mark.parametrize("role", ["county", "leader"])
def test_roles_without_write_permission_get_403(client, cast, role):
    client.force_login(cast.users[role])
    assert client.get(url("import")).status_code == 403
    assert client.get(url("import_template")).status_code == 403


def test_the_library_heading_is_translated_correctly():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert translation.gettext("Some rows failed to validate") == "某些行的数据验证失败"


@pytest.mark.parametrize("dimension", [b'<dimension ref="A1:I2"/>', b""])
def test_every_row_is_read_whatever_the_declared_dimension(client, cast, dimension):
    client.force_login(cast.users["village"])
    rows = [HEADER] + [[f"R{i}", "虎溪村", "", f"行{i}", "户主", "", "", "", ""] for i in range(4)]
    content = rezip(
        workbook_bytes(rows),
        replace={"xl/worksheets/sheet1.xml": lambda data: re.sub(rb"<dimension[^>]*/>", dimension, data)},
    )
    preview = upload(client, SimpleUploadedFile("户.xlsx", content))
    assert preview.context["outcome"].counts["households_create"] == 4
