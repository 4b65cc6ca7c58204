"""Links from a number to the admin list it counts, filtered the same way.

A list is filtered to a unit by the admin's cascading unit filters (governance.admin_mixins.UnitFilter,
one parameter per level, the unit's pk); the ancestors' pks come from the unit's path, so building a
link costs no query. A list that cannot filter at the unit's level, or that the user may not open,
gives no link: the number is then shown without one rather than linked to a list counting
something else.
"""

from django.urls import reverse
from django.utils.http import urlencode

from core.scoping import user_unit
from governance.models.units import LEVEL_ORDER, Level

L = Level
VILLAGE_LEVELS = (L.TOWNSHIP, L.VILLAGE)
BELOW_TOWNSHIP = (L.TOWNSHIP, L.VILLAGE, L.AREA, L.VILLAGER_GROUP, L.NEIGHBORHOOD)

# model label → the unit levels its changelist filters by
LISTS = {
    "households.household": BELOW_TOWNSHIP,
    "households.visit": BELOW_TOWNSHIP,
    "governance.neighborhood": (L.COUNTY, L.TOWNSHIP, L.VILLAGE, L.AREA, L.VILLAGER_GROUP),
    "grievances.grievance": VILLAGE_LEVELS,
    "disputes.dispute": VILLAGE_LEVELS,
    "disputes.riskreport": VILLAGE_LEVELS,
    "training.evaluation": VILLAGE_LEVELS,
    "training.attendance": VILLAGE_LEVELS,
    "training.award": VILLAGE_LEVELS,
}


def unit_params(unit, levels, top=0):
    """The unit filter parameters for ``unit`` (its level and the ancestors from depth ``top`` on:
    a filter for a unit above the user's own would filter to nothing), or None when the list
    cannot filter at the unit's level."""
    if unit.level != L.COUNTY and unit.level not in levels:
        return None
    pks = [int(segment) for segment in unit.path.strip("/").split("/")]
    return {LEVEL_ORDER[d]: pk for d, pk in enumerate(pks) if LEVEL_ORDER[d] in levels and d >= top}


class Lister:
    """Builds list links for one user (permission checked and path reversed once per model)."""

    def __init__(self, user):
        self.user = user
        self._may, self._paths = {}, {}
        own = user_unit(user)
        self.top = own.depth - 1 if own is not None else 0

    def may(self, label):
        if label not in self._may:
            app, model = label.split(".")
            self._may[label] = self.user.has_perm(f"{app}.view_{model}")
        return self._may[label]

    def url(self, label, unit, **filters):
        if unit is None or not self.may(label):
            return ""
        params = unit_params(unit, LISTS[label], self.top)
        if params is None:
            return ""
        if label not in self._paths:  # reversed once per list: a county's page builds ~500 links
            app, model = label.split(".")
            self._paths[label] = reverse(f"admin:{app}_{model}_changelist")
        query = {**params, **{k: v for k, v in filters.items() if v not in (None, "")}}
        return f"{self._paths[label]}?{urlencode(query)}"


def period(field, start, end):
    """Filters for a date field within the period (the admin accepts lookups on the model's own fields)."""
    return {f"{field}__gte": start.isoformat(), f"{field}__lte": end.isoformat()}
