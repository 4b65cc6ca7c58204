"""Evaluation measures of the sibling apps, registered with training.measures at start-up.

Training and grievances are siblings and never import each other; the page layer, above both,
plugs the grievance figures into the evaluation. Disputes will register theirs the same way when
that app lands; until then the component is absent and the weights renormalise.
"""

from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import Count

from grievances.models import Grievance, Revisit
from training.measures import RATING_POINTS, register, score

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


def register_measures():
    register("grievances", "反映问题办结", grievance_measure)
    register("satisfaction", "回访满意度", satisfaction_measure)
