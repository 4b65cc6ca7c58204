"""The monthly 支部说事日 (the 10th) on the admin home page of village and township staff."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import VillageFactory
from tests.factories.training import MeetingFactory
from training.models import Meeting
from training.talk_days import next_talk_day, previous_talk_day

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.mark.parametrize(
    "today, upcoming, past",
    [
        (D(2026, 11, 30), D(2026, 12, 10), D(2026, 11, 10)),
        (D(2026, 11, 10), D(2026, 11, 10), D(2026, 10, 10)),
        (D(2026, 11, 11), D(2026, 12, 10), D(2026, 11, 10)),
        (D(2026, 12, 31), D(2027, 1, 10), D(2026, 12, 10)),
        (D(2027, 1, 3), D(2027, 1, 10), D(2026, 12, 10)),
    ],
)
def test_the_next_and_the_last_talk_day(today, upcoming, past):
    assert next_talk_day(today) == upcoming
    assert previous_talk_day(today) == past


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode()


def link(html, prefix):
    """The first link on the page that starts with ``prefix``."""
    href = next(part.split('"')[0] for part in html.split('href="')[1:] if part.startswith(prefix))
    return href.replace("&amp;", "&")


def talk_day(unit, day=None, kind=Meeting.Kind.TALK_DAY):
    return MeetingFactory(unit=unit, kind=kind, held_on=day or previous_talk_day(timezone.localdate()))


def test_a_village_sees_its_next_talk_day_and_that_the_last_is_unregistered(client, cast):
    html = home(client, cast.users["village"])
    today = timezone.localdate()
    upcoming = next_talk_day(today)
    assert "我的待办：支部说事日" in html
    when = "今天是说事日" if upcoming == today else f"下次说事日：<strong>{upcoming.month}月{upcoming.day}日"
    assert when in html
    assert "说事日</a>：未登记" in html and cast.branches[0].village.name in html


def test_a_meeting_of_another_kind_or_month_does_not_count(client, cast):
    village = cast.branches[0].village
    last = previous_talk_day(timezone.localdate())
    talk_day(village, kind=Meeting.Kind.TALK)
    talk_day(village, day=last - datetime.timedelta(days=40))
    assert "说事日</a>：未登记" in home(client, cast.users["village"])


def test_registered_at_a_unit_below_the_village_or_on_another_day_of_the_month_counts(client, cast):
    branch = cast.branches[0]
    talk_day(branch.group, day=previous_talk_day(timezone.localdate()).replace(day=12))
    html = home(client, cast.users["village"])
    assert "说事日</a>：已登记" in html


def test_a_township_sees_only_its_villages_without_it_with_a_filled_in_form(client, cast):
    talk_day(cast.branches[0].village)  # 虎溪村 held it; 大坪村 did not; t2's villages are not ours
    html = home(client, cast.users["township"])
    assert "已登记 1 个村，未登记 1 个村" in html
    assert "大坪村" in html and "新圩村" not in html and "毛俊村" not in html
    add = reverse("admin:training_meeting_add")
    url = link(html, add)
    query = parse_qs(urlsplit(url).query)
    assert query["unit"] == [str(cast.branches[1].village.pk)] and query["kind"] == ["talk_day"]
    assert query["held_on"] == [previous_talk_day(timezone.localdate()).isoformat()]
    form = client.get(url)
    assert form.status_code == 200
    assert form.context["adminform"].form.initial["kind"] == "talk_day"


def test_the_list_link_counts_the_same_meetings(client, cast):
    talk_day(cast.branches[0].village)
    html = home(client, cast.users["township"])
    listing = reverse("admin:training_meeting_changelist")
    url = link(html, listing)
    response = client.get(url)
    assert response.status_code == 200 and response.context["cl"].result_count == 1


@pytest.mark.parametrize("role", ["leader", "county"])
def test_roles_without_meeting_work_have_no_talk_day_queue(client, cast, role):
    assert "支部说事日" not in home(client, cast.users[role])


def test_the_queue_costs_the_same_queries_for_two_or_twelve_villages(client, cast):
    user = cast.users["township"]
    client.force_login(user)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("admin:index"))
        return len(ctx.captured_queries)

    before = count()
    for n in range(10):
        VillageFactory(parent=cast.townships[0], name=f"新村{n}")
    assert count() == before
