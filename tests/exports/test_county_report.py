"""The county workbook and its page: every cell against counts made directly in the database,
subtotals that add up, a period that moves the figures, a township that sees only itself."""

import datetime
import io

import pytest
from django.db.models import Q
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AccessLog
from deliberation.models import Matter, Opinion
from disputes.models import Dispute, FulfilmentRevisit, RiskReport, ScreeningRound
from exports.models import ExportJob
from exports.services import run_export
from governance.models import Posting
from grievances.models import Grievance
from households.models import Household, Visit
from tests.factories import GrievanceFactory, PersonFactory, PostingFactory, UserFactory
from tests.factories.deliberation import make_matter, make_opinion
from tests.factories.disputes import make_agreement, make_dispute, make_revisit, make_risk, make_round
from tests.factories.training import (
    AdjustmentFactory,
    AttendanceFactory,
    AwardFactory,
    EvaluationFactory,
    EvaluationRoundFactory,
    MeetingFactory,
    RatingFactory,
    TrainingSessionFactory,
)
from tests.mobile.mobile_helpers import household, visit
from training.models import Adjustment, Attendance, Award, Evaluation, Rating, TrainingSession

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)
PERIOD = {"start": START.isoformat(), "end": END.isoformat()}
SHEETS = [
    "三长队伍",
    "户籍与联户覆盖",
    "特殊群体户联系",
    "走访联系（按方式）",
    "群众诉求办理情况统计",
    "矛盾纠纷排查调处情况统计",
    "队伍培训与民主评议",
    "三长考核、表彰与动态调整",
    "群众议事（六事）情况统计",
]
MARCH = datetime.date(2026, 3, 5)


@pytest.fixture
def data(cast):
    b0, b1, b2 = cast.branches[0], cast.branches[1], cast.branches[2]
    leader = PostingFactory(unit=b0.neighborhood, person=PersonFactory(village=b0.village, is_party_member=True))
    PostingFactory(unit=b1.group, role=Posting.Role.GROUP_LEADER, person__village=b1.village)
    left = {"end_date": END, "end_reason": "term_ended"}  # left on the last day of the period
    PostingFactory(unit=b2.area, role=Posting.Role.AREA_LEADER, person__village=b2.village, **left)
    PostingFactory(unit=b2.neighborhood, person__village=b2.village, start_date=END + datetime.timedelta(days=1))
    PostingFactory(unit=b2.village, role=Posting.Role.REPRESENTATIVE, person__village=b2.village)
    special = household(b0, "特殊户", special=True)
    household(b2, "特殊户二", special=True)
    visit(special, leader.person, 2, END)
    visit(b0.households[0], leader.person, 40, END)  # before the period
    phone = visit(b2.households[1], leader.person, 5, END)
    phone.method = Visit.Method.PHONE
    phone.problem_found = True
    phone.save()
    for branch in [b0, b2, cast.branches[3]]:
        GrievanceFactory(household=branch.households[0], received_on=datetime.date(2026, 3, 2))
    GrievanceFactory(household=b1.households[0], received_on=datetime.date(2026, 4, 2))  # after the period
    make_opinion(b0, collected_on=datetime.date(2026, 3, 10))
    make_opinion(b2, household=False, collected_on=datetime.date(2026, 3, 31))
    make_opinion(b1, collected_on=datetime.date(2026, 4, 1))  # after the period
    make_matter(b0, proposed_on=datetime.date(2026, 3, 5))
    disputes_and_training(cast)
    evaluations_and_awards(cast)
    return cast


