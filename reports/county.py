"""The county workbook (县级汇总) and its page: one topic per sheet, townships with their villages.

Every topic is a selector ``(user, unit=, start=, end=, today=, level=) -> core.reports.Report``
(the statistics pages' own selectors: grievances, disputes, deliberation, training). The page shows
each topic for the unit's children with a link down (county → township → village); the workbook
groups a county by village in one call per topic (one query per source, whatever the number of
townships) and shows each township's subtotal with its villages under it and the total.
"""

import datetime
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from accounts.models import AccessLog
from accounts.services import log_access
from core.jobs import can_start, start_job
from core.parallel import gather
from core.report_book import Section, Sheet, add_up, county_workbook
from core.reports import Row
from deliberation.selectors import deliberation_stats
from disputes.selectors import dispute_stats
from governance.models import Unit
from governance.models.units import Level, child_level
from governance.selectors import ROSTER_GROUPS, roster_report
from grievances.selectors import grievance_stats
from households.models import Household
from households.selectors_report import (
    COVERAGE_GROUPS,
    SPECIAL_GROUPS,
    VISITS_GROUPS,
    coverage_report,
    shared_counts,
    special_care_report,
    visits_report,
)
from reports.forms import presets
from reports.pages import EXPORT_PERM, XLSX, ReportPage, kept, link, report_access, resolve, visible_ancestors
from training.selectors import PEOPLE, TRAINING, people_report, training_report


@dataclass(frozen=True)
class Topic:
    selector: object
    groups: dict = field(default_factory=dict)
    own_rows: bool = False  # records may hang on a township itself (its own training): a 本级 row per section
    # Below a county the sheet is the selector's report for the unit as it is: its rows of records in no
    # child inside the section and its total as it counts it (a village's 排查次数 is not the sum of its 片).
    whole: bool = False


# 矛盾纠纷: the statistics table's 一表 columns the county hands upwards (the rest stay on its own page).
DISPUTE_KEYS = {"rounds", "risks", "risks_resolved", "risks_converted", "accepted", "mediated", "succeeded",
                "success_rate", "failed", "revisits", "fulfilled", "fulfilment_rate", "prevents_crime",
                "prevents_mass_petition", "overdue"}  # fmt: skip
DISPUTE_GROUPS = {
    **dict.fromkeys(["rounds", "risks", "risks_resolved", "risks_converted"], "排查"),
    **dict.fromkeys(["accepted", "mediated", "succeeded", "success_rate", "failed"], "调解"),
    **dict.fromkeys(["revisits", "fulfilment_rate"], "回访"),
    **dict.fromkeys(["prevents_crime", "prevents_mass_petition"], "防止激化"),
}


def dispute_topic(user, **kw):
    """``dispute_stats`` with only the county's columns (figures and definitions unchanged)."""
    report = dispute_stats(user, **kw)
    report.columns = tuple(c for c in report.columns if c.key in DISPUTE_KEYS)
    for row in [*report.rows, report.total]:
        row.columns = report.columns
    return report


TOPICS = [
    Topic(roster_report, ROSTER_GROUPS),
    Topic(coverage_report, COVERAGE_GROUPS),
    Topic(special_care_report, SPECIAL_GROUPS),
    Topic(visits_report, VISITS_GROUPS),
    Topic(grievance_stats, whole=True),
    Topic(dispute_topic, DISPUTE_GROUPS, whole=True),
    Topic(training_report, TRAINING.groups, own_rows=True),
    Topic(people_report, PEOPLE.groups, own_rows=True),
    Topic(deliberation_stats, whole=True),
]

COUNTY = ReportPage(
    name="county",
    title="三长制工作汇总",
    perm="households.view_household",
    model=Household,
    selector=None,
    default_start=lambda today: today.replace(month=1, day=1),  # this year
)


def section_units(user, unit):
    """The workbook's sections: a county's townships, else the unit itself."""
    if unit.level != Level.COUNTY:
        return [unit]
    return list(Unit.objects.restrict(user).filter(parent=unit, level=Level.TOWNSHIP).order_by("path"))


def topic_sheet(topic, user, unit, start, end, today, sections_of=None):
    """One topic as a workbook sheet: sections (``section_units``, read once per workbook) of subtotal
    + rows, and the total."""
    sections_of = section_units(user, unit) if sections_of is None else sections_of
    sections = []
    if not (topic.whole and unit.level != Level.COUNTY):
        level = Level.VILLAGE if unit.level == Level.COUNTY else (child_level(unit) or unit.level)
        report = topic.selector(user, unit=unit, start=start, end=end, today=today, level=level)
        columns = report.columns
        upper = None
        if topic.own_rows and unit.level == Level.COUNTY:  # each township's own records, and the county's
            upper = topic.selector(user, unit=unit, start=start, end=end, today=today, level=Level.TOWNSHIP)
        placed = set()
        for section in sections_of:
            rows = [r for r in report.rows if r.unit is not None and r.unit.path.startswith(section.path)]
            placed.update(id(r) for r in rows)
            if topic.own_rows and section == unit:  # a township's workbook: its 本级 row among its villages
                rows = list(report.rows)
                placed.update(id(r) for r in rows)
            elif upper is not None:
                whole = next(r for r in upper.rows if r.unit == section)
                own = Row(columns, unit=None, name=f"{section.name}本级", counts=whole.counts)
                own.add({k: -v for k, v in add_up(columns, None, "", rows).counts.items()})
                rows = [own, *rows] if any(own.counts.values()) else rows
            sections.append(Section(add_up(columns, section, f"{section.name}小计", rows), rows))
        rest = [r for r in (upper or report).rows if r.unit is None and (upper is not None or id(r) not in placed)]
        if rest:  # records in no village (none for a county: everything hangs on a village) or the county's own
            sections.append(Section(add_up(columns, None, rest[0].name if upper else "其他", rest), []))
    else:  # one section: the unit
        report = topic.selector(user, unit=unit, start=start, end=end, today=today)
        sections.append(Section(add_up(report.columns, unit, f"{unit.name}小计", [report.total]), report.rows))
        columns = report.columns
    total = add_up(columns, unit, f"{unit.name}合计", [s.subtotal for s in sections])
    return Sheet(report.title, columns, sections, total, topic.groups, report.note)


