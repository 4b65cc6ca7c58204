"""The measured parts of an evaluation, computed from what people did, never typed in.

A ``Measure`` takes the postings being evaluated and the period and returns, per person id, the
figure shown (``value``) and a 0–100 ``score``; a person missing from its answer has no such
component (no ratings, no linked households …), and the score is renormalised over what is
present. Each measure runs a fixed number of queries whatever the number of people.

This app registers what it can read (ratings, contact compliance, visits, training hours). The
page layer registers the measures of its sibling apps at start-up (reports/measures.py:
grievances, disputes), so training never imports them; a person a measure has nothing for is
simply absent from it, never faked.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Sum

from governance.models.units import SEGMENT, is_below_village
from households.contact import window_start
from households.models import Household, Visit
from training.models import Attendance, Rating

ONE_PLACE = Decimal("0.1")
HOUSEHOLDS_PER_LEADER_TARGET = 15  # visits expected per month: one per linked household, at most 15


@dataclass(frozen=True)
class Measure:
    key: str  # also the policy's weight name: weight_<key>
    label: str
    compute: object  # function(postings, start, end, policy, unit) -> {person_id: (value, score)}


MEASURES = {}


def register(key, label, compute):
    MEASURES[key] = Measure(key, label, compute)


def score(value):
    """A 0–100 score rounded to one place."""
    value = max(Decimal(0), min(Decimal(100), Decimal(value)))
    return value.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def hours_text(value):
    """4.0 → "4", 2.5 → "2.5": hours as people write them."""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def months(start, end):
    return (end.year - start.year) * 12 + end.month - start.month + 1


def rating_rounds(start, end):
    """The quarterly rounds ("2026Q1") whose quarter starts within [start, end]."""
    rounds = []
    for year in range(start.year, end.year + 1):
        for quarter in range(1, 5):
            month = (quarter - 1) * 3 + 1
            if (start.year, start.month) <= (year, month) <= (end.year, end.month):
                rounds.append(f"{year}Q{quarter}")
    return rounds


RATING_POINTS = {Rating.Answer.SATISFIED: 100, Rating.Answer.BASIC: 60, Rating.Answer.UNSATISFIED: 0}


def rating_measure(postings, start, end, policy, unit):
    """群众评议: 满意 100, 基本满意 60, 不满意 0, averaged over the ballots of the period's rounds."""
    counts = defaultdict(Counter)
    rows = (
        Rating.objects.filter(leader_id__in={p.person_id for p in postings}, round__in=rating_rounds(start, end))
        .values("leader_id", "answer")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["leader_id"]][row["answer"]] += row["n"]
    result = {}
    for person_id, by_answer in counts.items():
        total = sum(by_answer.values())
        points = sum(RATING_POINTS[a] * n for a, n in by_answer.items())
        value = "，".join(f"{Rating.Answer(a).label}{by_answer.get(a, 0)}" for a in Rating.Answer.values)
        result[person_id] = (value, score(Decimal(points) / total))
    return result


def linked_unit_paths(postings):
    """person id → path of the 片/组/邻 they lead (postings at village level link no households)."""
    return {p.person_id: p.unit.path for p in postings if is_below_village(p.unit.level)}


def household_counts(paths, end, unit):
    """For each unit path: (households, compliant as of ``end``), read in one query under ``unit``."""
    wanted = set(paths)
    if not wanted:
        return {}
    households = Household.objects.filter(neighborhood__path__startswith=unit.path)
    recent = {
        kind: Exists(
            Visit.objects.filter(
                household=OuterRef("pk"), visited_on__gt=window_start(end, special), visited_on__lte=end
            )
        )
        for kind, special in (("week", True), ("month", False))
    }
    households = households.with_special().annotate(**recent)
    totals = defaultdict(lambda: [0, 0])
    for path, special, week, month in households.values_list("neighborhood__path", "is_special", "week", "month"):
        ok = week if special else month
        for depth in range(SEGMENT * 4, len(path) + 1, SEGMENT):
            if path[:depth] in wanted:
                totals[path[:depth]][0] += 1
                totals[path[:depth]][1] += int(ok)
    return totals


def compliance_measure(postings, start, end, policy, unit):
    """联系率: the share of the households they lead that were contacted in time as of the period's end."""
    paths = linked_unit_paths(postings)
    totals = household_counts(paths.values(), end, unit)
    result = {}
    for person_id, path in paths.items():
        households, compliant = totals.get(path, (0, 0))
        if households:
            result[person_id] = (f"{compliant}/{households}户", score(Decimal(100 * compliant) / households))
    return result


def visits_measure(postings, start, end, policy, unit):
    """走访: visits logged in the period against one a month per linked household (at most 15)."""
    paths = linked_unit_paths(postings)
    totals = household_counts(paths.values(), end, unit)
    logged = dict(
        Visit.objects.filter(visitor_id__in=list(paths), visited_on__gte=start, visited_on__lte=end)
        .values("visitor_id")
        .annotate(n=Count("pk"))
        .values_list("visitor_id", "n")
        .order_by()
    )
    result = {}
    for person_id, path in paths.items():
        households = totals.get(path, (0, 0))[0]
        if households:
            expected = months(start, end) * min(households, HOUSEHOLDS_PER_LEADER_TARGET)
            visits = logged.get(person_id, 0)
            result[person_id] = (f"{visits}次/应{expected}次", score(Decimal(100 * visits) / expected))
    return result


def training_measure(postings, start, end, policy, unit):
    """培训学时: hours attended in the period against the county's required hours (per half year)."""
    hours = dict(
        Attendance.objects.filter(
            person_id__in={p.person_id for p in postings}, session__held_on__gte=start, session__held_on__lte=end
        )
        .values("person_id")
        .annotate(h=Sum("session__hours"))
        .values_list("person_id", "h")
        .order_by()
    )
    required = policy.training_hours_half * (2 if months(start, end) > 6 else 1)
    result = {}
    for posting in postings:
        done = hours.get(posting.person_id) or Decimal(0)
        result[posting.person_id] = (
            f"{hours_text(done)}学时/应{hours_text(required)}学时",
            score(100 * done / required) if required else score(100),
        )
    return result


register("rating", "群众评议", rating_measure)
register("compliance", "联系率", compliance_measure)
register("visits", "走访", visits_measure)
register("training", "培训学时", training_measure)
