"""The unit page's figures equal counts made directly in the database, for a county, a township
and a village (tests/reports/overview_data.py puts records in and outside each unit and period)."""

import datetime

import pytest
from django.db.models import Q
from django.urls import reverse

from disputes.models import Dispute, RiskReport
from governance.models import Posting, Unit
from grievances.models import Grievance, Revisit
from households.models import Household, Visit
from tests.reports.overview_data import PERIOD, START, TODAY, populate
from training.models import Attendance, Award, Evaluation
from training.selectors import training_stats

S = Grievance.Status
RESOLVED = [S.RESOLVED, S.REVISITED, S.ARCHIVED]


def page(client, user, unit):
    client.force_login(user)
    response = client.get(reverse("reports:overview"), {"unit": unit.pk, **PERIOD})
    assert response.status_code == 200
    return response


def totals(response, key, block=0):
    """The total row of a panel's table, by header."""
    panel = next(p for p in response.context["panels"] if p.key == key)
    table = panel.blocks[block][1]
    return {header: cell.value for header, cell in zip(table.headers, table.total.cells, strict=True)}


def headline(response):
    return {item.label: item.value for item in response.context["headline"]}


def direct(unit):
    """The same figures counted straight from the tables."""
    years = list(range(START.year, TODAY.year + 1))
    households = Household.objects.filter(village__path__startswith=unit.path)
    led = Posting.objects.filter(role="neighborhood_leader", end_date__isnull=True).values("unit_id")
    special = households.filter(care_categories__isnull=False).distinct()
    week = TODAY - datetime.timedelta(days=7)
    grievances = Grievance.objects.filter(
        village__path__startswith=unit.path, received_on__gte=START, received_on__lte=TODAY
    )
    latest = {}
    for revisit in Revisit.objects.filter(grievance__in=grievances).order_by("revisited_on", "id"):
        latest[revisit.grievance_id] = revisit.satisfaction
    return {
        "households": households.count(),
        "linked": households.filter(neighborhood__in=led).count(),
        "no_neighborhood": households.filter(neighborhood__isnull=True).count(),
        "hoods_without_leader": Unit.objects.filter(path__startswith=unit.path, level="neighborhood")
        .exclude(pk__in=led)
        .count(),
        "special": special.count(),
        "special_ok": special.filter(visits__visited_on__gt=week, visits__visited_on__lte=TODAY).distinct().count(),
        "visits": Visit.objects.filter(household__in=households, visited_on__gte=START, visited_on__lte=TODAY).count(),
        "collected": grievances.count(),
        "resolved": grievances.filter(status__in=RESOLVED).count(),
        "answered": grievances.filter(Q(status__in=RESOLVED) | Q(handling_mode="explained")).count(),
        "on_spot": grievances.filter(handling_mode="on_spot").count(),
        "escalated": grievances.filter(handling_mode="escalated").count(),
        "overdue": Grievance.objects.filter(village__path__startswith=unit.path, received_on__gte=START)
        .exclude(status__in=[*RESOLVED, S.REJECTED])
        .filter(due_date__lt=TODAY)
        .count(),
        "basic": sum(1 for s in latest.values() if s == "basic"),
        "unsatisfied": sum(1 for s in latest.values() if s == "unsatisfied"),
        "disputes": Dispute.objects.filter(village__path__startswith=unit.path, received_on__gte=START).count(),
        "risks": RiskReport.objects.filter(village__path__startswith=unit.path, found_on__gte=START).count(),
        "person_times": Attendance.objects.filter(
            person__village__path__startswith=unit.path, session__held_on__gte=START
        ).count(),
        "awards": Award.objects.filter(
            person__village__path__startswith=unit.path, status="approved", year__in=years
        ).count(),
        "year_end": Evaluation.objects.filter(
            posting__unit__path__startswith=unit.path, kind="year", year__in=years
        ).count(),
    }


