"""The grievances panel: collected, resolved, answered, overdue, escalated, revisited, satisfaction.

Per child unit the figures are ``grievances.selectors.grievance_stats`` (the report page's); added
here, in one grouped query: the latest revisit's answer (满意/基本满意/不满意), the answered ones and
the grievances by category and by month; and the oldest overdue ones.
"""

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from grievances.models import Grievance, Revisit, deadline_q
from grievances.selectors import PAST_RESOLUTION, PAST_REVISIT, grievance_stats
from reports.overview.kit import Cell, Chart, Figure, Panel, Table, TableRow, fmt, summed
from reports.overview.trend import buckets

G = "grievances.grievance"
S = Grievance.Status
SAT = Revisit.Satisfaction
RESOLVED = ",".join(PAST_RESOLUTION)
REVISITED = ",".join(PAST_REVISIT)
# 解决答复 (seed 004): resolved, or answered with an explanation (解释答复) though not yet closed.
ANSWERED = Q(status__in=PAST_RESOLUTION) | Q(handling_mode=Grievance.HandlingMode.EXPLAINED)
OLDEST_OVERDUE = 10


def in_period(ctx):
    return Grievance.objects.restrict(ctx.user, within=ctx.unit).filter(
        received_on__gte=ctx.start, received_on__lte=ctx.end
    )


def period_groups(ctx):
    """The period's grievances by category, month and latest satisfaction, with the resolved, the
    answered and those raised at 说事/恳谈 and resolved: one grouped query (a county's year: a few
    hundred rows) that the category table, the month table, the answered and the satisfaction
    figures are summed from, not four passes."""
    talks = [Grievance.Channel.TALK_DAY, Grievance.Channel.MEETING]
    return list(
        in_period(ctx)
        .values("category_id", "category__name", "satisfaction", month=TruncMonth("received_on"))
        .annotate(
            collected=Count("pk"),
            resolved=Count("pk", filter=Q(status__in=PAST_RESOLUTION)),
            answered=Count("pk", filter=ANSWERED),
            talk_resolved=Count("pk", filter=Q(channel__in=talks, status__in=PAST_RESOLUTION)),
        )
        .order_by()
    )


def extra_figures(groups):
    """The answered, those raised at 说事/恳谈 and resolved, and the latest revisit's answer (满意/基本满意/
    不满意: ``Grievance.satisfaction``)."""
    satisfaction = summed(groups, lambda g: g["satisfaction"], ["collected"])
    return {
        "answered": sum(g["answered"] for g in groups),
        "talk_resolved": sum(g["talk_resolved"] for g in groups),
        **{f"sat_{value}": satisfaction.get(value, {}).get("collected", 0) for value in SAT.values},
    }


def by_category(groups):
    """Categories by grievances collected, most first (then by name; the uncategorized last among equals)."""
    categories = summed(groups, lambda g: (g["category_id"], g["category__name"]), ["collected", "resolved"])
    rows = [{"category_id": pk, "category__name": name, **sums} for (pk, name), sums in categories.items()]
    return sorted(rows, key=lambda r: (-r["collected"], r["category__name"] is None, r["category__name"] or ""))


def by_month(groups):
    return summed(groups, lambda g: g["month"], ["collected", "resolved"])


def oldest_overdue(ctx):
    """The open grievances longest past their promised deadline, today (whenever received)."""
    records = list(
        Grievance.objects.restrict(ctx.user, within=ctx.unit)
        .filter(deadline_q("overdue", ctx.today))
        .select_related("village", "category")
        .order_by("due_date", "pk")[:OLDEST_OVERDUE]
    )
    for record in records:
        record.overdue_days = (ctx.today - record.due_date).days
    return records


