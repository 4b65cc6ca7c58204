"""排查次数 below village level. A round is held by a village; grouped by 片 (or 组, 邻), a child's
排查次数 is the rounds it took part in (one of its 邻 reported a risk in the round or filed a 零报告),
and the total is the village's rounds held, not the sum over its 片. Figures equal direct counts."""

import datetime

import pytest

from disputes.models import ScreeningRound, ZeroReport
from disputes.selectors import dispute_stats
from tests.factories import AreaFactory, NeighborhoodFactory, VillagerGroupFactory
from tests.factories.disputes import make_risk, make_round

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
YEAR = {"start": TODAY.replace(month=1, day=1), "end": TODAY}


@pytest.fixture
def village(cast):
    """虎溪村 with a second 片 (one 组, one 邻), three rounds this year and one last year."""
    branch = cast.branches[0]
    area2 = AreaFactory(parent=branch.village, name="虎溪村二片")
    group2 = VillagerGroupFactory(parent=area2, name="虎溪村二片一组")
    hood2 = NeighborhoodFactory(parent=group2, name="虎溪村二片一邻")
    first = make_round(branch, title="一月", start_date=YEAR["start"], end_date=YEAR["start"])
    second = make_round(branch, title="二月", start_date=YEAR["start"], end_date=YEAR["start"])
    make_round(branch, title="无人报告", start_date=YEAR["start"], end_date=YEAR["start"])
    last_year = YEAR["start"] - datetime.timedelta(days=30)
    old = make_round(branch, title="去年", start_date=last_year, end_date=last_year)
    # 一片's 邻: a risk in the first round, a 零报告 in the second (and one in last year's round).
    make_risk(branch, screening_round=first, found_on=YEAR["start"])
    ZeroReport.objects.create(screening_round=second, unit=branch.neighborhood)
    ZeroReport.objects.create(screening_round=old, unit=branch.neighborhood)
    # 二片's 邻: a 零报告 in the first round only.
    ZeroReport.objects.create(screening_round=first, unit=hood2)
    make_round(cast.branches[1], title="大坪村的轮次")
    return branch, area2, hood2


def test_grouped_by_area_each_counts_the_rounds_it_took_part_in(cast, village, django_assert_max_num_queries):
    branch, area2, hood2 = village
    with django_assert_max_num_queries(7):
        report = dispute_stats(cast.users["village"], unit=branch.village, **YEAR)
    rows = {row.name: row for row in report.rows}
    assert rows[branch.area.name]["rounds"] == 2 and rows[branch.area.name]["zero_reports"] == 1
    assert rows[area2.name]["rounds"] == 1 and rows[area2.name]["zero_reports"] == 1
    held = ScreeningRound.objects.filter(village=branch.village, start_date__gte=YEAR["start"]).count()
    assert report.total["rounds"] == held == 3  # the village's rounds, 无人报告 included; not 2 + 1
    zero = ZeroReport.objects.filter(
        screening_round__village=branch.village, screening_round__start_date__gte=YEAR["start"]
    )
    assert report.total["zero_reports"] == zero.count() == 2


def test_an_area_counts_the_rounds_its_neighbourhoods_took_part_in(cast, village):
    branch, area2, hood2 = village
    report = dispute_stats(cast.users["superuser"], unit=branch.area, **YEAR)
    assert [(row.name, row["rounds"]) for row in report.rows] == [(branch.group.name, 2)]
    assert report.total["rounds"] == 2
    report = dispute_stats(cast.users["superuser"], unit=hood2, **YEAR)
    assert report.total["rounds"] == 1 and report.total["zero_reports"] == 1


def test_grouped_by_village_the_rounds_held_are_counted(cast, village):
    branch = village[0]
    report = dispute_stats(cast.users["township"], unit=cast.townships[0], **YEAR)
    rows = {row.name: row for row in report.rows}
    assert rows[branch.village.name]["rounds"] == 3 and rows[branch.village.name]["zero_reports"] == 2
    assert rows[cast.branches[1].village.name]["rounds"] == 1
    assert report.total["rounds"] == ScreeningRound.objects.filter(start_date__gte=YEAR["start"]).count() == 4
