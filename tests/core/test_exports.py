"""Excel/CSV exports and the household import: scoped, masked, logged, Chinese, all or nothing."""

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AccessLog
from governance.models import Neighborhood, Person, Posting
from households.models import CareCategory, Household, Resident
from tests.core import scope_matrix as sm
from tests.factories import HouseholdFactory, PersonFactory, PostingFactory, ResidentFactory, make_id_number

HEADERS = ["编号", "乡镇/街道", "村/社区", "所属邻", "户主姓名", "住址", "联系电话", "人数", "特殊群体类别", "备注"]


def test_household_export_is_masked_chinese_and_logged(client, cast):
    household = cast.branches[0].households[0]
    household.care_categories.add(CareCategory.objects.get(code="lonely_elderly"))
    ResidentFactory(household=household, id_number=make_id_number(serial=77))
    client.force_login(cast.users["township"])
    status, rows = sm.export_rows(client, Household, f"?village={cast.branches[0].village.pk}")
    assert status == 200
    assert list(rows[0]) == HEADERS
    row = next(r for r in rows if r["编号"] == str(household.pk))
    assert row["联系电话"] == household.phone[:3] + "****" + household.phone[-4:]
    assert row["村/社区"] == "虎溪村" and row["所属邻"] == "虎溪村一邻" and row["乡镇/街道"] == "塔峰镇"
    assert row["特殊群体类别"] == "孤寡老人" and row["人数"] == "1"
    assert {r["村/社区"] for r in rows} == {"虎溪村"}  # the changelist filter applies to the export
    log = AccessLog.objects.get()
    assert log.action == AccessLog.Action.EXPORT and log.model_label == "households.Household"
    assert log.row_count == len(rows) == 2
    assert log.filters == {"village": str(cast.branches[0].village.pk)}
    assert log.user == cast.users["township"] and log.unit_id == cast.townships[0].pk


def test_resident_and_person_exports_mask_id_numbers(client, cast):
    resident = ResidentFactory(household=cast.branches[0].households[0], phone="13912345678")
    person = PersonFactory(village=cast.branches[0].village, id_number=make_id_number(serial=5))
    client.force_login(cast.users["village"])
    _, residents = sm.export_rows(client, Resident)
    _, people = sm.export_rows(client, Person)
    row = next(r for r in residents if r["编号"] == str(resident.pk))
    assert row["身份证号"] == resident.id_number[:6] + "********" + resident.id_number[-4:]
    assert row["联系电话"] == "139****5678"
    assert row["与户主关系"] == "户主"
    prow = next(r for r in people if r["编号"] == str(person.pk))
    assert prow["身份证号"] == person.id_number[:6] + "********" + person.id_number[-4:]
    assert person.id_number not in str(residents) + str(people)


def test_neighborhood_export_counts_households_and_leaders(client, cast):
    branch = cast.branches[0]
    PostingFactory(person=PersonFactory(village=branch.village), unit=branch.neighborhood)
    client.force_login(cast.users["village"])
    _, rows = sm.export_rows(client, Neighborhood)
    assert rows == [
        {"编号": str(branch.neighborhood.pk), "村/社区": "虎溪村", "组/网格": "虎溪村一组", "名称": "虎溪村一邻",
         "户数": "2", "在任邻长": "有"},
    ]  # fmt: skip


@pytest.mark.parametrize("model", [Household, Resident, Person, Posting, Neighborhood], ids=lambda m: m.__name__)
def test_export_runs_a_fixed_number_of_queries(client, cast, model):
    branch = cast.branches[0]
    client.force_login(cast.users["township"])

    def grow():
        for _ in range(5):
            household = HouseholdFactory(neighborhood=branch.neighborhood, village=branch.village)
            ResidentFactory(household=household)
            person = PersonFactory(village=branch.village)
            PostingFactory(person=person, unit=branch.group, role=Posting.Role.REPRESENTATIVE)

    def count():
        with CaptureQueriesContext(connection) as queries:
            status, rows = sm.export_rows(client, model)
        assert status == 200
        return len(queries), len(rows)

    grow()
    small, small_rows = count()
    grow()
    large, large_rows = count()
    assert large == small, f"{model.__name__}: {small} queries for {small_rows} rows, {large} for {large_rows}"


def test_leader_cannot_export(client, cast):
    client.force_login(cast.users["leader"])
    status, rows = sm.export_rows(client, Household)
    assert status == 403 and rows == []
    assert not AccessLog.objects.exists()


# --- import ----------------------------------------------------------------------------------------


def xlsx(rows, headers=("编号", "村/社区", "所属邻", "户主姓名", "住址", "联系电话", "特殊群体类别", "备注")):
    data = tablib.Dataset(*rows, headers=list(headers))
    return SimpleUploadedFile("户.xlsx", data.export("xlsx"), "application/vnd.openxmlformats")


@pytest.fixture(autouse=True)
def upload_dir(tmp_path, settings):
    """Uploads between preview and confirm go to the test's own folder, not the system temp folder."""
    settings.IMPORT_UPLOAD_DIR = str(tmp_path / "uploads")


def upload(client, file):
    """The first (dry-run) step: upload, then the preview page; returns the preview response."""
    response = client.post(sm.admin_url(Household, "import"), {"import_file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"])


def confirm(client, response):
    return client.post(sm.admin_url(Household, "import_preview", response.context["token"]), {"confirm": "1"})


def can_confirm(response):
    return response.context["outcome"].ok and 'name="confirm"' in response.content.decode()


