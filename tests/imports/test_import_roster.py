"""The 三长 roster (花名册): people with their postings from a messy sheet; template, every fault with
its sheet row, preview writes nothing, all or nothing, re-import no-op, scope, audit and access log."""

import datetime
import io

from auditlog.models import LogEntry
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AccessLog
from governance.models import Person, Posting
from tests.factories import PersonFactory, PostingFactory
from tests.factories.ids import make_id_number
from tests.imports.helpers import xlsx_file

HEADER = ["村/社区", "片", "组", "邻", "姓名", "职务", "身份证号", "联系电话", "政治面貌", "任职日期", "推选方式"]
ID_ZHANG = make_id_number(datetime.date(1970, 5, 1), serial=311)


def url(name, *args):
    return reverse(f"admin:governance_person_{name}", args=args)


def upload(client, file):
    response = client.post(url("import"), {"import_file": file})
    return client.get(response["Location"]) if response.status_code == 302 else response


def confirm(client, preview):
    return client.post(url("import_preview", preview.context["token"]), {"confirm": "1"}, follow=True)


def good_rows():
    return [
        ["虎溪村三长花名册"],  # a title above the header
        ["填报单位：虎溪村"],
        HEADER,
        [
            "虎溪村",
            "虎溪村一片",
            "",
            "",
            "张 三",
            "片长",
            ID_ZHANG,
            "13800001111",
            "中共党员",
            "2025年1月1日",
            "群众推荐",
        ],
        ["虎溪村", "", "虎溪村一组", "", "张三", "村民代表", "", "", "", "2025.1.1", ""],  # the same person
        ["虎溪村", "", "虎溪村一组", "", "李四", "组长", "", "13900002222", "群众", "", "二推"],
        ["虎溪村", "", "", "虎溪村一邻", "王五", "邻长", "", "", "否", 45658, ""],  # an Excel serial date
        ["合计", "", "", "", "", "", "", "", "", "", ""],
    ]


def snapshot():
    return sorted(Posting.objects.values_list("person__name", "role", "unit_id", "start_date", "end_date"))