def grievance_panel(ctx):
    stats = grievance_stats(ctx.user, unit=ctx.unit, start=ctx.start, end=ctx.end, today=ctx.today)
    period = ctx.during("received_on")

    def cells(row, unit):
        def url(**filters):
            return ctx.list_url(G, unit, **period, **filters) if unit is not None else ""

        return [
            Cell(row["collected"], url()),
            Cell(row["resolved"], url(status__in=RESOLVED)),
            Cell(round(100 * row["resolved"] / row["collected"], 1) if row["collected"] else None, kind="rate"),
            Cell(row["escalated"], url(handling_mode="escalated")),
            Cell(row["overdue"], url(deadline="overdue")),
            Cell(row["revisited"], url(status__in=REVISITED)),
            Cell(row["satisfaction_rate"], kind="rate"),
        ]

    rows = [TableRow(r.name, cells(r, r.unit), ctx.page(r.unit)) for r in stats.rows]
    t = stats.total
    total = TableRow(t.name, cells(t, ctx.unit))
    table = Table(["收集", "已办结", "办结率", "上报上级", "超期未办结", "已回访", "满意率"], rows, total)
    placed = [r for r, s in zip(rows, stats.rows, strict=True) if s.unit is not None or r.cells[0].value]
    units = Chart(
        "grievance-units",
        "stack",
        "诉求办理情况（件）",
        [r.name for r in placed],
        [
            {"name": "已办结", "data": [r.cells[1].value for r in placed]},
            {"name": "超期未办结", "data": [r.cells[4].value for r in placed]},
            {"name": "其他未办结", "data": [r.cells[0].value - r.cells[1].value - r.cells[4].value for r in placed]},
        ],
        links=[r.url for r in placed],
    )

    groups = period_groups(ctx)
    extra = extra_figures(groups)
    sat_rows = [TableRow(label, [Cell(extra[f"sat_{value}"])]) for value, label in SAT.choices]
    sat_chart = Chart(
        "grievance-satisfaction",
        "pie",
        "回访满意度（最近一次回访）",
        [r.name for r in sat_rows],
        [{"name": "件数", "data": [r.cells[0].value for r in sat_rows]}],
    )
    sat_table = Table(["件数"], sat_rows, TableRow("回访测评合计", [Cell(t["rated"])]), unit_header="满意度")

    categories = by_category(groups)
    cat_rows = [
        TableRow(
            c["category__name"] or "未分类",
            [
                Cell(
                    c["collected"],
                    ctx.list_url(G, **period, category__id__exact=c["category_id"]) if c["category_id"] else "",
                ),
                Cell(
                    c["resolved"],
                    ctx.list_url(G, **period, category__id__exact=c["category_id"], status__in=RESOLVED)
                    if c["category_id"]
                    else "",
                ),
            ],
        )
        for c in categories
    ]
    cat_chart = Chart(
        "grievance-categories",
        "bar",
        "诉求类别（件）",
        [r.name for r in cat_rows],
        [
            {"name": "收集", "data": [r.cells[0].value for r in cat_rows]},
            {"name": "已办结", "data": [r.cells[1].value for r in cat_rows]},
        ],
    )
    cat_table = Table(["收集", "已办结"], cat_rows, unit_header="类别")

    months = by_month(groups)
    month_rows = []
    for label, key, first, last in buckets(ctx.start, ctx.end, weekly=False):
        group = months.get(key) or {"collected": 0, "resolved": 0}
        span = ctx.during("received_on", first, last)
        month_rows.append(
            TableRow(
                label,
                [
                    Cell(group["collected"], ctx.list_url(G, **span)),
                    Cell(group["resolved"], ctx.list_url(G, **span, status__in=RESOLVED)),
                ],
            )
        )
    month_chart = Chart(
        "grievance-months",
        "line" if len(month_rows) > 3 else "bar",
        "诉求按月（受理月份）",
        [r.name for r in month_rows],
        [
            {"name": "收集", "data": [r.cells[0].value for r in month_rows]},
            {"name": "已办结", "data": [r.cells[1].value for r in month_rows]},
        ],
    )
    month_table = Table(["收集", "已办结"], month_rows, unit_header="受理月份")

    overdue = oldest_overdue(ctx)
    sentences = [
        f"期间收集群众诉求 {fmt(t['collected'])} 件，已办结 {fmt(t['resolved'])} 件，"
        f"其中当场解决 {fmt(t['on_spot'])} 件；"
        f"解决答复 {fmt(extra['answered'])} 件；上报上级 {fmt(t['escalated'])} 件；超期未办结 {fmt(t['overdue'])} 件。",
        f"回访测评 {fmt(t['rated'])} 件，满意 {fmt(extra['sat_satisfied'])} 件、基本满意 {fmt(extra['sat_basic'])} 件、"
        f"不满意 {fmt(extra['sat_unsatisfied'])} 件，满意率 {fmt(t['satisfaction_rate'], 'rate')}。",
    ]
    figures = [
        Figure("收集诉求", t["collected"], "统计期间内受理的诉求", total.cells[0].url, unit="件"),
        Figure("已办结", t["resolved"], "已办结、已回访、已归档的诉求", total.cells[1].url, unit="件"),
        Figure("超期未办结", t["overdue"], "今天仍未办结且已过承诺时限", total.cells[4].url, unit="件"),
        Figure("满意率", t["satisfaction_rate"], "最近一次回访为满意或基本满意 / 回访测评", kind="rate"),
    ]
    blocks = [(units, table), (sat_chart, sat_table), (cat_chart, cat_table), (month_chart, month_table)]
    overdue_url = ctx.list_url(G, deadline="overdue")
    panel = Panel("grievances", "群众诉求（有事上门服务）", sentences, figures, blocks, stats.note)
    panel.lists = [("超期最久的诉求", overdue, overdue_url)]
    panel.extra = {
        **extra,
        "on_spot": t["on_spot"],
        "collected": t["collected"],
        "resolved": t["resolved"],
        "collected_url": total.cells[0].url,
        "resolved_url": total.cells[1].url,
        "on_spot_url": ctx.list_url(G, **period, handling_mode="on_spot"),
    }
    return panel
