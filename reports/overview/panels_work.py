"""Panels on disputes (矛盾纠纷) and on the leaders' training, evaluations and awards.

Disputes per child unit are ``disputes.selectors.dispute_stats`` (the statistics table); training
adds, each one grouped query: sessions organised in the period by level, person-times by the
attendee's village, evaluations by grade (rounds of the period's years), awards approved in the
period and adjustments carried out in it.
"""

from django.db.models import Count
from django.db.models.functions import Substr

from disputes.models import DisputeType
from disputes.selectors import dispute_stats
from governance.models.units import path_prefix_length
from reports.overview.kit import Cell, Chart, Figure, Panel, Table, TableRow, fmt
from training.models import Adjustment, Attendance, Award, Evaluation, TrainingSession
from training.models.evaluations import Grade

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
    """Sessions by level, person-times per child unit, evaluations by grade, awards, adjustments."""
    sessions = dict(
        TrainingSession.objects.restrict(ctx.user)
        .filter(TrainingSession.scope_q(ctx.unit), held_on__gte=ctx.start, held_on__lte=ctx.end)
        .values("level")
        .annotate(n=Count("pk"))
        .values_list("level", "n")
    )
    size = path_prefix_length(ctx.level) if ctx.above_village else path_prefix_length(ctx.unit.level)
    attendance = dict(
        Attendance.objects.restrict(ctx.user)
        .filter(Attendance.scope_q(ctx.unit), session__held_on__gte=ctx.start, session__held_on__lte=ctx.end)
        .annotate(key=Substr("person__village__path", 1, size))
        .values("key")
        .annotate(n=Count("pk"))
        .values_list("key", "n")
    )
    grades = dict(
        Evaluation.objects.restrict(ctx.user)
        .filter(Evaluation.scope_q(ctx.unit), year__gte=ctx.start.year, year__lte=ctx.end.year)
        .values("grade")
        .annotate(n=Count("pk"))
        .values_list("grade", "n")
    )
    counts = {
        "awards": Award.objects.restrict(ctx.user)
        .filter(
            Award.scope_q(ctx.unit), status=Award.Status.APPROVED, decided_on__gte=ctx.start, decided_on__lte=ctx.end
        )
        .aggregate(n=Count("pk"))["n"],
        **Adjustment.objects.restrict(ctx.user)
        .filter(Adjustment.scope_q(ctx.unit), carried_out_on__gte=ctx.start, carried_out_on__lte=ctx.end)
        .aggregate(adjustments=Count("pk")),
    }
    return sessions, attendance, grades, counts


def training_panel(ctx):
    sessions, attendance, grades, counts = training_figures(ctx)
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
    year = {"year__gte": ctx.start.year, "year__lte": ctx.end.year}
    grade_rows = [
        TableRow(label, [Cell(grades.get(value, 0), ctx.list_url("training.evaluation", grade=value, **year))])
        for value, label in Grade.choices
    ]
    grade_rows.append(TableRow("未评定", [Cell(grades.get("", 0))]))
    grade_chart = Chart(
        "training-grades",
        "pie",
        f"考核等次（{ctx.start.year}–{ctx.end.year}年度）"
        if ctx.start.year != ctx.end.year
        else f"考核等次（{ctx.start.year}年度）",
        [r.name for r in grade_rows],
        [{"name": "人数", "data": [r.cells[0].value for r in grade_rows]}],
    )
    evaluated = sum(grades.values())
    blocks.append(
        (
            grade_chart,
            Table(
                ["人数"],
                grade_rows,
                TableRow("合计", [Cell(evaluated, ctx.list_url("training.evaluation", **year))]),
                unit_header="等次",
            ),
        )
    )
    session_total = sum(sessions.values())
    level_text = "、".join(
        f"{label} {fmt(sessions.get(value, 0))} 期" for value, label in TrainingSession.Level.choices
    )
    award_url = ctx.list_url("training.award", status="approved", **ctx.during("decided_on"))
    sentences = [
        f"期间组织培训 {fmt(session_total)} 期（{level_text}），参训 {fmt(person_times)} 人次。",
        f"考核 {fmt(evaluated)} 人次，其中优秀 {fmt(grades.get(Grade.EXCELLENT, 0))} 人次、"
        f"不称职 {fmt(grades.get(Grade.INCOMPETENT, 0))} 人次；"
        f"期间表彰最美三长 {fmt(counts['awards'])} 人，动态调整三长 {fmt(counts['adjustments'])} 人次。",
    ]
    figures = [
        Figure("参训人次", person_times, "统计期间内举办的培训的签到记录数（按参训人所在村）", unit="人次"),
        Figure("最美三长", counts["awards"], "统计期间内乡镇批准的最美三长", award_url, unit="人"),
        Figure("动态调整", counts["adjustments"], "统计期间内办结的劝辞、罢免、联审调整", unit="人次"),
    ]
    note = "培训按组织单位在本单位及以下、培训日期在期间内计；考核按考核年度计；最美三长按批准日期计。"
    panel = Panel("training", "队伍建设（培训、考核、表彰）", sentences, figures, blocks, note)
    panel.extra = {"sessions": session_total, "person_times": person_times, **counts}
    return panel