def test_the_template_has_headers_examples_and_instructions(client, cast):
    client.force_login(cast.users["village"])
    response = client.get(url("import_template"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["三长花名册", "填写说明"]
    header = [c.value for c in book["三长花名册"][1]]
    assert "姓名*" in header and "职务*" in header and "身份证号" in header
    assert any("邻长" in str(row[0].value) for row in book["填写说明"].iter_rows())


def test_preview_writes_nothing_and_confirm_creates_people_and_postings(client, cast):
    b0 = cast.branches[0]
    user = cast.users["village"]
    client.force_login(user)
    before = snapshot()
    preview = upload(client, xlsx_file(good_rows()))
    html = preview.content.decode()
    assert preview.status_code == 200 and "新增3人" in html and "新增4条" in html, html[:2000]
    assert snapshot() == before and "13800001111" not in html
    done = confirm(client, preview)
    text = done.content.decode()
    assert "导入完成：人员：新增3人，修改0人，不变0人；任职：新增4条，修改0条，不变0条。" in text
    zhang = Person.objects.get(id_number=ID_ZHANG)
    assert (zhang.name, zhang.village, zhang.is_party_member, zhang.phone) == ("张三", b0.village, True, "13800001111")
    postings = {(p.role, p.unit, p.start_date, p.selection_method) for p in zhang.postings.all()}
    assert postings == {
        ("area_leader", b0.area, datetime.date(2025, 1, 1), "mass_recommended"),
        ("representative", b0.group, datetime.date(2025, 1, 1), ""),
    }
    li = Person.objects.get(name="李四", village=b0.village)
    assert li.postings.get().unit == b0.group and li.postings.get().selection_method == "recommended"
    wang = Posting.objects.get(person__name="王五")
    assert wang.unit == b0.neighborhood and wang.start_date == datetime.date(2025, 1, 1)
    created = LogEntry.objects.filter(action=LogEntry.Action.CREATE, content_type__model__in=["person", "posting"])
    assert created.count() == 7 and {e.actor for e in created} == {user}
    log = AccessLog.objects.get(action="import")
    assert log.model_label == "governance.Person" and log.row_count == 4


def test_reimporting_the_same_file_changes_nothing_and_says_so(client, cast):
    client.force_login(cast.users["village"])
    confirm(client, upload(client, xlsx_file(good_rows())))
    people, postings, entries = Person.objects.count(), snapshot(), LogEntry.objects.count()
    again = upload(client, xlsx_file(good_rows()))
    html = again.content.decode()
    assert "不变3人" in html and "不变4条" in html and 'name="confirm"' not in html
    assert (Person.objects.count(), snapshot(), LogEntry.objects.count()) == (people, postings, entries)


def test_an_existing_person_is_found_and_updated(client, cast):
    b0 = cast.branches[0]
    existing = PersonFactory(village=b0.village, name="李四", phone="13700000000", id_number="")
    client.force_login(cast.users["village"])
    done = confirm(client, upload(client, xlsx_file(good_rows())))
    assert "新增2人，修改1人" in done.content.decode()
    existing.refresh_from_db()
    assert existing.phone == "13900002222" and Person.objects.filter(name="李四").count() == 1
    entry = LogEntry.objects.get_for_object(existing).filter(action=LogEntry.Action.UPDATE).get()
    assert "phone" in entry.changes_dict and "13900002222" not in str(entry.changes_dict)


def test_every_fault_is_listed_with_its_sheet_row_and_nothing_is_written(client, cast):
    b0 = cast.branches[0]
    PostingFactory(unit=b0.neighborhood, person=PersonFactory(village=b0.village, name="钱邻长"))
    rows = [
        HEADER,
        ["虎溪村", "", "", "虎溪村一邻", "孙六", "邻长", "", "", "", "", ""],  # 2: the 邻 has an active 邻长
        ["虎溪村", "", "", "", "周七", "队长", "", "", "", "", ""],  # 3: unknown role
        ["虎溪村", "", "", "", "吴八", "片长", "", "", "", "", ""],  # 4: a 片长 without a 片
        ["虎溪村", "", "虎溪村一组", "", "郑九", "组长", 430000197001011234, "", "", "", ""],  # 5: number
        ["虎溪村", "", "", "不存在邻", "冯十", "邻长", "", "1380000", "也许", "2026-13-01", ""],  # 6: four faults
        ["新圩村", "", "", "", "陈一", "五老", "", "", "", "", ""],  # 7: another township's village
    ]
    before = snapshot()
    client.force_login(cast.users["village"])
    preview = upload(client, xlsx_file(rows))
    errors = preview.context["errors"]
    by_row = {}
    for row, column, reason in errors:
        by_row.setdefault(row, []).append((column, reason))
    assert "已有在任邻长“钱邻长”" in str(by_row[2])
    assert by_row[3][0][0] == "职务" and "无法识别" in by_row[3][0][1]
    assert by_row[4] == [("片", "请填写片。")]
    assert "保存成了数字" in str(by_row[5])
    assert {c for c, _ in by_row[6]} == {"邻", "联系电话", "政治面貌", "任职日期"}
    assert "不存在，或不在您的管辖范围内" in str(by_row[7])
    assert 'name="confirm"' not in preview.content.decode()
    done = confirm(client, preview)
    assert "导入完成" not in done.content.decode()
    assert snapshot() == before


def test_two_leaders_for_one_unit_in_the_file_are_refused(client, cast):
    rows = [
        HEADER,
        ["虎溪村", "", "", "虎溪村一邻", "甲", "邻长", "", "", "", "", ""],
        ["虎溪村", "", "", "虎溪村一邻", "乙", "邻长", "", "", "", "", ""],
    ]
    client.force_login(cast.users["village"])
    errors = upload(client, xlsx_file(rows)).context["errors"]
    assert errors == [(3, "职务", "与本表第2行重复：虎溪村一邻只能有一名在任邻长。")]


def test_a_person_outside_the_importers_scope_cannot_be_used(client, cast):
    PersonFactory(village=cast.branches[2].village, name="外村人", id_number=ID_ZHANG)
    rows = [HEADER, ["虎溪村", "虎溪村一片", "", "", "张三", "片长", ID_ZHANG, "", "", "", ""]]
    client.force_login(cast.users["village"])
    errors = upload(client, xlsx_file(rows)).context["errors"]
    assert errors == [(2, "身份证号", "该身份证号不能使用，如有疑问请联系乡镇干部核实。")]


def test_a_confirm_that_finds_the_unit_taken_meanwhile_writes_nothing(client, cast):
    b0 = cast.branches[0]
    client.force_login(cast.users["village"])
    preview = upload(client, xlsx_file(good_rows()))
    PostingFactory(unit=b0.neighborhood, person=PersonFactory(village=b0.village, name="抢先"))
    before, people = snapshot(), Person.objects.count()
    done = confirm(client, preview)
    text = done.content.decode()
    assert "导入完成" not in text and "已有在任邻长“抢先”" in text
    assert (snapshot(), Person.objects.count()) == (before, people)
    assert not AccessLog.objects.filter(action="import").exists()


def test_a_user_without_add_and_change_rights_cannot_import(client, cast):
    client.force_login(cast.users["leader"])
    assert client.get(url("import")).status_code == 403
