"""零报告: a leader files "no risk found" for their 邻 on the phone, the village for a 邻 in the admin;
the round's page tells 报告隐患, 零报告 and 未报告 apart."""

import datetime

import pytest
from django.urls import reverse

from disputes.models import ZeroReport
from tests.factories.disputes import make_risk, make_round
from tests.mobile.mobile_helpers import leader_person

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
PHONE = reverse("mobile:screening_rounds")


def round_url(screening_round, view="change"):
    return reverse(f"admin:disputes_screeninground_{view}", args=[screening_round.pk])


def test_a_leader_files_a_zero_report_for_their_neighbourhood_once(client, cast):
    branch = cast.branches[0]
    person = leader_person(branch)
    current = make_round(branch, title="本月排查", start_date=TODAY - datetime.timedelta(days=3))
    client.force_login(cast.users["leader"])
    html = client.get(PHONE).content.decode()
    assert "本月排查" in html and "未报告" in html and branch.neighborhood.name in html
    data = {"screening_round": current.pk, "unit": branch.neighborhood.pk, "note": "逐户走访，未发现矛盾"}
    response = client.post(PHONE, data, follow=True)
    assert "已报" in response.content.decode() and "零报告" in response.content.decode()
    report = ZeroReport.objects.get()
    assert (report.screening_round, report.unit, report.reporter, report.recorded_by, report.note) == (
        current, branch.neighborhood, person, cast.users["leader"], "逐户走访，未发现矛盾"
    )  # fmt: skip
    html = client.post(PHONE, data, follow=True).content.decode()  # the double tap: refused, nothing added
    assert "已报告过" in html and ZeroReport.objects.count() == 1
    assert "已报零报告" in client.get(PHONE).content.decode()


def test_a_neighbourhood_that_reported_a_risk_is_not_offered_a_zero_report(client, cast):
    branch = cast.branches[0]
    current = make_round(branch)
    make_risk(branch, screening_round=current)
    client.force_login(cast.users["leader"])
    html = client.get(PHONE).content.decode()
    assert "报告隐患1条" in html and 'name="unit"' not in html
    response = client.post(PHONE, {"screening_round": current.pk, "unit": branch.neighborhood.pk}, follow=True)
    assert "已报告隐患" in response.content.decode() and not ZeroReport.objects.exists()


def test_the_phone_offers_only_current_own_rounds(client, cast):
    """The scoping test of /m/disputes/screening/: own village's current rounds, own 邻, else 404."""
    ours = make_round(cast.branches[0], title="我村本轮")
    old = make_round(cast.branches[0], title="我村去年", start_date=TODAY - datetime.timedelta(days=400),
                     end_date=TODAY - datetime.timedelta(days=390))  # fmt: skip
    theirs = make_round(cast.branches[1], title="邻村本轮")
    client.force_login(cast.users["leader"])
    html = client.get(PHONE).content.decode()
    assert "我村本轮" in html and "我村去年" not in html and "邻村本轮" not in html
    for screening_round, unit in [
        (theirs, cast.branches[1].neighborhood),  # another village's round and 邻
        (ours, cast.branches[1].neighborhood),  # our round, a 邻 that is not ours
        (old, cast.branches[0].neighborhood),  # a round long over
    ]:
        response = client.post(PHONE, {"screening_round": screening_round.pk, "unit": unit.pk})
        assert response.status_code == 404
    assert client.post(PHONE, {"screening_round": "x", "unit": ""}).status_code == 404
    assert not ZeroReport.objects.exists()
    client.force_login(cast.users["village"])  # the village cadre sees every 邻 of the village, not others
    html = client.get(PHONE).content.decode()
    assert cast.branches[0].neighborhood.name in html and "邻村本轮" not in html
    client.force_login(cast.users["township"])  # above village level: filed in the admin
    assert "没有进行中的排查轮次" in client.get(PHONE).content.decode()


def test_the_phone_page_runs_a_fixed_number_of_queries(client, cast, django_assert_max_num_queries):
    make_round(cast.branches[0])
    make_round(cast.branches[0], title="节前排查", kind="holiday")
    client.force_login(cast.users["village"])
    with django_assert_max_num_queries(10):
        assert client.get(PHONE).status_code == 200


def test_the_village_files_a_zero_report_from_the_round_page(client, cast):
    branch = cast.branches[0]
    current = make_round(branch)
    client.force_login(cast.users["village"])
    html = client.get(round_url(current)).content.decode()
    assert "未报告1个" in html and "登记零报告" in html
    response = client.post(round_url(current, "zero_report"), {"unit": branch.neighborhood.pk, "note": "电话报告"})
    assert response.status_code == 302 and response["Location"] == round_url(current)
    report = ZeroReport.objects.get()
    assert (report.unit, report.note, report.recorded_by) == (branch.neighborhood, "电话报告", cast.users["village"])
    html = client.get(round_url(current)).content.decode()
    assert "零报告1个" in html and "未报告0个" in html and "电话报告" in html


def test_the_round_page_zero_report_is_scoped(client, cast):
    current = make_round(cast.branches[0])
    client.force_login(cast.users["village2"])  # another village's cadre: the round is not found
    assert client.post(round_url(current, "zero_report"), {"unit": cast.branches[0].neighborhood.pk}).status_code == 404
    client.force_login(cast.users["village"])  # our round, another village's 邻: not found
    assert client.post(round_url(current, "zero_report"), {"unit": cast.branches[2].neighborhood.pk}).status_code == 404
    assert client.get(round_url(current, "zero_report")).status_code == 405
    client.force_login(cast.users["county"])  # may see the round, may not file
    assert client.post(round_url(current, "zero_report"), {"unit": cast.branches[0].neighborhood.pk}).status_code == 403
    assert not ZeroReport.objects.exists()
