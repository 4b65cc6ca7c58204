"""``manage.py seed_demo [--scale demo|county]``: load a demo county, its roster and demo logins.

``--scale demo`` (the default, used by ``make run``) builds 湘南县: 2 townships, 5 villages/
communities, about 1,000 households, a full 三长 roster with some history, a few flagged units
(邻 with fewer than 5 or more than 15 households, households in no 邻, a 邻 whose 邻长 resigned),
and one login per role, all with the password ``Sanzhang@2026``.

``--scale county`` builds 潇源县 at the size of seed 002 (14 townships, 223 villages/communities,
about 8,300 邻, 102,700 households, 350,000 residents) in bulk, for benchmarks. It is a separate
county, so both can live in one database.

Idempotent: a county that already exists (found by its division code) is skipped, not rebuilt;
the demo users are reset (role, unit, password) on every run. Deterministic: a fixed random seed.

Pluggable steps: after units, people and households, the command calls, for each module named in
``APP_SEEDERS`` (``demo/<app>.py``), ``seed(*, county, rng, scale, stdout)`` if the module exists.
``scale`` is "demo" or "county"; ``rng`` is a ``random.Random`` seeded per app; each call
runs in its own transaction and must itself be idempotent (skip what already exists), because it
runs on every invocation, also when the county was already there.
"""

import importlib
import importlib.util
import random
import time
import unicodedata

from django.core.management.base import BaseCommand
from django.db import transaction

from demo.accounts import DEMO_PASSWORD, ensure_demo_users
from demo.builder import CountyBuilder, analyze
from demo.journeys import ensure_leader_journey
from demo.summary import county_summary
from demo.units import COUNTY, DEMO
from governance.models import County

APP_SEEDERS = ["grievances", "disputes", "training", "deliberation"]  # demo/<app>.py, each with seed()
SPECS = {"demo": DEMO, "county": COUNTY}


def run_app_seeders(*, county, seed, scale, stdout):
    """Call ``demo.<app>.seed`` for every app that has one; returns the apps that ran."""
    ran = []
    for app in APP_SEEDERS:
        if importlib.util.find_spec(f"demo.{app}") is None:
            continue
        module = importlib.import_module(f"demo.{app}")
        with transaction.atomic():
            module.seed(county=county, rng=random.Random(f"{seed}-{app}"), scale=scale, stdout=stdout)
        ran.append(app)
    analyze("all")  # the seeders bulk-load their tables (a county's year of visits)
    return ran


HEADER = ["用户名", "角色", "姓名", "所属单元"]
WIDTHS = [10, 24, 10, 0]


def site_url(host):
    """The address to open for ``runserver HOST`` (as ``make run`` passes it): a bare port or a
    wildcard address is reached on this machine at 127.0.0.1."""
    host = str(host or "").strip() or "127.0.0.1:8000"
    if host.isdigit():
        host = f"127.0.0.1:{host}"
    name, _, port = host.rpartition(":") if not host.endswith("]") else (host, "", "")
    if name in ("0.0.0.0", "[::]", "::"):
        host = f"127.0.0.1:{port}" if port else "127.0.0.1"
    return f"http://{host}"


def _pad(text, width):
    """Left-align in a terminal where CJK characters take two columns."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - used, 1 if width else 0)


class Command(BaseCommand):
    help = "载入演示数据（演示县或县级规模）并创建演示账号"

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=sorted(SPECS),
            default="demo",
            help="demo：约1000户的演示县（默认）；county：约10万户的县级规模数据，用于性能测试",
        )
        parser.add_argument(
            "--host",
            default="127.0.0.1:8000",
            help="打印登录地址用的“地址:端口”（与 runserver 的参数相同，make run 传入 HOST）",
        )

    def handle(self, *args, scale, host="127.0.0.1:8000", **options):
        spec = SPECS[scale]
        started = time.perf_counter()
        county = County.objects.filter(division_code=spec.division_code).first()
        if county is not None:
            self.stdout.write(f"{spec.name}（{spec.division_code}）已存在，跳过生成。")
        else:
            self.stdout.write(f"正在生成{spec.name}（{spec.division_code}）……")
            with transaction.atomic():
                county = CountyBuilder(spec, stdout=self.stdout).build()
        for app in run_app_seeders(county=county, seed=spec.seed, scale=scale, stdout=self.stdout):
            self.stdout.write(f"  已载入 {app} 演示数据")
        elapsed = time.perf_counter() - started
        self.stdout.write("")
        self.stdout.write(county_summary(county))
        self.stdout.write(f"用时 {elapsed:.1f} 秒。")
        if scale == "demo":
            self._print_logins(ensure_demo_users(county), site_url(host))
            ensure_leader_journey()
        else:
            self.stdout.write("县级规模数据不另建账号：超级用户（如演示账号 admin）可查看全部。")

    def _print_logins(self, rows, url):
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"演示账号（密码均为 {DEMO_PASSWORD}）："))
        self.stdout.write("  " + "".join(_pad(text, width) for text, width in zip(HEADER, WIDTHS, strict=True)))
        for username, role, unit, name in rows:
            cells = [username, role, name, unit]
            self.stdout.write("  " + "".join(_pad(text, width) for text, width in zip(cells, WIDTHS, strict=True)))
        self.stdout.write(f"登录地址：{url}/admin/ （手机页面：{url}/m/）")
