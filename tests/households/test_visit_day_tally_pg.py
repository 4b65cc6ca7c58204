"""Two cadres log a visit in one village on one day at the same time: both are counted (PostgreSQL).

Kept in its own module: a transactional test empties the tables when it ends (see
tests/grievances/test_grievance_row_locks.py).
"""

import datetime
import threading
import time

import pytest
from django.db import connection, transaction

from households import tallies
from households.models import Visit, VisitDay
from tests.factories import PersonFactory

DAY = datetime.date(2026, 3, 15)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("counted_before", [False, True])
def test_two_visits_at_once_are_both_counted(cast, counted_before):
    """The second recount waits on the first one's row (or its new row), then counts both visits: with
    READ COMMITTED its count after the lock sees the first visit, where a count kept in memory would
    have written 1 over 1."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers anyway")
    branch = cast.branches[0]
    person = PersonFactory(village=branch.village)
    if counted_before:  # the day's row exists already: both wait on its lock
        Visit.objects.create(household=branch.households[0], visitor=person, visited_on=DAY)
    holding, release, errors = threading.Event(), threading.Event(), []

    def one():
        try:
            with transaction.atomic():
                Visit.objects.create(household=branch.households[0], visitor=person, visited_on=DAY, topic="甲")
                holding.set()
                release.wait(10)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    def two():
        holding.wait(10)
        try:
            Visit.objects.create(household=branch.households[1], visitor=person, visited_on=DAY, topic="乙")
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=one), threading.Thread(target=two)]
    for thread in threads:
        thread.start()
    holding.wait(10)
    time.sleep(0.3)  # let the second one reach the tally row and wait there
    release.set()
    for thread in threads:
        thread.join(20)
    assert errors == []
    assert VisitDay.objects.get(village=branch.village, day=DAY).visits == 2 + counted_before
    assert tallies.differences() == []
