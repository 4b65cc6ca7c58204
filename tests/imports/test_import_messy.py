"""Real sheets are messy: what can be read unambiguously is accepted, the rest refused per cell."""

import datetime
import io

from openpyxl import load_workbook

from accounts.models import AccessLog
from households.models import Household, Resident
from tests.factories.ids import make_id_number
from tests.imports.helpers import HEADER, confirm, upload, url, xlsx_file


def test_title_rows_aliases_any_order_merged_cells_full_width_and_totals(client, cast):
    client.force_login(cast.users["village"])
    head_id = make_id_number(datetime.date(1970, 1, 2), serial=501)
    child_id = make_id_number(datetime.date(2001, 5, 6), serial=502, male=False)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in "13700001234")
    rows = [
        ["虎溪村户籍人口花名册"],
        ["填报单位：虎溪村村委会", "", "", "", "填报日期：2026年3月5日"],
        ["序号", "公民身份号码", "成员姓名", "与户主的关系", "手机号", "户编号", "村民小组", "所属邻", "出生年月"],
        [1, head_id, " 周 大 ", "户主", full_width, "A-7", "虎溪村一组", "虎溪村一邻", ""],
        [2, child_id[:-1] + "x" if child_id.endswith("X") else child_id, "周小", "女儿", "", "", "", "", ""],
        [3, "", "周老", "父亲", "", "", "", "", "1940.3.5"],
        ["合计", "", "3人"],
        [],
    ]
    preview = upload(client, xlsx_file(rows, title="2026年", merges=["F4:F6", "G4:G6", "H4:H6"]))
    html = preview.content.decode()
    assert preview.context["outcome"].ok, html[html.find("content-main") :][:3000]
    assert preview.context["outcome"].header.row == 3
    assert "未使用的列：序号" in html
    confirm(client, preview)
    household = Household.objects.get(household_number="A-7")
    assert household.head_name == "周大" and household.phone == "13700001234"
    assert household.neighborhood == cast.branches[0].neighborhood
    members = {r.name: r for r in household.residents.all()}
    assert set(members) == {"周大", "周小", "周老"}
    assert members["周小"].relation == Resident.Relation.CHILD and members["周小"].gender == "female"
    assert members["周老"].birth_date == datetime.date(1940, 3, 5)


def test_dates_in_common_chinese_forms_and_excel_serials(client, cast):
    client.force_login(cast.users["village"])
    rows = [
        ["户号", "姓名", "与户主关系", "出生日期"],
        ["D1", "甲", "户主", "2020年3月5日"],
        ["D1", "乙", "子女", "20200306"],
        ["D1", "丙", "子女", "2020-03-07"],
        ["D1", "丁", "子女", 43898],
        ["D1", "戊", "子女", "2020/3/9"],
    ]
    confirm(client, upload(client, xlsx_file(rows)))
    births = dict(Resident.objects.filter(household__household_number="D1").values_list("name", "birth_date"))
    assert births == {
        "甲": datetime.date(2020, 3, 5), "乙": datetime.date(2020, 3, 6), "丙": datetime.date(2020, 3, 7),
        "丁": datetime.date(2020, 3, 8), "戊": datetime.date(2020, 3, 9),
    }  # fmt: skip


def test_every_fault_is_listed_with_the_sheets_row_number_column_and_reason(client, cast):
    client.force_login(cast.users["village"])
    good = make_id_number(serial=601)
    rows = [
        ["花名册"],
        HEADER,
        ["E1", "虎溪村", "", "好人", "户主", good, "", "", ""],
        ["E2", "虎溪村", "", "数字号", "户主", 430000198001011234, "", "", ""],
        ["E3", "虎溪村", "不存在的邻", "错邻", "户主", "", "", "", ""],
        ["E4", "新圩村", "", "外村", "户主", "", "", "", ""],
        ["E5", "虎溪村", "", "错电话", "户主", "", "12345", "", ""],
        ["E6", "虎溪村", "", "重号", "户主", good, "", "", ""],
        ["E7", "虎溪村", "", "", "户主", "", "", "", ""],
    ]
    before = Household.objects.count()
    preview = upload(client, xlsx_file(rows))
    errors = {(e.row, e.column): e.reason for e in preview.context["outcome"].errors}
    assert errors[(4, "身份证号")].startswith("身份证号被保存成了数字，后几位已丢失")
    assert errors[(5, "邻")] == "虎溪村没有名为“不存在的邻”的邻。"
    assert errors[(6, "村/社区")] == "村/社区“新圩村”不存在，或不在您的管辖范围内。"
    assert errors[(7, "联系电话")].startswith("电话号码格式不正确")
    assert errors[(8, "身份证号")] == "该身份证号与本表第3行重复。"
    assert errors[(9, "姓名")] == "姓名不能为空。"
    html = preview.content.decode()
    assert 'name="confirm"' not in html and "<td>4</td><td>身份证号</td>" in html
    # A forged confirm saves nothing either.
    response = confirm(client, preview)
    assert "未导入任何数据" in response.content.decode() or "有问题" in response.content.decode()
    assert Household.objects.count() == before


def test_the_marked_copy_marks_faulty_cells_and_adds_the_reason_column_and_is_logged(client, cast):
    client.force_login(cast.users["village"])
    rows = [
        HEADER,
        ["M1", "虎溪村", "", "好人", "户主", "", "", "", ""],
        ["M2", "虎溪村", "", "坏电话", "户主", "", "12345", "", ""],
    ]
    preview = upload(client, xlsx_file(rows))
    response = client.get(url("import_errors", preview.context["token"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(1, len(HEADER) + 1).value == "错误原因"
    assert sheet.cell(3, len(HEADER) + 1).value.startswith("联系电话：电话号码格式不正确")
    assert sheet.cell(3, 7).fill.fgColor.rgb.endswith("FFC7CE") and sheet.cell(2, 7).fill.fill_type is None
    assert sheet.cell(2, len(HEADER) + 1).value is None
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT, model_label="households.Household").count() == 1


def test_formula_cells_are_never_dropped_silently_and_text_formulas_stay_text(client, cast):
    client.force_login(cast.users["village"])
    rows = [
        HEADER,
        ["F1", "虎溪村", "", '=A1&"x"', "户主", "", "", "", ""],
        ["F2", "虎溪村", "", "正常", "户主", "", "", "'=1+1", ""],
    ]
    preview = upload(client, xlsx_file(rows))
    errors = {(e.row, e.column): e.reason for e in preview.context["outcome"].errors}
    assert "公式" in errors[(2, "姓名")]
    rows = [HEADER, ["F2", "虎溪村", "", "正常", "户主", "", "", "@SUM(A1)", ""]]
    confirm(client, upload(client, xlsx_file(rows, setup=_as_text("H2"))))
    assert Household.objects.get(household_number="F2").address == "@SUM(A1)"


def _as_text(ref):
    def setup(_workbook, sheet):
        sheet[ref].data_type = "s"

    return setup


def test_the_template_has_chinese_headers_examples_and_instructions(client, cast):
    client.force_login(cast.users["village"])
    response = client.get(url("import_template"))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["户和家庭成员", "填写说明"]
    headers = [c.value for c in workbook["户和家庭成员"][1]]
    assert "户号" in headers and "姓名*" in headers and "身份证号" in headers
    assert workbook["户和家庭成员"].max_row >= 3
    page = client.get(url("import")).content.decode()
    assert url("import_template") in page and "身份证号码" in page
