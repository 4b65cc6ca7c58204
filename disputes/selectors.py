"""Read side of disputes: the statistics table (一表), the work queue and a round's coverage.

Statistics follow the report kit: one grouped query per source keyed by the child unit's path
prefix (the dispute's village, or its household's 邻 below village level), then core.reports
builds a row per child unit, the unplaced rows and the total.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from core.expressions import related_count
from core.reports import build_report, count, rate
from disputes.models import (
    DEADLINE_LISTS,
    Agreement,
    Dispute,
    DisputeType,
    FulfilmentRevisit,
    RiskReport,
    ScreeningRound,
    ZeroReport,
    deadline_q,
)
from governance.models import Unit
from governance.models.units import (
    Level,
    anchor_lookup,
    child_level,
    is_below_village,
    path_prefix_length,
    under_path_q,
)
from governance.selectors import report_units

S = Dispute.Status
MEDIATED = Q(session_count__gt=0)  # at least one mediation session held
SUCCEEDED = Q(agreement__isnull=False)
# Withdrawn, archived or not: accepted, ended without an agreement and without a failure route.
WITHDRAWN = Q(status__in=[S.WITHDRAWN, S.ARCHIVED], accepted_on__isnull=False, agreement__isnull=True, failure_route="")
TYPE_COLUMNS = [count(f"type_{value}", label) for value, label in DisputeType.choices]
SOURCE_COLUMNS = [count(f"source_{value}", label) for value, label in Dispute.Source.choices]

STAT_COLUMNS = [
    count("rounds", "排查次数"),
    count("zero_reports", "零报告"),
    count("risks", "排查隐患"),
    count("risks_resolved", "隐患已化解"),
    count("risks_converted", "隐患转为纠纷"),
    count("registered", "登记纠纷"),
    count("accepted", "受理纠纷"),
    count("mediated", "已调解"),
    count("succeeded", "调解成功"),
    rate("success_rate", "调解成功率(%)", "succeeded", "mediated"),
    count("failed", "调解不成"),
    count("withdrawn", "当事人撤回"),
    *TYPE_COLUMNS,
    *SOURCE_COLUMNS,
    count("written", "书面协议"),
    count("oral", "口头协议"),
    count("confirmations", "申请司法确认"),
    count("confirmed", "司法确认有效"),
    count("revisits", "履行回访"),
    count("fulfilled", "回访已履行", shown=False),
    rate("fulfilment_rate", "履行率(%)", "fulfilled", "revisits"),
    count("rebounds", "纠纷反弹"),
    count("escalated", "上报乡镇"),
    count("prevents_crime", "防止民转刑"),
    count("prevents_mass_petition", "防止群体性上访"),
    count("overdue", "超期未结"),
]
STATS_TITLE = "矛盾纠纷排查调处情况统计"
STATS_NOTE = (
    "排查次数：村及以上为期间内开始的排查轮次数，片/组/邻为其所属邻报告过隐患或零报告的轮次数（合计为本村的轮次数）；"
    "零报告按排查轮次的开始日期统计；隐患按发现日期，纠纷按登记日期，回访按回访日期统计在期间内的；"
    "已调解 = 至少调解过一次的纠纷；"
    "调解成功 = 签订书面或口头协议的纠纷；调解成功率 = 调解成功 / 已调解；履行率 = 回访为已履行的次数 / 回访次数；"
    "超期未结 = 今天仍在调解且已过调解期限的。"
)


def dispute_stats(user, *, unit, start, end, today=None, level=None):
    """Per ``level`` unit under ``unit`` (default: its children): the statistics table. Six queries
    whatever the data."""
    today = today or timezone.localdate()
    level = level or child_level(unit) or unit.level
    size = path_prefix_length(level)
    key = Substr(anchor_lookup(level, village="village__path", below="household__neighborhood__path"), 1, size)
    disputes = (
        Dispute.objects.restrict(user, within=unit)
        .filter(received_on__gte=start, received_on__lte=end)
        .annotate(key=key)
        .values("key")
        .annotate(
            registered=Count("pk"),
            accepted=Count("pk", filter=Q(accepted_on__isnull=False)),
            mediated=Count("pk", filter=MEDIATED),
            succeeded=Count("pk", filter=SUCCEEDED),
            failed=Count("pk", filter=Q(failure_route__gt="")),
            withdrawn=Count("pk", filter=WITHDRAWN),
            written=Count("pk", filter=Q(agreement__kind=Agreement.Kind.WRITTEN)),
            oral=Count("pk", filter=Q(agreement__kind=Agreement.Kind.ORAL)),
            confirmations=Count("pk", filter=Q(agreement__confirmation__gt="")),
            confirmed=Count("pk", filter=Q(agreement__confirmation=Agreement.Confirmation.CONFIRMED)),
            escalated=Count("pk", filter=Q(escalated=True)),
            prevents_crime=Count("pk", filter=Q(prevents_crime=True)),
            prevents_mass_petition=Count("pk", filter=Q(prevents_mass_petition=True)),
            overdue=Count("pk", filter=deadline_q("overdue", today)),
            **{f"type_{v}": Count("pk", filter=Q(dispute_type=v)) for v in DisputeType.values},
            **{f"source_{v}": Count("pk", filter=Q(source=v)) for v in Dispute.Source.values},
        )
        .order_by("key")
    )
    risk_key = Substr(anchor_lookup(level, village="village__path", below="unit__path"), 1, size)
    risks = (
        RiskReport.objects.restrict(user, within=unit)
        .filter(found_on__gte=start, found_on__lte=end)
        .annotate(key=risk_key)
        .values("key")
        .annotate(
            risks=Count("pk"),
            risks_resolved=Count("pk", filter=Q(status=RiskReport.Status.RESOLVED)),
            risks_converted=Count("pk", filter=Q(status=RiskReport.Status.CONVERTED)),
        )
        .order_by("key")
    )
    revisit_key = Substr(
        anchor_lookup(level, village="dispute__village__path", below="dispute__household__neighborhood__path"), 1, size
    )
    revisits = (
        FulfilmentRevisit.objects.restrict(user, within=unit)
        .filter(revisited_on__gte=start, revisited_on__lte=end)
        .annotate(key=revisit_key)
        .values("key")
        .annotate(
            revisits=Count("pk"),
            fulfilled=Count("pk", filter=Q(fulfilment=FulfilmentRevisit.Fulfilment.FULFILLED)),
            rebounds=Count("pk", filter=Q(rebounded=True)),
        )
        .order_by("key")
    )
    groups = [disputes, risks, revisits]
    if is_below_village(level):
        groups.append(round_participation(user, unit, start, end, size))
    else:
        groups.extend(rounds_held(user, unit, start, end, size))
    report = build_report(
        STAT_COLUMNS,
        title=STATS_TITLE,
        unit=unit,
        children=report_units(user, unit, level),
        groups=groups,
        start=start,
        end=end,
        unplaced="未编入邻/非本村户籍",
    )
    if is_below_village(level):
        # A child's 排查次数 is the rounds it took part in: summing them would count a village round
        # once per 片; the total is the rounds held (by the village) or taken part in (by a 片/组).
        total_rounds = groups[-1].total_rounds
        if not is_below_village(unit.level):  # a village (or above): the rounds its villages held
            total_rounds = (
                ScreeningRound.objects.restrict(user, within=unit)
                .filter(start_date__gte=start, start_date__lte=end)
                .count()
            )
        report.total.counts["rounds"] = total_rounds
    report.note = STATS_NOTE
    return report


def rounds_held(user, unit, start, end, size):
    """Village level and above: the rounds held (a round is a village's) and the 零报告 filed, per child.

    One query: each round's 零报告 counted by an index probe and summed, not a county's year of
    零报告 (~90 thousand) joined to their rounds and villages (two queries, 35 → 16 ms). At this
    level a 零报告 is seen with its round (``ZeroReport.scope_q`` anchors it on the round's village)."""
    return [
        ScreeningRound.objects.restrict(user, within=unit)
        .filter(start_date__gte=start, start_date__lte=end)
        .annotate(key=Substr("village__path", 1, size), zeros=related_count(ScreeningRound, "zero_reports"))
        .values("key")
        .annotate(rounds=Count("pk"), zero_reports=Sum("zeros"))
        .order_by("key")
    ]


class Participation(list):
    """Groups for build_report with ``total_rounds``: the distinct rounds across all children."""

    total_rounds = 0


def round_participation(user, unit, start, end, size):
    """Below village level, per 片/组/邻: the rounds of the period it took part in (one of its 邻
    reported a risk in the round or filed a 零报告), and its 零报告. Two queries."""
    period = {"screening_round__start_date__gte": start, "screening_round__start_date__lte": end}
    rounds_by_key, zeros_by_key, every_round = {}, {}, set()
    for model in (RiskReport, ZeroReport):
        rows = (
            model.objects.restrict(user, within=unit)
            .filter(unit__isnull=False, **period)
            .annotate(key=Substr("unit__path", 1, size))
            .values("key", "screening_round")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            rounds_by_key.setdefault(row["key"], set()).add(row["screening_round"])
            every_round.add(row["screening_round"])
            if model is ZeroReport:
                zeros_by_key[row["key"]] = zeros_by_key.get(row["key"], 0) + row["n"]
    groups = Participation(
        {"key": key, "rounds": len(ids), "zero_reports": zeros_by_key.get(key, 0)} for key, ids in rounds_by_key.items()
    )
    groups.total_rounds = len(every_round)
    return groups


# ---------------------------------------------------------------- work queue


@dataclass
class QueueSection:
    key: str
    title: str
    count: int
    items: list


QUEUE_ORDERING = {
    "new": ["received_on", "id"],
    "overdue": ["due_date", "id"],
    "due_soon": ["due_date", "id"],
    "revisit_due": ["revisit_due_on", "id"],
    "escalated": ["due_date", "id"],
}


def work_queue(*, user, today=None, limit=10):
    """The user's dispute queue: one counting query plus one per non-empty section."""
    today = today or timezone.localdate()
    base = Dispute.objects.restrict(user)
    counts = base.aggregate(**{key: Count("pk", filter=deadline_q(key, today)) for key, _ in DEADLINE_LISTS})
    sections = []
    for key, title in DEADLINE_LISTS:
        items = []
        if counts[key]:
            items = list(base.deadline(key, today).select_related("village").order_by(*QUEUE_ORDERING[key])[:limit])
        sections.append(QueueSection(key, title, counts[key], items))
    return sections


# ---------------------------------------------------------------- screening rounds


@dataclass
class CoverageRow:
    unit: Unit
    risks: int
    zero_report: ZeroReport | None = None

    @property
    def zero(self):
        return self.zero_report is not None

    @property
    def reported(self):
        return bool(self.risks) or self.zero


def coverage_rows(screening_round, units, risks, zeros):
    return [
        CoverageRow(u, risks.get((screening_round.pk, u.pk), 0), zeros.get((screening_round.pk, u.pk))) for u in units
    ]


def round_figures(rounds, units):
    """(risks, zero reports) of ``rounds`` in ``units``, keyed by (round id, unit id): two queries."""
    round_ids, unit_ids = [r.pk for r in rounds], [u.pk for u in units]
    risks = {
        (row["screening_round"], row["unit"]): row["n"]
        for row in RiskReport.objects.filter(screening_round__in=round_ids, unit__in=unit_ids)
        .values("screening_round", "unit")
        .annotate(n=Count("pk"))
        .order_by()
    }
    zeros = {
        (z.screening_round_id, z.unit_id): z
        for z in ZeroReport.objects.filter(screening_round__in=round_ids, unit__in=unit_ids).select_related("reporter")
    }
    return risks, zeros


def round_coverage(user, screening_round):
    """Each 邻 of the round's village: risks reported, a 零报告, or nothing yet (three queries)."""
    units = list(
        Unit.objects.restrict(user)
        .filter(path__startswith=screening_round.village.path, level=Level.NEIGHBORHOOD)
        .order_by("path")
        .only("id", "name", "path")
    )
    risks, zeros = round_figures([screening_round], units)
    return coverage_rows(screening_round, units, risks, zeros)


def coverage_summary(rows):
    """本轮：N个邻，报告隐患a个，零报告b个，未报告c个."""
    with_risks = sum(1 for r in rows if r.risks)
    zero = sum(1 for r in rows if r.zero and not r.risks)
    return {"units": len(rows), "with_risks": with_risks, "zero": zero, "missing": len(rows) - with_risks - zero}


ROUND_GRACE_DAYS = 30  # a 零报告 may still be filed up to a month after the round ends


@dataclass
class RoundTodo:
    screening_round: ScreeningRound
    rows: list


def screening_todo(user, today=None):
    """The current rounds of the user's village with the user's 邻 in each (four queries).

    A 邻长 sees no round (rounds hang on the village): the rounds are reached through the user's
    own, scoped 邻 — those of the villages the 邻 lie in, running or ended at most
    ``ROUND_GRACE_DAYS`` ago. Users above village level file in the admin: nothing here.
    """
    today = today or timezone.localdate()
    unit = user.unit if user.unit_id else None
    if unit is None or not (unit.level == Level.VILLAGE or is_below_village(unit.level)):
        return []
    units = list(
        Unit.objects.restrict(user)
        .filter(path__startswith=unit.path, level=Level.NEIGHBORHOOD)
        .order_by("path")
        .only("id", "name", "path")
    )
    village_paths = {u.path[: path_prefix_length(Level.VILLAGE)] for u in units}
    rounds = list(
        ScreeningRound.objects.filter(
            village__path__in=village_paths,
            start_date__lte=today,
            end_date__gte=today - datetime.timedelta(days=ROUND_GRACE_DAYS),
        )
        .select_related("village")
        .order_by("-start_date", "-pk")
    )
    if not rounds:
        return []
    risks, zeros = round_figures(rounds, units)
    return [
        RoundTodo(r, coverage_rows(r, [u for u in units if u.path.startswith(r.village.path)], risks, zeros))
        for r in rounds
    ]


def unreported_rounds(user, today=None, limit=10):
    """The user's rounds of the last month with 邻 that filed neither a risk nor a 零报告 (one query).

    Each round carries ``missing``: the number of its village's 邻 that have reported nothing.
    """
    today = today or timezone.localdate()
    silent = (
        Unit.objects.filter(under_path_q(OuterRef("village__path")), level=Level.NEIGHBORHOOD)
        .exclude(Exists(RiskReport.objects.filter(screening_round=OuterRef(OuterRef("pk")), unit=OuterRef("pk"))))
        .exclude(Exists(ZeroReport.objects.filter(screening_round=OuterRef(OuterRef("pk")), unit=OuterRef("pk"))))
        .order_by()
        .values("level")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rounds = (
        ScreeningRound.objects.restrict(user)
        .filter(start_date__lte=today, end_date__gte=today - datetime.timedelta(days=ROUND_GRACE_DAYS))
        .annotate(missing=Coalesce(Subquery(silent, output_field=IntegerField()), 0))
        .select_related("village")
        .order_by("end_date", "pk")
    )
    # Kept in Python, not in SQL: a filter on ``missing`` would compile and run the subquery twice,
    # and a month's rounds in one user's villages are few.
    return [r for r in rounds if r.missing > 0][:limit]
