"""Demo and scale data: a year of visits (民情记录本) and grievances with their whole history.

Called by ``manage.py seed_demo`` after units, people and households exist, as
``seed(county=…, rng=…, scale=…, stdout=…)``. Every household linked to a 邻 with an active 邻长
is visited by that 邻长 at its interval (weekly for special-care households, monthly otherwise)
with some gaps; households whose 邻 has no 邻长 are visited by the 组长 if there is one. Some
visits find a problem and become grievances; others arrive by phone, WeChat, walk-ins, 说事日…
Each grievance's timeline is simulated day by day up to today, so every status appears: fresh
ones are still 已登记/已核实, late ones are overdue, some are escalated with (or awaiting) the
reply, some revisits are 不满意 and reopen the case.

Everything is written with ``bulk_create`` in batches, a chunk of households at a time, so memory
stays flat and the county scale (~1.2M visits, ~25,000 grievances) takes minutes, not hours.
Idempotent: a county that already has visits or grievances is skipped.
"""

import datetime
import time
from dataclasses import dataclass, field

from auditlog.context import disable_auditlog
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from demo.grievance_text import (
    COMMENTS,
    DEPARTMENTS,
    DESCRIPTIONS,
    OTHER_CHANNELS,
    REPLIES,
    RESOLUTIONS,
    TOPICS,
    UNSATISFIED,
    URGENCY_DAYS,
)
from governance.models import Posting, Unit
from grievances.models import Grievance, GrievanceCategory, GrievanceEvent, Revisit
from households.models import Household, Visit
from households.tallies import rebuild as rebuild_tally

BATCH = 5000
CHUNK = 4000  # households per buffered write
DAYS = 365
COUNTY_VISITS = 1_200_000
COUNTY_GRIEVANCES = 25_000
DEMO_GRIEVANCE_RATE = 0.16  # grievances per household per year in the demo county

S, H, A = Grievance.Status, Grievance.HandlingMode, GrievanceEvent.Action
SAT = Revisit.Satisfaction


@dataclass
class Counts:
    visits: int = 0
    grievances: int = 0
    events: int = 0
    revisits: int = 0
    by_status: dict = field(default_factory=dict)


def seed(*, county, rng, scale=None, stdout=None):
    """Seed a year of visits and grievances for ``county``; skip if it already has any."""
    if _already_seeded(county):
        _say(stdout, "  走访和诉求演示数据已存在，跳过。")
        return None
    started = time.perf_counter()
    seeder = Seeder(county=county, rng=rng, big=(scale == "county"))
    with disable_auditlog():  # generated history is not anyone's edit; the audit log stays for real users
        counts = seeder.run()
    # The visits went in as bulk INSERTs, past the models' saves: count the county's village-days once.
    rebuild_tally(
        Unit.objects.filter(path__startswith=county.path, level=Unit.Level.VILLAGE).values_list("pk", flat=True)
    )
    elapsed = time.perf_counter() - started
    _say(
        stdout,
        f"  走访 {counts.visits:,} 条，诉求 {counts.grievances:,} 件，办理记录 {counts.events:,} 条，"
        f"回访 {counts.revisits:,} 条（{elapsed:.1f} 秒）",
    )
    return counts


def _already_seeded(county):
    households = Household.objects.filter(village__path__startswith=county.path)
    return (
        Visit.objects.filter(household__in=households).exists()
        or Grievance.objects.filter(village__path__startswith=county.path).exists()
    )


VISIT_COLUMNS = ["household_id", "visitor_id", "visited_on", "method", "topic", "hazard"]


def insert_rows(model, columns, rows, constants=()):
    """INSERT plain tuples (plus the same ``constants`` on every row) in batches, without model instances."""
    if not rows:
        return
    fields = [model._meta.get_field(name.removesuffix("_id")) for name in columns]
    qn = connection.ops.quote_name
    names = ", ".join(qn(f.column) for f in fields)
    sql = f"INSERT INTO {qn(model._meta.db_table)} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"
    tail = tuple(f.get_db_prep_save(v, connection) for f, v in zip(fields[-len(constants) :], constants, strict=True))
    date_columns = [
        i for i, f in enumerate(fields[: len(fields) - len(constants)]) if f.get_internal_type() == "DateField"
    ]
    dates = {}

    def prepared(row):
        row = list(row)
        for i in date_columns:
            day = row[i]
            if day not in dates:
                dates[day] = connection.ops.adapt_datefield_value(day)
            row[i] = dates[day]
        return (*row, *tail)

    with connection.cursor() as cursor:
        for offset in range(0, len(rows), BATCH):
            cursor.executemany(sql, [prepared(row) for row in rows[offset : offset + BATCH]])


