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
from zoneinfo import ZoneInfo

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
    # No collectstatic for a benchmark: unhashed static URLs, as in the tests. (So these timings
    # leave out the fingerprinted URLs' cost, which bench/load.py, running production's storage,
    # measures: it was a tenth of a list page until core.staticfiles kept the URLs.)
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
    seed_disputes(county)
    analyze()
    return county


def analyze():
    """What autovacuum does in production: PostgreSQL here runs with it off, so rows that were just
    bulk-loaded have no statistics (plans go wrong: a 3 s page took 9.5 s) and are not in the
    visibility map (no index-only scans: the reports' period counts read the heap). Cheap when
    nothing changed, so it runs every time; SQLite gets ANALYZE only."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"analyze: {time.perf_counter() - started:.1f} s", flush=True)


def seed_activity(county):
    """A year of visits and grievances (grievances/demo.py), once; print how long it took."""
    import random

    from demo import grievances as demo
    from demo.builder import analyze
    from grievances.models import Grievance
    from households.models import Visit

    started = time.perf_counter()
    demo.seed(county=county, rng=random.Random("bench-grievances"), scale="county", stdout=io.StringIO())
    elapsed = time.perf_counter() - started
    visits = Visit.objects.filter(household__village__path__startswith=county.path).count()
    grievances = Grievance.objects.filter(village__path__startswith=county.path).count()
    if elapsed >= 1:
        analyze("all")  # fresh planner statistics after the bulk load, as autovacuum would give later
    figure = "reused" if elapsed < 1 else f"{elapsed:.1f} s"
    print(f"seed_activity: {figure} ({visits:,} visits, {grievances:,} grievances)", flush=True)


def seed_disputes(county):
    """A year of screening and disputes at county scale (demo/disputes.py), once."""
    import random

    from demo import disputes as demo
    from demo.builder import analyze
    from disputes.models import Dispute, RiskReport

    started = time.perf_counter()
    demo.seed(county=county, rng=random.Random("bench-disputes"), scale="county", stdout=io.StringIO())
    elapsed = time.perf_counter() - started
    disputes = Dispute.objects.filter(village__path__startswith=county.path).count()
    risks = RiskReport.objects.filter(village__path__startswith=county.path).count()
    if elapsed >= 1:
        analyze("all")
    figure = "reused" if elapsed < 1 else f"{elapsed:.1f} s"
    print(f"seed_disputes: {figure} ({disputes:,} disputes, {risks:,} risk reports)", flush=True)


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
        "county": User.objects.update_or_create(
            username="bench_county", defaults={"role": Role.COUNTY, "unit": county, "is_staff": True}
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
YEAR_END = datetime.datetime.now(ZoneInfo("Asia/Shanghai")).date()  # the app's today (TIME_ZONE), not the machine's
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


@bench("log_visit_leader")
def log_visit_leader(ctx):
    """The 邻长 logs a visit on the phone: the insert and its village-day recount (rolled back)."""
    from django.db import transaction

    from accounts.models import User
    from households.models import Household

    neighborhood = User.objects.get(username="bench_leader").unit_id
    household = Household.objects.filter(neighborhood_id=neighborhood).order_by("pk").first()
    with transaction.atomic():
        visit = {"method": "door", "topic": "了解近况"}
        response = ctx.clients["leader"].post(f"/m/household/{household.pk}/visit/", visit)
        assert response.status_code == 302, response.status_code
        transaction.set_rollback(True)


@bench("contact_compliance_township")
def contact_compliance_township(ctx):
    get(ctx, "township", "/m/compliance/")


def fresh_get(ctx, who, path):
    """A statistics page counted afresh: its figures are kept a minute (REPORT_PAGE_CACHE_SECONDS), which
    would make every repeat after the first a cache hit."""
    from django.core.cache import cache

    cache.clear()
    get(ctx, who, path)


@bench("report_grievance_stats_county_cached")
def report_grievance_stats_county_cached(ctx):
    """The same statistics looked at again within the minute."""
    get(ctx, "superuser", "/reports/grievances/")


@bench("report_compliance_township")
def report_compliance_township(ctx):
    fresh_get(ctx, "township", "/reports/compliance/")


@bench("report_grievance_stats_county")
def report_grievance_stats_county(ctx):
    fresh_get(ctx, "superuser", "/reports/grievances/")


@bench("dispute_changelist_township")
def dispute_changelist_township(ctx):
    get(ctx, "township", "/admin/disputes/dispute/")


@bench("dispute_changelist_county_superuser")
def dispute_changelist_superuser(ctx):
    get(ctx, "superuser", "/admin/disputes/dispute/")


@bench("report_dispute_stats_county")
def report_dispute_stats_county(ctx):
    fresh_get(ctx, "superuser", "/reports/disputes/")


@bench("report_dispute_stats_township")
def report_dispute_stats_township(ctx):
    fresh_get(ctx, "township", "/reports/disputes/")


@bench("county_summary")
def county_summary(ctx):
    from demo.summary import county_counts

    county_counts(ctx.county)


# --- Ledgers (台账): heavy benchmarks run once each, in a forked child so its peak memory is its own ---

HEAVY = []  # (name, function): run once by main() after the others; they print their own line


def heavy(name):
    def register(function):
        HEAVY.append((name, function))
        return function

    return register


def in_child(function):
    """Run ``function()`` in a forked process; returns (seconds, peak RSS in MB, its return value)."""
    import json

    from django.db import connections

    connections.close_all()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: measure, report through the pipe, never return into the parent's code
        os.close(read_end)
        try:
            started = time.perf_counter()
            detail = function()
            os.write(write_end, json.dumps([time.perf_counter() - started, detail]).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    _, _, usage = os.wait4(pid, 0)
    elapsed, detail = json.loads(data or b"[0, null]")
    return elapsed, usage.ru_maxrss / 1024, detail


def bare_household_xlsx(county):
    """The baseline: the same rows and columns straight from values_list into xlsxwriter constant_memory."""
    import xlsxwriter

    from core.expressions import count_of, joined_names
    from households.models import Household, Resident

    rows = (
        Household.objects.filter(village__path__startswith=county.path)
        .annotate(
            members=count_of(Resident, "household"),
            categories=joined_names(Household.care_categories.through, "household", "carecategory__name"),
        )
        .order_by("-pk")
        .values_list(
            "id", "village__parent__name", "village__name", "neighborhood__name", "head_name", "address",
            "phone", "members", "categories", "note",
        )
    )  # fmt: skip
    workbook = xlsxwriter.Workbook(str(OUT / "bare.xlsx"), {"constant_memory": True})
    sheet = workbook.add_worksheet()
    count = 0
    for count, row in enumerate(rows.iterator(chunk_size=2000), start=1):
        sheet.write_row(count, 0, row)
    workbook.close()
    return count


def ledger_job(username, model_label, extension):
    """The real path of a large export: the job row the admin creates, run as the worker runs it."""
    from accounts.models import User
    from exports.models import ExportJob
    from exports.services import run_export

    user = User.objects.get(username=username)
    job = ExportJob.objects.create(
        user=user, model_label=model_label, ledger_name="台账", filename=f"bench.{extension}", extension=extension
    )
    run_export(job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, job.error
    job.path.unlink(missing_ok=True)
    return job.done


@heavy("ledger_households_county")
def ledger_households_county(ctx):
    from django.test.utils import override_settings

    with override_settings(EXPORT_ROOT=OUT):
        bare_s, bare_mb, bare_rows = in_child(lambda: bare_household_xlsx(ctx.county))
        s, mb, rows = in_child(lambda: ledger_job("bench_admin", "households.Household", "xlsx"))
        csv_s, csv_mb, _ = in_child(lambda: ledger_job("bench_admin", "households.Household", "csv"))
    (OUT / "bare.xlsx").unlink(missing_ok=True)
    assert rows == bare_rows, (rows, bare_rows)
    print(
        f"ledger_households_county: {s:.1f} s, peak {mb:.0f} MB, {rows:,} rows "
        f"(bare xlsxwriter constant_memory over the same rows: {bare_s:.1f} s, peak {bare_mb:.0f} MB; "
        f"ratio {s / bare_s:.2f}x; CSV {csv_s:.1f} s, peak {csv_mb:.0f} MB)",
        flush=True,
    )


@heavy("ledger_registers_county")
def ledger_registers_county(ctx):
    """The registers as the county asks for them (every row of the county), xlsx through the job's path:
    人民调解登记簿, 矛盾纠纷排查登记簿 and 诉求台账; one line each."""
    from django.test.utils import override_settings

    ledgers = [
        ("ledger_mediation_register_county", "disputes.Dispute"),
        ("ledger_screening_register_county", "disputes.RiskReport"),
        ("ledger_grievances_county", "grievances.Grievance"),
    ]
    with override_settings(EXPORT_ROOT=OUT):
        for name, label in ledgers:
            s, mb, rows = in_child(lambda label=label: ledger_job("bench_admin", label, "xlsx"))
            print(f"{name}: {s:.2f} s, peak {mb:.0f} MB, {rows:,} rows", flush=True)


@bench("ledger_export_request_county")
def ledger_export_request_county(ctx):
    """The web request that asks for the county household ledger: counts, logs, queues (no writing)."""
    from django_tasks_db.models import DBTaskResult

    from exports.models import ExportJob
    from households.resources import HouseholdResource

    data = {"format": 0, "resource": 0}
    data.update({f"householdresource_{name}": "on" for name in HouseholdResource().get_export_order()})
    response = ctx.clients["superuser"].post(f"{HOUSEHOLDS}export/", data)
    assert response.status_code == 302, response.status_code
    ExportJob.objects.filter(user__username="bench_admin").delete()
    DBTaskResult.objects.filter(task_path="exports.tasks.export_ledger").delete()  # no worker in the bench


@bench("county_workbook_year")
def county_workbook_year(ctx):
    """The county workbook for a year (seven topics, townships with their villages): selectors + sheets."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from core.report_book import county_workbook
    from reports.county import county_sheets

    user = User.objects.get(username="bench_admin")
    cache.clear()  # counted afresh (a cached look is report_county_page_county_cached)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        sheets = county_sheets(user, ctx.county, YEAR_START, YEAR_END, YEAR_END)
        query_s = time.perf_counter() - started
    content = county_workbook(sheets, unit_name=ctx.county.name, period="一年")
    sql_s = sum(float(q["time"]) for q in queries.captured_queries)  # the warm-up's: one thread (see run())
    return (
        f"query time {sql_s * 1000:.0f} ms in {len(queries)} queries, selectors {query_s * 1000:.0f} ms "
        f"(one thread), {len(content) // 1024} KB"
    )


