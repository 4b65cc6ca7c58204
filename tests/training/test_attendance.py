"""签到: the grid for the expected audience (one save), QR check-in on the phone (refused outside
the audience or the time window), and the scoping of both pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from governance.models import Posting
from tests.factories import PersonFactory, PostingFactory, user_for
from tests.factories.training import TrainingSessionFactory
from training.models import Attendance
from training.services import check_in, expected_audience, save_attendance

pytestmark = pytest.mark.django_db
ROLES = ["superuser", "county", "township", "township2", "village", "village2"]


@pytest.fixture
def session(cast):
    """A township's training for 邻长 of its villages, today 09:00–11:00."""
    return TrainingSessionFactory(
        organiser=cast.townships[0],
        level="township",
        held_on=timezone.localdate(),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(11, 0),
        audience_roles=[Posting.Role.NEIGHBORHOOD_LEADER],
    )


@pytest.fixture
def leaders(cast):
    """The 邻长 of t1v1 and t1v2 (in the audience), a representative and t2's 邻长 (not)."""
    people = {}
    for key, branch in (("ours", cast.branches[0]), ("neighbour", cast.branches[1]), ("far", cast.branches[2])):
        people[key] = PersonFactory(village=branch.village)
        PostingFactory(person=people[key], unit=branch.neighborhood)
    people["rep"] = PersonFactory(village=cast.branches[0].village)
    PostingFactory(person=people["rep"], unit=cast.branches[0].village, role=Posting.Role.REPRESENTATIVE)
    return people


def at(session, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(session.held_on, datetime.time(hour, minute)))


def test_expected_audience_is_the_roles_under_the_organiser(session, leaders):
    assert set(expected_audience(session)) == {leaders["ours"], leaders["neighbour"]}


def test_the_grid_saves_the_ticked_people_in_one_post(client, cast, session, leaders):
    client.force_login(cast.users["township"])
    url = reverse("reports:training_attendance", args=[session.pk])
    page = client.get(url).content.decode()
    assert leaders["ours"].name in page and leaders["far"].name not in page and "<svg" in page
    response = client.post(url, {"person": [leaders["ours"].pk, leaders["neighbour"].pk]})
    assert response.status_code == 302
    assert set(Attendance.objects.values_list("person_id", flat=True)) == {leaders["ours"].pk, leaders["neighbour"].pk}
    client.post(url, {"person": [leaders["ours"].pk]})  # untick one
    assert list(Attendance.objects.values_list("person_id", flat=True)) == [leaders["ours"].pk]


def test_the_grid_refuses_someone_outside_the_audience(cast, session, leaders):
    with pytest.raises(ValidationError):
        save_attendance(
            user=cast.users["township"], session=session, person_ids=[leaders["ours"].pk, leaders["far"].pk]
        )
    assert not Attendance.objects.exists()


def test_qr_check_in_within_the_window(cast, session, leaders):
    user = user_for(cast.branches[0].neighborhood)  # finds its person through the 邻长 posting
    _, attendance, created = check_in(user=user, token=session.qr_token, now=at(session, 8, 45))
    assert created and attendance.person == leaders["ours"] and attendance.method == "qr"
    _, _, created = check_in(user=user, token=session.qr_token, now=at(session, 10))
    assert not created


@pytest.mark.parametrize(("hour", "minute"), [(8, 29), (11, 31)])
def test_qr_check_in_outside_the_window_is_refused(cast, session, leaders, hour, minute):
    user = user_for(cast.branches[0].neighborhood)
    with pytest.raises(ValidationError, match="不在签到时间内"):
        check_in(user=user, token=session.qr_token, now=at(session, hour, minute))
    assert not Attendance.objects.exists()


def test_qr_check_in_outside_the_audience_is_refused(cast, session, leaders):
    for user in (user_for(cast.branches[2].neighborhood), user_for(cast.branches[0].village, person=leaders["rep"])):
        with pytest.raises(ValidationError, match="不在本次培训的参训范围内"):
            check_in(user=user, token=session.qr_token, now=at(session, 10))
    assert not Attendance.objects.exists()


def test_qr_check_in_page(client, cast, session, leaders, monkeypatch):
    # The clock is set before signing in: a session signed in at the real time looked expired to a
    # clock moved hours ahead (the test failed from midnight to 8 a.m. in Shanghai).
    monkeypatch.setattr(timezone, "now", lambda: at(session, 10))
    user = user_for(cast.branches[0].neighborhood)
    client.force_login(user)
    url = reverse("mobile:training_check_in", args=[session.qr_token])
    assert "我已到场" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302 and Attendance.objects.get().person == leaders["ours"]
    assert client.get(reverse("mobile:training_check_in", args=["nonsense"])).status_code == 404
    # another township's 邻长 is refused on the page, nothing written
    client.force_login(user_for(cast.branches[2].neighborhood))
    assert "不在本次培训的参训范围内" in client.post(url, follow=True).content.decode()
    assert Attendance.objects.count() == 1


def test_my_training_shows_only_my_rows(client, cast, session, leaders):
    Attendance.objects.create(session=session, person=leaders["ours"])
    Attendance.objects.create(session=session, person=leaders["neighbour"])
    client.force_login(user_for(cast.branches[1].neighborhood))
    page = client.get(reverse("mobile:my_training")).content.decode()
    assert page.count(session.title) == 1
    client.force_login(user_for(cast.branches[3].neighborhood))  # no roster person
    assert session.title not in client.get(reverse("mobile:my_training")).content.decode()


def test_attendance_page_is_scoped(client, cast):
    from tests.core import scope_matrix as sm
    from training.models import TrainingSession

    sm.check_object_view(
        client, cast, TrainingSession, lambda s: reverse("reports:training_attendance", args=[s.pk]), roles=ROLES
    )
