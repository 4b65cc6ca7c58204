"""What every panel of the unit page needs: the user, the unit, the period, its child units, links."""

import datetime
from dataclasses import dataclass, field

from governance.models import Unit
from governance.models.units import Level, child_level, level_depth
from reports.overview.links import Lister, period
from reports.pages import link

PAGE = "overview"
DRILLABLE = (Level.TOWNSHIP, Level.VILLAGE)  # county → township → village


@dataclass
class Context:
    user: object
    unit: Unit
    start: datetime.date
    end: datetime.date
    today: datetime.date
    children: list = field(default_factory=list)
    lister: Lister = None

    @classmethod
    def build(cls, user, unit, start, end, today):
        """The child units are read once (one query) and shared by every panel."""
        level = child_level(unit) or unit.level
        if level == unit.level:
            children = [unit]
        else:
            children = list(Unit.objects.restrict(user).under(unit).filter(level=level).order_by("path"))
        return cls(user, unit, start, end, today, children, Lister(user))

    @property
    def level(self):
        return child_level(self.unit) or self.unit.level

    @property
    def above_village(self):
        return level_depth(self.level) <= level_depth(Level.VILLAGE)

    def page(self, unit):
        """The unit page of a child (drill-down), for county → township → village."""
        if unit is None or unit.pk == self.unit.pk or unit.level not in DRILLABLE:
            return ""
        return link(PAGE, unit, self.start, self.end)

    def list_url(self, label, unit=None, **filters):
        return self.lister.url(label, unit or self.unit, **filters)

    def during(self, field_name, start=None, end=None):
        return period(field_name, start or self.start, end or self.end)

    def weekly(self):
        """Trends by week for a period of up to 13 weeks, by month beyond."""
        return (self.end - self.start).days <= 91
