"""The grievance statistics page and its Excel export (both read grievances.selectors.grievance_stats).

Reached through the grievance admin's URLs (admin site login and permissions apply); the unit
is one the user may see (404 otherwise), drilling down one level per click.
"""

import datetime
import io

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from openpyxl import Workbook
from openpyxl.styles import Font

from accounts.models import AccessLog
from accounts.services import log_access
from core.scoping import user_unit
from governance.models import Unit
from governance.models.units import Level
from grievances.forms import StatsPeriodForm
from grievances.models import Grievance
from grievances.selectors import STAT_COLUMNS, child_level, grievance_stats

DRILLABLE = [Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, Level.AREA, Level.VILLAGER_GROUP]


def _presets(today):
    quarter_start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return [
        ("本月", today.replace(day=1), today),
        ("本季度", quarter_start, today),
        ("本年", today.replace(month=1, day=1), today),
        ("上一年", datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31)),
    ]


def _params(request):
    """The unit (in the user's scope, else 404) and the period (defaults: this year)."""
    if not request.user.has_perm("grievances.view_grievance"):
        raise PermissionDenied
    today = timezone.localdate()
    unit_id = request.GET.get("unit")
    if unit_id:
        unit = Unit.objects.get_for_user_or_404(request.user, pk=unit_id)
    else:
        unit = user_unit(request.user) or Unit.objects.filter(level=Level.COUNTY).order_by("path").first()
    if unit is None:
        raise Http404("没有可统计的单位。")
    form = StatsPeriodForm(request.GET or None, initial={"start": today.replace(month=1, day=1), "end": today})
    if request.GET.get("start") or request.GET.get("end"):
        start, end = (form.cleaned_data["start"], form.cleaned_data["end"]) if form.is_valid() else (None, None)
    else:
        form = StatsPeriodForm(initial={"start": today.replace(month=1, day=1), "end": today})
        start, end = today.replace(month=1, day=1), today
    return unit, form, start, end, today


def _visible_ancestors(user, unit):
    """Breadcrumb units above ``unit`` that the user may still see (up to their own unit)."""
    own = user_unit(user)
    if user.is_superuser:
        return unit.ancestors()
    return [u for u in unit.ancestors() if own is not None and u.path.startswith(own.path)]


def stats_view(request):
    unit, form, start, end, today = _params(request)
    rows, total = grievance_stats(unit=unit, start=start, end=end, today=today) if start else ([], None)
    base = reverse("admin:grievances_grievance_stats")
    period = {"start": start.isoformat(), "end": end.isoformat()} if start else {}
    drill = child_level(unit) in DRILLABLE
    table = [
        {
            "name": row.unit_name,
            "url": f"{base}?{urlencode({'unit': row.unit_id, **period})}" if drill and row.unit_id else "",
            "values": row.values(),
        }
        for row in rows
    ]
    context = {
        "title": f"群众诉求统计：{unit.name}",
        "unit": unit,
        "ancestors": _visible_ancestors(request.user, unit),
        "form": form,
        "headers": [label for _, label in STAT_COLUMNS],
        "table": table,
        "total": total.values() if total else None,
        "presets": [
            (label, f"{base}?{urlencode({'unit': unit.pk, 'start': s.isoformat(), 'end': e.isoformat()})}")
            for label, s, e in _presets(today)
        ],
        "export_url": f"{reverse('admin:grievances_grievance_stats_export')}?{urlencode({'unit': unit.pk, **period})}"
        if start and request.user.has_perm("accounts.export")
        else "",
        "opts": Grievance._meta,
        "stats_base": base,
    }
    return TemplateResponse(
        request, "admin/grievances/grievance/stats.html", {**admin.site.each_context(request), **context}
    )


def stats_export(request):
    """The same selector output as an Excel workbook; every export is written to the access log."""
    if not request.user.has_perm("accounts.export"):
        raise PermissionDenied
    unit, form, start, end, today = _params(request)
    if start is None:
        raise Http404("统计期间无效。")
    rows, total = grievance_stats(unit=unit, start=start, end=end, today=today)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "诉求统计"
    sheet.append([f"{unit.name}群众诉求办理情况统计（{start:%Y年%m月%d日}至{end:%Y年%m月%d日}）"])
    sheet["A1"].font = Font(bold=True, size=14)
    header = ["单位", *[label for _, label in STAT_COLUMNS]]
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.unit_name, *row.values()])
    sheet.append([total.unit_name, *total.values()])
    sheet.column_dimensions["A"].width = 22
    log_access(
        request=request,
        action=AccessLog.Action.EXPORT,
        model=Grievance,
        filters={"unit": unit.pk, "unit_name": unit.name, "start": start.isoformat(), "end": end.isoformat()},
        row_count=len(rows),
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"grievance-stats-{unit.pk}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
