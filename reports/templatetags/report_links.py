"""``{% report_links %}``: the report pages the signed-in user may open, on the admin home page,
and the printable contact cards (a phone page that prints four A6 cards on an A4 sheet)."""

from django import template
from django.urls import reverse

from reports.overview.views import OVERVIEW
from reports.views import COMPLIANCE, DELIBERATION, DISPUTES, GRIEVANCES, TRAINING

register = template.Library()


@register.inclusion_tag("reports/home_links.html", takes_context=True)
def report_links(context):
    user = context["request"].user
    links = []
    if user.has_perm(OVERVIEW.perm):  # the user's own unit's picture comes first
        links.append((f"{OVERVIEW.title}（本单位图表、工作简报）", reverse(f"reports:{OVERVIEW.name}")))
    specs = [spec for spec in [GRIEVANCES, COMPLIANCE, DISPUTES, TRAINING, DELIBERATION] if user.has_perm(spec.perm)]
    links += [(spec.title, reverse(f"reports:{spec.name}")) for spec in specs]
    if user.has_perm("households.view_household"):
        links.append(("打印联系卡", reverse("mobile:cards_index")))
    if user.has_perm("accounts.export"):
        links.append(("我的导出", reverse("exports:my_exports")))  # large ledgers exported in the background
    return {"links": links}
