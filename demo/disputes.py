"""Demo and scale data for disputes: committees, screening rounds with risks and 零报告, and a
year of disputes in every step and outcome with their timelines, sessions, agreements (written
and oral, numbered per committee and year), judicial confirmations and revisits.

``--scale county``: about 1,000 disputes and 2,000 risk reports a year. Everything is written with
``bulk_create`` a kind at a time. Idempotent: a county whose villages have committees is skipped.
"""

import datetime
import time
from collections import defaultdict

from auditlog.context import disable_auditlog
from django.utils import timezone

from demo.dispute_text import COURTS, FACTS, MEASURES, PLACES, TERMS
from disputes.models import (
    Agreement,
    CommitteeMember,
    Dispute,
    DisputeEvent,
    DisputeParty,
    DisputeType,
    FulfilmentRevisit,
    MediationCommittee,
    MediationSession,
    RiskReport,
    ScreeningRound,
    ZeroReport,
)
from disputes.models.disputes import one_month_after
from governance.models import Person, Unit
from households.models import Household, Resident

BATCH = 2000
S, A = Dispute.Status, DisputeEvent.Action
SCALES = {"demo": (14, 28), "county": (1000, 2000)}  # disputes, risk reports a year
# (days after receipt, status reached, action) along the six steps.
STEPS = [
    (1, S.ACCEPTED, A.ACCEPT),
    (2, S.ASSIGNED, A.ASSIGN),
    (4, S.INVESTIGATED, A.INVESTIGATE),
    (6, S.NOTIFIED, A.NOTIFY),
    (8, S.MEDIATING, A.MEDIATE),
]


def seed(*, county, rng, scale=None, stdout=None):
    villages = list(Unit.objects.filter(path__startswith=county.path, level=Unit.Level.VILLAGE).order_by("path"))
    if not villages or MediationCommittee.objects.filter(village__in=[v.pk for v in villages]).exists():
        _say(stdout, "  矛盾纠纷演示数据已存在，跳过。")
        return None
    started = time.perf_counter()
    with disable_auditlog():
        counts = DisputeSeeder(county, villages, rng, scale or "demo").run()
    elapsed = time.perf_counter() - started
    _say(stdout, f"  调委会 {counts['committees']} 个，隐患 {counts['risks']} 条，零报告 {counts['zero']} 条，"
                 f"纠纷 {counts['disputes']} 件，协议 {counts['agreements']} 份（{elapsed:.1f} 秒）")  # fmt: skip
    return counts


def _say(stdout, message):
    if stdout is not None:
        stdout.write(message)


