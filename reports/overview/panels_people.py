"""Panels on people and households: coverage (户户有人联) and contact (按期联系).

Figures come from the households selectors (``coverage_report``, ``contact_compliance``,
``visits_report``): the same definitions as the report pages and the county workbook. Added
here: the 邻 per child unit (without an active 邻长, outside 5–15 households) and the visits
per week or month, each one grouped query.
"""

from django.db.models import Count, Q
from django.db.models.functions import Substr

from core.reports import build_report, count
from governance.models import Posting, Unit
from governance.models.units import Level, neighborhood_size, path_prefix_length
from households.selectors import contact_compliance
from households.selectors_report import METHODS, coverage_report
from households.tallies import period_visits
from reports.overview.kit import Cell, Chart, Figure, Panel, Table, TableRow, fmt, summed
from reports.overview.trend import buckets, first_day

HOOD_COLUMNS = [
    count("neighborhoods", "邻"),
    count("no_leader", "无在任邻长的邻"),
    count("small", "少于5户的邻"),
    count("large", "多于15户的邻"),
]


def rate(part, whole):
    return round(100 * part / whole, 1) if whole else None


def neighborhood_report(ctx):
    """Per child unit: its 邻, those without an active 邻长 and those outside 5–15 households (one query).

    Grouped by unit and household count, each 邻's households counted once (a grouping column, not
    a count per size filter: a county's 8 thousand 邻 54 → 33 ms); the sizes are judged here by
    ``neighborhood_size``, the rule's one definition."""
    led = Posting.objects.filter(role=Posting.Role.NEIGHBORHOOD_LEADER, end_date__isnull=True).values("unit_id")
    grouped = (
        Unit.objects.restrict(ctx.user)
        .under(ctx.unit)
        .filter(level=Level.NEIGHBORHOOD)
        .with_household_count()
        .annotate(key=Substr("path", 1, path_prefix_length(ctx.level)))
        .values("key", "household_count")
        .annotate(neighborhoods=Count("pk"), no_leader=Count("pk", filter=~Q(pk__in=led)))
        .order_by("key")
    )
    groups = [{**row, neighborhood_size(row["household_count"]).value: row["neighborhoods"]} for row in grouped]
    return build_report(HOOD_COLUMNS, title="邻", unit=ctx.unit, children=ctx.children, groups=[groups])


def rank_chart(chart_id, title, rows, value, unit="%"):
    """Child units ranked by ``value(row)``, best first (None last); a click opens the unit's page."""
    ranked = sorted(rows, key=lambda r: (value(r) is None, -(value(r) or 0)))
    return Chart(
        chart_id,
        "rank",
        title,
        [r.name for r in ranked],
        [{"name": title, "data": [value(r) for r in ranked]}],
        unit=unit,
        links=[r.url for r in ranked],
    )