def test_import_adds_households_by_natural_keys(client, cast):
    client.force_login(cast.users["village"])
    before = Household.objects.count()
    response = upload(
        client,
        xlsx([["", "虎溪村", "虎溪村一邻", "赵大", "一号", "13800001111", "低保、五保", ""],
              ["", "虎溪村", "", "钱二", "", "", "", "备注"]]),
    )  # fmt: skip
    assert response.status_code == 200 and can_confirm(response)
    assert Household.objects.count() == before  # the dry run saved nothing
    assert confirm(client, response).status_code == 302
    zhao = Household.objects.get(head_name="赵大")
    assert zhao.village == cast.branches[0].village and zhao.neighborhood == cast.branches[0].neighborhood
    assert set(zhao.care_categories.values_list("name", flat=True)) == {"低保", "五保"}
    assert Household.objects.get(head_name="钱二").neighborhood is None


def test_export_then_import_round_trip_changes_nothing(client, cast):
    client.force_login(cast.users["village"])
    _, rows = sm.export_rows(client, Household)
    snapshot = list(Household.objects.order_by("pk").values("pk", "head_name", "phone", "neighborhood", "village"))
    file = xlsx([[r[h] for h in HEADERS] for r in rows], headers=HEADERS)
    response = upload(client, file)
    assert response.context["outcome"].ok, response.content.decode()[:2000]
    assert response.context["unchanged_only"]  # nothing to confirm: the file equals the database
    assert list(Household.objects.order_by("pk").values("pk", "head_name", "phone", "neighborhood", "village")) == (
        snapshot
    )


def test_bad_file_reports_each_row_in_chinese_and_saves_nothing(client, cast):
    client.force_login(cast.users["village"])
    foreign = cast.branches[2].households[0]
    before = list(Household.objects.order_by("pk").values_list("pk", "head_name"))
    response = upload(
        client,
        xlsx([
            ["", "虎溪村", "", "好的一户", "", "", "", ""],
            ["", "新圩村", "", "外村户", "", "", "", ""],
            ["", "虎溪村", "不存在的邻", "孙三", "", "", "", ""],
            ["", "虎溪村", "", "李四", "", "12345", "", ""],
            [str(foreign.pk), "虎溪村", "", "改名", "", "", "", ""],
            ["", "虎溪村", "", "周五", "", "", "不存在类别", ""],
            ["", "虎溪村", "", "长" * 100, "", "", "", ""],
        ]),
    )  # fmt: skip
    html = response.content.decode()
    assert not can_confirm(response)
    assert "村/社区“新圩村”不存在，或不在您的管辖范围内。" in html
    assert "虎溪村没有名为“不存在的邻”的邻。" in html
    assert f"编号为{foreign.pk}的户不存在，或不在您的管辖范围内。" in html
    assert "特殊群体类别“不存在类别”不存在。" in html
    assert "<th>行</th>" in html
    assert "<td>所属邻</td>" in html  # Chinese column as headed in the file, not "neighborhood"
    invalid = {error.row for error in response.context["outcome"].errors}
    assert invalid == {3, 4, 5, 6, 7, 8}  # the sheet's own row numbers (the header is row 1)
    assert list(Household.objects.order_by("pk").values_list("pk", "head_name")) == before


def test_masked_phone_is_refused_for_a_new_household(client, cast):
    client.force_login(cast.users["village"])
    response = upload(client, xlsx([["", "虎溪村", "", "吴六", "", "138****1111", "", ""]]))
    assert "联系电话是打码后的号码，请填写完整号码。" in response.content.decode()
    assert not Household.objects.filter(head_name="吴六").exists()


@pytest.mark.parametrize("role", ["county", "leader"])
def test_import_is_refused_without_write_permission(client, cast, role):
    client.force_login(cast.users[role])
    assert client.get(sm.admin_url(Household, "import")).status_code == 403


def test_forged_export_items_are_not_exported(client, cast):
    client.force_login(cast.users["village"])
    foreign = cast.branches[1].households[0]
    data = {"format": 1, "resource": 0, "export_items": [str(foreign.pk)], "householdresource_head_name": "on"}
    response = client.post(sm.admin_url(Household, "export"), data)
    assert "attachment" not in response.get("Content-Disposition", "")
    assert foreign.head_name not in response.content.decode()
    assert not AccessLog.objects.exists()


def test_formula_cells_are_neutralised_in_exports_and_round_trip(client, cast):
    household = cast.branches[0].households[0]
    household.head_name = "=HYPERLINK(1)"
    household.note = "@SUM(A1)"
    household.save()
    client.force_login(cast.users["village"])
    _, rows = sm.export_rows(client, Household)
    row = next(r for r in rows if r["编号"] == str(household.pk))
    assert row["户主姓名"] == "'=HYPERLINK(1)" and row["备注"] == "'@SUM(A1)"
    response = upload(client, xlsx([[r[h] for h in HEADERS] for r in rows], headers=HEADERS))
    assert confirm(client, response).status_code == 302
    household.refresh_from_db()
    assert (household.head_name, household.note) == ("=HYPERLINK(1)", "@SUM(A1)")


def test_export_page_labels_columns_in_chinese(client, cast):
    client.force_login(cast.users["township"])
    form = client.get(sm.admin_url(Household, "export")).context["form"]
    labels = [str(f.label) for name, f in form.fields.items() if name.startswith("householdresource_")]
    assert labels == HEADERS
