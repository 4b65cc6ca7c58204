"""Each grievance keeps its latest revisit's answer (Grievance.satisfaction): written by every
revisit saved or deleted, never from a stale grievance, and what the statistics count."""

import datetime
import importlib
import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from grievances.models import Grievance, Revisit, refresh_satisfaction
from grievances.selectors import grievance_stats
from grievances.services import record_revisit, resolve_grievance
from tests.factories import GrievanceFactory, RevisitFactory

S = Grievance.Status
SAT = Revisit.Satisfaction


def resolved(cast, days_ago=10):
    today = timezone.localdate()
    return GrievanceFactory(
        household=cast.branches[0].households[0],
        status=S.IN_PROGRESS,
        received_on=today - datetime.timedelta(days=days_ago),
    )


def kept(grievance):
    return Grievance.objects.values_list("satisfaction", flat=True).get(pk=grievance.pk)


def test_a_revisit_through_the_service_sets_it_and_a_reopened_one_follows_the_next(cast):
    user = cast.users["village"]
    grievance = resolved(cast)
    grievance = resolve_grievance(user=user, grievance=grievance, resolution="已修好")
    grievance = record_revisit(user=user, grievance=grievance, satisfaction=SAT.UNSATISFIED, comment="还漏水")
    assert grievance.status == S.IN_PROGRESS
    assert grievance.satisfaction == kept(grievance) == SAT.UNSATISFIED
    grievance = resolve_grievance(user=user, grievance=grievance, resolution="重新修好")
    assert kept(grievance) == SAT.UNSATISFIED  # a step that is no revisit leaves it
    grievance = record_revisit(user=user, grievance=grievance, satisfaction=SAT.BASIC)
    assert grievance.satisfaction == kept(grievance) == SAT.BASIC


def test_the_latest_by_date_then_entry_counts_and_a_delete_falls_back(cast):
    grievance = resolved(cast)
    today = timezone.localdate()
    first = RevisitFactory(grievance=grievance, revisited_on=today, satisfaction=SAT.SATISFIED)
    RevisitFactory(grievance=grievance, revisited_on=today - datetime.timedelta(days=3), satisfaction=SAT.UNSATISFIED)
    assert kept(grievance) == SAT.SATISFIED  # entered later but dated earlier: not the latest
    second = RevisitFactory(grievance=grievance, revisited_on=today, satisfaction=SAT.BASIC)
    assert kept(grievance) == SAT.BASIC  # same day: the later entry
    second.delete()
    assert kept(grievance) == SAT.SATISFIED
    first.delete()
    assert kept(grievance) == SAT.UNSATISFIED
    Revisit.objects.filter(grievance=grievance).delete()  # a queryset's delete too
    assert kept(grievance) == ""


def test_a_grievance_saved_from_a_stale_copy_keeps_it(cast):
    grievance = resolved(cast)
    stale = Grievance.objects.get(pk=grievance.pk)
    RevisitFactory(grievance=grievance, satisfaction=SAT.BASIC)
    stale.description = "改过的诉求内容"
    stale.save()  # as the admin's change form does, read before the revisit
    assert kept(grievance) == SAT.BASIC
    assert Grievance.objects.get(pk=grievance.pk).description == "改过的诉求内容"


def test_bulk_written_revisits_are_read_again_by_refresh_and_by_the_migration(cast):
    one, two = resolved(cast), resolved(cast)
    Revisit.objects.bulk_create(
        [Revisit(grievance=one, revisited_on=timezone.localdate(), satisfaction=SAT.UNSATISFIED)]
    )
    assert kept(one) == ""  # bulk_create runs no save
    refresh_satisfaction([one.pk])
    assert kept(one) == SAT.UNSATISFIED
    Revisit.objects.bulk_create([Revisit(grievance=two, revisited_on=timezone.localdate(), satisfaction=SAT.BASIC)])
    migration = importlib.import_module("grievances.migrations.0008_grievance_satisfaction")
    migration.fill(apps, None)
    assert (kept(one), kept(two)) == (SAT.UNSATISFIED, SAT.BASIC)


def test_the_database_refuses_an_unknown_answer(cast):
    grievance = resolved(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        Grievance.objects.filter(pk=grievance.pk).update(satisfaction="很好")


def test_the_statistics_count_the_latest_answer(cast):
    today = timezone.localdate()
    rated = [resolved(cast) for _ in range(3)]
    resolved(cast)  # never revisited: not rated
    RevisitFactory(grievance=rated[0], revisited_on=today - datetime.timedelta(days=2), satisfaction=SAT.UNSATISFIED)
    RevisitFactory(grievance=rated[0], revisited_on=today, satisfaction=SAT.SATISFIED)
    RevisitFactory(grievance=rated[1], revisited_on=today - datetime.timedelta(days=2), satisfaction=SAT.BASIC)
    RevisitFactory(grievance=rated[1], revisited_on=today, satisfaction=SAT.UNSATISFIED)
    RevisitFactory(grievance=rated[2], satisfaction=SAT.BASIC)
    report = grievance_stats(
        cast.users["county"], unit=cast.county, start=today - datetime.timedelta(days=30), end=today, today=today
    )
    assert (report.total["rated"], report.total["satisfied"]) == (3, 2)
    assert report.total["satisfaction_rate"] == round(100 * 2 / 3, 1)


def test_the_refresh_command_checks_and_reads_revisits_loaded_behind_the_apps_back(cast):
    grievance = resolved(cast)
    Revisit.objects.bulk_create([Revisit(grievance=grievance, revisited_on=timezone.localdate(), satisfaction="basic")])
    out = io.StringIO()
    with pytest.raises(CommandError, match="有 1 件诉求"):
        call_command("refresh_satisfaction", "--check", stdout=out)
    assert f"诉求 {grievance.pk}：记录 （无），最近一次回访 basic" in out.getvalue()
    call_command("refresh_satisfaction", stdout=io.StringIO())
    call_command("refresh_satisfaction", "--check", stdout=out)
    assert "诉求的满意度与回访记录一致。" in out.getvalue()
