"""The 办理离任 admin action: an intermediate form, then end_posting for each, all or nothing."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from governance.models import Posting
from tests.factories import PersonFactory, PostingFactory

URL = reverse("admin:governance_posting_changelist")


@pytest.fixture
def postings(cast):
    branch = cast.branches[0]
    return [
        PostingFactory(person=PersonFactory(village=branch.village, name="吴一"), unit=branch.neighborhood),
        PostingFactory(
            person=PersonFactory(village=branch.village, name="吴二"), unit=branch.group, role="group_leader"
        ),
    ]


def action_data(postings, **extra):
    return {"action": "end_postings", ACTION_CHECKBOX_NAME: [p.pk for p in postings], "select_across": "0", **extra}


def test_action_shows_the_intermediate_form(client, cast, postings):
    client.force_login(cast.users["township"])
    response = client.post(URL, {**action_data(postings), "index": "0"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "将为以下 2 条任职办理离任" in page and "吴一" in page and "离任原因" in page


def test_apply_ends_every_selected_posting(client, cast, postings):
    client.force_login(cast.users["township"])
    response = client.post(URL, action_data(postings, apply="1", end_date="2025-06-30", end_reason="persuaded"))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "“虎溪村一邻”的邻长已空缺" in page and "selection_method=by_election" in page
    for posting in postings:
        posting.refresh_from_db()
        assert (posting.end_date, posting.end_reason) == (datetime.date(2025, 6, 30), "persuaded")


def test_one_illegal_posting_ends_none(client, cast, postings):
    ended = PostingFactory(
        person=PersonFactory(village=cast.branches[0].village, name="吴三"),
        unit=cast.branches[0].neighborhood,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 12, 31),
        end_reason="term_ended",
    )
    client.force_login(cast.users["township"])
    response = client.post(
        URL, action_data([*postings, ended], apply="1", end_date="2025-06-30", end_reason="persuaded"), follow=True
    )
    assert "无法办理离任" in response.content.decode() and "所选任职均未办理" in response.content.decode()
    assert Posting.objects.filter(pk__in=[p.pk for p in postings], end_date__isnull=True).count() == 2


def test_missing_reason_shows_the_form_again(client, cast, postings):
    client.force_login(cast.users["township"])
    response = client.post(URL, action_data(postings, apply="1", end_date="2025-06-30", end_reason=""))
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()
    assert Posting.objects.filter(end_date__isnull=True).count() == 2


def test_postings_out_of_scope_are_never_ended(client, cast, postings):
    client.force_login(cast.users["township2"])
    client.post(URL, action_data(postings, apply="1", end_date="2025-06-30", end_reason="persuaded"))
    assert Posting.objects.filter(end_date__isnull=True).count() == 2