@bench("report_county_page_county")
def report_county_page_county(ctx):
    """Counted afresh every run (the figures' cache emptied first): what the first look of the day costs."""
    from django.core.cache import cache

    cache.clear()
    get(ctx, "superuser", "/reports/county/", start=YEAR_START.isoformat(), end=YEAR_END.isoformat())


@bench("report_county_page_county_user")
def report_county_page_county_user(ctx):
    """The same, as the county's own official sees it."""
    from django.core.cache import cache

    cache.clear()
    get(ctx, "county", "/reports/county/", start=YEAR_START.isoformat(), end=YEAR_END.isoformat())


@bench("report_county_page_county_cached")
def report_county_page_county_cached(ctx):
    """The same page looked at again the same day (drill-down and back): the figures come from the cache."""
    get(ctx, "superuser", "/reports/county/", start=YEAR_START.isoformat(), end=YEAR_END.isoformat())


@bench("overview_page_county_month")
def overview_page_county_month(ctx):
    """工作概览 of the whole county for this month (the page's default period), counted afresh."""
    from django.core.cache import cache

    cache.clear()
    get(ctx, "superuser", "/reports/overview/", unit=ctx.county.pk)


@bench("overview_page_county_month_county_user")
def overview_page_county_month_county_user(ctx):
    """The same page as the county's own official sees it (their unit is the page's: one scope filter)."""
    from django.core.cache import cache

    cache.clear()
    get(ctx, "county", "/reports/overview/")