def _say(stdout, message):
    if stdout is not None:
        stdout.write(message)


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


class Seeder:
    def __init__(self, *, county, rng, big):
        self.county, self.rng, self.big = county, rng, big
        self.today = timezone.localdate()
        self.start = self.today - datetime.timedelta(days=DAYS - 1)
        self.tz = timezone.get_current_timezone()
        self.now = timezone.now()
        self.categories = list(GrievanceCategory.objects.filter(is_active=True))
        self.counts = Counts()

    # ------------------------------------------------------------ who visits whom

    def _plan(self):
        path = self.county.path
        households = list(
            Household.objects.filter(village__path__startswith=path)
            .order_by("pk")
            .values_list("pk", "village_id", "neighborhood_id")
        )
        special = set(
            Household.care_categories.through.objects.filter(household__village__path__startswith=path)
            .values_list("household_id", flat=True)
            .distinct()
        )
        active = Posting.objects.filter(end_date__isnull=True, unit__path__startswith=path)
        nb_leader = dict(
            active.filter(role=Posting.Role.NEIGHBORHOOD_LEADER).values_list("unit_id", "person_id").order_by("pk")
        )
        group_leader = dict(
            active.filter(role=Posting.Role.GROUP_LEADER).values_list("unit_id", "person_id").order_by("pk")
        )
        nb_group = dict(
            Unit.objects.filter(path__startswith=path, level=Unit.Level.NEIGHBORHOOD).values_list("pk", "parent_id")
        )
        village_names = dict(
            Unit.objects.filter(path__startswith=path, level=Unit.Level.VILLAGE).values_list("pk", "name")
        )
        township_of = {}
        for pk, village_path in Unit.objects.filter(path__startswith=path, level=Unit.Level.VILLAGE).values_list(
            "pk", "path"
        ):
            township_of[pk] = village_path[:18]
        township_names = dict(
            Unit.objects.filter(path__startswith=path, level=Unit.Level.TOWNSHIP).values_list("path", "name")
        )
        plan = []
        for pk, village_id, neighborhood_id in households:
            visitor = nb_leader.get(neighborhood_id) or group_leader.get(nb_group.get(neighborhood_id))
            interval = 7 if pk in special else 30
            plan.append((pk, village_id, visitor, interval))
        self.village_names = village_names
        self.township_name = {v: township_names.get(p, "乡镇") for v, p in township_of.items()}
        return plan

    def run(self):
        plan = self._plan()
        visited = [p for p in plan if p[2] is not None]
        expected = sum(DAYS / p[3] for p in visited) or 1
        if self.big:
            self.keep = min(0.95, COUNTY_VISITS / expected)
            self.grievance_rate = COUNTY_GRIEVANCES / max(len(plan), 1)
        else:
            self.keep, self.grievance_rate = 0.85, DEMO_GRIEVANCE_RATE
        for offset in range(0, len(plan), CHUNK):
            self._chunk(plan[offset : offset + CHUNK])
        if not self.big:
            self._ensure_every_status(plan)
        return self.counts

    # ------------------------------------------------------------ one chunk of households

    def _chunk(self, chunk):
        """Visits for a chunk of households, then the grievances some of them found.

        Visits that found a problem are model instances (bulk_create gives them the pks the
        grievances point to); the ~95% that found nothing are plain rows inserted in batches
        with ``executemany``, which skips Django's per-value preparation: that alone is most of
        the county-scale seeding time.
        """
        rng = self.rng
        rows, problems, wanted = [], [], []
        for pk, village_id, visitor, interval in chunk:
            own = []
            if visitor is not None:
                day = self.start + datetime.timedelta(days=rng.randrange(interval))
                while day <= self.today:
                    if rng.random() < self.keep:
                        own.append(self._visit_row(pk, visitor, day))
                    day += datetime.timedelta(days=interval + rng.randint(-1, 2))
            n = int(self.grievance_rate) + (1 if rng.random() < self.grievance_rate % 1 else 0)
            found = {}
            for _ in range(n):
                source = None
                if own and rng.random() < 0.6:
                    index = rng.randrange(len(own))
                    if index not in found:
                        found[index] = Visit(**dict(zip(VISIT_COLUMNS, own[index], strict=True)), problem_found=True)
                    source = found[index]
                wanted.append((pk, village_id, visitor, source))
            problems.extend(found.values())
            rows.extend(row for index, row in enumerate(own) if index not in found)
        Visit._base_manager.bulk_create(problems, batch_size=BATCH)  # counted per village-day once, by seed()
        insert_rows(Visit, [*VISIT_COLUMNS, "problem_found", "created_at"], rows, [False, self.now])
        self.counts.visits += len(rows) + len(problems)
        self._grievances(wanted)

    def _visit_row(self, household_id, visitor_id, day):
        rng = self.rng
        roll = rng.random()
        method = Visit.Method.DOOR if roll < 0.7 else Visit.Method.PHONE if roll < 0.9 else Visit.Method.WECHAT
        hazard = rng.choice(Visit.Hazard.values) if rng.random() < 0.02 else ""
        return (household_id, visitor_id, day, method, rng.choice(TOPICS), hazard)

    # ------------------------------------------------------------ grievances and their history

    def _grievances(self, wanted, forced=None):
        rng = self.rng
        rows, histories = [], []
        for i, (household_id, village_id, visitor, source) in enumerate(wanted):
            category = rng.choice(self.categories)
            urgency, days, _ = rng.choices(URGENCY_DAYS, [w for *_, w in URGENCY_DAYS])[0]
            if source is not None:
                received, channel = source.visited_on, Grievance.Channel.VISIT
            else:
                received = self.start + datetime.timedelta(days=rng.randrange(DAYS))
                channel = _weighted(rng, OTHER_CHANNELS)
            shape = forced[i] if forced else None
            if shape and shape.get("received_ago") is not None:
                received = self.today - datetime.timedelta(days=shape["received_ago"])
            grievance = Grievance(
                village_id=village_id,
                household_id=household_id,
                visit_id=source.pk if source is not None else None,
                channel=channel,
                category=category,
                description=rng.choice(DESCRIPTIONS.get(category.name, DESCRIPTIONS["其他"])),
                urgency=urgency,
                received_on=received,
                due_date=received + datetime.timedelta(days=days),
                created_at=self._at(received),
            )
            history = self._simulate(grievance, visitor, shape or {})
            rows.append(grievance)
            histories.append(history)
        Grievance.objects.bulk_create(rows, batch_size=BATCH)
        events, revisits = [], []
        for grievance, (steps, visits_back) in zip(rows, histories, strict=True):
            previous = ""
            for index, (action, day, to_status, note) in enumerate(steps):
                events.append(
                    GrievanceEvent(
                        grievance_id=grievance.pk,
                        action=action,
                        from_status=previous,
                        to_status=to_status,
                        note=note,
                        created_at=self._at(day, index),
                    )
                )
                previous = to_status
            for revisit in visits_back:
                revisit.grievance_id = grievance.pk
                revisits.append(revisit)
            self.counts.by_status[grievance.status] = self.counts.by_status.get(grievance.status, 0) + 1
        GrievanceEvent.objects.bulk_create(events, batch_size=BATCH)
        Revisit.objects.bulk_create(revisits, batch_size=BATCH)
        self.counts.grievances += len(rows)
        self.counts.events += len(events)
        self.counts.revisits += len(revisits)
        return rows

    def _at(self, day, order=0):
        """A working-hours time on ``day``; ``order`` keeps one grievance's same-day steps in sequence."""
        minutes = 8 * 60 + order * 40 + self.rng.randrange(30)
        return datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60), tzinfo=self.tz)

    def _simulate(self, g, visitor, shape):
        """Walk the grievance through its life, stopping at today; sets its fields, returns the history."""
        rng, today = self.rng, self.today
        steps, revisits = [], []
        g.status = S.REGISTERED
        steps.append((A.REGISTER, g.received_on, S.REGISTERED, g.description))

        def later(day, low, high):
            return day + datetime.timedelta(days=rng.randint(low, high))

        def step(action, day, status, note=""):
            if day > today or shape.get("stop") == action:
                return False
            g.status = status
            steps.append((action, day, status, note))
            return True

        day = later(g.received_on, 0, 2)
        if shape.get("reject") or (not shape and rng.random() < 0.04):
            step(A.REJECT, day, S.REJECTED, "不属于村级受理范围，已告知群众通过法定途径解决")
            return steps, revisits
        if not step(A.VERIFY, day, S.VERIFIED, "已上门核实情况属实"):
            return steps, revisits
        mode = shape.get("mode") or _weighted(rng, [(H.ON_SPOT, 35), (H.EXPLAINED, 35), (H.ESCALATED, 30)])
        late = shape.get("late") or (not shape and rng.random() < 0.08)
        reopen = shape.get("reopen") or (not shape and rng.random() < 0.08)
        for round_ in (1, 2):
            day = later(day, 0, 1)
            target = ""
            if mode == H.ESCALATED:
                target = rng.choice([f"{self.township_name.get(g.village_id, '乡镇')}人民政府", *DEPARTMENTS])
            note = f"办理方式：{H(mode).label}" + (f"，上报至：{target}" if target else "")
            if not step(A.HANDLE, day, S.IN_PROGRESS, note):
                return steps, revisits
            g.handling_mode, g.escalated_to, g.escalation_reply = mode, target, ""
            if mode == H.ESCALATED:
                day = later(day, 3, 20)
                reply = rng.choice(REPLIES)
                if not step(A.REPLY, day, S.IN_PROGRESS, reply):
                    return steps, revisits
                g.escalation_reply = reply
            day = day if mode == H.ON_SPOT else later(day, 0, 4)
            if late and round_ == 1:
                day = max(day, g.due_date + datetime.timedelta(days=rng.randint(5, 40)))
            resolution = rng.choice(RESOLUTIONS[mode])
            if not step(A.RESOLVE, day, S.RESOLVED, resolution):
                return steps, revisits
            g.resolution, g.resolved_on = resolution, day
            day = later(day, 1, 10)
            if day > today or shape.get("stop") == A.REVISIT:
                return steps, revisits
            unsatisfied = reopen and round_ == 1
            satisfaction = SAT.UNSATISFIED if unsatisfied else _weighted(rng, [(SAT.SATISFIED, 80), (SAT.BASIC, 20)])
            comment = rng.choice(UNSATISFIED) if unsatisfied else rng.choice(COMMENTS[satisfaction])
            revisits.append(
                Revisit(
                    revisited_on=day,
                    revisitor_id=visitor,
                    satisfaction=satisfaction,
                    comment=comment,
                    created_at=self._at(day),
                )
            )
            g.satisfaction = satisfaction  # the latest revisit's (they are bulk-inserted: Revisit.save is not run)
            text = f"满意度：{SAT(satisfaction).label}" + (f"；群众意见：{comment}" if comment else "")
            if unsatisfied:
                g.reopen_count += 1
                g.resolved_on = None
                step(A.REOPEN, day, S.IN_PROGRESS, f"{text}；重新办理（第{g.reopen_count}次）")
                mode = shape.get("mode_after") or mode
                continue
            step(A.REVISIT, day, S.REVISITED, text)
            day = later(day, 3, 30)
            step(A.ARCHIVE, day, S.ARCHIVED, "")
            return steps, revisits
        return steps, revisits

    # ------------------------------------------------------------ the demo shows every case

    SHOWCASE = [
        {"received_ago": 0, "stop": A.VERIFY},  # 已登记 today
        {"received_ago": 3, "stop": A.HANDLE},  # 已核实
        {"received_ago": 25, "stop": A.RESOLVE, "mode": H.EXPLAINED},  # 办理中, overdue
        {"received_ago": 6, "stop": A.REPLY, "mode": H.ESCALATED},  # escalated awaiting reply
        {"received_ago": 40, "stop": A.RESOLVE, "mode": H.ESCALATED},  # escalated, replied, still open
        {"received_ago": 12, "stop": A.REVISIT, "mode": H.ON_SPOT},  # 已办结, revisit overdue
        {"received_ago": 3, "reject": True},  # 不予受理
        {"received_ago": 40, "stop": A.ARCHIVE, "mode": H.ON_SPOT},  # 已回访
        {"received_ago": 90, "mode": H.EXPLAINED},  # 已归档
        {"received_ago": 30, "reopen": True, "mode": H.EXPLAINED, "mode_after": H.ESCALATED, "stop": A.REPLY},
    ]

    def _ensure_every_status(self, plan):
        """A handful of grievances with fixed shapes, so the demo always shows each case."""
        linked = [p for p in plan if p[2] is not None]
        if not linked:
            return
        picks = [linked[(i * 7919) % len(linked)] for i in range(len(self.SHOWCASE))]
        wanted = [(pk, village_id, visitor, None) for pk, village_id, visitor, _ in picks]
        self._grievances(wanted, forced=self.SHOWCASE)


def status_counts(county):
    """Grievances per status in ``county`` (used by tests and the seed summary)."""
    rows = (
        Grievance.objects.filter(village__path__startswith=county.path)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["status"]: row["n"] for row in rows}
