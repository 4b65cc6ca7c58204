"""Panels on disputes (矛盾纠纷) and on the leaders' training, evaluations and awards.

Disputes per child unit are ``disputes.selectors.dispute_stats`` (the statistics table); training
reads the 队伍建设统计 page's sources (``training.selectors``): sessions by level, person-times,
year-end evaluations by grade and awards of the period's years, adjustments carried out in it.
"""

from disputes.models import DisputeType
from disputes.selectors import dispute_stats
from governance.models.units import path_prefix_length
from reports.overview.kit import Cell, Chart, Figure, Panel, Table, TableRow, fmt
from training import selectors as T
from training.models import TrainingSession
from training.models.evaluations import Grade, RoundKind
from training.selectors import EVALUATION_NOTE

D = "disputes.dispute"


def dispute_panel(ctx):
    stats = dispute_stats(ctx.user, unit=ctx.unit, start=ctx.start, end=ctx.end, today=ctx.today)
    period = ctx.during("received_on")
    found = ctx.during("found_on")

    def cells(row, unit):
        def url(label=D, when=period, **filters):
            return ctx.list_url(label, unit, **when, **filters) if unit is not None else ""

        return [
            Cell(row["risks"], url("disputes.riskreport", found)),
            Cell(row["registered"], url()),
            Cell(row["mediated"], url(outcome="mediated")),
            Cell(row["succeeded"], url(outcome="succeeded")),
            Cell(row["success_rate"], kind="rate"),
            Cell(row["revisits"]),
            Cell(row["overdue"], url(deadline="overdue")),
        ]

    rows = [TableRow(r.name, cells(r, r.unit), ctx.page(r.unit)) for r in stats.rows]
    t = stats.total
    total = TableRow(t.name, cells(t, ctx.unit))
    table = Table(["排查隐患", "登记纠纷", "已调解", "调解成功", "调解成功率", "履行回访", "超期未结"], rows, total)
    placed = [r for r, s in zip(rows, stats.rows, strict=True) if s.unit is not None or r.cells[1].value]
    units = Chart(
        "dispute-units",
        "bar",
        "矛盾纠纷排查调处（件）",
        [r.name for r in placed],
        [
            {"name": "排查隐患", "data": [r.cells[0].value for r in placed]},
            {"name": "登记纠纷", "data": [r.cells[1].value for r in placed]},
            {"name": "调解成功", "data": [r.cells[3].value for r in placed]},
        ],
        links=[r.url for r in placed],
    )
    type_rows = [
        TableRow(label, [Cell(t[f"type_{value}"], ctx.list_url(D, **period, dispute_type=value))])
        for value, label in DisputeType.choices
    ]
    type_chart = Chart(
        "dispute-types",
        "bar",
        "纠纷类型（件）",
        [r.name for r in type_rows],
        [{"name": "件数", "data": [r.cells[0].value for r in type_rows]}],
    )
    type_table = Table(["件数"], type_rows, TableRow("合计", [total.cells[1]]), unit_header="纠纷类型")
    sentences = [
        f"期间排查隐患 {fmt(t['risks'])} 条，登记矛盾纠纷 {fmt(t['registered'])} 件，调解 {fmt(t['mediated'])} 件，"
        f"调解成功 {fmt(t['succeeded'])} 件，调解成功率 {fmt(t['success_rate'], 'rate')}；"
        f"履行回访 {fmt(t['revisits'])} 次；超期未结 {fmt(t['overdue'])} 件。"
    ]
    figures = [
        Figure("排查隐患", t["risks"], "统计期间内发现的隐患", total.cells[0].url, unit="条"),
        Figure("调解成功", t["succeeded"], "签订书面或口头协议的纠纷（按登记日期在期间内）", unit="件"),
        Figure("调解成功率", t["success_rate"], "调解成功 / 已调解", kind="rate"),
    ]
    panel = Panel(
        "disputes", "矛盾纠纷（排查调处）", sentences, figures, [(units, table), (type_chart, type_table)], stats.note
    )
    panel.extra = {key: t[key] for key in ["risks", "registered", "mediated", "succeeded"]}
    panel.extra["risks_url"] = total.cells[0].url
    return panel


