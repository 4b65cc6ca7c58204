"""Demo data for 队伍建设: a year of trainings with attendance at all three levels, quarterly
meetings with ratings and 说事日, last year's evaluations (both rounds, every grade, confirmed),
awards and adjustments. ``--scale county`` gives ~17,000 attendance rows and an evaluation for
every person holding a posting (~12,000). Rows are bulk-inserted with the audit log off.
"""

import datetime
import time
from decimal import Decimal

from auditlog.context import disable_auditlog
from django.utils import timezone

from demo.names import person_name
from governance.models import Person, Posting, Unit
from governance.models.units import SEGMENT, Level
from governance.services import by_election
from households.models import Household
from training.evaluations import build_round, compute_score, policy_for
from training.models import Adjustment, AdjustmentEvent, Attendance, Award, Evaluation, EvaluationRound, Meeting, Rating
from training.models import TrainingSession as TS
from training.talk_days import previous_talk_day

TITLES = {
    TS.Topic.POLICY: "学习贯彻基层治理政策",
    TS.Topic.EXPERIENCE: "片组邻“三长制”经验交流",
    TS.Topic.EMERGENCY: "防汛和消防应急处置",
    TS.Topic.LAW: "人民调解法与矛盾纠纷化解",
    TS.Topic.SKILLS: "三长通手机走访操作",
}
LEADERS = [Posting.Role.AREA_LEADER, Posting.Role.GROUP_LEADER]
P = {"county": 0.6, "township": 0.5, "village": 0.6}  # chance a person in the audience attends


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


def seed(*, county, rng, scale=None, stdout=None):
    if TS.objects.filter(organiser__path__startswith=county.path).exists():
        _say(stdout, "  培训与考核演示数据已存在，跳过。")
        return None
    started = time.perf_counter()
    with disable_auditlog():
        counts = Seeder(county, rng).run()
    _say(
        stdout,
        f"  培训 {counts['sessions']:,} 场，参训 {counts['attendance']:,} 人次，会议 {counts['meetings']:,} 次，"
        f"评议 {counts['ratings']:,} 条，考核 {counts['evaluations']:,} 份，表彰 {counts['awards']:,} 人，"
        f"调整 {counts['adjustments']:,} 件（{time.perf_counter() - started:.1f} 秒）",
    )
    return counts


