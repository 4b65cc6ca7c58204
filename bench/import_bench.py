#!/usr/bin/env python
"""Benchmark of the household import through the real code path: upload, preview, confirm.

    .venv/bin/python bench/import_bench.py [--households 10000]   (or: make bench-import)

Uses its own database: bench/out/import_bench.sqlite3 (recreated each run), or the URL in
BENCH_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/sz_bench; a new township each run).
It builds a township of 20 villages (800 邻), writes a roster of N households with ~3.5 residents
each (one row per resident), then times, through the admin pages as a township user: the upload
and preview, the confirm, and the same file again (preview and confirm, which change nothing).
In the same run it times a bare bulk insert of the same rows (no checks, no audit) and prints the
ratio. Peak memory is the process's maximum resident set size. Targets (issue 10): import under
15 s, re-import under 5 s, peak under 300 MB.
"""

import argparse
import io
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
VILLAGES, AREAS, GROUPS, NEIGHBORHOODS = 20, 2, 2, 10


def setup_django():
    OUT.mkdir(parents=True, exist_ok=True)
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        db = OUT / "import_bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{db}"
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanzhang.settings")
    os.environ.setdefault("IMPORT_UPLOAD_DIR", str(OUT / "uploads"))
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings
    from django.test.utils import override_settings

    django.setup()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(
        STORAGES={**settings.STORAGES, "staticfiles": plain},
        IMPORT_UPLOAD_DIR=str(OUT / "uploads"),
        IMPORT_JOB_ROWS=10**9,  # times the import itself in the request, not a job's hand-off
    ).enable()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # response.context: the bench reads the preview's outcome
    call_command("migrate", verbosity=0)


def build_units(tag):
    from governance.models import Area, County, Neighborhood, Township, Village, VillagerGroup

    county = County.objects.get_or_create(name="基准县", level="county")[0]
    township = Township.objects.create(name=f"基准镇{tag}", parent=county, level="township")
    places = []
    for v in range(VILLAGES):
        village = Village.objects.create(name=f"基准{tag}村{v + 1}", parent=township, level="village")
        for a in range(AREAS):
            area = Area.objects.create(name=f"第{a + 1}片", parent=village, level="area")
            for g in range(GROUPS):
                group = VillagerGroup.objects.create(name=f"{a + 1}片{g + 1}组", parent=area, level="villager_group")
                for n in range(NEIGHBORHOODS):
                    name = f"{a + 1}片{g + 1}组{n + 1}邻"
                    Neighborhood.objects.create(name=name, parent=group, level="neighborhood")
                    places.append((village.name, group.name, name))
    return township, places


def id_number(serial):
    import datetime

    from core.validators import id_check_char

    birth = datetime.date(1940, 1, 1) + datetime.timedelta(days=serial % 25000)
    first17 = f"43{serial // 1000 % 10000:04d}{birth:%Y%m%d}{serial % 1000:03d}"
    return first17 + id_check_char(first17)


def roster(households, places, serial_base):
    """(header, rows) one row per resident: 3 or 4 members per household."""
    header = ["户号", "村/社区", "组", "邻", "姓名", "与户主关系", "身份证号", "联系电话", "住址"]
    rows, serial = [], serial_base
    relations = ["户主", "配偶", "子女", "子女"]
    for h in range(households):
        village, group, neighborhood = places[h % len(places)]
        for m in range(3 + h % 2):
            serial += 1
            phone = f"139{serial:08d}" if m == 0 else ""
            address = f"{group}{h}号" if m == 0 else ""
            rows.append(
                [
                    f"H{h:06d}",
                    village,
                    group,
                    neighborhood,
                    f"居民{serial}",
                    relations[m],
                    id_number(serial),
                    phone,
                    address,
                ]
            )
    return header, rows


