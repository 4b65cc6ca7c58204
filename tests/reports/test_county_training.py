"""The county workbook's training topic: what a township or the county organises itself is a 本级
row inside its section (never lost, never put in a village), and the page's township row agrees."""

import datetime

import pytest
from django.urls import reverse

from core.reports import Row
from governance.models import Posting
from reports.county import TOPICS, topic_sheet
from tests.factories import PersonFactory, PostingFactory
from tests.factories.training import (
    AttendanceFactory,
    EvaluationFactory,
    EvaluationRoundFactory,
    TrainingSessionFactory,
)
from tests.training.test_training_stats import YEAR, populate
from training.models import TrainingSession
from training.selectors import people_report

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 10)
START, END = datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)
TRAINING = next(t for t in TOPICS if t.own_rows)


@pytest.fixture
def sessions(cast):
    t1 = cast.townships[0]
    TrainingSessionFactory(organiser=cast.county, level=TrainingSession.Level.COUNTY, held_on=DAY)
    own = TrainingSessionFactory(organiser=t1, level=TrainingSession.Level.TOWNSHIP, held_on=DAY)
    AttendanceFactory(session=own, person=PersonFactory(village=cast.branches[0].village))
    TrainingSessionFactory(organiser=cast.branches[1].village, held_on=DAY)
    return cast


def figures(row):
    return (row["sessions"], row["sessions_county"], row["sessions_township"], row["sessions_village"],
            row["attendance"])  # fmt: skip


def test_the_county_workbook_puts_each_level_s_own_training_in_its_section(sessions):
    cast = sessions
    sheet = topic_sheet(TRAINING, cast.users["county"], cast.county, START, END, END)
    t1, t2, county_own = sheet.sections
    assert [r.name for r in t1.rows] == ["塔峰镇本级", "虎溪村", "大坪村"]
    own, village1, village2 = t1.rows
    assert figures(own) == (1, 0, 1, 0, 0)  # the township's training, attended from 虎溪村
    assert figures(village1) == (0, 0, 0, 0, 1) and figures(village2) == (1, 0, 0, 1, 0)
    assert figures(t1.subtotal) == (2, 0, 1, 1, 1)
    assert [r.name for r in t2.rows] == ["新圩村", "毛俊村"] and figures(t2.subtotal) == (0, 0, 0, 0, 0)
    assert county_own.subtotal.name == "蓝山县本级" and figures(county_own.subtotal) == (1, 1, 0, 0, 0)
    assert figures(sheet.total) == (3, 1, 1, 1, 1)


def test_a_township_workbook_keeps_its_own_training_inside_its_section(sessions):
    cast = sessions
    sheet = topic_sheet(TRAINING, cast.users["township"], cast.townships[0], START, END, END)
    (section,) = sheet.sections
    assert [r.name for r in section.rows] == ["虎溪村", "大坪村", "塔峰镇本级"]
    assert figures(section.subtotal) == figures(sheet.total) == (2, 0, 1, 1, 1)


def test_the_page_counts_a_township_s_own_training_in_its_row(client, sessions):
    cast = sessions
    client.force_login(cast.users["county"])
    params = {"unit": cast.county.pk, "start": START.isoformat(), "end": END.isoformat()}
    tables = client.get(reverse("reports:county"), params).context["tables"]
    table = next(t for t in tables if t["report"].title == "队伍培训与民主评议")
    rows = {item["name"]: item["row"] for item in table["rows"]}
    assert figures(rows["塔峰镇"]) == (2, 0, 1, 1, 1) and figures(rows["蓝山县本级"]) == (1, 1, 0, 0, 0)
    assert figures(table["report"].total) == (3, 1, 1, 1, 1)


# ---------------------------------------------------------------- one definition with /reports/training/

SHARED = ["sessions", "trainees", "evaluated", "grade_excellent", "grade_competent", "grade_basic",
          "grade_incompetent", "awards", "adjust_persuade", "adjust_dismiss", "adjust_review",
          "adjustments"]  # fmt: skip
PEOPLE = next(t for t in TOPICS if t.selector is people_report)


def figures_of(row):
    return {key: row[key] for key in SHARED if key in row.counts} | {"人次": row.counts.get("attendance", 0)}


def by_name(rows):
    return {row.name: row for row in rows}


@pytest.mark.parametrize("role, unit", [("county", "county"), ("township", "township")])
def test_the_training_page_and_the_county_sheets_give_the_same_figures(client, cast, role, unit):
    """The same unit and period on /reports/training/, on the county page and in the county workbook."""
    populate(cast)
    user, unit = cast.users[role], cast.county if unit == "county" else cast.townships[0]
    params = {"unit": unit.pk, "start": YEAR["start"].isoformat(), "end": YEAR["end"].isoformat()}
    client.force_login(user)
    page_report = client.get(reverse("reports:training_stats"), params).context["report"]
    page = by_name(page_report.rows)
    tables = {t["report"].title: t["report"] for t in client.get(reverse("reports:county"), params).context["tables"]}
    county = [tables["队伍培训与民主评议"], tables["三长考核、表彰与动态调整"]]
    sheets = [topic_sheet(topic, user, unit, **YEAR, today=YEAR["end"]) for topic in (TRAINING, PEOPLE)]
    assert {row.name for row in county[0].rows} | {row.name for row in county[1].rows} <= set(page)
    for name, row in page.items():
        training, people = (by_name(report.rows).get(name) or Row(report.columns) for report in county)
        got = {**figures_of(training), **figures_of(people), "人次": training["attendance"]}
        assert got == figures_of(row), name
        if row.unit is not None:  # a village or township: not all zeros
            assert row["sessions"] and row["attendance"] and row["evaluated"] and row["awards"], name
    for sheet in sheets:  # the workbook's township subtotals are the page's township rows (or its total)
        for section in sheet.sections:
            row = page_report.total if section.subtotal.unit == unit else page[section.subtotal.unit.name]
            shown = {k: v for k, v in figures_of(row).items() if k in section.subtotal.counts}
            assert {k: section.subtotal[k] for k in shown} == shown, section.subtotal.name


def test_a_township_s_own_cadre_is_its_own_row_in_the_evaluation_sheet(cast):
    t1 = cast.townships[0]
    cadre = PostingFactory(unit=t1, role=Posting.Role.REPRESENTATIVE, person__village=cast.branches[0].village)
    EvaluationFactory(posting=cadre, round=EvaluationRoundFactory(unit=t1, year=2026, kind="year"), grade="basic")
    hood = PostingFactory(unit=cast.branches[1].neighborhood, person__village=cast.branches[1].village)
    EvaluationFactory(posting=hood, round=EvaluationRoundFactory(unit=cast.branches[1].village, year=2026,
                                                                 kind="year"), grade="excellent")  # fmt: skip
    sheet = topic_sheet(PEOPLE, cast.users["county"], cast.county, START, END, END)
    t1_section = sheet.sections[0]
    assert [r.name for r in t1_section.rows] == ["塔峰镇本级", "虎溪村", "大坪村"]
    own, _, village2 = t1_section.rows
    assert (own["evaluated"], own["grade_basic"], village2["grade_excellent"]) == (1, 1, 1)
    assert t1_section.subtotal["evaluated"] == sheet.total["evaluated"] == 2
