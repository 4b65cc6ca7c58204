"""Scoping of the report pages (/reports/), the entries of CUSTOM_VIEWS in tests/core/scope_matrix.py.

Every role asks for every unit of the cast: a unit at or under the user's own answers (200, or
403 for an export the role may not make), any other unit answers 404, and nothing is logged.
"""

import pytest
from django.urls import reverse

from accounts.models import AccessLog
from tests.core import scope_matrix as sm

ROLES = ["superuser", "county", "township", "township2", "village", "village2", "leader"]
PAGES = ["reports:grievance_stats", "reports:compliance"]
EXPORTS = ["reports:grievance_stats_export", "reports:compliance_export"]
PERIOD = {"start": "2026-01-01", "end": "2026-06-30"}


def units_of(cast):
    units = [cast.county, *cast.townships]
    for branch in cast.branches:
        units += [branch.village, branch.area, branch.group, branch.neighborhood]
    return units


def check(client, cast, name, roles=ROLES):
    for role in roles:
        user = cast.users[role]
        client.force_login(user)
        for unit in units_of(cast):
            status = client.get(reverse(name), {"unit": unit.pk, **PERIOD}).status_code
            assert status == (200 if sm.sees(user, unit) else 404), (name, role, unit, status)
        assert client.get(reverse(name), {"unit": "99999999999999999999"}).status_code == 404
        assert client.get(reverse(name), {"unit": "abc"}).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_report_pages_are_scoped(client, cast, name):
    check(client, cast, name)


@pytest.mark.parametrize("name", EXPORTS)
def test_report_exports_are_scoped(client, cast, name):
    check(client, cast, name, roles=[role for role in ROLES if role != "leader"])
    units = {unit.pk: unit for unit in units_of(cast)}
    logs = list(AccessLog.objects.select_related("user"))
    assert logs  # one per export made, each of a unit its user may see
    assert all(sm.sees(log.user, units[log.filters["unit"]]) for log in logs)


@pytest.mark.parametrize("name", EXPORTS)
def test_leaders_may_not_export_any_unit(client, cast, name):
    client.force_login(cast.users["leader"])
    for unit in units_of(cast):
        assert client.get(reverse(name), {"unit": unit.pk, **PERIOD}).status_code == 403
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("name", PAGES)
def test_a_leader_sees_only_their_own_neighborhood(client, cast, name):
    client.force_login(cast.users["leader"])
    own = cast.branches[0]
    other_hood = sm.MODEL_FACTORIES[sm.Unit](own)[0]  # another 邻 in the same 组
    assert client.get(reverse(name), {"unit": own.neighborhood.pk}).status_code == 200
    assert client.get(reverse(name), {"unit": other_hood.pk}).status_code == 404
    assert client.get(reverse(name), {"unit": own.group.pk}).status_code == 404
    page = client.get(reverse(name)).content.decode()  # defaults to the leader's own 邻
    assert own.neighborhood.name in page


@pytest.mark.parametrize("name", PAGES)
def test_pages_without_a_unit_show_only_the_users_units(client, cast, name):
    client.force_login(cast.users["township"])
    page = client.get(reverse(name), PERIOD).content.decode()
    assert "虎溪村" in page and "大坪村" in page
    assert "新圩村" not in page and "毛俊村" not in page
    assert "祠堂圩镇" not in page
