"""``{% report_links %}``: the report pages the signed-in user may open, on the admin home page."""

from django import template
from django.urls import reverse

from reports.views import COMPLIANCE, GRIEVANCES

register = template.Library()


@register.inclusion_tag("reports/home_links.html", takes_context=True)
def report_links(context):
    user = context["request"].user
    specs = [spec for spec in [GRIEVANCES, COMPLIANCE] if user.has_perm(spec.perm)]
    return {"links": [(spec.title, reverse(f"reports:{spec.name}")) for spec in specs]}