def evaluations_and_awards(cast):
    """Year-end grades (and a half-year one, not counted), awards (one only nominated), adjustments
    (one carried out after the period, one only proposed)."""
    b0, b2 = cast.branches[0], cast.branches[2]
    for branch, grades in [(b0, ["excellent", "competent", "basic"]), (b2, ["incompetent"])]:
        year_end = EvaluationRoundFactory(unit=branch.village, year=2026, kind="year")
        for grade in grades:
            posting = PostingFactory(unit=branch.group, role="representative", person__village=branch.village)
            EvaluationFactory(posting=posting, round=year_end, grade=grade)
            AwardFactory(person=posting.person, status=Award.Status.APPROVED if grade == "excellent" else "nominated")
    half = {"posting__unit": b2.area, "posting__role": "representative", "posting__person__village": b2.village}
    EvaluationFactory(**half, round__year=2026, round__kind="half", grade="excellent")  # not a year-end grade
    done = {"status": "carried_out", "carried_out_on": MARCH}
    hood = {
        "posting__unit": b0.neighborhood,
        "posting__end_date": END,
        "posting__end_reason": "persuaded",
        "posting__person__village": b0.village,
    }
    AdjustmentFactory(kind="persuade", **hood, **done)
    group = {
        "posting__unit": b2.group,
        "posting__end_date": END,
        "posting__end_reason": "persuaded",
        "posting__person__village": b2.village,
    }
    AdjustmentFactory(kind="dismiss", **group, **done)
    AdjustmentFactory(kind="review", **group, status="carried_out", carried_out_on=datetime.date(2026, 4, 2))  # after
    AdjustmentFactory(kind="review", **hood)  # proposed only


def disputes_and_training(cast):
    """Screening, disputes in several steps, revisits; village trainings with attendance; ratings."""
    b0, b1, b2 = cast.branches[0], cast.branches[1], cast.branches[2]
    accepted = {"accepted_on": MARCH, "due_date": END, "status": Dispute.Status.MEDIATING}
    make_dispute(b0, received_on=MARCH, parties=False)  # registered only
    mediated = make_dispute(b0, received_on=MARCH, parties=False, session_count=1, **accepted)
    make_agreement(mediated, signed_on=MARCH)
    make_revisit(mediated, revisited_on=END)
    make_dispute(b2, received_on=MARCH, parties=False, session_count=2, **accepted)  # not (yet) succeeded
    make_dispute(b1, received_on=datetime.date(2026, 4, 1), parties=False)  # after the period
    make_round(b0, start_date=MARCH, end_date=MARCH)
    make_round(b2, start_date=datetime.date(2026, 2, 1), end_date=datetime.date(2026, 2, 1))  # before
    make_risk(b0, found_on=MARCH)
    make_risk(b2, found_on=MARCH)
    for branch, people in [(b0, 3), (b2, 1)]:
        session = TrainingSessionFactory(organiser=branch.village, held_on=MARCH)
        for _ in range(people):
            AttendanceFactory(session=session, person=PersonFactory(village=branch.village))
    again = TrainingSessionFactory(organiser=b0.village, held_on=MARCH, level=TrainingSession.Level.VILLAGE)
    AttendanceFactory(session=again, person=Attendance.objects.filter(person__village=b0.village).first().person)
    TrainingSessionFactory(organiser=b1.village, held_on=datetime.date(2026, 4, 9))  # after the period
    meeting = MeetingFactory(unit=b0.village, held_on=MARCH)
    for answer in ["satisfied", "satisfied", "basic", "unsatisfied"]:  # four leaders rated by one household
        RatingFactory(meeting=meeting, leader=PersonFactory(village=b0.village), answer=answer,
                      household=b0.households[0])  # fmt: skip
    RatingFactory(meeting__unit=b2.neighborhood, leader=PersonFactory(village=b2.village), household=b2.households[0])


