"""seed_demo: the demo county's shape, valid IDs, realistic rates, demo logins, idempotence,
pluggable app seeders, and the bulk county builder (consistent paths, fixed query count)."""

import dataclasses
import importlib.machinery
import io
import random
import sys
import types
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Max, Min, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role, User
from core.validators import id_birth_date, validate_id_number
from demo.accounts import DEMO_PASSWORD
from demo.builder import CountyBuilder
from demo.summary import county_counts
from demo.units import COUNTY, DEMO, plan_tree
from governance.models import Area, County, Neighborhood, Person, Posting, Unit, Village, VillagerGroup
from households.models import CareCategory, Household, Resident


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(**kwargs):
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **kwargs)
    return out.getvalue()


@pytest.fixture
def demo(db, fast_passwords):
    output = seed()
    return County.objects.get(division_code=DEMO.division_code), output


def active(role, unit):
    return Posting.objects.filter(role=role, unit=unit, end_date__isnull=True).exists()


def test_demo_county_has_the_expected_shape(demo):
    county, _ = demo
    counts = county_counts(county)
    assert counts["levels"]["township"] == 2
    villages = Village.objects.under(county)
    assert 4 <= villages.count() <= 6
    assert villages.filter(kind=Unit.Kind.COMMUNITY).count() == 1
    assert 800 <= counts["households"] <= 1300
    # The flags a demo should show, and nothing more.
    assert (counts["small"], counts["large"], counts["vacant"]) == (2, 1, 1)
    assert counts["no_neighborhood"] == DEMO.unlinked_households
    for area in Area.objects.under(county):
        assert active(Posting.Role.AREA_LEADER, area), area
    for group in VillagerGroup.objects.under(county):
        assert active(Posting.Role.GROUP_LEADER, group), group
    without_leader = [nb for nb in Neighborhood.objects.under(county) if not active("neighborhood_leader", nb)]
    assert len(without_leader) == 1
    ended = Posting.objects.get(unit=without_leader[0], role=Posting.Role.NEIGHBORHOOD_LEADER)
    assert ended.end_date and ended.end_reason == Posting.EndReason.OTHER


def test_every_id_number_is_valid_and_matches_birth_date_and_gender(demo):
    residents = list(Resident.objects.values_list("id_number", "birth_date", "gender"))
    assert len(residents) > 2000
    for number, birth, gender in residents:
        validate_id_number(number)
        assert birth == id_birth_date(number)
        assert gender == ("male" if int(number[16]) % 2 else "female")
    for number in Person.objects.values_list("id_number", flat=True):
        validate_id_number(number)
    sizes = Household.objects.annotate(n=Count("residents")).aggregate(lo=Min("n"), hi=Max("n"))
    assert (sizes["lo"], sizes["hi"]) == (2, 5)
    heads = Household.objects.annotate(h=Count("residents", filter=Q(residents__relation="head")))
    assert set(heads.values_list("h", flat=True)) == {1}


def test_special_households_are_realistic(demo):
    total = Household.objects.count()
    special = Household.objects.special().count()
    assert 0.12 <= special / total <= 0.25
    code = CareCategory.Code
    left_behind = Household.objects.filter(care_categories=code.LEFT_BEHIND_CHILD)
    assert left_behind.exists()
    assert not left_behind.exclude(residents__birth_date__gt="2008-07-01").exists()  # every one has a minor
    old = Household.objects.filter(care_categories__in=[code.LONELY_ELDERLY, code.EMPTY_NEST])
    assert old.exists()
    assert not old.filter(residents__relation="head", residents__birth_date__gt="1966-07-01").exists()


def test_each_household_keeps_its_number_of_residents(demo):
    kept = dict(Household.objects.values_list("pk", "resident_count"))
    counted = dict(Household.objects.annotate(n=Count("residents")).values_list("pk", "n"))
    assert kept == counted and sum(kept.values()) == Resident.objects.count() > 0


def test_roster_has_party_members_reserves_and_history(demo):
    people = Person.objects.aggregate(n=Count("id"), party=Count("id", filter=Q(is_party_member=True)))
    assert 0.3 <= people["party"] / people["n"] <= 0.55
    assert Person.objects.filter(is_reserve=True).exists()
    assert Posting.objects.filter(role=Posting.Role.REPRESENTATIVE).exists()
    assert Posting.objects.filter(role=Posting.Role.ELDER_MEDIATOR).exists()
    assert Posting.objects.values("selection_method").distinct().count() >= 5
    ended = Posting.objects.filter(end_date__isnull=False)
    assert ended.count() >= DEMO.adjustments
    assert not ended.filter(end_reason="").exists()
    replaced = ended.exclude(end_reason=Posting.EndReason.OTHER)
    for posting in replaced:  # each adjustment is followed by a 补选 posting in the same 邻
        assert Posting.objects.filter(
            unit=posting.unit, role=posting.role, selection_method="by_election", start_date__gt=posting.end_date
        ).exists()


