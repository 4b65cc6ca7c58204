"""Each household keeps its number of residents (Household.resident_count): written by every
resident added, moved or deleted (one at a time or in bulk), never from a stale household."""

import datetime
import importlib
import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse

from households.models import Household, Resident
from households.models.households import refresh_resident_counts
from households.selectors_report import coverage_report
from tests.factories import HouseholdFactory, ResidentFactory
from tests.factories.ids import make_id_number
from tests.imports.helpers import HEADER, confirm, upload, xlsx_file


def counts(*households):
    return tuple(Household.objects.get(pk=h.pk).resident_count for h in households)


def test_added_moved_and_deleted_residents_are_counted(cast):
    one, two = cast.branches[0].households[:2]
    start = counts(one, two)
    first = ResidentFactory(household=one)
    second = ResidentFactory(household=one)
    assert counts(one, two) == (start[0] + 2, start[1])
    second.household = two
    second.save()  # moved, as the resident's change form does
    assert counts(one, two) == (start[0] + 1, start[1] + 1)
    first.name = "改名"
    first.save()
    assert counts(one, two) == (start[0] + 1, start[1] + 1)
    first.delete()
    Resident.objects.filter(pk=second.pk).delete()  # a queryset's delete too
    assert counts(one, two) == start


def test_a_household_saved_from_a_stale_copy_keeps_its_count(cast):
    household = HouseholdFactory(village=cast.branches[0].village)
    stale = Household.objects.get(pk=household.pk)
    ResidentFactory(household=household)
    stale.address = "二组8号"
    stale.save()  # as the household's change form does, read before the resident was added
    assert counts(household) == (1,)
    assert Household.objects.get(pk=household.pk).address == "二组8号"


def test_residents_written_in_bulk_are_counted_by_refresh_and_by_the_migration(cast):
    one = HouseholdFactory(village=cast.branches[0].village)
    two = HouseholdFactory(village=cast.branches[0].village)
    Resident.objects.bulk_create([Resident(household=one, name="甲"), Resident(household=one, name="乙")])
    assert counts(one) == (0,)  # bulk_create runs no save
    refresh_resident_counts([one.pk])
    assert counts(one) == (2,)
    Resident.objects.bulk_create([Resident(household=two, name="丙")])
    migration = importlib.import_module("households.migrations.0015_household_resident_count")
    migration.fill(apps, None)
    assert counts(one, two) == (2, 1)
    refresh_resident_counts()  # every household: nothing else changes
    assert {h.pk: h.resident_count for h in Household.objects.all()} == {
        h.pk: h.residents.count() for h in Household.objects.all()
    }


def test_an_import_that_adds_and_moves_residents_counts_both_households(client, cast):
    client.force_login(cast.users["village"])
    ids = [make_id_number(datetime.date(1960, 3, 5), serial=411), make_id_number(datetime.date(1962, 7, 1), serial=412)]
    rows = [
        HEADER,
        ["H001", "虎溪村", "虎溪村一邻", "赵大", "户主", ids[0], "13800001111", "一组12号", ""],
        ["H001", "虎溪村", "虎溪村一邻", "钱氏", "配偶", ids[1], "", "", ""],
        ["H002", "虎溪村", "", "孙二", "户主", "", "13900002222", "", ""],
    ]
    confirm(client, upload(client, xlsx_file(rows)))
    zhao, sun = Household.objects.get(household_number="H001"), Household.objects.get(household_number="H002")
    assert counts(zhao, sun) == (2, 1)
    rows[2][0] = "H002"  # 钱氏 moves to 孙二's household
    rows[2][4] = "其他"
    confirm(client, upload(client, xlsx_file(rows)))
    assert Resident.objects.get(id_number=ids[1]).household == sun
    assert counts(zhao, sun) == (1, 2)


def test_the_coverage_report_sums_the_kept_counts(cast):
    ResidentFactory.create_batch(3, household=cast.branches[0].households[0])
    today = datetime.date.today()
    report = coverage_report(cast.users["county"], unit=cast.county, start=today, end=today)
    assert report.total["residents"] == Resident.objects.count()


def test_the_household_list_shows_and_sorts_by_the_count(client, cast):
    household = cast.branches[0].households[0]
    ResidentFactory.create_batch(4, household=household)
    client.force_login(cast.users["village"])
    page = client.get(reverse("admin:households_household_changelist"), {"o": "-5"})
    assert page.status_code == 200
    rows = page.context["cl"].result_list
    assert rows[0].resident_count == max(h.resident_count for h in rows) == counts(household)[0]


def test_the_rebuild_command_checks_and_counts_residents_loaded_behind_the_apps_back(cast):
    household = cast.branches[0].households[0]
    Resident.objects.bulk_create([Resident(household=household, name="甲")])
    out = io.StringIO()
    with pytest.raises(CommandError, match="户人数有 1 处"):
        call_command("rebuild_visit_days", "--check", stdout=out)
    assert f"户 {household.pk} 人数" in out.getvalue()
    call_command("rebuild_visit_days", stdout=io.StringIO())
    call_command("rebuild_visit_days", "--check", stdout=out)
    assert "走访日汇总、户人数与记录一致。" in out.getvalue()
