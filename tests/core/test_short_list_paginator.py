"""The phone lists' paginator: a first page that is not full is the whole list, counted by its length.

A 邻长's lists are one short page nearly always; counting them ran a second copy of the list's query
(issue 15). Full pages and later pages are paginated as usual.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.paginator import ShortListPaginator
from governance.models import Unit
from tests.factories.governance import CountyFactory

pytestmark = pytest.mark.django_db


def counted(paginator, number):
    with CaptureQueriesContext(connection) as ctx:
        page = paginator.get_page(number)
        rows = list(page)
        facts = (len(rows), paginator.count, paginator.num_pages, page.has_next(), page.has_previous())
    counts = [q for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    return facts, len(counts), len(ctx.captured_queries)


def units(n):
    CountyFactory.create_batch(n)
    return Unit.objects.order_by("pk")


@pytest.mark.parametrize("number", [None, "", 1, "1"])
def test_a_short_first_page_is_the_whole_list_without_a_count(number):
    assert counted(ShortListPaginator(units(3), 5), number) == ((3, 3, 1, False, False), 0, 1)


def test_an_empty_list_is_one_empty_page_without_a_count():
    assert counted(ShortListPaginator(Unit.objects.none(), 5), None)[0] == (0, 0, 1, False, False)
    assert counted(ShortListPaginator(units(0), 5), None) == ((0, 0, 1, False, False), 0, 1)


def test_a_full_first_page_is_counted_as_usual():
    facts, counts, _ = counted(ShortListPaginator(units(7), 5), None)
    assert facts == (5, 7, 2, True, False) and counts == 1


def test_a_list_exactly_one_page_long_is_counted():
    facts, counts, _ = counted(ShortListPaginator(units(5), 5), "1")
    assert facts == (5, 5, 1, False, False) and counts == 1


@pytest.mark.parametrize(("number", "shown"), [("2", 2), ("9", 2), ("x", 5), ("-1", 2)])
def test_other_pages_and_bad_numbers_behave_as_djangos(number, shown):
    """Page 2 of 7 rows; a page past the end shows the last; a word shows the first (Django's get_page)."""
    facts, counts, _ = counted(ShortListPaginator(units(7), 5), number)
    assert facts[0] == shown and facts[1] == 7 and counts == 1