def coverage_panel(ctx):
    cov = coverage_report(ctx.user, unit=ctx.unit, start=ctx.start, end=ctx.end, level=ctx.level)
    hoods = {r.unit_id: r for r in neighborhood_report(ctx).rows if r.unit is not None}
    hood_total = neighborhood_report_total(hoods)
    H = "households.household"
    rows = []
    for row in cov.rows:
        unit = row.unit
        hood = hoods.get(row.unit_id)
        h = hood.counts if hood else dict.fromkeys(["neighborhoods", "no_leader", "small", "large"])
        cells = [
            Cell(row["households"], ctx.list_url(H, unit) if unit else ""),
            Cell(row["linked"], ctx.list_url(H, unit, link="linked") if unit else ""),
            Cell(row["coverage"], kind="rate"),
            Cell(
                row["households"] - row["in_neighborhood"],
                ctx.list_url(H, unit, link="no_neighborhood") if unit else "",
            ),
            Cell(row["in_neighborhood"] - row["linked"], ctx.list_url(H, unit, link="no_leader") if unit else ""),
            Cell(h["neighborhoods"], ctx.list_url("governance.neighborhood", unit) if unit else ""),
            Cell(h["no_leader"], ctx.list_url("governance.neighborhood", unit, leader="none") if unit else ""),
            Cell(h["small"], ctx.list_url("governance.neighborhood", unit, size="small") if unit else ""),
            Cell(h["large"], ctx.list_url("governance.neighborhood", unit, size="large") if unit else ""),
        ]
        rows.append(TableRow(row.name, cells, ctx.page(unit)))
    t = cov.total
    total_cells = [
        Cell(t["households"], ctx.list_url(H)),
        Cell(t["linked"], ctx.list_url(H, link="linked")),
        Cell(t["coverage"], kind="rate"),
        Cell(t["households"] - t["in_neighborhood"], ctx.list_url(H, link="no_neighborhood")),
        Cell(t["in_neighborhood"] - t["linked"], ctx.list_url(H, link="no_leader")),
        Cell(hood_total["neighborhoods"], ctx.list_url("governance.neighborhood")),
        Cell(hood_total["no_leader"], ctx.list_url("governance.neighborhood", leader="none")),
        Cell(hood_total["small"], ctx.list_url("governance.neighborhood", size="small")),
        Cell(hood_total["large"], ctx.list_url("governance.neighborhood", size="large")),
    ]
    table = Table(
        [
            "户数",
            "已联户",
            "联户覆盖率",
            "未编入邻户数",
            "所在邻无邻长户数",
            "邻",
            "无在任邻长的邻",
            "少于5户的邻",
            "多于15户的邻",
        ],
        rows,
        TableRow(cov.total.name, total_cells),
    )
    placed = [r for r in rows if r.cells[0].value is not None and r.name != "未编入邻"]
    chart = rank_chart("coverage-rank", "联户覆盖率（%）", placed, lambda r: r.cells[2].value)
    unplaced = t["households"] - t["in_neighborhood"]
    sentences = [
        f"现有户 {fmt(t['households'])} 户，已编入邻且所在邻有在任邻长（户户有人联）的 {fmt(t['linked'])} 户，"
        f"联户覆盖率 {fmt(t['coverage'], 'rate')}；未编入邻 {fmt(unplaced)} 户。",
        f"共有邻 {fmt(hood_total['neighborhoods'])} 个，其中无在任邻长 {fmt(hood_total['no_leader'])} 个，"
        f"少于5户 {fmt(hood_total['small'])} 个、多于15户 {fmt(hood_total['large'])} 个。",
    ]
    figures = [
        Figure("联户覆盖率", t["coverage"], "已联户 / 户数；已联户 = 已编入邻且该邻有在任邻长", kind="rate"),
        Figure("已联户", t["linked"], "已编入邻且该邻有在任邻长的户", total_cells[1].url, unit="户"),
        Figure("未编入邻", unplaced, "尚未编入任何邻的户", total_cells[3].url, unit="户"),
        Figure("无在任邻长的邻", hood_total["no_leader"], "没有在任邻长的邻", total_cells[6].url, unit="个"),
        Figure("户数不合规的邻", hood_total["small"] + hood_total["large"], "少于5户或多于15户的邻", unit="个"),
    ]
    note = "按户和邻现在的编组计（不随统计期间变化）。" + cov.note
    panel = Panel("coverage", "联户覆盖（户户有人联）", sentences, figures, [(chart, table)], note)
    panel.extra = {
        "households": t["households"],
        "linked": t["linked"],
        "households_url": total_cells[0].url,
        "linked_url": total_cells[1].url,
    }
    return panel


def neighborhood_report_total(hoods):
    total = dict.fromkeys(["neighborhoods", "no_leader", "small", "large"], 0)
    for row in hoods.values():
        for key in total:
            total[key] += row.counts[key]
    return total


def visits_trend(ctx):
    """Visits per week or month in the period, special-care households apart, and by method: one
    query grouped by day (at most a year's 366 rows; the per-method totals are the buckets' sums, as
    ``visits_report`` counts them), the days summed into buckets here. Truncating each of a county's
    81 thousand village-days to its month in the database cost more than the sums (34 → 26 ms)."""
    weekly = ctx.weekly()
    period = period_visits(ctx.user, unit=ctx.unit, start=ctx.start, end=ctx.end, level=ctx.unit.level)
    counts = period.counts
    sums = {"visits": counts["visits"], "special": counts["special_visits"]}
    sums.update((method, counts[method]) for method in METHODS.values)
    days = period.rows.values(period.date).annotate(**sums).order_by()
    return summed(days, lambda row: first_day(row[period.date], weekly=weekly), list(sums))


