"""The visits per village and day (VisitDay) stay what the visits say, through every way they change."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from governance.models.units import Level
from households import selectors, tallies
from households.models import CareCategory, Household, Visit, VisitDay
from households.selectors import contact_compliance
from households.selectors_report import special_care_report, visits_report
from tests.factories import HouseholdFactory, PersonFactory
from tests.factories.ids import make_id_number
from tests.imports.helpers import HEADER, confirm, upload, xlsx_file
from tests.mobile.mobile_helpers import leader_person

DAY = datetime.date(2026, 3, 15)


def tally(village):
    return {
        row.pop("day"): row
        for row in VisitDay.objects.filter(village=village).values(
            "day", "visits", "door", "phone", "problems", "special_visits"
        )  # fmt: skip
    }


def add_visit(household, day=DAY, **fields):
    person = PersonFactory(village=household.village)
    return Visit.objects.create(household=household, visitor=person, visited_on=day, **fields)


def empty_nest():
    return CareCategory.objects.get(code=CareCategory.Code.EMPTY_NEST)


def test_a_visit_logged_on_the_phone_page_is_counted_for_its_village_and_day(client, cast):
    branch = cast.branches[0]
    leader_person(branch)
    client.force_login(cast.users["leader"])
    household = branch.households[0]
    response = client.post(f"/m/household/{household.pk}/visit/", {"method": "phone", "topic": "询问春耕准备"})
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert tally(branch.village) == {
        visit.visited_on: {"visits": 1, "door": 0, "phone": 1, "problems": 0, "special_visits": 0}
    }
    assert tallies.differences() == []


def test_editing_a_visit_moves_its_count_and_deleting_it_removes_it(cast):
    ours, theirs = cast.branches[0], cast.branches[2]
    first = add_visit(ours.households[0])
    second = add_visit(ours.households[1], problem_found=True)
    assert tally(ours.village)[DAY]["visits"] == 2
    second.visited_on = DAY - datetime.timedelta(days=1)
    second.method = Visit.Method.PHONE
    second.save()
    assert tally(ours.village) == {
        DAY: {"visits": 1, "door": 1, "phone": 0, "problems": 0, "special_visits": 0},
        second.visited_on: {"visits": 1, "door": 0, "phone": 1, "problems": 1, "special_visits": 0},
    }
    first.household = theirs.households[0]  # entered on the wrong household, corrected
    first.save()
    assert DAY not in tally(ours.village) and tally(theirs.village)[DAY]["visits"] == 1
    first.delete()
    Visit.objects.filter(pk=second.pk).delete()  # a queryset's delete (the admin's "delete selected")
    assert not VisitDay.objects.exists()
    assert tallies.differences() == []


def test_the_admin_delete_page_recounts(client, cast):
    visit = add_visit(cast.branches[0].households[0])
    client.force_login(cast.users["superuser"])
    response = client.post(f"/admin/households/visit/{visit.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Visit.objects.exists() and not VisitDay.objects.exists()


def test_care_categories_changed_either_side_recount_the_special_visits(cast):
    household = cast.branches[0].households[0]
    add_visit(household)
    add_visit(household, day=DAY + datetime.timedelta(days=1))
    village = cast.branches[0].village
    household.care_categories.add(empty_nest())
    assert [row["special_visits"] for row in tally(village).values()] == [1, 1]
    household.care_categories.clear()
    assert [row["special_visits"] for row in tally(village).values()] == [0, 0]
    empty_nest().households.add(household)  # from the category's side
    assert tallies.differences() == [] and sum(r["special_visits"] for r in tally(village).values()) == 2
    empty_nest().households.clear()
    assert sum(r["special_visits"] for r in tally(village).values()) == 0
    household.care_categories.set([empty_nest()])
    assert sum(r["special_visits"] for r in tally(village).values()) == 2
    assert tallies.differences() == []


def test_a_household_moved_to_another_village_takes_its_visits_along(cast):
    ours, other = cast.branches[0], cast.branches[1]
    household = ours.households[0]
    add_visit(household)
    add_visit(ours.households[1])
    household.village = other.village
    household.neighborhood = other.neighborhood
    household.save()  # an instance read before its visits (as an admin form's): the latest visit stays
    assert Household.objects.get(pk=household.pk).last_visited_on == DAY
    assert tally(ours.village)[DAY]["visits"] == 1
    assert tally(other.village)[DAY]["visits"] == 1
    assert tallies.differences() == []


def test_the_household_import_moving_households_and_changing_care_recounts(client, cast):
    client.force_login(cast.users["township"])
    head = make_id_number(serial=9)  # no 户号: the household is found by its head's ID number
    row = ["", "虎溪村", "虎溪村一邻", "周九", "户主", head, "13800009999", "九组", ""]
    confirm(client, upload(client, xlsx_file([HEADER, row])))
    household = Household.objects.get(head_name="周九")
    add_visit(household)
    moved = ["", "大坪村", "大坪村一邻", "周九", "户主", head, "13800009999", "九组", "低保"]
    done = confirm(client, upload(client, xlsx_file([HEADER, moved])))
    assert "修改1户" in done.content.decode()
    household.refresh_from_db()
    assert household.village == cast.branches[1].village
    assert tally(cast.branches[0].village) == {}
    assert tally(cast.branches[1].village)[DAY]["special_visits"] == 1
    assert tallies.differences() == []


def test_two_cadres_logging_visits_in_one_village_each_count(cast):
    """Sequential here; tests/households/test_visit_day_tally_pg.py runs them at once on PostgreSQL."""
    for household in cast.branches[0].households:
        add_visit(household)
    assert tally(cast.branches[0].village)[DAY]["visits"] == 2


def test_rebuild_and_the_check_command(cast):
    village = cast.branches[0].village
    add_visit(cast.branches[0].households[0])
    VisitDay.objects.filter(village=village).update(visits=5, door=5)  # drifted (a raw SQL fix, say)
    out = io.StringIO()
    with pytest.raises(CommandError, match="走访日汇总有 1 处、户人数有 0 处与记录不一致"):
        call_command("rebuild_visit_days", "--check", stdout=out)
    call_command("rebuild_visit_days", stdout=out)
    assert tally(village)[DAY]["visits"] == 1
    call_command("rebuild_visit_days", "--check", stdout=out)
    assert "已重新统计走访日汇总：1 条" in out.getvalue() and "走访日汇总、户人数与记录一致" in out.getvalue()


def test_a_database_check_refuses_counts_that_do_not_add_up(cast):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        VisitDay.objects.create(village=cast.branches[0].village, day=DAY, visits=2, door=1)


# --- Reading: the tally gives the same figures as counting the visits ------------------------------


def sample_visits(cast):
    special = [
        HouseholdFactory(neighborhood=b.neighborhood, village=b.village, categories=[empty_nest()])
        for b in (cast.branches[0], cast.branches[2])
    ]
    for i, household in enumerate([*(h for b in cast.branches for h in b.households), *special]):
        for days in range(0, 40, 3 + i % 4):
            add_visit(
                household,
                day=DAY - datetime.timedelta(days=days),
                method=Visit.Method.values[(i + days) % len(Visit.Method.values)],
                problem_found=days % 5 == 0,
            )


def figures(report):
    return [(row.name, dict(row.counts)) for row in [*report.rows, report.total]]


@pytest.mark.parametrize("role", ["superuser", "county", "township"])
@pytest.mark.parametrize("selector", [visits_report, special_care_report, contact_compliance])
def test_the_tally_and_the_visits_give_the_same_report(cast, monkeypatch, role, selector):
    sample_visits(cast)
    user = cast.users[role]
    unit = user.unit or cast.county
    start, end = DAY - datetime.timedelta(days=30), DAY
    assert tallies.answers(user, unit, Level.VILLAGE)
    kept = figures(selector(user, unit=unit, start=start, end=end))
    monkeypatch.setattr(tallies, "answers", lambda *args: False)
    counted = figures(selector(user, unit=unit, start=start, end=end))
    assert kept == counted
    total = dict(counted[-1][1])
    assert total.get("visits", total.get("special_visits")) > 0


def test_the_tally_does_not_answer_below_a_village(cast):
    village_user, leader = cast.users["village"], cast.users["leader"]
    assert not tallies.answers(village_user, cast.branches[0].village, Level.AREA)  # grouped by 片
    assert not tallies.answers(leader, cast.branches[0].village, Level.VILLAGE)  # a 邻长 sees part of a village
    assert tallies.answers(village_user, cast.branches[0].village, Level.VILLAGE)


def test_recounting_a_visit_costs_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    household = cast.branches[0].households[0]
    person = PersonFactory(village=household.village)
    with django_assert_max_num_queries(12):  # the insert, its village, the recount's four, the latest visit
        Visit.objects.create(household=household, visitor=person, visited_on=DAY)
    assert tally(cast.branches[0].village)[DAY]["visits"] == 1


def test_bulk_writes_of_visits_recount_too(cast):
    ours, theirs = cast.branches[0], cast.branches[2]
    person = PersonFactory(village=ours.village)
    created = Visit.objects.bulk_create([Visit(household=h, visitor=person, visited_on=DAY) for h in ours.households])
    assert tally(ours.village)[DAY]["visits"] == 2
    Visit.objects.filter(pk=created[0].pk).update(visited_on=DAY - datetime.timedelta(days=2), method="phone")
    assert tally(ours.village)[DAY]["visits"] == 1
    assert tally(ours.village)[DAY - datetime.timedelta(days=2)]["phone"] == 1
    created[1].household = theirs.households[0]
    Visit.objects.bulk_update([created[1]], ["household"])  # runs as update() per batch
    assert DAY not in tally(ours.village) and tally(theirs.village)[DAY]["visits"] == 1
    assert tallies.differences() == []


def last_visits():
    return dict(Household.objects.values_list("pk", "last_visited_on"))


def test_each_households_latest_visit_is_kept_through_every_write(cast):
    ours, theirs = cast.branches[0], cast.branches[2]
    household = ours.households[0]
    first = add_visit(household, day=DAY - datetime.timedelta(days=5))
    latest = add_visit(household)
    assert last_visits()[household.pk] == DAY
    latest.household = theirs.households[0]  # entered on the wrong household, corrected
    latest.save()
    assert last_visits()[household.pk] == first.visited_on and last_visits()[theirs.households[0].pk] == DAY
    Visit.objects.filter(pk=first.pk).update(visited_on=DAY - datetime.timedelta(days=1))
    assert last_visits()[household.pk] == DAY - datetime.timedelta(days=1)
    first.delete()
    assert last_visits()[household.pk] is None
    Visit.objects.bulk_create([Visit(household=household, visitor=latest.visitor, visited_on=DAY)])
    assert last_visits()[household.pk] == DAY
    assert tallies.differences() == []


def test_the_check_finds_a_stale_latest_visit(cast):
    household = cast.branches[0].households[0]
    add_visit(household)
    Household.objects.filter(pk=household.pk).update(last_visited_on=None)  # behind the app's back
    assert tallies.differences() == [("户", household.pk, None, DAY)]
    tallies.rebuild()
    assert tallies.differences() == []


def test_compliance_as_of_today_reads_the_latest_visit_and_agrees_with_the_visits(cast, monkeypatch):
    today = timezone.localdate()
    sample_visits(cast)  # in March 2026, and a few lately:
    for days, household in enumerate(Household.objects.order_by("pk")[:4]):
        add_visit(household, day=today - datetime.timedelta(days=3 + 9 * days))
    user, start = cast.users["county"], today - datetime.timedelta(days=30)
    from_latest = figures(contact_compliance(user, unit=cast.county, start=start, end=today))
    tomorrow = today + datetime.timedelta(days=1)  # "today" is then in the past: the window's visits are read
    monkeypatch.setattr(selectors.timezone, "localdate", lambda: tomorrow)
    assert figures(contact_compliance(user, unit=cast.county, start=start, end=today)) == from_latest
    assert dict(from_latest[-1][1])["compliant"] > 0
