#!/usr/bin/env python
"""Load benchmark: the app under gunicorn on the benchmark database, many users at once.

    .venv/bin/python bench/load.py [--users 20] [--duration 60] [--think 0] [--workers 3]
    (or: make bench-load; BENCH_DATABASE_URL selects the database as for bench/run.py)

It seeds the county scale like bench/run.py (reused when present), creates one login per role,
starts gunicorn on 127.0.0.1 (only this machine is ever a target), then runs ``--users`` virtual
users for ``--duration`` seconds. Each virtual user holds a session per role and requests the
page mix in turn, back to back or with ``--think`` seconds between requests. It prints, per page,
requests, errors, median, p95 and p99, then the throughput over all pages and the load average,
and stops gunicorn. The loop is bounded by the duration and by ``--max-requests``.
"""

import argparse
import http.cookiejar
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import run  # noqa: E402  (bench/run.py: database setup and county seeding)

PASSWORD = "Bench-load-2026"
HOST = "127.0.0.1"


def page_mix():
    """(name, role, path): the pages the county's users open most (issue 15)."""
    from django.urls import NoReverseMatch, reverse

    def first(*names):
        for name in names:
            try:
                return reverse(name)
            except NoReverseMatch:
                continue
        raise NoReverseMatch(names)

    return [
        ("work_queue_village", "village", reverse("admin:index")),
        ("households_township", "township", reverse("admin:households_household_changelist")),
        ("grievances_township", "township", reverse("admin:grievances_grievance_changelist")),
        ("due_list_leader", "leader", reverse("mobile:due_list")),
        ("grievance_stats_county", "county", first("reports:grievance_stats", "admin:grievances_grievance_stats")),
        ("visits_county", "county", reverse("admin:households_visit_changelist")),
        ("overview_township", "township", reverse("reports:overview")),
        ("overview_county", "county", reverse("reports:overview")),
        ("county_summary_county", "county", reverse("reports:county")),
    ]


def ensure_users(county):
    """One account per role in the county-scale data (created or reset)."""
    from accounts.models import Role, User

    township, village, posting = run.role_units(county)
    specs = {
        "county": {"role": Role.COUNTY, "unit": county, "person": None},
        "township": {"role": Role.TOWNSHIP, "unit": township, "person": None},
        "village": {"role": Role.VILLAGE, "unit": village, "person": None},
        "leader": {"role": Role.LEADER, "unit_id": posting.unit_id, "person": posting.person},
    }
    for role, fields in specs.items():
        user, _ = User.objects.update_or_create(username=f"load_{role}", defaults={**fields, "is_staff": True})
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])


def seed_demo_county():
    """The small demo county (seed_demo's default), for a quick check of the script itself."""
    import io

    from django.core.management import call_command

    from demo.units import DEMO
    from governance.models import County

    call_command("seed_demo", stdout=io.StringIO())
    return County.objects.get(division_code=DEMO.division_code)