@bench("overview_page_county_month_cached")
def overview_page_county_month_cached(ctx):
    """The same page opened again within the quarter hour its figures are kept."""
    get(ctx, "superuser", "/reports/overview/", unit=ctx.county.pk)


@bench("overview_page_county_year")
def overview_page_county_year(ctx):
    from django.core.cache import cache

    cache.clear()
    get(
        ctx,
        "superuser",
        "/reports/overview/",
        unit=ctx.county.pk,
        start=YEAR_START.isoformat(),
        end=YEAR_END.isoformat(),
    )


@bench("overview_page_county_year_county_user")
def overview_page_county_year_county_user(ctx):
    from django.core.cache import cache

    cache.clear()
    get(ctx, "county", "/reports/overview/", start=YEAR_START.isoformat(), end=YEAR_END.isoformat())


@bench("report_county_export_request_county")
def report_county_export_request_county(ctx):
    """Asking for the county's workbook: logged and queued (the job is county_workbook_year's path)."""
    from django_tasks_db.models import DBTaskResult

    from exports.models import ExportJob

    period = {"start": YEAR_START.isoformat(), "end": YEAR_END.isoformat()}
    response = ctx.clients["superuser"].get("/reports/county/export/", {"unit": ctx.county.pk, **period})
    assert response.status_code == 302, response.status_code
    ExportJob.objects.filter(user__username="bench_admin").delete()
    DBTaskResult.objects.filter(task_path="exports.tasks.export_ledger").delete()  # no worker in the bench


@bench("report_county_export_township")
def report_county_export_township(ctx):
    get(ctx, "township", "/reports/county/export/", start=YEAR_START.isoformat(), end=YEAR_END.isoformat())


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
    from django.test.utils import CaptureQueriesContext, override_settings

    # The warm-up run also counts the queries, in one thread: core.parallel's threads use connections
    # of their own, which the capture does not see. The timed runs use the threads as production does.
    with override_settings(REPORT_THREADS=1), CaptureQueriesContext(connection) as queries:
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
    for name, function in HEAVY:
        if not wanted or any(w in name for w in wanted):
            function(ctx)


if __name__ == "__main__":
    main()
