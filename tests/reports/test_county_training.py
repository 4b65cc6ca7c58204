"""The county workbook's training topic: what a township or the county organises itself is a 本级
row inside its section (never lost, never put in a village), and the page's township row agrees."""

import datetime

import pytest
from django.urls import reverse

from reports.county import TOPICS, topic_sheet
from tests.factories import PersonFactory
from tests.factories.training import AttendanceFactory, TrainingSessionFactory
from training.models import TrainingSession

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
            row["attendances"])  # fmt: skip


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
