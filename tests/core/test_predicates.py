"""``core.predicates.matches``: a rule written once as filter keywords, evaluated on a loaded row."""

import datetime
from types import SimpleNamespace

from core.predicates import matches

DAY = datetime.date(2026, 6, 15)


def test_operators_and_null_compare_like_sql():
    row = SimpleNamespace(status="open", due=DAY, closed=None)
    assert matches(row, {"status__in": ["open", "new"], "due__lt": DAY + datetime.timedelta(days=1)})
    assert not matches(row, {"due__lt": DAY})
    assert matches(row, {"due__lte": DAY, "due__gte": DAY, "status": "open"})
    assert not matches(row, {"closed__lt": DAY})  # NULL < anything is not true
    assert matches(row, {"closed": None})
