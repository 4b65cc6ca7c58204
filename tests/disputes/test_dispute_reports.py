"""The statistics table (一表) through the report kit: scoping, figures equal to direct counts, queries pinned."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import AccessLog
from disputes.models import Agreement, Dispute, FulfilmentRevisit, RiskReport
from disputes.selectors import dispute_stats
from tests.core import scope_matrix as sm
from tests.disputes.workflow_cases import mediating
from tests.factories.disputes import make_agreement, make_dispute, make_revisit, make_risk, make_round
from tests.reports.test_report_scoping import PERIOD, units_of

pytestmark = pytest.mark.django_db
ROLES = ["superuser", "county", "township", "township2", "village", "village2"]
TODAY = datetime.date.today()
YEAR = {"start": TODAY.replace(month=1, day=1), "end": TODAY}


def check(client, cast, name, leader_in_scope=200):
    for role in [*ROLES, "leader"]:
        user = cast.users[role]
        client.force_login(user)
        for unit in units_of(cast):
            status = client.get(reverse(name), {"unit": unit.pk, **PERIOD}).status_code
            if role == "leader" and leader_in_scope != 200:  # no export permission: refused before the unit
                assert status == leader_in_scope, (name, role, unit, status)
                continue
            assert status == (200 if sm.sees(user, unit) else 404), (name, role, unit, status)
        if role != "leader" or leader_in_scope == 200:
            assert client.get(reverse(name), {"unit": "abc"}).status_code == 404


def test_the_statistics_page_is_scoped(client, cast):
    check(client, cast, "reports:dispute_stats")


def test_the_statistics_export_is_scoped(client, cast):
    check(client, cast, "reports:dispute_stats_export", leader_in_scope=403)
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT, model_label="disputes.Dispute").exists()


def populate(cast):
    for index, branch in enumerate(cast.branches):
        make_round(branch)
        make_risk(branch)
        make_risk(branch, status=RiskReport.Status.RESOLVED, resolved_on=TODAY, measure="已劝解")
        make_dispute(branch)
        overdue = TODAY - datetime.timedelta(days=1)
        make_dispute(branch, Dispute.Status.MEDIATING, session_count=1, due_date=overdue, prevents_crime=True)
        won = make_dispute(branch, Dispute.Status.SUCCEEDED, session_count=2, escalated=True, lead_official="王")
        make_agreement(won, confirmation="confirmed" if index else "")
        make_revisit(won)
        make_revisit(won, fulfilment="partial", rebounded=True, follow_up="urge")
        oral = make_dispute(branch, Dispute.Status.SUCCEEDED, session_count=1, dispute_type="debt")
        make_agreement(oral, kind="oral")
        make_dispute(
            branch, Dispute.Status.FAILED, session_count=1, failure_route="lawsuit", prevents_mass_petition=True
        )


def test_figures_equal_counts_made_directly_in_the_database(cast, django_assert_max_num_queries):
    populate(cast)
    user = cast.users["county"]
    with django_assert_max_num_queries(6):
        report = dispute_stats(user, unit=cast.county, **YEAR)
    total = report.total
    assert total["registered"] == Dispute.objects.count()
    assert total["accepted"] == Dispute.objects.filter(accepted_on__isnull=False).count()
    assert total["mediated"] == Dispute.objects.filter(session_count__gt=0).count()
    assert total["succeeded"] == Agreement.objects.count()
    assert total["written"] == Agreement.objects.filter(kind="written").count()
    assert total["oral"] == Agreement.objects.filter(kind="oral").count()
    assert total["confirmed"] == Agreement.objects.filter(confirmation="confirmed").count()
    assert total["failed"] == Dispute.objects.exclude(failure_route="").count()
    assert total["risks"] == RiskReport.objects.count()
    assert total["risks_resolved"] == RiskReport.objects.filter(status="resolved").count()
    assert total["rounds"] == 4
    assert total["revisits"] == FulfilmentRevisit.objects.count()
    assert total["rebounds"] == FulfilmentRevisit.objects.filter(rebounded=True).count()
    assert total["fulfilment_rate"] == 50.0
    assert total["escalated"] == Dispute.objects.filter(escalated=True).count()
    assert total["prevents_crime"] == 4 and total["prevents_mass_petition"] == 4
    assert total["overdue"] == Dispute.objects.filter(status__in=Dispute.OPEN_STATUSES, due_date__lt=TODAY).count()
    assert total["type_debt"] == Dispute.objects.filter(dispute_type="debt").count()
    assert total["success_rate"] == round(100 * total["succeeded"] / total["mediated"], 1)
    assert [row.name for row in report.rows] == ["塔峰镇", "祠堂圩镇"]
    assert report.rows[0]["registered"] == Dispute.objects.filter(village__parent=cast.townships[0]).count()


def test_a_village_sees_only_its_figures_grouped_below(cast):
    populate(cast)
    report = dispute_stats(cast.users["village"], unit=cast.branches[0].village, **YEAR)
    assert report.total["registered"] == Dispute.objects.filter(village=cast.branches[0].village).count()
    assert report.total["rounds"] == 1  # the village's round (its 片 took part in none: nobody reported in it)


def test_the_page_renders_the_table(client, cast):
    populate(cast)
    mediating(cast)
    client.force_login(cast.users["township"])
    response = client.get(reverse("reports:dispute_stats"), {"unit": cast.townships[0].pk})
    html = response.content.decode()
    assert response.status_code == 200 and "调解成功率" in html and "防止民转刑" in html