def cached(kind, user, unit, start, end, today, compute):
    """A county's year scans a million visits: its figures are kept ``COUNTY_REPORT_CACHE_SECONDS``, so a
    drill-down and back, or the workbook after the page, reuses them."""
    return kept(f"county-{kind}", user, unit, start, end, today, compute, settings.COUNTY_REPORT_CACHE_SECONDS)


def county_sheets(user, unit, start, end, today):
    def compute():
        sections = section_units(user, unit)
        with shared_counts():  # one scan of the period's visits for the visits and special-care sheets
            return gather(partial(topic_sheet, topic, user, unit, start, end, today, sections) for topic in TOPICS)

    return cached("sheets", user, unit, start, end, today, compute)


def page_reports(user, unit, start, end, today):
    """Each topic for the unit's children (the page's tables)."""

    def compute():
        topics = [partial(t.selector, user, unit=unit, start=start, end=end, today=today) for t in TOPICS]
        with shared_counts():  # the topics side by side (core.parallel): a county's year in ~0.23 s, not ~0.31 s
            return gather(topics)

    return cached("page", user, unit, start, end, today, compute)


@report_access(COUNTY.perm)
def county_page(request):
    params = resolve(request, COUNTY)
    user, unit, start, end = request.user, params.unit, params.start, params.end
    tables = []
    for report in page_reports(user, unit, start, end, params.today) if start else []:
        rows = []
        for row in report.rows:
            drill = row.unit is not None and row.unit.level in (Level.TOWNSHIP, Level.VILLAGE) and row.unit != unit
            rows.append({"name": row.name, "url": link(COUNTY.name, row.unit, start, end) if drill else "", "row": row})
        tables.append({"report": report, "rows": rows})
    context = {
        "title": f"{COUNTY.title}：{unit.name}",
        "spec": COUNTY,
        "unit": unit,
        "page_url": reverse("reports:county"),
        "ancestors": [(u, link(COUNTY.name, u, start, end)) for u in visible_ancestors(user, unit)],
        "form": params.form,
        "tables": tables,
        "presets": [
            (label, link(COUNTY.name, unit, s, e), (s, e) == (start, end)) for label, s, e in presets(params.today)
        ],
        "export_url": link("county_export", unit, start, end) if start and user.has_perm(EXPORT_PERM) else "",
    }
    return TemplateResponse(request, "reports/county.html", {**admin.site.each_context(request), **context})


@report_access(COUNTY.perm)
def county_export(request):
    if not request.user.has_perm(EXPORT_PERM):
        raise PermissionDenied("您的账号没有导出数据的权限。")
    params = resolve(request, COUNTY)
    if params.start is None:
        return county_page(request)
    unit, start, end = params.unit, params.start, params.end
    filters = {"report": COUNTY.name, "unit": unit.pk, "unit_name": unit.name, "start": start.isoformat(),
               "end": end.isoformat()}  # fmt: skip
    filename = f"{unit.name}-{COUNTY.title}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
    if unit.level == Level.COUNTY and can_start():  # a whole county takes seconds: a background job
        log_access(request=request, action=AccessLog.Action.EXPORT, model=COUNTY.model, filters=filters)
        url = start_job(request, kind="county", params=filters, filename=filename, title=COUNTY.title)
        messages.success(request, "全县汇总表已转入后台生成；完成后请在“我的导出”下载。")
        return redirect(url)
    content, rows = county_file(request.user, unit, start, end, params.today)
    log_access(request=request, action=AccessLog.Action.EXPORT, model=COUNTY.model, filters=filters, row_count=rows)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def county_file(user, unit, start, end, today):
    """The workbook's bytes and its number of unit rows."""
    sheets = county_sheets(user, unit, start, end, today)
    period = f"{start:%Y年%m月%d日}至{end:%Y年%m月%d日}"
    content = county_workbook(sheets, unit_name=unit.name, period=period, exported_at=timezone.now())
    return content, sum(len(s.rows) for sheet in sheets for s in sheet.sections)


def write_county_job(out, user, params):
    """The core.jobs writer of the "county" kind: the workbook for the requester's unit and period."""
    unit = Unit.objects.get_for_user_or_404(user, pk=params["unit"])
    start, end = (datetime.date.fromisoformat(params[key]) for key in ("start", "end"))
    content, rows = county_file(user, unit, start, end, timezone.localdate())
    out.write(content)
    return rows