def expected(village, start=START, end=END):
    """The figures of one village, counted straight from the tables."""
    active = Posting.objects.filter(unit__path__startswith=village.path, start_date__lte=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=end)
    )
    leaders = active.filter(role__in=["area_leader", "group_leader", "neighborhood_leader"])
    households = Household.objects.filter(village=village)
    visits = Visit.objects.filter(household__village=village, visited_on__range=(start, end))
    disputes = Dispute.objects.filter(village=village, received_on__range=(start, end))
    attendances = Attendance.objects.filter(person__village=village, session__held_on__range=(start, end))
    evaluations = Evaluation.objects.filter(
        posting__unit__path__startswith=village.path, kind="year", year__in=range(start.year, end.year + 1)
    )
    adjustments = Adjustment.objects.filter(
        posting__unit__path__startswith=village.path, status="carried_out", carried_out_on__range=(start, end)
    )
    ratings = Rating.objects.filter(meeting__unit__path__startswith=village.path, meeting__held_on__range=(start, end))
    return {
        "三长队伍": {
            "片长": active.filter(role="area_leader").count(),
            "组长": active.filter(role="group_leader").count(),
            "邻长": active.filter(role="neighborhood_leader").count(),
            "三长合计": leaders.count(),
            "其中党员": leaders.filter(person__is_party_member=True).count(),
            "村(居)民代表": active.filter(role="representative").count(),
        },
        "户籍与联户覆盖": {
            "户数": households.count(),
            "已编入邻户数": households.filter(neighborhood__isnull=False).count(),
            "有在任邻长联系户数": households.with_link_status().filter(is_linked=True).count(),
        },
        "特殊群体户联系": {
            "特殊群体户": households.special().count(),
            "期间走访次数": visits.filter(household__care_categories__isnull=False).distinct().count(),
        },
        "走访联系（按方式）": {
            "走访合计": visits.count(),
            "入户走访": visits.filter(method="door").count(),
            "电话": visits.filter(method="phone").count(),
            "发现问题": visits.filter(problem_found=True).count(),
        },
        "三长考核、表彰与动态调整": {
            "年终总评人数": evaluations.count(),
            "优秀": evaluations.filter(grade="excellent").count(),
            "称职": evaluations.filter(grade="competent").count(),
            "基本称职": evaluations.filter(grade="basic").count(),
            "不称职": evaluations.filter(grade="incompetent").count(),
            "最美三长": Award.objects.filter(person__village=village, status="approved", year=start.year).count(),
            "劝辞": adjustments.filter(kind="persuade").count(),
            "罢免": adjustments.filter(kind="dismiss").count(),
            "联审": adjustments.filter(kind="review").count(),
            "调整合计": adjustments.count(),
        },
        "群众诉求办理情况统计": {
            "收集诉求": Grievance.objects.filter(village=village, received_on__range=(start, end)).count(),
        },
        "群众议事（六事）情况统计": {
            "收集民意": Opinion.objects.filter(village=village, collected_on__range=(start, end)).count(),
            "提事": Matter.objects.filter(village=village, proposed_on__range=(start, end)).count(),
        },
        "矛盾纠纷排查调处情况统计": {
            "排查次数": ScreeningRound.objects.filter(village=village, start_date__range=(start, end)).count(),
            "排查隐患": RiskReport.objects.filter(village=village, found_on__range=(start, end)).count(),
            "受理纠纷": disputes.filter(accepted_on__isnull=False).count(),
            "已调解": disputes.filter(session_count__gt=0).count(),
            "调解成功": disputes.filter(agreement__isnull=False).count(),
            "履行回访": FulfilmentRevisit.objects.filter(
                dispute__village=village, revisited_on__range=(start, end)
            ).count(),
        },
        "队伍培训与民主评议": {
            "培训场次": TrainingSession.objects.filter(
                organiser__path__startswith=village.path, held_on__range=(start, end)
            ).count(),
            "参训人次": attendances.count(),
            "参训人数": attendances.values("person").distinct().count(),
            "评议票数": ratings.count(),
            "满意": ratings.filter(answer="satisfied").count(),
            "不满意": ratings.filter(answer="unsatisfied").count(),
        },
    }


def read_sheet(sheet):
    """{row name (stripped): {header: value}} with the two header rows resolved to each column's header."""
    headers = [sheet.cell(4, c).value or sheet.cell(3, c).value for c in range(1, sheet.max_column + 1)]
    rows = {}
    for row in sheet.iter_rows(min_row=5, values_only=True):
        if row[0] and not str(row[0]).startswith(("说明", "填报")):
            rows[str(row[0]).strip("　")] = dict(zip(headers[1:], row[1:], strict=False))
    return rows


def add(*dicts):
    return {key: sum(d[key] for d in dicts) for key in dicts[0]}