@pytest.mark.parametrize("which", ["county", "township", "village"])
def test_figures_equal_direct_counts(client, cast, which):
    populate(cast)
    unit = {"county": cast.county, "township": cast.townships[0], "village": cast.branches[0].village}[which]
    response = page(client, cast.users["superuser"], unit)
    want = direct(unit)
    assert want["collected"] and want["households"]  # the unit has something to count

    coverage = totals(response, "coverage")
    assert coverage["户数"] == want["households"]
    assert coverage["已联户"] == want["linked"]
    assert coverage["未编入邻户数"] == want["no_neighborhood"]
    assert coverage["无在任邻长的邻"] == want["hoods_without_leader"]
    contact = totals(response, "contact")
    assert contact["特殊群体户"] == want["special"]
    assert contact["特殊户按期联系"] == want["special_ok"]
    assert contact["期间走访次数"] == want["visits"]
    grievances = totals(response, "grievances")
    assert grievances["收集"] == want["collected"]
    assert grievances["已办结"] == want["resolved"]
    assert grievances["上报上级"] == want["escalated"]
    assert grievances["超期未办结"] == want["overdue"]
    satisfaction = totals(response, "grievances", block=1)
    assert satisfaction["件数"] == want["basic"] + want["unsatisfied"]
    disputes = totals(response, "disputes")
    assert disputes["登记纠纷"] == want["disputes"]
    assert disputes["排查隐患"] == want["risks"]

    figures = headline(response)
    assert figures["收集问题诉求"] == want["collected"]
    assert figures["解决答复"] == want["answered"]
    assert figures["微服务"] == want["on_spot"]
    assert figures["服务群众"] == want["visits"]
    assert figures["户数"] == want["households"]
    assert figures["培训三长"] == want["person_times"]
    assert figures["表彰最美三长"] == want["awards"]
    assert (
        want["year_end"]
        and totals(response, "training", block=0 if which == "village" else 1)["人数"] == want["year_end"]
    )


@pytest.mark.parametrize("which", ["county", "township"])
def test_training_figures_are_the_training_pages(client, cast, which):
    """One definition: the unit page's training panel shows what 队伍建设统计 counts for the same unit and period."""
    populate(cast)
    unit = cast.county if which == "county" else cast.townships[0]
    response = page(client, cast.users["superuser"], unit)
    stats = training_stats(cast.users["superuser"], unit=unit, start=START, end=TODAY).total
    extra = next(p for p in response.context["panels"] if p.key == "training").extra
    assert extra["sessions"] == stats["sessions"]
    assert extra["person_times"] == stats["attendance"]
    assert extra["awards"] == stats["awards"] and extra["adjustments"] == stats["adjustments"]


def test_children_add_up_to_the_total_and_drill_down(client, cast):
    populate(cast)
    response = page(client, cast.users["county"], cast.county)
    coverage = next(p for p in response.context["panels"] if p.key == "coverage")
    table = coverage.blocks[0][1]
    assert [row.name for row in table.rows] == [t.name for t in cast.townships]
    assert sum(row.cells[0].value for row in table.rows) == table.total.cells[0].value
    township_page = table.rows[0].url
    assert f"unit={cast.townships[0].pk}" in township_page
    response = client.get(township_page)
    rows = next(p for p in response.context["panels"] if p.key == "coverage").blocks[0][1].rows
    assert [row.name for row in rows] == [cast.branches[0].village.name, cast.branches[1].village.name]
    village = client.get(rows[0].url)
    assert village.context["unit"] == cast.branches[0].village
    # below the village the rows are its 片: shown, not linked (the page goes no further down)
    areas = next(p for p in village.context["panels"] if p.key == "coverage").blocks[0][1].rows
    assert [row.name for row in areas] == [cast.branches[0].area.name, "未编入邻"]
    assert all(row.url == "" for row in areas)


def test_the_sentences_state_the_key_figures(client, cast):
    populate(cast)
    response = page(client, cast.users["superuser"], cast.county)
    want = direct(cast.county)
    contact = next(p for p in response.context["panels"] if p.key == "contact")
    assert f"应每周联系的特殊群体户 {want['special']} 户，按时联系 {want['special_ok']} 户" in contact.sentences[0]
    grievances = next(p for p in response.context["panels"] if p.key == "grievances")
    assert f"期间收集群众诉求 {want['collected']} 件，已办结 {want['resolved']} 件" in grievances.sentences[0]
    assert "满意率" in response.content.decode()