def contact_panel(ctx):
    comp = contact_compliance(ctx.user, unit=ctx.unit, start=ctx.start, end=ctx.end)
    V = "households.visit"
    visits_period = ctx.during("visited_on")
    # The household list tells who is contacted in time as of today: compliance as of an earlier end has no list.
    as_of_today = {"contact": "ok"} if ctx.end == ctx.today else None

    def compliant(unit, special):
        if as_of_today is None or unit is None:
            return ""
        return ctx.list_url("households.household", unit, special=special, **as_of_today)

    rows = []
    for row in comp.rows:
        unit = row.unit
        cells = [
            Cell(row["special"], ctx.list_url("households.household", unit, special="yes") if unit else ""),
            Cell(row["special_compliant"], compliant(unit, "yes")),
            Cell(row["special_rate"], kind="rate"),
            Cell(row["regular"], ctx.list_url("households.household", unit, special="no") if unit else ""),
            Cell(row["regular_compliant"], compliant(unit, "no")),
            Cell(row["regular_rate"], kind="rate"),
            Cell(row["visits"], ctx.list_url(V, unit, **visits_period) if unit else ""),
        ]
        rows.append(TableRow(row.name, cells, ctx.page(unit)))
    t = comp.total
    total_cells = [
        Cell(t["special"], ctx.list_url("households.household", special="yes")),
        Cell(t["special_compliant"], compliant(ctx.unit, "yes")),
        Cell(t["special_rate"], kind="rate"),
        Cell(t["regular"], ctx.list_url("households.household", special="no")),
        Cell(t["regular_compliant"], compliant(ctx.unit, "no")),
        Cell(t["regular_rate"], kind="rate"),
        Cell(t["visits"], ctx.list_url(V, **visits_period)),
    ]
    table = Table(
        ["特殊群体户", "特殊户按期联系", "特殊户联系率", "其他户", "其他户按期联系", "其他户联系率", "期间走访次数"],
        rows,
        TableRow(t.name, total_cells),
    )
    placed = [r for r in rows if r.name != "未编入邻"]
    rank = rank_chart("contact-rank", "特殊群体户按期联系率（%）", placed, lambda r: r.cells[2].value)

    trend = visits_trend(ctx)
    trend_rows, labels, special, other = [], [], [], []
    for label, key, first, last in buckets(ctx.start, ctx.end, weekly=ctx.weekly()):
        group = trend.get(key) or {"visits": 0, "special": 0}
        labels.append(label)
        special.append(group["special"])
        other.append(group["visits"] - group["special"])
        trend_rows.append(
            TableRow(
                label,
                [
                    Cell(group["special"]),
                    Cell(group["visits"] - group["special"]),
                    Cell(group["visits"], ctx.list_url(V, **ctx.during("visited_on", first, last))),
                ],
            )
        )
    step = "周" if ctx.weekly() else "月"
    trend_chart = Chart(
        "contact-trend",
        "line" if len(labels) > 3 else "bar",
        f"走访联系次数（按{step}）",
        labels,
        [{"name": "特殊群体户", "data": special}, {"name": "其他户", "data": other}],
    )
    trend_table = Table(["特殊群体户", "其他户", "合计"], trend_rows, unit_header="时间")

    by_method = {key: sum(group[key] for group in trend.values()) for key in ["visits", *METHODS.values]}
    method_rows = [
        TableRow(label, [Cell(by_method[value], ctx.list_url(V, method=value, **visits_period))])
        for value, label in METHODS.choices
    ]
    method_chart = Chart(
        "contact-methods",
        "bar",
        "走访联系方式",
        [r.name for r in method_rows],
        [{"name": "次数", "data": [r.cells[0].value for r in method_rows]}],
    )
    method_table = Table(
        ["次数"], method_rows, TableRow("合计", [Cell(by_method["visits"], total_cells[6].url)]), unit_header="联系方式"
    )

    sentences = [
        f"截至{ctx.end:%Y年%m月%d日}，应每周联系的特殊群体户 {fmt(t['special'])} 户，"
        f"按时联系 {fmt(t['special_compliant'])} 户，"
        f"联系率 {fmt(t['special_rate'], 'rate')}；其他户 {fmt(t['regular'])} 户，"
        f"按月联系 {fmt(t['regular_compliant'])} 户，"
        f"联系率 {fmt(t['regular_rate'], 'rate')}。",
        f"期间走访联系 {fmt(t['visits'])} 次，其中入户走访 {fmt(by_method[METHODS.DOOR])} 次。",
    ]
    figures = [
        Figure(
            "特殊群体户联系率", t["special_rate"], "截至期末最近一次联系在7天内的特殊群体户 / 特殊群体户", kind="rate"
        ),
        Figure("其他户联系率", t["regular_rate"], "截至期末最近一次联系在30天内的其他户 / 其他户", kind="rate"),
        Figure(
            "期间走访联系", t["visits"], "统计期间内的走访记录（入户、电话、微信等）", total_cells[6].url, unit="次"
        ),
    ]
    blocks = [(rank, table), (trend_chart, trend_table), (method_chart, method_table)]
    panel = Panel("contact", "联系走访（无事串门连心）", sentences, figures, blocks, comp.note)
    panel.extra = {"visits": t["visits"], "visits_url": total_cells[6].url}
    return panel
