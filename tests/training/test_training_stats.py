"""队伍建设统计 through the report kit: sessions, 人次, hours, untrained leaders, year-end grades,
awards and adjustments per child unit and period; figures equal direct counts; scoped; pinned queries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import AccessLog
from governance.models import Posting
from tests.core import scope_matrix as sm
from tests.factories import PersonFactory, PostingFactory
from tests.factories.training import (
    AdjustmentFactory,
    AttendanceFactory,
    AwardFactory,
    EvaluationFactory,
    EvaluationRoundFactory,
    TrainingSessionFactory,
)
from tests.reports.test_report_scoping import PERIOD, units_of
from training.models import Adjustment, Attendance, Award, Evaluation, TrainingSession
from training.selectors import training_stats

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
YEAR = {"start": TODAY.replace(month=1, day=1), "end": TODAY}
LAST_YEAR = TODAY.replace(month=1, day=1) - datetime.timedelta(days=10)
ROLES = ["superuser", "county", "township", "township2", "village", "village2"]


def populate(cast):
    """Per village: a 邻长 trained twice, a 组长 trained once, a representative not trained, a 片长
    persuaded to resign; a township session, a village session and one of last year."""
    R = Posting.Role
    for index, branch in enumerate(cast.branches):

        def person(name, village=branch.village):
            return PersonFactory(village=village, name=f"{village.name}{name}")

        hood = PostingFactory(person=person("邻长"), unit=branch.neighborhood, role=R.NEIGHBORHOOD_LEADER)
        group = PostingFactory(person=person("组长"), unit=branch.group, role=R.GROUP_LEADER)
        PostingFactory(person=person("代表"), unit=branch.village, role=R.REPRESENTATIVE)
        gone = PostingFactory(person=person("片长"), unit=branch.area, role=R.AREA_LEADER,
                              end_date=YEAR["start"], end_reason=Posting.EndReason.PERSUADED)  # fmt: skip
        township = TrainingSessionFactory(organiser=branch.village.parent, held_on=YEAR["start"], hours=Decimal("2.5"))
        village = TrainingSessionFactory(organiser=branch.village, held_on=TODAY, hours=3)
        old = TrainingSessionFactory(organiser=branch.village, held_on=LAST_YEAR, hours=4)
        AttendanceFactory(session=township, person=hood.person)
        AttendanceFactory(session=village, person=hood.person)
        AttendanceFactory(session=village, person=group.person)
        AttendanceFactory(session=old, person=group.person)  # last year: not in the period
        year_end = EvaluationRoundFactory(unit=branch.village, year=TODAY.year, kind="year")
        half = EvaluationRoundFactory(unit=branch.village, year=TODAY.year, kind="half")
        EvaluationFactory(posting=hood, round=year_end, grade="excellent")
        EvaluationFactory(posting=group, round=year_end, grade="incompetent" if index else "basic")
        EvaluationFactory(posting=hood, round=half, grade="competent")  # 半年小评: not a year-end grade
        AwardFactory(person=hood.person, year=TODAY.year, status=Award.Status.APPROVED)
        AwardFactory(person=group.person, year=TODAY.year)  # nominated only
        AdjustmentFactory(posting=gone, kind="persuade", status="carried_out", carried_out_on=YEAR["start"])
        AdjustmentFactory(posting=group, kind="dismiss", status="proposed")  # not carried out


def test_figures_equal_counts_made_directly_in_the_database(cast, django_assert_max_num_queries):
    populate(cast)
    with django_assert_max_num_queries(7):
        report = training_stats(cast.users["county"], unit=cast.county, **YEAR)
    total = report.total
    sessions = TrainingSession.objects.filter(held_on__gte=YEAR["start"])
    attendance = Attendance.objects.filter(session__held_on__gte=YEAR["start"])
    assert total["sessions"] == sessions.count() == 8
    assert total["session_hours"] == sum(s.hours for s in sessions) == Decimal("22")
    assert total["attendance"] == attendance.count() == 12
    assert total["attendance_hours"] == sum(a.session.hours for a in attendance) == Decimal("34")
    active = Posting.objects.filter(end_date__isnull=True)
    assert total["leaders"] == active.values("person").distinct().count() == 12
    assert (
        total["trained"]
        == active.filter(person__training_attendances__in=attendance).values("person").distinct().count()
        == 8
    )
    assert total["untrained"] == 4 and total["trained_rate"] == round(100 * 8 / 12, 1)
    year_end = Evaluation.objects.filter(kind="year", year=TODAY.year)
    assert total["evaluated"] == year_end.count() == 8
    assert total["grade_excellent"] == year_end.filter(grade="excellent").count() == 4
    assert total["grade_incompetent"] == 3 and total["grade_basic"] == 1 and total["grade_competent"] == 0
    assert total["awards"] == Award.objects.filter(status="approved").count() == 4
    assert total["adjust_persuade"] == Adjustment.objects.filter(status="carried_out", kind="persuade").count() == 4
    assert total["adjust_dismiss"] == 0 and total["adjustments"] == 4
    rows = {row.name: row for row in report.rows}
    assert list(rows) == ["塔峰镇", "祠堂圩镇"]  # the townships organised the sessions: no 本级 row
    township = cast.townships[0]
    assert rows["塔峰镇"]["sessions"] == sessions.filter(organiser__path__startswith=township.path).count() == 4
    assert rows["塔峰镇"]["attendance"] == attendance.filter(person__village__parent=township).count() == 6


def test_grouped_by_area_below_the_village(cast):
    populate(cast)
    branch = cast.branches[0]
    report = training_stats(cast.users["village"], unit=branch.village, **YEAR)
    rows = {row.name: row for row in report.rows}
    area = rows[branch.area.name]
    assert (area["attendance"], area["leaders"], area["trained"], area["untrained"]) == (3, 2, 2, 0)
    assert (area["grade_excellent"], area["grade_basic"], area["awards"], area["adjust_persuade"]) == (1, 1, 1, 1)
    here = rows[f"{branch.village.name}本级"]  # the village's own session and its representative
    assert (here["sessions"], here["leaders"], here["untrained"]) == (1, 1, 1)
    assert report.total["sessions"] == 1 and report.total["leaders"] == 3  # the township's session is not the village's
    assert set(rows) == {branch.area.name, f"{branch.village.name}本级"}


def test_the_queries_do_not_grow_with_the_rows(cast, django_assert_max_num_queries):
    populate(cast)
    for branch in cast.branches[:2]:
        for _ in range(10):
            person = PostingFactory(person=PersonFactory(village=branch.village), unit=branch.group,
                                    role=Posting.Role.REPRESENTATIVE).person  # fmt: skip
            AttendanceFactory(session=TrainingSessionFactory(organiser=branch.village, held_on=TODAY), person=person)
    with django_assert_max_num_queries(7):
        report = training_stats(cast.users["superuser"], unit=cast.townships[0], **YEAR)
    assert report.total["attendance"] == 6 + 20 and report.total["leaders"] == 6 + 20


def check(client, cast, name):
    for role in ROLES:
        user = cast.users[role]
        client.force_login(user)
        for unit in units_of(cast):
            status = client.get(reverse(name), {"unit": unit.pk, **PERIOD}).status_code
            assert status == (200 if sm.sees(user, unit) else 404), (name, role, unit, status)
        assert client.get(reverse(name), {"unit": "abc"}).status_code == 404
    client.force_login(cast.users["leader"])  # no training permission: refused before the unit
    assert client.get(reverse(name), {"unit": cast.branches[0].neighborhood.pk}).status_code == 403


def test_the_statistics_page_is_scoped(client, cast):
    check(client, cast, "reports:training_stats")


def test_the_statistics_export_is_scoped(client, cast):
    check(client, cast, "reports:training_stats_export")
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT, model_label="training.TrainingSession").exists()


def test_the_page_and_the_workbook(client, cast):
    import io

    import openpyxl

    populate(cast)
    client.force_login(cast.users["township"])
    html = client.get(reverse("reports:training_stats"), YEAR).content.decode()
    assert "队伍建设统计" in html and "未参训人员" in html and "大坪村" in html
    assert reverse("reports:training_stats") in client.get("/admin/").content.decode()
    response = client.get(reverse("reports:training_stats_export"), YEAR)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:4] == ("单位", "组织培训(场次)", "培训学时", "参训人次")
    assert rows[-1][0] == "塔峰镇合计" and rows[-1][2] == 11 and sheet.cell(len(rows), 3).number_format == "0.0"