class DisputeSeeder:
    def __init__(self, county, villages, rng, scale):
        self.county, self.villages, self.rng = county, villages, rng
        self.n_disputes, self.n_risks = SCALES.get(scale, SCALES["demo"])
        if scale != "county":  # the demo: per village
            self.n_disputes, self.n_risks = self.n_disputes * len(villages), self.n_risks * len(villages)
        self.today = timezone.localdate()
        self.tz = timezone.get_current_timezone()
        self.counts = defaultdict(int)

    def at(self, day, hour=10):
        return datetime.datetime.combine(day, datetime.time(hour), tzinfo=self.tz)

    def day_in_year(self):
        return self.today - datetime.timedelta(days=self.rng.randrange(365))

    def run(self):
        path = self.county.path
        self.neighborhoods = defaultdict(list)
        for pk, village_path in Unit.objects.filter(path__startswith=path, level=Unit.Level.NEIGHBORHOOD).values_list(
            "pk", "path"
        ):
            self.neighborhoods[village_path[:27]].append(pk)
        self.households = defaultdict(list)
        for pk, village_id, nb in Household.objects.filter(village__path__startswith=path).values_list(
            "pk", "village_id", "neighborhood_id"
        ):
            self.households[village_id].append((pk, nb))
        self.residents = {}
        for pk, household_id in (
            Resident.objects.filter(household__village__path__startswith=path)
            .values_list("pk", "household_id")
            .order_by("household_id", "pk")
        ):
            self.residents.setdefault(household_id, pk)
        self.committees()
        self.screening()
        self.disputes()
        return self.counts

    # ------------------------------------------------------------ committees

    def committees(self):
        people = defaultdict(list)
        for pk, village_id in (
            Person.objects.filter(village__path__startswith=self.county.path)
            .values_list("pk", "village_id")
            .order_by("pk")
        ):
            people[village_id].append(pk)
        committees = [
            MediationCommittee(village_id=v.pk, name=f"{v.name}人民调解委员会", short_name=v.name[:2],
                               established_on=self.today.replace(year=self.today.year - 3),
                               term_start=self.today.replace(year=self.today.year - 2, month=1, day=1))
            for v in self.villages
        ]  # fmt: skip
        MediationCommittee.objects.bulk_create(committees, batch_size=BATCH)
        self.committee_of = {c.village_id: c for c in MediationCommittee.objects.filter(village__in=self.villages)}
        members = []
        self.members = defaultdict(list)
        for village in self.villages:
            committee = self.committee_of[village.pk]
            for index, person in enumerate(people[village.pk][:5]):
                role = "chair" if index == 0 else "vice_chair" if index == 1 else "member"
                background = ("cadre", "sanzhang", "wulao", "representative", "sanzhang")[index]
                members.append(CommitteeMember(committee=committee, person_id=person, role=role, background=background))
        CommitteeMember.objects.bulk_create(members, batch_size=BATCH)
        for member in CommitteeMember.objects.filter(committee__in=self.committee_of.values()):
            self.members[member.committee_id].append(member.pk)
        self.counts["committees"] = len(committees)

    # ------------------------------------------------------------ screening

    def screening(self):
        rounds = []
        for village in self.villages:
            for months_ago in range(12):
                first = (self.today.replace(day=1) - datetime.timedelta(days=31 * months_ago)).replace(day=1)
                end = min(first + datetime.timedelta(days=6), self.today)
                title = f"{first.year}年{first.month}月矛盾纠纷排查"
                rounds.append(ScreeningRound(village_id=village.pk, kind="monthly", title=title, start_date=first,
                                             end_date=end))  # fmt: skip
            spring = self.today - datetime.timedelta(days=self.rng.randrange(300))
            rounds.append(ScreeningRound(village_id=village.pk, kind="holiday", title="节前矛盾纠纷专项排查",
                                         start_date=spring, end_date=spring))  # fmt: skip
        ScreeningRound.objects.bulk_create(rounds, batch_size=BATCH)
        by_village = defaultdict(list)
        for r in ScreeningRound.objects.filter(village__in=self.villages).order_by("start_date"):
            by_village[r.village_id].append(r)
        risks, reported = [], set()
        statuses = [("resolved", 60), ("open", 15), ("watching", 15), ("converted", 10)]
        for _ in range(self.n_risks):
            village = self.rng.choice(self.villages)
            households = self.households.get(village.pk)
            if not households:
                continue
            household, nb = self.rng.choice(households)
            rnd = self.rng.choice(by_village[village.pk])
            found = rnd.start_date
            status = _weighted(self.rng, statuses)
            if status == "converted":
                status = "watching"  # the dispute seeder converts its own
            risks.append(RiskReport(village_id=village.pk, unit_id=nb, household_id=household, screening_round=rnd,
                                    found_on=found, dispute_type=self.rng.choice(DisputeType.values),
                                    level=_weighted(self.rng, [("ordinary", 80), ("major", 17), ("serious", 3)]),
                                    description=self.rng.choice(FACTS[self.rng.choice(DisputeType.values)]),
                                    measure=self.rng.choice(MEASURES), status=status,
                                    resolved_on=min(found + datetime.timedelta(days=7), self.today)
                                    if status == "resolved" else None))  # fmt: skip
            reported.add((rnd.pk, nb))
        RiskReport.objects.bulk_create(risks, batch_size=BATCH)
        zero = []
        for village in self.villages:
            for rnd in by_village[village.pk]:
                for nb in self.neighborhoods.get(village.path, []):
                    if (rnd.pk, nb) not in reported and self.rng.random() < 0.9:  # some 邻 never report
                        zero.append(ZeroReport(screening_round=rnd, unit_id=nb, reported_on=rnd.end_date))
                if len(zero) >= BATCH:
                    ZeroReport.objects.bulk_create(zero, batch_size=BATCH)
                    self.counts["zero"] += len(zero)
                    zero = []
        ZeroReport.objects.bulk_create(zero, batch_size=BATCH)
        self.counts["zero"] += len(zero)
        self.counts["risks"] = len(risks)
        self.rounds = by_village

    # ------------------------------------------------------------ disputes

    def disputes(self):
        plans = []
        # The demo shows every step and outcome: the first disputes get the ages (and endings) for it.
        forced = [(0, None), (1, None), (3, None), (5, None), (7, None), (10, None), (40, S.FAILED), (40, S.WITHDRAWN),
                  (20, S.SUCCEEDED), (200, S.FAILED)]  # fmt: skip
        for index in range(self.n_disputes):
            village = self.rng.choice(self.villages)
            households = self.households.get(village.pk, [])
            pair = (
                [h for h in self.rng.sample(households, 2) if self.residents.get(h[0])] if len(households) > 1 else []
            )
            if len(pair) < 2 or not self.members[self.committee_of[village.pk].pk]:
                continue
            age, ending = forced[index] if index < len(forced) else (None, None)
            received = self.day_in_year() if age is None else self.today - datetime.timedelta(days=age)
            kind = self.rng.choice(DisputeType.values)
            plans.append((village, pair, received, kind, self.plan_outcome(received, ending, forced=age is not None)))
        disputes = []
        for village, pair, received, kind, outcome in plans:
            final, accepted = outcome["status"], outcome["status"] != S.REGISTERED and outcome["status"] != S.REJECTED
            d = Dispute(
                village_id=village.pk, committee=self.committee_of[village.pk], household_id=pair[0][0],
                title=f"{DisputeType(kind).label}（{received.month}月{received.day}日登记）", dispute_type=kind,
                source=_weighted(self.rng, [("application", 50), ("initiative", 15), ("screening", 15), ("visit", 15),
                                            ("referred", 5)]),
                facts=self.rng.choice(FACTS[kind]), requests="请求村调委会主持调解", received_on=received,
                persons_involved=self.rng.choice((2, 2, 3, 4, 6)), status=final,
                prevents_crime=self.rng.random() < 0.04, prevents_mass_petition=self.rng.random() < 0.03,
                created_at=self.at(received, 9),
            )  # fmt: skip
            if accepted:
                d.accepted_on = received + datetime.timedelta(days=1)
                d.due_date = one_month_after(d.accepted_on)
            for key, value in outcome.get("fields", {}).items():
                setattr(d, key, value)
            disputes.append(d)
        Dispute.objects.bulk_create(disputes, batch_size=BATCH)
        parties, events, sessions, agreements, revisits = [], [], [], [], []
        numbers = defaultdict(int)
        for d, (_, pair, received, _, outcome) in sorted(
            zip(disputes, plans, strict=True), key=lambda item: (item[0].ended_on or self.today, item[0].pk)
        ):
            for (household, _), side in zip(pair, ("applicant", "respondent"), strict=True):
                parties.append(DisputeParty(dispute=d, side=side, resident_id=self.residents[household]))
            events.append(DisputeEvent(dispute=d, action=A.REGISTER, to_status=S.REGISTERED, note=d.facts,
                                       created_at=self.at(received, 9)))  # fmt: skip
            self.timeline(d, outcome, events, sessions, agreements, revisits, numbers)
        for model, rows in [(DisputeParty, parties), (MediationSession, sessions), (Agreement, agreements)]:
            model.objects.bulk_create(rows, batch_size=BATCH)
        for revisit in revisits:
            revisit.dispute_id = revisit.dispute.pk
        FulfilmentRevisit.objects.bulk_create(revisits, batch_size=BATCH)
        DisputeEvent.objects.bulk_create(events, batch_size=BATCH)
        self.presiding(disputes)
        self.counts["disputes"], self.counts["agreements"] = len(disputes), len(agreements)

    def plan_outcome(self, received, ending=None, forced=False):
        age = (self.today - received).days
        if age < 1:
            return {"status": S.REGISTERED}
        if not forced and self.rng.random() < 0.04:
            return {"status": S.REJECTED, "fields": {"ended_on": received + datetime.timedelta(days=1)}}
        reached = S.ACCEPTED
        for offset, status, _ in STEPS:
            if age >= offset:
                reached = status
        if reached != S.MEDIATING or age < 15 or (not forced and self.rng.random() < 0.05):  # 5% stuck: overdue
            return {"status": reached}
        end = received + datetime.timedelta(days=15)
        ending = ending or _weighted(self.rng, [(S.SUCCEEDED, 85), (S.FAILED, 10), (S.WITHDRAWN, 5)])
        fields = {"ended_on": end}
        if ending == S.FAILED:
            fields["failure_route"] = self.rng.choice(["lawsuit", "arbitration", "administrative", "township"])
        archived = ending != S.SUCCEEDED and age > 60 or ending == S.SUCCEEDED and age > 120 and self.rng.random() < 0.6
        return {"status": S.ARCHIVED if archived else ending, "ending": ending, "end": end, "fields": fields}

    def timeline(self, d, outcome, events, sessions, agreements, revisits, numbers):
        received, status = d.received_on, outcome["status"]
        if status == S.REGISTERED:
            return
        if status == S.REJECTED:
            events.append(DisputeEvent(dispute=d, action=A.REJECT, from_status=S.REGISTERED, to_status=S.REJECTED,
                                       note="不予受理理由：已向人民法院起诉",
                                       created_at=self.at(d.ended_on)))  # fmt: skip
            return
        previous = S.REGISTERED
        order = [s for _, s, _ in STEPS]
        for offset, step_status, action in STEPS:
            reached = outcome.get("ending") or status
            if reached in order and order.index(step_status) > order.index(reached):
                break
            day = received + datetime.timedelta(days=offset)
            events.append(DisputeEvent(dispute=d, action=action, from_status=previous, to_status=step_status,
                                       note=f"{action.label}", created_at=self.at(day)))  # fmt: skip
            if action == A.MEDIATE:
                sessions.append(MediationSession(dispute=d, held_on=day, place=self.rng.choice(PLACES),
                                                 participants="双方当事人、调解员",
                                                 record="双方陈述事实，调解员释法说理"))  # fmt: skip
            previous = step_status
        ending = outcome.get("ending")
        if not ending:
            return
        end = outcome["end"]
        note = {S.SUCCEEDED: "签订协议", S.FAILED: "调解不成，告知解决途径", S.WITHDRAWN: "当事人撤回"}[ending]
        action = {S.SUCCEEDED: A.SUCCEED, S.FAILED: A.FAIL, S.WITHDRAWN: A.WITHDRAW}[ending]
        events.append(DisputeEvent(dispute=d, action=action, from_status=S.MEDIATING, to_status=ending, note=note,
                                   created_at=self.at(end)))  # fmt: skip
        if ending == S.SUCCEEDED:
            kept = self.agreement(d, end, agreements, revisits, numbers)
            if status == S.ARCHIVED and not kept:  # a file is closed only once the agreement is kept
                d.status = status = S.SUCCEEDED
        if status == S.ARCHIVED:
            day = min(end + datetime.timedelta(days=45), self.today)
            events.append(DisputeEvent(dispute=d, action=A.ARCHIVE, from_status=ending, to_status=S.ARCHIVED,
                                       note="卷宗归档", created_at=self.at(day)))  # fmt: skip

    def agreement(self, d, signed, agreements, revisits, numbers):
        written = self.rng.random() < 0.7
        kind = "written" if written else "oral"
        agreement = Agreement(dispute=d, committee=d.committee, kind=kind, year=signed.year,
                              terms=self.rng.choice(TERMS), disputed_points=d.facts, signed_on=signed,
                              fulfil_by=signed + datetime.timedelta(days=10), fulfil_method="当面交付",
                              fulfil_place="村委会")  # fmt: skip
        if written:
            numbers[(d.committee.pk, signed.year)] += 1
            agreement.number = numbers[(d.committee.pk, signed.year)]
            if self.rng.random() < 0.12:
                agreement.confirmation = "confirmed" if self.rng.random() < 0.8 else "requested"
                agreement.confirmation_requested_on = signed + datetime.timedelta(days=5)
                agreement.court = f"{self.county.name}{COURTS}"
                if agreement.confirmation == "confirmed":
                    agreement.confirmation_decided_on = min(signed + datetime.timedelta(days=20), self.today)
        agreements.append(agreement)
        due = agreement.fulfil_by
        d.revisit_due_on = due
        if due <= self.today - datetime.timedelta(days=3) and self.rng.random() < 0.85:
            fulfilment = _weighted(self.rng, [("fulfilled", 85), ("partial", 10), ("unfulfilled", 5)])
            revisits.append(FulfilmentRevisit(dispute=d, revisited_on=due + datetime.timedelta(days=2),
                                              fulfilment=fulfilment,
                                              satisfaction="satisfied" if fulfilment == "fulfilled" else "basic",
                                              rebounded=fulfilment == "unfulfilled",
                                              follow_up="none" if fulfilment == "fulfilled" else "urge"))  # fmt: skip
            d.revisit_count = 1
            d.rebounded = fulfilment == "unfulfilled"
            d.revisit_due_on = None if fulfilment == "fulfilled" else due + datetime.timedelta(days=17)
        return d.revisit_due_on is None

    def presiding(self, disputes):
        """The chair or a member presides; the revisit fields set while planning are saved with it."""
        for d in disputes:
            if d.accepted_on is None:
                continue
            if d.received_on + datetime.timedelta(days=2) <= self.today and d.status != S.ACCEPTED:
                d.presiding_id = self.rng.choice(self.members[d.committee.pk])
            if d.status in (S.NOTIFIED, S.MEDIATING) or d.ended_on:
                d.investigation = "走访双方当事人及知情群众，查看现场"
                d.notified_on = d.received_on + datetime.timedelta(days=6)
                d.session_count = 1
        Dispute.objects.bulk_update(
            disputes,
            [
                "status",
                "presiding",
                "investigation",
                "notified_on",
                "session_count",
                "revisit_due_on",
                "revisit_count",
                "rebounded",
            ],
            batch_size=BATCH,
        )


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]
