"""两簿 in Excel: the screening register and the mediation register exported from their admin lists
through the ledger kit: Chinese headers, the list's scope and filters, parties' names, the agreement's
number and the latest revisit, no full ID number or phone, the same queries for 2 or 12 rows."""

import io
from urllib.parse import quote

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from disputes.ledgers import MEDIATION_LEDGER, RISK_LEDGER
from disputes.models import Dispute, DisputeParty, RiskReport
from tests.exports.test_ledgers import post_export
from tests.factories.disputes import make_agreement, make_dispute, make_revisit, make_risk, make_round

pytestmark = pytest.mark.django_db


def sheet_rows(response, name):
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [name]
    return list(book[name].iter_rows(values_only=True))


def test_the_mediation_register_in_excel(client, cast):
    ours = make_dispute(cast.branches[0], Dispute.Status.SUCCEEDED, title="王某与李某宅基地纠纷")
    agreement = make_agreement(ours)
    make_revisit(ours, fulfilment="partial", revisited_on=agreement.signed_on)
    theirs = make_dispute(cast.branches[2], title="别村的纠纷")
    outsider = DisputeParty.objects.create(dispute=ours, side="respondent", name="外村人", phone="13912345678",
                                           id_number="431127199001011234")  # fmt: skip
    client.force_login(cast.users["village"])
    keys = [c.key for c in MEDIATION_LEDGER.columns]
    response = post_export(client, Dispute, keys)
    assert response.status_code == 200
    filename = f"虎溪村-人民调解登记簿-{timezone.localdate():%Y%m%d}.xlsx"
    assert f"filename*=utf-8''{quote(filename)}" in response["Content-Disposition"]
    rows = sheet_rows(response, "人民调解登记簿")
    assert rows[0] == tuple(c.header for c in MEDIATION_LEDGER.columns)
    assert [r[0] for r in rows[1:]] == [ours.pk]  # the village's own register only
    row = dict(zip(rows[0], rows[1], strict=True))
    names = [p.resident.name for p in ours.parties.exclude(resident=None)]
    assert set(row["当事人"].split("、")) == {*names, "外村人"}
    assert (row["纠纷类型"], row["调解结果"], row["协议形式"]) == ("宅基地纠纷", "调解成功", "书面协议")
    assert row["协议编号"] == agreement.document_number and row["履行情况"] == "部分履行"
    assert row["登记日期"].date() == ours.received_on and row["上报乡镇"] == "否"
    text = repr(rows)
    assert outsider.phone not in text and outsider.id_number not in text and theirs.title not in text


def test_the_screening_register_in_csv_follows_the_lists_filters(client, cast):
    branch = cast.branches[0]
    screening_round = make_round(branch, title="三月排查")
    kept = make_risk(branch, screening_round=screening_round, level="major", description="=HYPERLINK(1)")
    make_risk(branch, status="resolved", measure="已调解", resolved_on=kept.found_on)
    make_risk(cast.branches[1], description="大坪村的隐患")
    client.force_login(cast.users["township"])
    response = post_export(client, RiskReport, ["id", "village", "screening_round", "level", "description", "status"],
                           fmt="CSV", params="?status__exact=open")  # fmt: skip
    text = response.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "编号,村/社区,排查轮次,风险等级,隐患情况,状态"
    assert f"{kept.pk},虎溪村,三月排查,较大,'=HYPERLINK(1),跟进中" in lines
    assert len(lines) == 3 and "大坪村的隐患" in text  # the township's open risks: both villages, not the resolved


def test_a_leader_may_not_export_and_the_county_sees_every_village(client, cast):
    for branch in cast.branches:
        make_risk(branch)
    client.force_login(cast.users["leader"])
    assert post_export(client, RiskReport, ["id"]).status_code == 403
    client.force_login(cast.users["county"])
    rows = sheet_rows(post_export(client, RiskReport, [c.key for c in RISK_LEDGER.columns]), "矛盾纠纷排查登记簿")
    assert len(rows) == 5 and {r[2] for r in rows[1:]} == {b.village.name for b in cast.branches}


def export_queries(client, model, ledger):
    with CaptureQueriesContext(connection) as queries:
        assert post_export(client, model, [c.key for c in ledger.columns]).status_code == 200
    return len(queries)


@pytest.mark.parametrize(("model", "ledger"), [(Dispute, MEDIATION_LEDGER), (RiskReport, RISK_LEDGER)])
def test_the_export_runs_the_same_queries_for_2_or_12_rows(client, cast, model, ledger):
    branch = cast.branches[0]
    client.force_login(cast.users["village"])

    def add(n):
        for _ in range(n):
            dispute = make_dispute(branch, Dispute.Status.SUCCEEDED)
            make_revisit(dispute)
            make_agreement(dispute)
            make_risk(branch)

    add(2)
    few = export_queries(client, model, ledger)
    add(10)
    assert export_queries(client, model, ledger) == few