class Seeder:
    def __init__(self, county, rng):
        self.county, self.rng = county, rng
        self.today = timezone.localdate()
        self.units = list(Unit.objects.filter(path__startswith=county.path, level__in=[Level.TOWNSHIP, Level.VILLAGE]))
        self.postings = list(
            Posting.objects.filter(unit__path__startswith=county.path, end_date__isnull=True).values_list(
                "person_id", "role", "unit__path", "person__village__path"
            )
        )
        self.counts = dict.fromkeys(
            ["sessions", "attendance", "meetings", "ratings", "evaluations", "awards", "adjustments"], 0
        )

    def day(self, month, dom):
        year = self.today.year if month <= self.today.month else self.today.year - 1
        return datetime.date(year, month, min(dom, 28))

    def run(self):
        self.trainings()
        self.meetings()
        self.evaluations()
        return self.counts

    def trainings(self):
        rng, sessions, audience = self.rng, [], []
        for quarter in range(4):
            month = quarter * 3 + 2
            topic = rng.choice(list(TITLES))
            s = TS(
                organiser=self.county,
                level=TS.Level.COUNTY,
                topic=topic,
                title=f"全县三长示范培训：{TITLES[topic]}",
                held_on=self.day(month, 15),
                hours=Decimal(4),
                place="县委党校",
                trainer="县委组织部",
                audience_roles=list(LEADERS),
            )
            sessions.append(s)
            audience.append((self.county.path, set(LEADERS), P["county"] / 2))
        for unit in self.units:
            level = TS.Level.TOWNSHIP if unit.level == Level.TOWNSHIP else TS.Level.VILLAGE
            n = 2 if level == TS.Level.TOWNSHIP else 1
            for i in range(n):
                topic = rng.choice(list(TITLES))
                s = TS(
                    organiser=unit,
                    level=level,
                    topic=topic,
                    title=f"{unit.name}{TITLES[topic]}",
                    held_on=self.day(rng.choice([3, 6, 9, 11]) if i else rng.randint(1, 12), rng.randint(1, 28)),
                    hours=Decimal(rng.choice([2, 3])),
                    place=f"{unit.name}会议室",
                    trainer=rng.choice(["乡镇干部", "司法所", "派出所", "村支书"]),
                )
                sessions.append(s)
                audience.append((unit.path, None, P[level] / n))
        TS.objects.bulk_create(sessions, batch_size=1000)
        self.counts["sessions"] = len(sessions)
        rows, seen = [], set()
        for s, (path, roles, chance) in zip(sessions, audience, strict=True):
            at = timezone.make_aware(datetime.datetime.combine(s.held_on, s.start_time))
            for person_id, role, unit_path, _ in self.postings:
                eligible = unit_path.startswith(path) and (roles is None or role in roles)
                if eligible and rng.random() < chance and (s.pk, person_id) not in seen:
                    seen.add((s.pk, person_id))
                    method = Attendance.Method.QR if rng.random() < 0.4 else Attendance.Method.GRID
                    rows.append(Attendance(session=s, person_id=person_id, method=method, checked_in_at=at))
        Attendance.objects.bulk_create(rows, batch_size=2000)
        self.counts["attendance"] = len(rows)

    def meetings(self):
        rng = self.rng
        villages = [u for u in self.units if u.level == Level.VILLAGE]
        meetings = []
        last_talk_day = previous_talk_day(self.today)
        for index, village in enumerate(villages):
            meetings.append(
                Meeting(
                    unit=village,
                    kind=Meeting.Kind.TALK,
                    held_on=self.day(3, 20),
                    topic="一季度村民恳谈会暨民主评议",
                    host="村支书",
                    attendance_count=rng.randint(30, 80),
                )
            )
            # The last 说事日, left unregistered in one village of seven so the work queue has something to show.
            if index % 7 != 2:
                meetings.append(
                    Meeting(
                        unit=village,
                        kind=Meeting.Kind.TALK_DAY,
                        held_on=last_talk_day,
                        topic="支部说事日",
                        host="村党支部书记",
                        attendance_count=rng.randint(10, 30),
                    )
                )
        Meeting.objects.bulk_create(meetings, batch_size=1000)
        self.counts["meetings"] = len(meetings)
        rating_meeting = {m.unit.path: m for m in meetings if m.kind == Meeting.Kind.TALK}
        leaders = {
            path: person_id for person_id, role, path, _ in self.postings if role == Posting.Role.NEIGHBORHOOD_LEADER
        }
        households = Household.objects.filter(village__path__startswith=self.county.path, neighborhood__isnull=False)
        rows, answers = [], [Rating.Answer.SATISFIED] * 7 + [Rating.Answer.BASIC] * 2 + [Rating.Answer.UNSATISFIED]
        for pk, path in households.values_list("pk", "neighborhood__path"):
            leader = leaders.get(path)
            meeting = rating_meeting.get(path[: 3 * SEGMENT])
            if leader and meeting and rng.random() < 0.15:
                rows.append(
                    Rating(
                        meeting=meeting,
                        round=meeting.rating_round,
                        household_id=pk,
                        leader_id=leader,
                        answer=rng.choice(answers),
                    )
                )
        Rating.objects.bulk_create(rows, batch_size=2000)
        self.counts["ratings"] = len(rows)

    def evaluations(self):
        # The last year whose first half is over: its 半年小评 and (up to today) 年终总评.
        rng, year = self.rng, self.today.year if self.today.month >= 7 else self.today.year - 1
        townships = [u for u in self.units if u.level == Level.TOWNSHIP]
        for kind in ("half", "year"):
            for township in townships:
                build_round(unit=township, year=year, kind=kind, today=self.today)
        policy = policy_for(self.county)
        evaluations = list(Evaluation.objects.filter(year=year, round__unit__path__startswith=self.county.path))
        for e in evaluations:
            e.assessment_score = Decimal(rng.choice([100, 98, 96, 95, 92, 90, 88, 85, 80, 50]))
            e.score, _ = compute_score(e.components, e.assessment_score, policy)
            e.grade = policy.grade_for(e.score)
        Evaluation.objects.bulk_update(evaluations, ["assessment_score", "score", "grade"], batch_size=1000)
        EvaluationRound.objects.filter(year=year, unit__path__startswith=self.county.path).update(
            status=EvaluationRound.Status.CONFIRMED, confirmed_at=timezone.now()
        )
        self.counts["evaluations"] = len(evaluations)
        yearly = [e for e in evaluations if e.kind == "year"]
        best = sorted(yearly, key=lambda e: e.score or 0, reverse=True)[: max(3, len(yearly) // 30)]
        awards = [
            Award(
                person_id=e.person_id,
                year=year,
                reasons="联系群众热心，履职成效突出",
                status=Award.Status.APPROVED,
                nominated_on=datetime.date(year, 12, 10),
                decided_on=datetime.date(year, 12, 28),
                issuing_body="乡镇党委",
            )
            for e in best
        ]
        Award.objects.bulk_create(awards, batch_size=1000)
        self.counts["awards"] = len(awards)
        self.adjust([e for e in yearly if e.grade == "incompetent"][: max(3, len(yearly) // 90)], year)

    def adjust(self, unfit, year):
        """Cases for the unfit: some proposed, some approved; representatives' cases carried out
        (their postings end with the case's reason). Leaders' cases stay open in the demo, so every
        片/组/邻 keeps its leader (coverage) until the township decides."""
        kinds = [Adjustment.Kind.PERSUADE, Adjustment.Kind.PERSUADE, Adjustment.Kind.REVIEW, Adjustment.Kind.DISMISS]
        proposed_on = self.today - datetime.timedelta(days=20)
        postings = Posting.objects.select_related("person").in_bulk([e.posting_id for e in unfit])
        for i, e in enumerate(unfit):
            posting = postings[e.posting_id]
            if posting.role in Posting.SINGLE_HOLDER_ROLES:
                status = [Adjustment.Status.APPROVED, Adjustment.Status.PROPOSED][i % 2]
            else:
                status = Adjustment.Status.CARRIED_OUT
            case = Adjustment.objects.create(
                posting=posting,
                kind=kinds[i % 4],
                reason="考核不称职",
                evaluation=e,
                status=status,
                proposed_on=proposed_on,
            )
            AdjustmentEvent.objects.create(adjustment=case, action="propose", to_status=Adjustment.Status.PROPOSED)
            if status == Adjustment.Status.CARRIED_OUT and posting.end_date is None:
                end_date = max(posting.start_date, proposed_on + datetime.timedelta(days=10))
                successor = Person.objects.create(
                    village_id=posting.person.village_id, name=person_name(self.rng, self.rng.random() < 0.6)
                )
                by_election(  # 足额补选: the vacancy is filled the next day
                    posting=posting,
                    end_date=end_date,
                    end_reason=Adjustment.END_REASONS[case.kind],
                    person=successor,
                    start_date=end_date + datetime.timedelta(days=1),
                )
                case.carried_out_on = end_date
                case.save(update_fields=["carried_out_on"])
        self.counts["adjustments"] = len(unfit)
