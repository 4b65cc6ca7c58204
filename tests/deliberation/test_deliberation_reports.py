"""群众议事统计 through the report kit: scoping, figures equal to direct counts, queries pinned."""

import datetime

import pytest
from django.db.models import Sum
from django.urls import reverse

from accounts.models import AccessLog
from deliberation.models import Matter, Opinion, Suggestion, SupervisionEntry, SurveyAnswer, Vote
from deliberation.selectors import deliberation_stats
from tests.core import scope_matrix as sm
from tests.factories.deliberation import make_matter, make_opinion, make_survey, make_vote
from tests.reports.test_report_scoping import PERIOD, units_of

pytestmark = pytest.mark.django_db
ROLES = ["superuser", "county", "township", "township2", "village", "village2"]
TODAY = datetime.date.today()
YEAR = {"start": TODAY - datetime.timedelta(days=365), "end": TODAY}
S = Matter.Status


def check(client, cast, name, leader_status):
    for role in [*ROLES, "leader"]:
        user = cast.users[role]
        client.force_login(user)
        for unit in units_of(cast):
            status = client.get(reverse(name), {"unit": unit.pk, **PERIOD}).status_code
            if role == "leader" and leader_status != 200:  # refused before the unit is looked at
                assert status == leader_status, (name, role, unit, status)
                continue
            assert status == (200 if sm.sees(user, unit) else 404), (name, role, unit, status)
        if role != "leader" or leader_status == 200:
            assert client.get(reverse(name), {"unit": "abc"}).status_code == 404


def test_the_statistics_page_is_scoped(client, cast):
    check(client, cast, "reports:deliberation_stats", leader_status=200)


def test_the_export_is_scoped(client, cast):
    check(client, cast, "reports:deliberation_stats_export", leader_status=403)
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT, model_label="deliberation.Matter").exists()


def populate(cast):
    for branch in cast.branches:
        make_opinion(branch)
        make_opinion(branch, household=False)
        make_opinion(branch, matter=make_matter(branch))
        make_matter(branch, S.CLOSED)
        make_matter(branch, S.REJECTED)
        make_matter(branch, S.VOTED_DOWN)
        evaluating = make_matter(branch, S.EVALUATING)
        make_survey(evaluating, branch.households[0], answer="unsatisfied")
        make_survey(evaluating, branch.households[1], answer="basic")
        notice = make_matter(branch, S.NOTICE)
        make_vote(notice, entitled=100, present=40, votes_for=40, votes_against=0, abstentions=0)  # no quorum


def test_figures_equal_counts_made_directly_in_the_database(cast, django_assert_max_num_queries):
    populate(cast)
    with django_assert_max_num_queries(7):
        report = deliberation_stats(cast.users["county"], unit=cast.county, **YEAR)
    total = report.total
    assert total["opinions"] == Opinion.objects.count() == 12
    assert total["grouped"] == Opinion.objects.filter(matter__isnull=False).count() == 4
    assert total["suggestions"] == Suggestion.objects.count()
    assert total["adopted"] == Suggestion.objects.filter(adopted=True).count()
    assert total["proposed"] == Matter.objects.count()
    assert total["completed"] == Matter.objects.filter(status=S.CLOSED).count() == 4
    assert total["rejected"] == Matter.objects.filter(status=S.REJECTED).count() == 4
    assert total["votes"] == Vote.objects.count()
    assert total["no_quorum"] == Vote.objects.filter(result="no_quorum").count() == 4
    assert total["decided"] == Vote.objects.filter(result="passed").count()
    assert total["voted_down"] == Vote.objects.filter(result="failed").count() == 4
    sums = Vote.objects.aggregate(entitled=Sum("entitled"), present=Sum("present"))
    assert total["turnout"] == round(100 * sums["present"] / sums["entitled"], 1)
    assert total["supervision"] == SupervisionEntry.objects.count()
    assert total["answers"] == SurveyAnswer.objects.count()
    content = SurveyAnswer.objects.exclude(answer="unsatisfied").count()
    assert total["satisfaction"] == round(100 * content / SurveyAnswer.objects.count(), 1)
    # One row per township; each township's figures are its two villages'.
    assert [row.name for row in report.rows] == [t.name for t in cast.townships]
    assert report.rows[0]["opinions"] == 6


def test_a_village_report_has_its_areas_and_the_whole_village_row(cast):
    populate(cast)
    branch = cast.branches[0]
    report = deliberation_stats(cast.users["village"], unit=branch.village, **YEAR)
    names = [row.name for row in report.rows]
    assert names[0] == branch.area.name and "全村议事事项" in names and "未关联农户或未编入邻的民意" in names
    area = report.rows[0]
    assert area["opinions"] == 2 and area["proposed"] == 0
    village_row = report.rows[names.index("全村议事事项")]
    assert village_row["proposed"] == Matter.objects.filter(village=branch.village).count()
    assert report.total["opinions"] == Opinion.objects.filter(village=branch.village).count()


def test_the_period_counts_only_what_happened_in_it(cast):
    populate(cast)
    last_year = {"start": TODAY - datetime.timedelta(days=800), "end": TODAY - datetime.timedelta(days=400)}
    report = deliberation_stats(cast.users["county"], unit=cast.county, **last_year)
    assert report.total["opinions"] == report.total["proposed"] == report.total["votes"] == 0


def test_the_page_shows_the_table_and_the_admin_home_links_it(client, cast):
    populate(cast)
    client.force_login(cast.users["township"])
    page = client.get(reverse("reports:deliberation_stats")).content.decode()
    assert "群众议事统计" in page and "满意率(%)" in page and "虎溪村" in page
    assert reverse("reports:deliberation_stats") in client.get(reverse("admin:index")).content.decode()


def test_the_county_workbook_has_the_deliberation_sheet_with_the_same_total(cast):
    from reports.county import county_sheets

    populate(cast)
    user = cast.users["county"]
    sheets = county_sheets(user, cast.county, YEAR["start"], YEAR["end"], TODAY)
    sheet = next(s for s in sheets if s.title == "群众议事（六事）情况统计")
    report = deliberation_stats(user, unit=cast.county, **YEAR)
    assert sheet.total.counts == report.total.counts
    assert [s.subtotal.name for s in sheet.sections] == [f"{t.name}小计" for t in cast.townships]
