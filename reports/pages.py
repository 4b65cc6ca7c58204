"""How a report becomes a page and an Excel export in the admin's look (the page layer's kit).

A ``ReportPage`` names a selector (``(user, unit, start, end, today) -> core.reports.Report``),
the permission that opens it, and the model its exports are logged under. ``page_view`` and
``export_view`` make the two views: staff login (else the admin login page), the permission
(else 403), the unit from ?unit= through ``restrict(user)`` (else 404), the period from the
``PeriodForm`` (Chinese messages, nothing computed while it is invalid).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode

from accounts.models import AccessLog
from accounts.services import log_access
from core.reports import report_workbook
from core.scoping import user_unit
from governance.models import Unit
from governance.models.units import Level
from reports.forms import PeriodForm, presets

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_PERM = "accounts.export"


@dataclass(frozen=True)
class ReportPage:
    name: str  # URL name in the "reports" namespace; the export is f"{name}_export"
    title: str  # the page's heading and breadcrumb
    perm: str
    model: type  # exports are logged under this model
    selector: Callable
    default_start: Callable  # today -> first day of the default period (which ends today)


@dataclass
class Params:
    unit: Unit
    form: PeriodForm
    start: object  # None while the period is invalid
    end: object
    today: object


def report_access(perm):
    """Staff login through the admin's login page, then the model permission ``perm`` (else 403)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied("您的账号没有查看此统计的权限。")
            return view(request, *args, **kwargs)

        return staff_member_required(wrapper)

    return decorator


def resolve(request, spec):
    """The unit (the user's own by default, 404 outside their scope) and the period."""
    user = request.user
    today = timezone.localdate()
    if request.GET.get("unit"):
        unit = Unit.objects.get_for_user_or_404(user, pk=request.GET["unit"])
    else:
        unit = user_unit(user) or Unit.objects.restrict(user).filter(level=Level.COUNTY).order_by("path").first()
    if unit is None:
        raise Http404("没有可统计的单位。")
    initial = {"start": spec.default_start(today), "end": today}
    if "start" in request.GET or "end" in request.GET:
        form = PeriodForm(request.GET)
        valid = form.is_valid()
        start, end = (form.cleaned_data["start"], form.cleaned_data["end"]) if valid else (None, None)
    else:
        form = PeriodForm(initial=initial)
        start, end = initial["start"], initial["end"]
    return Params(unit, form, start, end, today)


def link(name, unit, start=None, end=None):
    query = {"unit": unit.pk}
    if start:
        query.update(start=start.isoformat(), end=end.isoformat())
    return f"{reverse(f'reports:{name}')}?{urlencode(query)}"


def visible_ancestors(user, unit):
    """Breadcrumb units above ``unit`` that the user may still open (one scoped query)."""
    return list(Unit.objects.restrict(user).filter(path__in=unit.ancestor_paths()[:-1]).order_by("path"))


def kept(kind, user, unit, start, end, today, compute, seconds):
    """``compute()`` kept ``seconds`` under a key of what decides the figures: the viewer's role and unit
    (their scope, the panels and links they get), the unit asked for, the period and today (a new day
    counts afresh: overdue and compliance are as of today). The one cache of the report pages."""
    if not seconds:
        return compute()
    viewer = "superuser" if user.is_superuser else f"{user.role}:{user.unit_id}"
    key = f"figures:{kind}:{viewer}:{unit.pk}:{start}:{end}:{today}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def render_page(request, spec, params):
    """The report's page; its figures and their rendered table are kept ``REPORT_PAGE_CACHE_SECONDS`` (a
    minute: under load the county's grievance statistics were 68 ms of database time per look, and
    the table's rendering the most of what remained; issue 15). Exports count afresh."""
    user, unit, start, end = request.user, params.unit, params.start, params.end

    def count():
        report = spec.selector(user, unit, start, end, params.today)
        table = []
        for row in report.rows:
            drill = row.unit is not None and row.unit.level != Level.NEIGHBORHOOD and row.unit.pk != unit.pk
            table.append({"name": row.name, "url": link(spec.name, row.unit, start, end) if drill else "", "row": row})
        return report, table, render_to_string("reports/_report_table.html", {"report": report, "table": table})

    report, table, table_html = None, [], ""
    if start:
        seconds = settings.REPORT_PAGE_CACHE_SECONDS
        report, table, table_html = kept(f"page-{spec.name}", user, unit, start, end, params.today, count, seconds)
    context = {
        "title": f"{spec.title}：{unit.name}",
        "spec": spec,
        "unit": unit,
        "page_url": reverse(f"reports:{spec.name}"),
        "ancestors": [(u, link(spec.name, u, start, end)) for u in visible_ancestors(user, unit)],
        "form": params.form,
        "report": report,
        "table": table,
        "table_html": table_html,
        "presets": [
            (label, link(spec.name, unit, s, e), (s, e) == (start, end)) for label, s, e in presets(params.today)
        ],
        "export_url": link(f"{spec.name}_export", unit, start, end) if report and user.has_perm(EXPORT_PERM) else "",
    }
    return TemplateResponse(request, "reports/report.html", {**admin.site.each_context(request), **context})


def page_view(spec):
    @report_access(spec.perm)
    def view(request):
        return render_page(request, spec, resolve(request, spec))

    return view


def export_view(spec):
    """The page's report as an Excel sheet; every export is written to the access log."""

    @report_access(spec.perm)
    def view(request):
        if not request.user.has_perm(EXPORT_PERM):
            raise PermissionDenied("您的账号没有导出数据的权限。")
        params = resolve(request, spec)
        if params.start is None:  # show the page with the period's error messages
            return render_page(request, spec, params)
        unit, start, end = params.unit, params.start, params.end
        report = spec.selector(request.user, unit, start, end, params.today)
        content = report_workbook(report, exported_at=timezone.now())
        log_access(
            request=request,
            action=AccessLog.Action.EXPORT,
            model=spec.model,
            filters={"report": spec.name, "unit": unit.pk, "unit_name": unit.name, "start": start.isoformat(),
                     "end": end.isoformat()},
            row_count=len(report.rows),
        )  # fmt: skip
        response = HttpResponse(content, content_type=XLSX)
        filename = f"{unit.name}-{report.title}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response

    return view
