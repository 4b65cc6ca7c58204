"""Figures of the county workbook from households: coverage (户户有人联), special-care households and
their contact, visits by method. Each takes the grouping ``level`` (default: the unit's children),
so the workbook groups a whole county by village in one query per source. Inside ``shared_counts()``
the visits of a period are scanned once for both the visits and the special-care topic."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from core.reports import build_report, count, rate
from governance.models import Posting
from governance.models.units import child_level
from governance.selectors import report_units
from households.models import Household, Visit
from households.selectors import keyed, keys_to_paths, visited_within
from households.tallies import period_visits, special_households

COVERAGE_TITLE = "户籍与联户覆盖"
COVERAGE_COLUMNS = [
    count("households", "户数"),
    count("residents", "人数"),
    count("in_neighborhood", "已编入邻户数"),
    count("linked", "有在任邻长联系户数"),
    rate("coverage", "联户覆盖率(%)", "linked", "households"),
    count("unlinked", "未落实联户户数"),
]
COVERAGE_GROUPS = dict.fromkeys(["in_neighborhood", "linked", "coverage", "unlinked"], "户户有人联")
COVERAGE_NOTE = "按户现在所在的村/邻计；联户 = 已编入邻且该邻有在任邻长（户户有人联）。"

SPECIAL_TITLE = "特殊群体户联系"
SPECIAL_COLUMNS = [
    count("special", "特殊群体户"),
    count("special_compliant", "按期联系户数"),
    rate("special_rate", "按期联系率(%)", "special_compliant", "special"),
    count("special_overdue", "超期未联系户数"),
    count("special_visits", "期间走访次数"),
]
SPECIAL_GROUPS = {"special_compliant": "截至期末", "special_rate": "截至期末", "special_overdue": "截至期末"}
SPECIAL_NOTE = "特殊群体户至少每周联系一次：截至期末最近一次联系在7天内为按期；走访次数为期间内对特殊群体户的走访。"

METHODS = Visit.Method
VISITS_TITLE = "走访联系（按方式）"
VISITS_COLUMNS = [
    count("visits", "走访合计"),
    *(count(method, label) for method, label in METHODS.choices),
    count("problems", "发现问题"),
]
VISITS_GROUPS = dict.fromkeys(METHODS.values, "联系方式")
VISITS_NOTE = "统计期间内的走访记录，按走访户现在所在的村/邻计。"


def _report(columns, title, note, *, user, unit, level, groups, start, end):
    children = report_units(user, unit, level)
    groups = keys_to_paths(groups, unit=unit, level=level, children=children)
    report = build_report(
        columns,
        title=title,
        unit=unit,
        children=children,
        groups=groups,
        start=start,
        end=end,
        unplaced="未编入邻",
        other="未编入邻",
    )
    report.note = note
    return report


def coverage_report(user, *, unit, start, end, today=None, level=None):
    """One grouped query: the residents are each household's kept count (``Household.resident_count``)
    summed, not every resident joined to its household (a county: 143 ms less)."""
    level = level or child_level(unit) or unit.level
    households = Household.objects.restrict(user, within=unit)
    # 邻 with an active 邻长 (as Household.with_link_status has it), as one hashed set, not a probe per household.
    led = Posting.objects.filter(role=Posting.Role.NEIGHBORHOOD_LEADER, end_date__isnull=True).values("unit_id")
    grouped = [
        {**row, "unlinked": row["households"] - row["linked"]}
        for row in keyed(households, level)
        .values("key")
        .annotate(
            households=Count("pk"),
            residents=Coalesce(Sum("resident_count"), 0),
            in_neighborhood=Count("pk", filter=Q(neighborhood__isnull=False)),
            linked=Count("pk", filter=Q(neighborhood__in=led)),
        )
        .order_by("key")
    ]
    return _report(
        COVERAGE_COLUMNS, COVERAGE_TITLE, COVERAGE_NOTE, user=user, unit=unit, level=level,
        groups=[grouped], start=start, end=end,
    )  # fmt: skip


def special_care_report(user, *, unit, start, end, today=None, level=None):
    level = level or child_level(unit) or unit.level
    in_time = visited_within(end, True)
    households = (
        keyed(Household.objects.restrict(user, within=unit).filter(pk__in=special_households()), level)
        .values("key")
        .annotate(special=Count("pk"), special_compliant=Count("pk", filter=in_time))
        .order_by("key")
    )
    households = [{**row, "special_overdue": row["special"] - row["special_compliant"]} for row in households]
    visits = [
        {"key": row["key"], "special_visits": row["special_visits"]}
        for row in _visit_counts(user, unit, start, end, level)
    ]
    return _report(
        SPECIAL_COLUMNS, SPECIAL_TITLE, SPECIAL_NOTE, user=user, unit=unit, level=level,
        groups=[households, visits], start=start, end=end,
    )  # fmt: skip


def visits_report(user, *, unit, start, end, today=None, level=None):
    level = level or child_level(unit) or unit.level
    grouped = _visit_counts(user, unit, start, end, level)
    return _report(
        VISITS_COLUMNS, VISITS_TITLE, VISITS_NOTE, user=user, unit=unit, level=level,
        groups=[grouped], start=start, end=end,
    )  # fmt: skip


_shared = ContextVar("shared_visit_counts", default=None)


@contextmanager
def shared_counts():
    """Within the block, the visit counts of one user, unit, period and level are read once (the visits
    and special-care topics of one page or workbook share the scan of a year of visits)."""
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def _visit_counts(user, unit, start, end, level):
    """Per ``level`` key: visits in total, by method, finding problems, and to special-care households
    (``households.tallies.period_visits``: the day tally where it answers)."""
    memo = _shared.get()
    memo_key = (user.pk, unit.pk, start, end, level)
    if memo is not None and memo_key in memo:
        return memo[memo_key]
    period = period_visits(user, unit=unit, start=start, end=end, level=level)
    rows = list(keyed(period.rows, level, prefix=period.prefix).values("key").annotate(**period.counts).order_by("key"))
    if memo is not None:
        memo[memo_key] = rows
    return rows