def start_server(port, workers):
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-load-" + "x" * 50),
        "ALLOWED_HOSTS": HOST,
    }
    # As in production: hashed, compressed static files from collectstatic (WhiteNoise's manifest).
    manage = [sys.executable, str(run.ROOT / "manage.py"), "collectstatic", "--noinput", "--verbosity", "0"]
    subprocess.run(manage, cwd=run.ROOT, env=env, check=True)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    config = run.ROOT / "sanzhang" / "gunicorn_conf.py"  # the production settings, bound to loopback
    command = [str(gunicorn), "-c", str(config), "-w", str(workers), "-b", f"{HOST}:{port}"]
    # The server's log goes to a file: a pipe nobody reads fills up and blocks the workers.
    log = run.OUT / "gunicorn.log"
    process = subprocess.Popen(command, cwd=run.ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://{HOST}:{port}/admin/login/", timeout=10)
            return process
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if process.poll() is not None:
                raise SystemExit(f"gunicorn stopped: {log.read_text(errors='replace')[-2000:]}") from None
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not answer within 20 s")


def login(base, role):
    """An opener holding a logged-in session of ``load_<role>`` (through the real login form)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/admin/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"username": f"load_{role}", "password": PASSWORD, "csrfmiddlewaretoken": token, "next": "/admin/"}
    ).encode()
    request = urllib.request.Request(f"{base}/admin/login/", data=data, headers={"Referer": f"{base}/admin/login/"})
    opener.open(request, timeout=30).read()
    if not any(cookie.name == "sessionid" for cookie in jar):
        raise SystemExit(f"login as load_{role} failed")
    return opener


class Results:
    def __init__(self, names):
        self.lock = threading.Lock()
        self.times = {name: [] for name in names}
        self.errors = dict.fromkeys(names, 0)

    def add(self, name, seconds, ok):
        with self.lock:
            self.times[name].append(seconds)
            if not ok:
                self.errors[name] += 1


def virtual_user(index, base, mix, openers, results, deadline, think, budget):
    """One user's requests. With a think time, users start at random moments within the first think
    time and pause 0.5-1.5 times it: a hundred users who all click at the same instant, in lockstep
    every ten seconds, are a queue of a hundred requests that no office produces."""
    position = index % len(mix)
    rng = random.Random(index)
    if think:
        time.sleep(rng.uniform(0, think))
    while time.monotonic() < deadline and budget.acquire(blocking=False):
        name, role, path = mix[position]
        position = (position + 1) % len(mix)
        started = time.monotonic()
        ok = True
        try:
            with openers[role].open(base + path, timeout=60) as response:
                response.read()
                ok = response.status == 200 and response.url.endswith(path)  # a redirect to login is an error
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            ok = False
        results.add(name, time.monotonic() - started, ok)
        if think:
            time.sleep(think * rng.uniform(0.5, 1.5))


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def report(mix, results, elapsed, users, think):
    total = 0
    print(f"load: {users} users, think {think:g} s, {elapsed:.0f} s")
    for name, _role, _path in mix:
        times, errors = results.times[name], results.errors[name]
        total += len(times)
        if not times:
            print(f"{name}: no requests")
            continue
        print(
            f"{name}: {len(times)} requests, {errors} errors, median {statistics.median(times) * 1000:.0f} ms, "
            f"p95 {percentile(times, 0.95) * 1000:.0f} ms, p99 {percentile(times, 0.99) * 1000:.0f} ms"
        )
    load1, load5, _ = os.getloadavg()
    print(f"throughput: {total / elapsed:.1f} requests/s ({total} requests); load average {load1:.2f} {load5:.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=0.0, help="seconds between one user's requests")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--max-requests", type=int, default=200_000, help="a bound on the whole run")
    parser.add_argument("--scale", choices=["county", "demo"], default="county", help="demo: a quick smoke run")
    args = parser.parse_args()

    run.setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    county = run.seed_county() if args.scale == "county" else seed_demo_county()
    ensure_users(county)
    mix = page_mix()
    server = start_server(args.port, args.workers)
    base = f"http://{HOST}:{args.port}"
    try:
        roles = sorted({role for _name, role, _path in mix})
        sessions = [{role: login(base, role) for role in roles} for _ in range(args.users)]
        for openers in sessions[:1]:  # warm every worker's caches once
            for _name, role, path in mix * args.workers:
                openers[role].open(base + path, timeout=120).read()
        results = Results([name for name, _role, _path in mix])
        budget = threading.Semaphore(args.max_requests)
        deadline = time.monotonic() + args.duration
        started = time.monotonic()
        # Said before the load starts (a profiler attached from now on sees only the load, not the logins).
        print(f"loading: {args.users} users for {args.duration:g} s", file=sys.stderr, flush=True)
        threads = [
            threading.Thread(
                target=virtual_user, args=(i, base, mix, sessions[i], results, deadline, args.think, budget)
            )
            for i in range(args.users)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        report(mix, results, time.monotonic() - started, args.users, args.think)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