def test_demo_users_have_their_roles_and_units_and_can_log_in(demo, client):
    county, output = demo
    users = {u.username: u for u in User.objects.select_related("unit")}
    assert users["admin"].is_superuser
    assert (users["county"].role, users["county"].unit) == (Role.COUNTY, county)
    township = users["township"].unit
    assert users["township"].role == Role.TOWNSHIP and township.parent_id == county.pk
    village, village2 = users["village"].unit, users["village2"].unit
    assert village.level == village2.level == "village" and village.parent_id == township.pk
    assert village2.parent_id != township.pk
    leader = users["leader"]
    assert leader.role == Role.LEADER and leader.unit.level == "neighborhood"
    assert leader.unit.path.startswith(village.path)
    person = Posting.objects.get(unit=leader.unit, role="neighborhood_leader", end_date__isnull=True).person
    assert (leader.name, leader.phone) == (person.name, person.phone)
    assert all(u.is_staff and u.name for u in users.values())
    assert DEMO_PASSWORD in output and "village2" in output
    for username in ["admin", "county", "township", "village", "village2", "leader"]:
        response = client.post("/admin/login/?next=/admin/", {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert client.get("/admin/").status_code == 200
        client.logout()


def snapshot():
    models = [Unit, Household, Resident, Person, Posting, User, Household.care_categories.through]
    return {m.__name__: m.objects.count() for m in models}


def test_running_twice_changes_nothing(demo):
    before = snapshot()
    output = seed(host="127.0.0.1:8103")
    assert "已存在，跳过生成" in output
    assert snapshot() == before
    # the login address is the one `make run HOST=...` serves, not a fixed 8000
    assert "登录地址：http://127.0.0.1:8103/admin/" in output and ":8000" not in output
    assert "登录地址：http://127.0.0.1:8000/admin/" in demo[1]


def test_app_seeders_are_called_when_present(db, fast_passwords, monkeypatch):
    calls = []
    module = types.ModuleType("demo.training")
    module.__spec__ = importlib.machinery.ModuleSpec("demo.training", None)
    module.seed = lambda **kwargs: calls.append(kwargs)
    monkeypatch.setitem(sys.modules, "demo.training", module)
    seed()
    assert len(calls) == 1
    assert calls[0]["scale"] == "demo" and calls[0]["county"].division_code == DEMO.division_code
    assert isinstance(calls[0]["rng"], random.Random)


TINY = dataclasses.replace(
    DEMO,
    name="测试规模县",
    division_code="431190000000",
    townships=1,
    villages=1,
    communities=0,
    areas=(1, 1),
    groups=(1, 1),
    neighborhoods=(1, 1),
    households=(5, 5),
    small_neighborhoods=0,
    large_neighborhoods=0,
    unlinked_households=0,
    vacant_neighborhoods=0,
    adjustments=0,
)
BIGGER = dataclasses.replace(TINY, name="测试规模县二", division_code="431191000000", townships=2, villages=4)


def query_shape(queries):
    """Non-INSERT queries counted, INSERTs counted per table."""
    inserts = Counter(q["sql"].split('"')[1] for q in queries if q["sql"].startswith("INSERT"))
    return {"reads": len(queries) - sum(inserts.values()), "inserts": inserts}


@pytest.mark.django_db
def test_bulk_builder_writes_consistent_paths_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    shapes = []
    for spec in [TINY, BIGGER]:
        with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(15):
            county = CountyBuilder(spec).build()
        shapes.append(query_shape(queries))
        units = {u.pk: u for u in Unit.objects.under(county)}
        assert len(units) == 1 + spec.townships + 4 * spec.villages
        for unit in units.values():
            assert unit.path.endswith(f"{unit.pk:08d}/")
            if unit.parent_id:
                assert unit.path.startswith(units[unit.parent_id].path)
                assert len(unit.path) == len(units[unit.parent_id].path) + 9
    # Four times the villages and households, the same reads and one INSERT per table.
    assert shapes[0]["reads"] == shapes[1]["reads"]
    assert max(shapes[1]["inserts"].values()) == 1 and len(shapes[1]["inserts"]) == 6
    assert Household.objects.filter(village__path__startswith=county.path).count() == 5 * BIGGER.villages
    # Units inserted with explicit pks leave the id sequence usable for ordinary saves.
    Village.objects.create(parent=Unit.objects.get(pk=county.pk).children.first(), name="新建村")


def test_generated_rows_pass_model_validation(demo):
    """Field validators and clean(); constraints and foreign keys are enforced by the database on insert."""
    county, _ = demo
    checked = [
        *Unit.objects.under(county).select_related("parent"),
        *Posting.objects.select_related("person__village", "unit"),
        *Person.objects.all(),
        *Household.objects.select_related("village", "neighborhood").order_by("pk")[::10],
        *Resident.objects.order_by("pk")[::10],
    ]
    foreign_keys = ["parent", "person", "unit", "village", "neighborhood", "household"]
    for obj in checked:
        obj.full_clean(exclude=foreign_keys, validate_unique=False, validate_constraints=False)


@pytest.mark.django_db
def test_county_scale_plan_matches_seed_002_and_is_deterministic():
    """The --scale county tree, planned in memory only: seed 002's size, the same every time."""
    plans = [plan_tree(COUNTY, random.Random(COUNTY.seed)) for _ in range(2)]
    tree = plans[0]
    levels = Counter(unit.level for unit in tree.units)
    assert (levels["township"], levels["village"]) == (14, 223)
    assert 8_000 <= levels["neighborhood"] <= 8_600  # seed 002: 8,328 邻长
    mean_households = sum(COUNTY.households) / 2
    assert 95_000 <= levels["neighborhood"] * mean_households <= 110_000  # seed 002: 102,700 households
    assert len({u.division_code for u in tree.units if u.division_code}) == 1 + 14 + 223
    assert [(u.path, u.name) for u in tree.units] == [(u.path, u.name) for u in plans[1].units]


def test_the_demo_leader_has_revisits_to_do_and_problems_reported(demo):
    """So the phone journey (due list → visit → report → revisit) can be walked right after make run."""
    from grievances.models import Grievance

    leader = User.objects.get(username="leader")
    mine = Grievance.objects.restrict(leader)
    assert mine.filter(received_by=leader).count() == 3
    assert mine.awaiting_revisit().count() >= 2
    assert mine.revisit_overdue(timezone.localdate()).exists()
    seed()
    assert Grievance.objects.filter(received_by=leader).count() == 3
