"""诉求台账 from the grievance list: chosen columns, labels, masked phones, escaped text, scope, the
changelist's filters, one query whatever the rows, and a background job above the threshold."""

import datetime
import io
from urllib.parse import quote

import openpyxl
import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessLog
from exports.models import ExportJob
from exports.services import run_export
from grievances.ledgers import GRIEVANCE_LEDGER
from grievances.models import Grievance, Revisit
from tests.exports.test_ledgers import post_export
from tests.factories import GrievanceFactory, RevisitFactory

ALL = [c.key for c in GRIEVANCE_LEDGER.columns]


@pytest.fixture
def grievances(cast):
    b0 = cast.branches[0]
    ours = GrievanceFactory(household=b0.households[0], description='=HYPERLINK("http://x")', channel="phone")
    RevisitFactory(grievance=ours, revisited_on=ours.received_on, satisfaction=Revisit.Satisfaction.BASIC)
    RevisitFactory(
        grievance=ours,
        revisited_on=ours.received_on + datetime.timedelta(days=1),
        satisfaction=Revisit.Satisfaction.SATISFIED,
    )
    outsider = GrievanceFactory(
        household=None, village=b0.village, reporter_name="外地人", reporter_phone="13912345678", urgency="urgent"
    )
    theirs = GrievanceFactory(household=cast.branches[2].households[0])
    return ours, outsider, theirs


def rows_of(response, sheet="诉求台账"):
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [sheet]
    return list(book[sheet].iter_rows(values_only=True))


def test_the_ledger_has_chinese_headers_labels_masks_and_escapes(client, cast, grievances):
    ours, outsider, theirs = grievances
    client.force_login(cast.users["village"])
    response = post_export(client, Grievance, ALL)
    assert response.status_code == 200
    filename = f"虎溪村-诉求台账-{timezone.localdate():%Y%m%d}.xlsx"
    assert f"filename*=utf-8''{quote(filename)}" in response["Content-Disposition"]
    rows = rows_of(response)
    assert list(rows[0]) == [c.header for c in GRIEVANCE_LEDGER.columns]
    by_id = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert set(by_id) == {ours.pk, outsider.pk}  # another township's grievance is not ours
    row = by_id[ours.pk]
    assert row["诉求内容"] == '\'=HYPERLINK("http://x")'  # text, never a formula
    labels = (row["来源渠道"], row["状态"], row["紧急程度"], row["类别"])
    assert labels == ("电话", "已登记", "一般", ours.category.name)
    assert row["反映户"] == ours.household.head_name and row["反映户电话"].count("*") == 4
    assert ours.household.phone not in str(row["反映户电话"])
    assert row["受理日期"].date() == ours.received_on and row["承诺时限"].date() == ours.due_date
    assert (row["回访次数"], row["满意度"]) == (2, "满意")  # the latest revisit's answer
    other = by_id[outsider.pk]
    assert (other["反映人（非本村户籍）"], other["反映人电话"], other["紧急程度"]) == ("外地人", "139****5678", "紧急")
    assert (other["回访次数"], other["满意度"], other["反映户"]) == (0, None, None)
    log = AccessLog.objects.get()
    assert (log.model_label, log.row_count) == ("grievances.Grievance", 2)


def test_the_changelist_filters_apply_and_csv_is_masked(client, cast, grievances):
    ours, outsider, _ = grievances
    client.force_login(cast.users["township"])
    response = post_export(client, Grievance, ["id", "reporter_phone", "urgency"], fmt="CSV", params="?urgency=urgent")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines() == ["编号,反映人电话,紧急程度", f"{outsider.pk},139****5678,紧急"]


def test_the_ledger_reads_one_query_whatever_the_rows(cast, grievances, django_assert_num_queries):
    user = cast.users["superuser"]
    with django_assert_num_queries(1):
        few = list(GRIEVANCE_LEDGER.rows(Grievance.objects.restrict(user)))
    for household in cast.branches[1].households:
        RevisitFactory(grievance=GrievanceFactory(household=household))
    with django_assert_num_queries(1):
        many = list(GRIEVANCE_LEDGER.rows(Grievance.objects.restrict(user)))
    assert len(few) == 3 and len(many) == 3 + len(cast.branches[1].households)


def test_the_export_request_runs_a_fixed_number_of_queries(client, cast, grievances, django_assert_max_num_queries):
    client.force_login(cast.users["township"])
    with django_assert_max_num_queries(12) as few:
        post_export(client, Grievance, ALL)
    for household in cast.branches[1].households:
        GrievanceFactory(household=household)
    with django_assert_max_num_queries(len(few.captured_queries)):
        post_export(client, Grievance, ALL)


def test_a_large_ledger_runs_as_a_job_for_its_requester(client, cast, grievances, tmp_path):
    client.force_login(cast.users["township"])
    with override_settings(EXPORT_BACKGROUND_ROWS=1, EXPORT_ROOT=tmp_path):
        response = post_export(client, Grievance, ["id", "status"])
        assert response.status_code == 302 and response["Location"] == reverse("exports:my_exports")
        job = ExportJob.objects.get()
        assert (job.ledger_name, job.total) == ("诉求台账", 2)
        run_export(job.pk)
        download = client.get(reverse("exports:download", args=[job.pk]))
        book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    rows = list(book["诉求台账"].iter_rows(values_only=True))
    assert rows[0] == ("编号", "状态") and {r[0] for r in rows[1:]} == {grievances[0].pk, grievances[1].pk}
    client.force_login(cast.users["village"])
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404
