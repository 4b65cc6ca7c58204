"""Access log: views of minors' records are logged; both logs are readable, scoped and read-only."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from accounts.models import AccessLog
from accounts.services import log_access
from households.models import CareCategory
from tests.factories import ResidentFactory, make_id_number

LOGS = "/admin/accounts/accesslog/"
HISTORY = "/admin/auditlog/logentry/"


def minor_id():
    today = timezone.localdate()
    return make_id_number(birth=datetime.date(today.year - 10, 3, 1), serial=321)


def test_opening_a_left_behind_child_household_is_logged(client, cast):
    household = cast.branches[0].households[0]
    household.care_categories.add(CareCategory.objects.get(code="left_behind_child"))
    client.force_login(cast.users["village"])
    assert client.get(f"/admin/households/household/{household.pk}/change/").status_code == 200
    log = AccessLog.objects.get()
    assert log.action == AccessLog.Action.VIEW_MINOR
    assert log.user == cast.users["village"] and log.unit == cast.branches[0].village
    assert log.object_id == str(household.pk) and log.model_label == "households.Household"


def test_opening_a_minor_resident_is_logged(client, cast):
    child = ResidentFactory(household=cast.branches[0].households[0], id_number=minor_id(), relation="child")
    client.force_login(cast.users["township"])
    assert client.get(f"/admin/households/resident/{child.pk}/change/").status_code == 200
    assert AccessLog.objects.filter(action=AccessLog.Action.VIEW_MINOR, object_id=str(child.pk)).count() == 1


def test_adults_and_ordinary_households_are_not_logged(client, cast):
    adult = ResidentFactory(household=cast.branches[0].households[1])
    client.force_login(cast.users["village"])
    client.get(f"/admin/households/resident/{adult.pk}/change/")
    client.get(f"/admin/households/household/{adult.household_id}/change/")
    assert not AccessLog.objects.exists()


def test_access_log_is_append_only(cast, rf):
    request = rf.get("/")
    request.user = cast.users["village"]
    log = log_access(request=request, action=AccessLog.Action.REVEAL, obj=cast.branches[0].households[0])
    log.row_count = 5
    with pytest.raises(PermissionError):
        log.save()
    with pytest.raises(PermissionError):
        log.delete()
    with pytest.raises(PermissionError):
        AccessLog.objects.all().delete()
    with pytest.raises(PermissionError):
        AccessLog.objects.update(row_count=1)


@pytest.fixture
def logged(cast, rf):
    """One access-log row and one audit entry by the township-1 and the township-2 village users."""
    rows = {}
    for name in ["village", "village2"]:
        request = rf.get("/")
        request.user = cast.users[name]
        rows[name] = log_access(request=request, action=AccessLog.Action.EXPORT, model=CareCategory, row_count=3)
        from auditlog.context import set_actor

        with set_actor(cast.users[name]):
            household = cast.branches[0 if name == "village" else 2].households[0]
            household.note = f"{name}改过"
            household.save()
    return rows


def listed_users(html, cast):
    return {name for name in ["village", "village2"] if f"{cast.users[name].username}" in html}


def test_county_official_reads_both_logs_for_the_whole_county(client, cast, logged):
    client.force_login(cast.users["county"])
    access_html = client.get(LOGS).content.decode()
    assert "导出数据" in access_html
    assert client.get(LOGS).context["cl"].result_count == 2
    history = client.get(HISTORY)
    assert history.status_code == 200
    actors = {e.actor_id for e in history.context["cl"].result_list}
    assert {cast.users["village"].pk, cast.users["village2"].pk} <= actors


def test_township_staff_read_only_their_township(client, cast, logged):
    client.force_login(cast.users["township"])
    access = client.get(LOGS).context["cl"].result_list
    assert [log.user for log in access] == [cast.users["village"]]
    history = client.get(HISTORY).context["cl"].result_list
    assert {e.actor_id for e in history} == {cast.users["village"].pk}
    other = LogEntry.objects.filter(actor=cast.users["village2"]).first()
    assert client.get(f"{HISTORY}{other.pk}/change/").status_code in (302, 404)


def test_village_staff_cannot_read_the_logs(client, cast, logged):
    client.force_login(cast.users["village"])
    assert client.get(LOGS).status_code == 403
    assert client.get(HISTORY).status_code == 403


def test_logs_filter_by_user_and_period(client, cast, logged):
    client.force_login(cast.users["county"])
    village2 = cast.users["village2"]
    by_user = client.get(LOGS, {"user": village2.pk}).context["cl"].result_list
    assert [log.user for log in by_user] == [village2]
    history = client.get(HISTORY, {"actor": village2.pk}).context["cl"].result_list
    assert {e.actor_id for e in history} == {village2.pk}
    today = timezone.localdate()
    period = {"created_at__year": today.year, "created_at__month": today.month, "created_at__day": today.day}
    assert client.get(LOGS, period).context["cl"].result_count == 2
    last_year = {"created_at__year": today.year - 1}
    assert client.get(LOGS, last_year).context["cl"].result_count == 0
    assert client.get(HISTORY, {"timestamp__year": today.year}).status_code == 200


@pytest.mark.parametrize("role", ["county", "superuser"])
def test_nobody_adds_changes_or_deletes_log_entries_in_the_admin(client, cast, logged, role):
    client.force_login(cast.users[role])
    log = logged["village"]
    entry = LogEntry.objects.filter(actor=cast.users["village"]).first()
    assert client.get(f"{LOGS}add/").status_code == 403
    assert client.post(f"{LOGS}{log.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"{HISTORY}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"{LOGS}{log.pk}/change/", {"row_count": 9}).status_code == 403
    assert AccessLog.objects.filter(pk=log.pk, row_count=3).exists()
    assert LogEntry.objects.filter(pk=entry.pk).exists()
    # the detail page is readable and in Chinese
    detail = client.get(f"{HISTORY}{entry.pk}/change/").content.decode()
    assert "变更内容" in detail and "备注" in detail


@pytest.mark.parametrize("rows", [2, 30])
def test_log_lists_run_a_fixed_number_of_queries(client, cast, rf, django_assert_max_num_queries, rows):
    from auditlog.context import set_actor

    user = cast.users["village"]
    request = rf.get("/")
    request.user = user
    household = cast.branches[0].households[0]
    with set_actor(user):
        for i in range(rows):
            log_access(request=request, action=AccessLog.Action.EXPORT, model=CareCategory, row_count=i)
            household.note = f"第{i}次"
            household.save()
    client.force_login(cast.users["county"])
    # session, user, the user's unit, user-filter choices, count, page, date-hierarchy bounds and
    # dates, session save (+ a content-type lookup on a cold cache): the same whatever the row count
    with django_assert_max_num_queries(12):
        assert client.get(LOGS).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(HISTORY).status_code == 200


def test_opening_the_phone_visit_page_of_a_left_behind_child_household_is_logged(client, cast):
    from tests.mobile.mobile_helpers import leader_person

    leader_person(cast.branches[0])
    household = cast.branches[0].households[0]
    household.care_categories.add(CareCategory.objects.get(code="left_behind_child"))
    other = cast.branches[0].households[1]
    client.force_login(cast.users["leader"])
    assert client.get(f"/m/household/{household.pk}/visit/").status_code == 200
    assert client.get(f"/m/household/{other.pk}/visit/").status_code == 200
    logs = AccessLog.objects.filter(action=AccessLog.Action.VIEW_MINOR)
    assert [(log.user, log.object_id) for log in logs] == [(cast.users["leader"], str(household.pk))]