def test_the_workbook_equals_the_database_cell_by_cell(client, data, tmp_path, django_capture_on_commit_callbacks):
    """A county's workbook is a background job (seconds at county scale), downloaded from 我的导出."""
    client.force_login(data.users["county"])
    with override_settings(EXPORT_ROOT=tmp_path), django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("reports:county_export"), {"unit": data.county.pk, **PERIOD})
        assert response.status_code == 302 and response["Location"] == reverse("exports:my_exports")
        job = ExportJob.objects.get(user=data.users["county"], kind="county")
        run_export(job.pk)
        download = client.get(reverse("exports:download", args=[job.pk]))
        content = b"".join(download.streaming_content)
    assert "filename*=utf-8''" in download["Content-Disposition"]
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == SHEETS
    villages = {b.village.name: expected(b.village) for b in data.branches}
    for title in SHEETS:
        sheet = book[title]
        assert sheet["A1"].value == f"蓝山县{title}统计表" and "2026年03月01日至2026年03月31日" in sheet["A2"].value
        assert sheet.freeze_panes == "B5" and sheet["A3"].font.bold
        rows = read_sheet(sheet)
        for township in data.townships:
            names = [b.village.name for b in data.branches if b.village.parent_id == township.pk]
            for name in names:
                assert {k: rows[name][k] for k in villages[name][title]} == villages[name][title], (title, name)
            subtotal = add(*(villages[n][title] for n in names))
            assert {k: rows[f"{township.name}小计"][k] for k in subtotal} == subtotal, title
        total = add(*(v[title] for v in villages.values()))
        assert {k: rows["蓝山县合计"][k] for k in total} == total, title
        footer = [c.value for c in sheet[sheet.max_row]]
        assert footer[0] == "填报单位：蓝山县" and "填报人：" in footer and "审核人：" in footer
    people = read_sheet(book["三长考核、表彰与动态调整"])["蓝山县合计"]
    assert (people["年终总评人数"], people["优秀"], people["最美三长"], people["调整合计"]) == (4, 1, 1, 2)
    merged = {str(r) for r in book["走访联系（按方式）"].merged_cells.ranges}
    assert "C3:H3" in merged  # 联系方式 over its six methods
    assert AccessLog.objects.get().model_label == "households.Household"


def test_the_page_equals_the_database_and_drills_down(client, data):
    client.force_login(data.users["county"])
    response = client.get(reverse("reports:county"), {"unit": data.county.pk, **PERIOD})
    assert response.status_code == 200
    tables = {t["report"].title: t for t in response.context["tables"]}
    assert list(tables) == SHEETS
    html = response.content.decode()
    assert all(f'id="topic-{n}"' in html for n in range(1, len(SHEETS) + 1))  # one table per topic
    for title, table in tables.items():
        for item in table["rows"]:
            villages = [b.village for b in data.branches if b.village.parent_id == item["row"].unit.pk]
            want = add(*(expected(v)[title] for v in villages))
            assert {k: item["row"][c.key] for c in table["report"].columns for k in want if c.header == k} == want
            assert item["url"]  # a township links down to its villages
    township = data.townships[0]
    down = client.get(reverse("reports:county"), {"unit": township.pk, **PERIOD})
    names = [item["name"] for item in down.context["tables"][0]["rows"]]
    assert names == [b.village.name for b in data.branches if b.village.parent_id == township.pk]


def test_a_period_moves_the_figures(client, data):
    client.force_login(data.users["county"])
    other = {"start": "2026-04-01", "end": "2026-04-30"}
    march = client.get(reverse("reports:county"), {"unit": data.county.pk, **PERIOD}).context["tables"]
    april = client.get(reverse("reports:county"), {"unit": data.county.pk, **other}).context["tables"]
    assert march[3]["report"].total["visits"] == 2 and april[3]["report"].total["visits"] == 0
    assert march[4]["report"].total["collected"] == 3 and april[4]["report"].total["collected"] == 1
    assert march[0]["report"].total["area_leader"] == 0  # left on the last day of March


def test_a_township_user_gets_only_their_township(client, data):
    client.force_login(data.users["township"])
    for name in ["reports:county", "reports:county_export"]:
        assert client.get(reverse(name), {"unit": data.county.pk, **PERIOD}).status_code == 404
        assert client.get(reverse(name), {"unit": data.townships[1].pk, **PERIOD}).status_code == 404
    response = client.get(reverse("reports:county_export"), PERIOD)
    rows = read_sheet(load_workbook(io.BytesIO(response.content))["户籍与联户覆盖"])
    assert set(rows) == {"塔峰镇小计", "虎溪村", *[b.village.name for b in data.branches[:2]], "塔峰镇合计"}
    page = client.get(reverse("reports:county"), PERIOD).content.decode()
    assert "祠堂圩镇" not in page and data.branches[2].village.name not in page


def test_a_user_without_the_permission_is_refused(client, db):
    client.force_login(UserFactory(unit=None))  # staff, but no unit: no permission at all
    assert client.get(reverse("reports:county")).status_code == 403
    assert client.get(reverse("reports:county_export")).status_code == 403
