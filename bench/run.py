#!/usr/bin/env python
"""Benchmarks for 三长通 on a county-scale database; prints one figure per line.

    .venv/bin/python bench/run.py [--repeat 5] [--only search,changelist]   (or: make bench)

Uses its own database: a SQLite file bench/out/bench.sqlite3 (git-ignored), or the URL in
BENCH_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/sz_bench). The database is migrated,
seeded once with ``seed_demo --scale county`` (reused on later runs), then every benchmark runs
once to warm up (counting its queries) and ``--repeat`` times more; the median is printed.

To add a benchmark (e.g. a report), write a function taking the context and decorate it with
``@bench("name")``; it may return a short detail string printed after the figure.
"""

import argparse
import datetime
import io
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BENCHES = []  # (name, function), in the order they are printed


def bench(name):
    def register(function):
        BENCHES.append((name, function))
        return function

    return register


def setup_django():
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{OUT / 'bench.sqlite3'}"
    os.environ["DEBUG"] = "false"  # no query log: measure what production does
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)  # settings refuse to start without one
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanzhang.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings
    from django.test.utils import override_settings

    django.setup()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # No collectstatic for a benchmark: unhashed static URLs, as in the tests.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}, WHITENOISE_AUTOREFRESH=True).enable()


@dataclass
class Context:
    county: object
    township: object
    village: object
    clients: dict  # "township" / "superuser" → logged-in test Client
    head_name: str
    phone: str
    id_number: str


def seed_county():
    """Seed the county scale once; print how long it took, or that it was reused."""
    from django.core.management import call_command

    from demo.units import COUNTY
    from governance.models import County
    from households.models import Household, Resident

    county = County.objects.filter(division_code=COUNTY.division_code).first()
    started = time.perf_counter()
    if county is None:
        call_command("seed_demo", scale="county", stdout=io.StringIO())
        county = County.objects.get(division_code=COUNTY.division_code)
    elapsed = time.perf_counter() - started
    households = Household.objects.filter(village__path__startswith=county.path).count()
    residents = Resident.objects.filter(household__village__path__startswith=county.path).count()
    figure = "reused" if elapsed < 1 else f"{elapsed:.1f} s"
    print(f"seed_county: {figure} ({households:,} households, {residents:,} residents)", flush=True)
    seed_activity(county)
    return county


def seed_activity(county):
    """A year of visits and grievances (grievances/demo.py), once; print how long it took."""
    import random

    from demo import grievances as demo
    from grievances.models import Grievance
    from households.models import Visit

    started = time.perf_counter()
    demo.seed(county=county, rng=random.Random("bench-grievances"), scale="county", stdout=io.StringIO())
    elapsed = time.perf_counter() - started
    visits = Visit.objects.filter(household__village__path__startswith=county.path).count()
    grievances = Grievance.objects.filter(village__path__startswith=county.path).count()
    figure = "reused" if elapsed < 1 else f"{elapsed:.1f} s"
    print(f"seed_activity: {figure} ({visits:,} visits, {grievances:,} grievances)", flush=True)


def role_units(county):
    """The first township, its first village and that village's first active 邻长 posting."""
    from governance.models import Posting, Township, Village

    township = Township.objects.filter(path__startswith=county.path).order_by("path").first()
    village = Village.objects.filter(path__startswith=township.path).order_by("path").first()
    posting = (
        Posting.objects.filter(
            role=Posting.Role.NEIGHBORHOOD_LEADER, end_date__isnull=True, unit__path__startswith=village.path
        )
        .order_by("unit__path")
        .first()
    )
    return township, village, posting


