"""The home page keeps each user's work queues half a minute (issue 15): a second look counts nothing,
the user's own writes show at once, other people's within the keeping time; no user sees another's."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import GrievanceFactory
from tests.grievances.test_grievance_lifecycle import register

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def kept(settings):
    settings.WORK_QUEUE_CACHE_SECONDS = 30
    cache.clear()
    yield
    cache.clear()


def home(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    queue_queries = [q for q in ctx.captured_queries if "grievances_grievance" in q["sql"]]
    return response.content.decode(), len(queue_queries)


def test_a_second_look_reuses_the_queues_until_they_are_half_a_minute_old(client, cast, kept):
    household = cast.branches[0].households[0]
    with time_machine.travel(NOW, tick=False) as clock:
        client.force_login(cast.users["village"])
        GrievanceFactory(household=household, description="水渠堵塞需要疏通")
        page, queries = home(client)
        assert "水渠堵塞" in page and queries > 0
        GrievanceFactory(household=household, description="另一位干部登记的路灯")  # someone else's write
        page, queries = home(client)
        assert "路灯" not in page and queries == 0
        clock.shift(datetime.timedelta(seconds=31))
        page, queries = home(client)
        assert "路灯" in page and queries > 0


def test_the_users_own_write_shows_at_once(client, cast, kept):
    household = cast.branches[0].households[0]
    with time_machine.travel(NOW, tick=False):
        client.force_login(cast.users["village"])
        assert "村口路灯坏了" not in home(client)[0]
        register(client, household, description="村口路灯坏了三盏")
        page, queries = home(client)
        assert "村口路灯坏了" in page and queries > 0


def test_each_user_has_their_own_queues(client, cast, kept):
    GrievanceFactory(household=cast.branches[0].households[0], description="虎溪村的水渠")
    GrievanceFactory(household=cast.branches[2].households[0], description="新圩村的垃圾清运")
    with time_machine.travel(NOW, tick=False):
        client.force_login(cast.users["village"])
        ours = home(client)[0]
        client.force_login(cast.users["village2"])
        theirs = home(client)[0]
    assert "虎溪村的水渠" in ours and "垃圾清运" not in ours
    assert "垃圾清运" in theirs and "虎溪村的水渠" not in theirs


def test_a_new_day_counts_afresh(client, cast, kept):
    """Overdue and due-this-week move with the date: the key holds the day, so midnight in Shanghai
    counts afresh even within the half minute."""
    household = cast.branches[0].households[0]
    before_midnight = datetime.datetime(2026, 3, 2, 15, 59, 50, tzinfo=datetime.UTC)  # 23:59:50 in Shanghai
    with time_machine.travel(before_midnight, tick=False) as clock:
        client.force_login(cast.users["village"])
        home(client)
        GrievanceFactory(household=household, description="第二天才看到的事项")
        assert "第二天才看到的事项" not in home(client)[0]  # the same day, within the half minute: kept
        clock.shift(datetime.timedelta(seconds=20))  # 00:00:10 the next day
        assert "第二天才看到的事项" in home(client)[0]


def test_a_sign_in_or_a_failed_write_never_shows_another_users_queue(client, cast, kept):
    """A write stamp is per session: a second user of the same browser gets their own key anyway."""
    GrievanceFactory(household=cast.branches[0].households[0], description="虎溪村的水渠")
    with time_machine.travel(NOW, tick=False):
        client.force_login(cast.users["village"])
        home(client)
        client.post(reverse("admin:grievances_grievance_add"), {})  # an invalid form: nothing saved
        client.logout()
        client.force_login(cast.users["village2"])
        assert "虎溪村的水渠" not in home(client)[0]
