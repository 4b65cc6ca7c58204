"""The admin's date drill-down without a query.

Django's ``{% date_hierarchy %}`` asks the database which years, months and days hold rows
(MIN/MAX and ``SELECT DISTINCT DATE_TRUNC(...)`` over the whole filtered list): on the county's
visits, over a million rows, that is most of the page's time. Offices drill down by calendar, so
the choices come from the calendar (recent years, the months of a year, the days of a month, never
past today) and only the chosen range is queried, through the same ``__year/__month/__day``
parameters the changelist already turns into an indexed range.
"""

import calendar
import datetime

from django import template
from django.utils import formats, timezone
from django.utils.text import capfirst

register = template.Library()

YEARS_SHOWN = 5


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def drilldown(cl, today=None):
    """The context of admin/date_hierarchy.html for ``cl`` (a ChangeList), computed from the calendar."""
    today = today or timezone.localdate()
    field = cl.date_hierarchy
    year_field, month_field, day_field = f"{field}__year", f"{field}__month", f"{field}__day"
    year, month, day = (_int(cl.params.get(name)) for name in (year_field, month_field, day_field))

    def link(filters):
        return cl.get_query_string(filters, [f"{field}__"])

    if year and month and day:
        try:
            chosen = datetime.date(year, month, day)
        except ValueError:
            return {"show": False}
        return {
            "show": True,
            "back": {
                "link": link({year_field: year, month_field: month}),
                "title": capfirst(formats.date_format(chosen, "YEAR_MONTH_FORMAT")),
            },
            "choices": [{"title": capfirst(formats.date_format(chosen, "MONTH_DAY_FORMAT"))}],
        }
    if year and month:
        if not 1 <= month <= 12:
            return {"show": False}
        last = calendar.monthrange(year, month)[1]
        if (year, month) == (today.year, today.month):
            last = today.day
        days = [datetime.date(year, month, d) for d in range(1, last + 1)]
        return {
            "show": True,
            "back": {"link": link({year_field: year}), "title": str(year)},
            "choices": [
                {
                    "link": link({year_field: year, month_field: month, day_field: d.day}),
                    "title": capfirst(formats.date_format(d, "MONTH_DAY_FORMAT")),
                }
                for d in days
            ],
        }
    if year:
        last = today.month if year == today.year else 12
        return {
            "show": True,
            "back": {"link": link({}), "title": "全部日期"},
            "choices": [
                {
                    "link": link({year_field: year, month_field: m}),
                    "title": capfirst(formats.date_format(datetime.date(year, m, 1), "YEAR_MONTH_FORMAT")),
                }
                for m in range(1, last + 1)
            ],
        }
    years = range(today.year - YEARS_SHOWN + 1, today.year + 1)
    return {
        "show": True,
        "back": None,
        "choices": [{"link": link({year_field: str(y)}), "title": f"{y}年"} for y in years],
    }


@register.inclusion_tag("admin/date_hierarchy.html")
def quick_date_hierarchy(cl):
    return drilldown(cl)