def make_context(county):
    from django.test import Client

    from accounts.models import Role, User
    from governance.models import Neighborhood
    from households.models import Household, Resident

    township, village, posting = role_units(county)
    neighborhood = Neighborhood.objects.get(pk=posting.unit_id)
    users = {
        "village": User.objects.update_or_create(
            username="bench_village", defaults={"role": Role.VILLAGE, "unit": village, "is_staff": True}
        )[0],
        "leader": User.objects.update_or_create(
            username="bench_leader",
            defaults={"role": Role.LEADER, "unit": neighborhood, "person": posting.person, "is_staff": True},
        )[0],
        "township": User.objects.update_or_create(
            username="bench_township", defaults={"role": Role.TOWNSHIP, "unit": township, "is_staff": True}
        )[0],
        "superuser": User.objects.update_or_create(
            username="bench_admin", defaults={"is_staff": True, "is_superuser": True, "role": "", "unit": None}
        )[0],
    }
    clients = {}
    for key, user in users.items():
        clients[key] = Client()
        clients[key].force_login(user, backend="accounts.backends.RoleBackend")
    # A household in the township user's scope, somewhere in the middle of it.
    in_township = Household.objects.filter(village__path__startswith=township.path).exclude(phone="")
    household = in_township.order_by("pk")[in_township.count() // 2]
    member = Resident.objects.filter(household=household).exclude(relation="head").first() or (
        Resident.objects.filter(household=household).first()
    )
    return Context(county, township, village, clients, household.head_name, household.phone, member.id_number)


def get(ctx, who, url, **params):
    response = ctx.clients[who].get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response


HOUSEHOLDS = "/admin/households/household/"
YEAR_END = datetime.date.today()
YEAR_START = YEAR_END - datetime.timedelta(days=365)


@bench("household_search_name_township")
def search_name_township(ctx):
    get(ctx, "township", HOUSEHOLDS, q=ctx.head_name)


@bench("household_search_name_superuser")
def search_name_superuser(ctx):
    get(ctx, "superuser", HOUSEHOLDS, q=ctx.head_name)


@bench("household_search_phone_township")
def search_phone_township(ctx):
    response = get(ctx, "township", HOUSEHOLDS, q=ctx.phone)
    assert ctx.head_name in response.text


@bench("household_search_phone_superuser")
def search_phone_superuser(ctx):
    get(ctx, "superuser", HOUSEHOLDS, q=ctx.phone)


@bench("household_search_id_township")
def search_id_township(ctx):
    response = get(ctx, "township", HOUSEHOLDS, q=ctx.id_number)
    assert ctx.head_name in response.text


@bench("household_search_id_superuser")
def search_id_superuser(ctx):
    get(ctx, "superuser", HOUSEHOLDS, q=ctx.id_number)


@bench("household_changelist_township")
def household_changelist(ctx):
    get(ctx, "township", HOUSEHOLDS)


@bench("neighborhood_changelist_township")
def neighborhood_changelist(ctx):
    get(ctx, "township", "/admin/governance/neighborhood/")


@bench("neighborhood_changelist_no_leader_township")
def neighborhood_changelist_flagged(ctx):
    get(ctx, "township", "/admin/governance/neighborhood/", leader="none")


@bench("units_under_village")
def units_under_village(ctx):
    from governance.models import Unit

    return f"{len(list(Unit.objects.under(ctx.village)))} units"


@bench("households_by_township")
def households_by_township(ctx):
    from django.db.models import Count
    from django.db.models.functions import Substr

    from governance.models.units import path_prefix_length
    from households.models import Household

    rows = list(
        Household.objects.filter(village__path__startswith=ctx.county.path)
        .values(township=Substr("village__path", 1, path_prefix_length("township")))
        .annotate(n=Count("id"))
        .order_by("township")
    )
    return f"{len(rows)} townships"


@bench("grievance_stats_county")
def grievance_stats_county(ctx):
    from accounts.models import User
    from grievances.selectors import grievance_stats

    grievance_stats(User.objects.get(username="bench_admin"), unit=ctx.county, start=YEAR_START, end=YEAR_END)


@bench("grievance_stats_township")
def grievance_stats_township(ctx):
    from accounts.models import User
    from grievances.selectors import grievance_stats

    user = User.objects.select_related("unit").get(username="bench_township")
    grievance_stats(user, unit=ctx.township, start=YEAR_START, end=YEAR_END)


@bench("grievance_changelist_township")
def grievance_changelist_township(ctx):
    get(ctx, "township", "/admin/grievances/grievance/")


@bench("work_queue_village")
def work_queue_village(ctx):
    get(ctx, "village", "/admin/")


@bench("visit_changelist_township")
def visit_changelist_township(ctx):
    get(ctx, "township", "/admin/households/visit/")


@bench("phone_due_list_leader")
def phone_due_list_leader(ctx):
    get(ctx, "leader", "/m/due/")


@bench("phone_due_list_village")
def phone_due_list_village(ctx):
    get(ctx, "village", "/m/due/")


@bench("contact_compliance_township")
def contact_compliance_township(ctx):
    get(ctx, "township", "/m/compliance/")


@bench("report_compliance_township")
def report_compliance_township(ctx):
    get(ctx, "township", "/reports/compliance/")


@bench("report_grievance_stats_county")
def report_grievance_stats_county(ctx):
    get(ctx, "superuser", "/reports/grievances/")


@bench("county_summary")
def county_summary(ctx):
    from demo.summary import county_counts

    county_counts(ctx.county)


@bench("training_round_county")
def training_round_county(ctx):
    """A round's batch creation for every township of the county (rolled back, so each run starts empty)."""
    from django.db import transaction

    from governance.models import Unit
    from training.evaluations import build_round

    year = datetime.date.today().year + 1  # a round nobody has: every person is evaluated
    created = 0
    with transaction.atomic():
        for township in Unit.objects.filter(path__startswith=ctx.county.path, level="township"):
            created += build_round(unit=township, year=year, kind="half", today=datetime.date(year, 6, 30))[1]
        transaction.set_rollback(True)
    return f"{created:,} evaluations"


def run(ctx, name, function, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:  # the warm-up run also counts the queries
        detail = function(ctx)
    query_count = len(queries)  # now: the captured list is a slice of a log the next request clears
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        function(ctx)
        timings.append(time.perf_counter() - started)
    extra = f", {detail}" if detail else ""
    figure = statistics.median(timings) * 1000
    print(f"{name}: {figure:.1f} ms (median of {repeat}, {query_count} queries{extra})", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", 5)))
    parser.add_argument("--only", default="", help="comma-separated substrings of benchmark names")
    args = parser.parse_args(argv)
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}", flush=True)
    ctx = make_context(seed_county())
    wanted = [w for w in args.only.split(",") if w]
    for name, function in BENCHES:
        if not wanted or any(w in name for w in wanted):
            run(ctx, name, function, args.repeat)


if __name__ == "__main__":
    main()
