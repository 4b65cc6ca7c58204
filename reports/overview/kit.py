"""The shapes a panel of the unit page is made of: a figure, a chart and the table under it."""

from dataclasses import dataclass, field


def summed(rows, key, fields):
    """``rows`` (a grouped query's) summed per ``key(row)`` over ``fields``, in first-seen order (a
    NULL sum counts 0): finer groups read once, added up here into the ones a table shows."""
    sums = {}
    for row in rows:
        total = sums.setdefault(key(row), dict.fromkeys(fields, 0))
        for name in fields:
            total[name] += row[name] or 0
    return sums


def fmt(value, kind="count"):
    """A figure as the brief writes it: 1,932 / 97.1% / — when there is nothing to divide."""
    if value is None:
        return "—"
    if kind == "rate":
        return f"{value:.1f}%"
    return f"{value:,}"


@dataclass
class Cell:
    value: object
    url: str = ""
    kind: str = "count"  # "rate": a percentage

    @property
    def text(self):
        return fmt(self.value, self.kind)


@dataclass
class TableRow:
    name: str
    cells: list
    url: str = ""  # the unit's own page (drill-down), when it has one


@dataclass
class Table:
    headers: list
    rows: list
    total: TableRow = None
    unit_header: str = "单位"


@dataclass
class Chart:
    """What static/js/overview.js draws; ``as_data`` is passed to it through json_script."""

    id: str
    kind: str  # "rank" (horizontal bars, best first), "bar", "stack", "line", "pie"
    title: str
    categories: list
    series: list  # [{"name": …, "data": […]}]
    unit: str = ""  # "%" for rates
    links: list = field(default_factory=list)  # per category: the page a click opens ("" for none)

    def as_data(self):
        return {
            "kind": self.kind,
            "title": self.title,
            "categories": self.categories,
            "series": self.series,
            "unit": self.unit,
            "links": self.links,
        }


@dataclass
class Figure:
    label: str
    value: object
    definition: str = ""
    url: str = ""
    kind: str = "count"
    unit: str = ""  # 户, 件, 人次 …

    @property
    def text(self):
        return fmt(self.value, self.kind)


@dataclass
class Panel:
    key: str
    title: str
    sentences: list
    figures: list
    blocks: list  # [(Chart or None, Table or None)]
    note: str = ""
    lists: list = field(default_factory=list)  # (title, records, url of the whole list) listed under the panel
    extra: dict = field(default_factory=dict)  # further totals the headline figures read
