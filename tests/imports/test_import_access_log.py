"""The access log records a committed import (who, which model, which file, what changed); a preview
or a refused confirm is not an import."""

from accounts.models import AccessLog
from tests.imports.helpers import HEADER, confirm, upload, xlsx_file

ROWS = [
    HEADER,
    ["H101", "虎溪村", "虎溪村一邻", "吴一", "户主", "", "13800001010", "", ""],
    ["H101", "虎溪村", "虎溪村一邻", "吴二", "子女", "", "", "", ""],
]


def test_a_committed_import_is_logged_once(client, cast):
    client.force_login(cast.users["village"])
    preview = upload(client, xlsx_file(ROWS, name="岭头村花名册.xlsx"))
    assert not AccessLog.objects.exists()  # a preview imports nothing
    confirm(client, preview)
    log = AccessLog.objects.get()
    assert (log.action, log.get_action_display(), log.model_label) == ("import", "导入数据", "households.Household")
    assert log.user == cast.users["village"] and log.row_count == 2
    assert log.filters == {"导入文件": "岭头村花名册.xlsx", "households_create": 1, "residents_create": 2}


def test_a_refused_file_is_not_logged_as_an_import(client, cast):
    client.force_login(cast.users["village"])
    bad = [HEADER, ["H102", "不存在村", "", "郑一", "户主", "", "", "", ""]]
    confirm(client, upload(client, xlsx_file(bad)))
    assert not AccessLog.objects.filter(action="import").exists()