def training_figures(ctx):
    """The 队伍建设统计 page's own sources (``training.selectors``), per child unit: sessions by level,
    person-times, year-end evaluations by grade, awards and adjustments, summed here for the totals."""
    args = (ctx.user, ctx.unit, ctx.start, ctx.end, ctx.level, path_prefix_length(ctx.level))

    def total(rows, *keys):
        rows = list(rows)
        return {key: sum(row[key] or 0 for row in rows) for key in keys}

    sessions = total(T.sessions(*args), *(f"sessions_{value}" for value in TrainingSession.Level.values))
    attendance = {row["key"]: row["attendance"] for row in T.attendance(*args)}
    grades = total(T.evaluations(*args), "evaluated", *(f"grade_{value}" for value in Grade.values))
    counts = {**total(T.awards(*args), "awards"), **total(T.adjustments(*args), "adjustments")}
    return sessions, attendance, grades, counts


def training_panel(ctx):
    sessions, attendance, grades, counts = training_figures(ctx)
    years = {"year__gte": ctx.start.year, "year__lte": ctx.end.year}
    person_times = sum(attendance.values())
    blocks = []
    if ctx.above_village:  # attendees are known by village: no split below it
        held = ctx.during("session__held_on")
        rows = [
            TableRow(
                child.name,
                [Cell(attendance.get(child.path, 0), ctx.list_url("training.attendance", child, **held))],
                ctx.page(child),
            )
            for child in ctx.children
        ]
        chart = Chart(
            "training-units",
            "rank",
            "参训人次",
            [r.name for r in rows],
            [{"name": "参训人次", "data": [r.cells[0].value for r in rows]}],
            links=[r.url for r in rows],
        )
        total = TableRow("合计", [Cell(person_times, ctx.list_url("training.attendance", **held))])
        blocks.append((chart, Table(["参训人次"], rows, total)))
    year_end = {"kind": RoundKind.YEAR, **years}
    grade_rows = [
        TableRow(label, [Cell(grades[f"grade_{value}"], ctx.list_url("training.evaluation", grade=value, **year_end))])
        for value, label in Grade.choices
    ]
    evaluated = grades["evaluated"]
    ungraded = evaluated - sum(row.cells[0].value for row in grade_rows)
    if ungraded:
        grade_rows.append(TableRow("未评定", [Cell(ungraded)]))
    grade_chart = Chart(
        "training-grades",
        "pie",
        f"年终总评等次（{ctx.start.year}–{ctx.end.year}年度）"
        if ctx.start.year != ctx.end.year
        else f"年终总评等次（{ctx.start.year}年度）",
        [r.name for r in grade_rows],
        [{"name": "人数", "data": [r.cells[0].value for r in grade_rows]}],
    )
    blocks.append(
        (
            grade_chart,
            Table(
                ["人数"],
                grade_rows,
                TableRow("合计", [Cell(evaluated, ctx.list_url("training.evaluation", **year_end))]),
                unit_header="等次",
            ),
        )
    )
    session_total = sum(sessions.values())
    level_text = "、".join(
        f"{label} {fmt(sessions[f'sessions_{value}'])} 期" for value, label in TrainingSession.Level.choices
    )
    award_url = ctx.list_url("training.award", status="approved", **years)
    sentences = [
        f"期间组织培训 {fmt(session_total)} 期（{level_text}），参训 {fmt(person_times)} 人次。",
        f"年终总评 {fmt(grades['evaluated'])} 人次，其中优秀 {fmt(grades[f'grade_{Grade.EXCELLENT}'])} 人次、"
        f"不称职 {fmt(grades[f'grade_{Grade.INCOMPETENT}'])} 人次；"
        f"表彰最美三长 {fmt(counts['awards'])} 人，动态调整三长 {fmt(counts['adjustments'])} 人次。",
    ]
    figures = [
        Figure("参训人次", person_times, "统计期间内举办的培训的签到记录数（按参训人所在村）", unit="人次"),
        Figure("最美三长", counts["awards"], "期间所涉年度乡镇批准的最美三长", award_url, unit="人"),
        Figure("动态调整", counts["adjustments"], "统计期间内办结的劝辞、罢免、联审调整", unit="人次"),
    ]
    note = "与队伍建设统计同一口径：培训按组织单位在本单位及以下、培训日期在期间内计；" + EVALUATION_NOTE
    panel = Panel("training", "队伍建设（培训、考核、表彰）", sentences, figures, blocks, note)
    panel.extra = {"sessions": session_total, "person_times": person_times, **counts}
    return panel
