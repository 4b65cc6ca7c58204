"""The unit page (工作概览) and its A4 print view (工作简报), at /reports/overview/ and …/print/.

Each user lands on their own unit's page; ?unit= opens another unit within their scope (else 404,
through ``reports.pages.resolve``: ``get_for_user_or_404``), and every child unit links down to its
own page (county → township → village). The period is this month by default; the presets and the
custom range are the report pages' ``PeriodForm``.
"""

from functools import partial

from django.contrib import admin
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from core.parallel import gather
from governance.models.units import Level
from households.models import Household
from reports.forms import presets
from reports.overview.context import PAGE, Context
from reports.overview.headline import headline_figures, roster_total
from reports.overview.panels_grievances import grievance_panel
from reports.overview.panels_people import contact_panel, coverage_panel
from reports.overview.panels_work import dispute_panel, training_panel
from reports.pages import ReportPage, kept, link, report_access, resolve, visible_ancestors

OVERVIEW = ReportPage(
    name=PAGE,
    title="工作概览",
    perm="households.view_household",
    model=Household,
    selector=None,
    default_start=lambda today: today.replace(day=1),  # this month
)

# (panel builder, the permission that shows it): a panel is left out for a role that may not see its records.
PANELS = [
    (coverage_panel, "households.view_household"),
    (contact_panel, "households.view_household"),
    (grievance_panel, "grievances.view_grievance"),
    (dispute_panel, "disputes.view_dispute"),
    (training_panel, "training.view_trainingsession"),
]

# The order the parts are started in: the two threads take the next part as they finish, so the
# heaviest go first and both threads end together (a county's year, bench/run.py: contact ~110 ms,
# grievances and training ~80, coverage ~75, disputes ~35, the roster ~20; the page 268–289 → 250–257 ms).
HEAVIEST_FIRST = [contact_panel, grievance_panel, training_panel, coverage_panel, dispute_panel, roster_total]

# A county's figures take seconds to count (bench/run.py: overview_page_county_*), so they are kept
# for a quarter of an hour per unit, period and day, and per role and unit of the viewer (which
# decide the panels shown and the links in them); the page says when they were counted.
CACHE_SECONDS = 15 * 60


def build(ctx):
    """(panels, headline figures, when they were counted), from the cache when counted lately."""

    def compute():
        # The panels and the roster side by side (core.parallel), heaviest first; shown in PANELS' order.
        shown = [build_panel for build_panel, perm in PANELS if ctx.user.has_perm(perm)]
        order = sorted([*shown, roster_total], key=HEAVIEST_FIRST.index)
        counted = dict(zip(order, gather([partial(part, ctx) for part in order]), strict=True))
        panels = [counted[build_panel] for build_panel in shown]
        return panels, headline_figures(ctx, panels, counted[roster_total]), timezone.localtime()

    return kept("overview", ctx.user, ctx.unit, ctx.start, ctx.end, ctx.today, compute, CACHE_SECONDS)


def panels_html(ctx, printable):
    """The panels rendered once per figures (and kept as long): rendering the tables and charts of a
    county's page cost more than reading its kept figures (23 ms a look, issue 15). The fragment
    holds no per-request value (no token, no nonce), so every viewer with the same key gets it."""

    def render():
        panels, headline, counted_at = build(ctx)
        charts = {chart.id: chart.as_data() for panel in panels for chart, _ in panel.blocks if chart is not None}
        context = {"panels": panels, "headline": headline, "charts": charts, "start": ctx.start, "end": ctx.end,
                   "printable": printable}  # fmt: skip
        return render_to_string("reports/_overview_panels.html", context), panels, headline, counted_at

    kind = "overview-print" if printable else "overview-html"
    return kept(kind, ctx.user, ctx.unit, ctx.start, ctx.end, ctx.today, render, CACHE_SECONDS)


def overview_context(request, printable=False):
    params = resolve(request, OVERVIEW)
    user, unit, start, end = request.user, params.unit, params.start, params.end
    html, panels, headline, counted_at = "", [], [], None
    if start:
        html, panels, headline, counted_at = panels_html(Context.build(user, unit, start, end, params.today), printable)
    return {
        **admin.site.each_context(request),
        "title": f"{OVERVIEW.title}：{unit.name}",
        "spec": OVERVIEW,
        "unit": unit,
        "level_label": Level(unit.level).label,
        "start": start,
        "end": end,
        "today": params.today,
        "page_url": reverse(f"reports:{PAGE}"),
        "ancestors": [(u, link(PAGE, u, start, end)) for u in visible_ancestors(user, unit)],
        "form": params.form,
        "presets": [(label, link(PAGE, unit, s, e), (s, e) == (start, end)) for label, s, e in presets(params.today)],
        "panels": panels,
        "panels_html": html,
        "headline": headline,
        "counted_at": counted_at,
        "print_url": link(f"{PAGE}_print", unit, start, end) if start else "",
        "page_link": link(PAGE, unit, start, end) if start else "",
        "printable": printable,
    }


@report_access(OVERVIEW.perm)
def overview_page(request):
    return TemplateResponse(request, "reports/overview.html", overview_context(request))


@report_access(OVERVIEW.perm)
def overview_print(request):
    return TemplateResponse(request, "reports/overview_print.html", overview_context(request, printable=True))