def write_xlsx(header, rows):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def bare_insert(rows, places):
    """The floor: the same households and residents with two bulk_create calls, nothing else."""
    from django.db import transaction

    from governance.models import Unit
    from households.models import Household, Resident

    villages = {u.name: u.pk for u in Unit.objects.filter(level="village", name__in={p[0] for p in places})}
    neighborhoods = {}
    for pk, name, path in Unit.objects.filter(
        level="neighborhood", parent__parent__parent__in=villages.values()
    ).values_list("pk", "name", "path"):
        neighborhoods[(path[: 3 * 9], name)] = pk
    village_paths = dict(Unit.objects.filter(pk__in=villages.values()).values_list("name", "path"))
    started = time.perf_counter()
    with transaction.atomic():
        households, members = {}, []
        for row in rows:
            key = ("B" + row[0], row[1])
            if key not in households:
                households[key] = Household(
                    village_id=villages[row[1]], neighborhood_id=neighborhoods[(village_paths[row[1]][:27], row[3])],
                    head_name=row[4], household_number=key[0], address=row[8], phone=row[7],
                )  # fmt: skip
            members.append((key, row))
        Household._base_manager.bulk_create(list(households.values()), batch_size=1000)
        Resident._base_manager.bulk_create(
            [Resident(household_id=households[key].pk, name=row[4] + "B", relation="other") for key, row in members],
            batch_size=1000,
        )
    return time.perf_counter() - started


def timed(label, function):
    started = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - started
    return elapsed, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=10_000)
    args = parser.parse_args()
    setup_django()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from accounts.models import Role, User
    from households.models import Household, Resident

    tag = time.strftime("%H%M%S")
    township, places = build_units(tag)
    user = User.objects.create(username=f"bench_import_{tag}", role=Role.TOWNSHIP, unit=township, is_staff=True)
    header, rows = roster(args.households, places, serial_base=int(tag) * 100_000 % 9_000_000)
    content = write_xlsx(header, rows)
    print(f"import_bench on {connection.vendor}: {args.households:,} households, {len(rows):,} residents, "
          f"file {len(content) / 1048576:.1f} MB", flush=True)  # fmt: skip
    client = Client()
    client.force_login(user)
    upload_url = reverse("admin:households_household_import")

    def upload_and_preview():
        response = client.post(upload_url, {"import_file": SimpleUploadedFile("花名册.xlsx", content)})
        assert response.status_code == 302, response.content[:500]
        preview = client.get(response["Location"])
        assert preview.status_code == 200
        return response["Location"], preview

    def confirm(location):
        response = client.post(location, {"confirm": "1"})
        assert response.status_code == 302, response.content.decode()[:3000]
        return response

    t_preview, (location, preview) = timed("preview", upload_and_preview)
    outcome = preview.context["outcome"]
    assert outcome.ok, [(e.row, e.column, e.reason) for e in outcome.errors[:5]]
    del outcome, preview  # the test client keeps each response's context: free the preview's rows
    t_confirm, _ = timed("confirm", lambda: confirm(location))
    created_h = Household.objects.filter(village__parent=township).count()
    created_r = Resident.objects.filter(household__village__parent=township).count()
    print(f"import preview (upload+read+check+compare): {t_preview:.2f} s", flush=True)
    print(f"import confirm (read+check+one transaction): {t_confirm:.2f} s ({created_h:,} households, "
          f"{created_r:,} residents committed)", flush=True)  # fmt: skip
    total = t_preview + t_confirm
    print(f"import total: {total:.2f} s (target < 15 s)", flush=True)
    t_again, (location, again) = timed("again", upload_and_preview)
    assert again.context["unchanged_only"], again.context["summary"]
    summary = again.context["summary"]
    del again
    t_again_confirm, _ = timed("again-confirm", lambda: confirm(location))
    print(f"re-import unchanged: preview {t_again:.2f} s (says: {summary}) (target < 5 s)")
    print(f"re-import unchanged, forced confirm (writes nothing): {t_again_confirm:.2f} s", flush=True)
    t_bare = bare_insert(rows, places)
    print(f"bare bulk insert of the same rows: {t_bare:.2f} s; import total / bare = {total / t_bare:.1f}×")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS of the process): {peak:.0f} MB (target < 300 MB)", flush=True)


if __name__ == "__main__":
    main()
