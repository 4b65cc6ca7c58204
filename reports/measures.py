"""Evaluation measures of the sibling apps, registered with training.measures at start-up.

Training, grievances and disputes are siblings and never import each other; the page layer, above
them, plugs the grievance and dispute figures into the evaluation. A person with nothing to
measure (no round held in their village, no revisit due, no mediation ended) has no such
component and the weights renormalise.
"""

from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q

from disputes.models import Agreement, Dispute, FulfilmentRevisit, RiskReport, ScreeningRound, ZeroReport
from governance.models.units import SEGMENT, Level, path_prefix_length
from grievances.models import Grievance, Revisit
from training.measures import RATING_POINTS, linked_unit_paths, register, score

DONE = [Grievance.Status.RESOLVED, Grievance.Status.REVISITED, Grievance.Status.ARCHIVED]
SATISFACTION_POINTS = {
    Revisit.Satisfaction.SATISFIED: RATING_POINTS["satisfied"],
    Revisit.Satisfaction.BASIC: RATING_POINTS["basic"],
    Revisit.Satisfaction.UNSATISFIED: RATING_POINTS["unsatisfied"],
}


def grievance_measure(postings, start, end, policy, unit):
    """反映问题办结: of the grievances they reported from visits in the period, the share resolved."""
    rows = (
        Grievance.objects.filter(
            visit__visitor_id__in={p.person_id for p in postings}, received_on__gte=start, received_on__lte=end
        )
        .values("visit__visitor_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = defaultdict(Counter)
    for row in rows:
        counts[row["visit__visitor_id"]][row["status"] in DONE] += row["n"]
    return {
        pid: (f"反映{c[True] + c[False]}件，办结{c[True]}件", score(Decimal(100 * c[True]) / (c[True] + c[False])))
        for pid, c in counts.items()
    }


def satisfaction_measure(postings, start, end, policy, unit):
    """回访满意度: revisits in the period of the grievances they reported (满意100，基本满意60，不满意0)."""
    rows = (
        Revisit.objects.filter(
            grievance__visit__visitor_id__in={p.person_id for p in postings},
            revisited_on__gte=start,
            revisited_on__lte=end,
        )
        .values("grievance__visit__visitor_id", "satisfaction")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = defaultdict(Counter)
    for row in rows:
        counts[row["grievance__visit__visitor_id"]][row["satisfaction"]] += row["n"]
    result = {}
    for pid, c in counts.items():
        total = sum(c.values())
        points = sum(SATISFACTION_POINTS[s] * n for s, n in c.items())
        result[pid] = (f"回访{total}次，满意{c[Revisit.Satisfaction.SATISFIED]}次", score(Decimal(points) / total))
    return result


VILLAGE_PATH = path_prefix_length(Level.VILLAGE)


def by_linked_unit(path_rows):
    """{unit path: values} for every 片/组/邻 prefix of each (邻 path, value) row."""
    found = defaultdict(list)
    for path, value in path_rows:
        for depth in range(VILLAGE_PATH + SEGMENT, len(path or "") + 1, SEGMENT):
            found[path[:depth]].append(value)
    return found


def dispute_measure(postings, start, end, policy, unit):
    """矛盾纠纷: the mean of what applies to the person, each as a share (five queries):
    排查 — of their village's screening rounds in the period, those their 片/组/邻 reported in (a
    risk or a 零报告); 回访 — of the mediated disputes on their households whose revisit fell due in
    the period, those revisited; 调解 — of the disputes they presided that ended in the period,
    those settled by an agreement."""
    linked = linked_unit_paths(postings)
    period = {"screening_round__start_date__gte": start, "screening_round__start_date__lte": end}
    rounds = Counter(
        ScreeningRound.objects.filter(village__path__startswith=unit.path, start_date__gte=start, start_date__lte=end)
        .values_list("village__path", flat=True)
        .order_by()
    )
    reports = RiskReport.objects.filter(unit__path__startswith=unit.path, **period).values_list(
        "unit__path", "screening_round"
    )
    zeros = ZeroReport.objects.filter(unit__path__startswith=unit.path, **period).values_list(
        "unit__path", "screening_round"
    )
    took_part = by_linked_unit(reports.order_by().union(zeros.order_by()))
    revisited = Exists(FulfilmentRevisit.objects.filter(dispute=OuterRef("pk"), revisited_on__lte=end))
    due = by_linked_unit(
        Dispute.objects.filter(
            household__neighborhood__path__startswith=unit.path,
            agreement__isnull=False,
            revisit_due_on__gte=start,
            revisit_due_on__lte=end,
        )
        .annotate(done=revisited)
        .values_list("household__neighborhood__path", "done")
        .order_by()
    )
    presided = defaultdict(Counter)
    for person_id, settled, n in (
        Dispute.objects.filter(
            Q(agreement__isnull=False) | ~Q(failure_route=""),  # mediated to an end, not withdrawn
            presiding__person_id__in={p.person_id for p in postings},
            ended_on__gte=start,
            ended_on__lte=end,
        )
        .annotate(settled=Exists(Agreement.objects.filter(dispute=OuterRef("pk"))))
        .values("presiding__person_id", "settled")
        .annotate(n=Count("pk"))
        .values_list("presiding__person_id", "settled", "n")
        .order_by()
    ):
        presided[person_id][bool(settled)] += n
    result = {}
    for posting in postings:
        person_id, parts = posting.person_id, []
        path = linked.get(person_id)
        held = rounds.get(posting.unit.path[:VILLAGE_PATH], 0) if path else 0
        if held:
            taken = len(set(took_part.get(path, [])))
            parts.append((f"排查{taken}/{held}轮", Decimal(100 * taken) / held))
        if path and due.get(path):
            done = sum(due[path])
            parts.append((f"回访{done}/{len(due[path])}件", Decimal(100 * done) / len(due[path])))
        mediated = presided.get(person_id)
        if mediated:
            ended = mediated[True] + mediated[False]
            parts.append((f"调解成功{mediated[True]}/{ended}件", Decimal(100 * mediated[True]) / ended))
        if parts:
            result[person_id] = ("，".join(v for v, _ in parts), score(sum(s for _, s in parts) / len(parts)))
    return result


def register_measures():
    register("grievances", "反映问题办结", grievance_measure)
    register("satisfaction", "回访满意度", satisfaction_measure)
    register("disputes", "矛盾纠纷", dispute_measure)
