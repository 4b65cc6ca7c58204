"""The dispute work queue on the admin home page: each deadline list with its disputes, the rounds
with 邻 that reported nothing, scoped; the phone's links for a 组长/邻长; a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse

from disputes.models import Dispute
from disputes.services import file_zero_report
from tests.factories.disputes import make_agreement, make_dispute, make_round

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
S = Dispute.Status
HOME = "/admin/"


def section(page, key):
    start = page.index(f'id="dispute-queue-{key}"')
    end = page.find('class="work-queue-section"', start + 1)
    return page[start : end if end != -1 else len(page)]


@pytest.fixture
def queue(cast):
    ours, theirs = cast.branches[0], cast.branches[2]
    make_dispute(ours, title="虎溪新登记纠纷")
    make_dispute(ours, S.MEDIATING, title="虎溪超期纠纷", due_date=TODAY - datetime.timedelta(days=2))
    make_dispute(ours, S.ASSIGNED, title="虎溪本周到期纠纷", due_date=TODAY + datetime.timedelta(days=3))
    make_agreement(make_dispute(ours, S.SUCCEEDED, title="虎溪待回访纠纷", revisit_due_on=TODAY))
    escalation = {"escalated": True, "escalated_to": "司法所", "lead_official": "李副镇长"}
    make_dispute(ours, S.MEDIATING, title="虎溪上报纠纷", **escalation)
    make_dispute(ours, S.ARCHIVED, title="虎溪已归档纠纷")
    make_dispute(theirs, title="新圩新登记纠纷")
    make_round(ours, title="虎溪本月排查")
    make_round(theirs, title="新圩本月排查")
    return cast


def test_the_village_sees_each_list_with_its_disputes(client, queue):
    client.force_login(queue.users["village"])
    page = client.get(HOME).content.decode()
    assert "我的待办：矛盾纠纷" in page
    assert "虎溪新登记纠纷" in section(page, "new")
    assert "虎溪超期纠纷" in section(page, "overdue") and "虎溪超期纠纷" not in section(page, "due_soon")
    assert "虎溪本周到期纠纷" in section(page, "due_soon")
    assert "虎溪待回访纠纷" in section(page, "revisit_due")
    assert "司法所" in section(page, "escalated") and "李副镇长" in section(page, "escalated")
    assert "虎溪已归档纠纷" not in page and "新圩新登记纠纷" not in page
    assert reverse("admin:disputes_dispute_changelist") + "?deadline=overdue" in page
    rounds = section(page, "rounds")
    assert "虎溪本月排查" in rounds and "1个邻未报告" in rounds and "新圩本月排查" not in rounds


def test_a_round_leaves_the_queue_once_every_neighbourhood_reported(client, queue):
    screening_round = queue.branches[0].village.screening_rounds.get()
    file_zero_report(user=queue.users["leader"], screening_round=screening_round, unit=queue.branches[0].neighborhood)
    client.force_login(queue.users["village"])
    assert "虎溪本月排查" not in section(client.get(HOME).content.decode(), "rounds")


def test_the_township_sees_its_villages_only(client, queue):
    client.force_login(queue.users["township2"])
    page = client.get(HOME).content.decode()
    assert "新圩新登记纠纷" in section(page, "new") and "新圩本月排查" in section(page, "rounds")
    assert "虎溪" not in page


def test_a_leader_gets_the_phone_links_and_the_county_no_queue(client, queue):
    client.force_login(queue.users["leader"])
    page = client.get(HOME).content.decode()
    assert reverse("mobile:screening_rounds") in page and "待履行回访（1）" in page
    assert "?deadline=" not in page
    client.force_login(queue.users["county"])
    assert "我的待办：矛盾纠纷" not in client.get(HOME).content.decode()


def test_the_queue_runs_a_fixed_number_of_queries(client, queue, django_assert_max_num_queries):
    client.force_login(queue.users["village"])
    client.get(HOME)
    with django_assert_max_num_queries(22):  # the page, both work queues, the report links
        client.get(HOME)
    for _ in range(15):
        make_dispute(queue.branches[0], title="又一件新登记")
    with django_assert_max_num_queries(22):
        page = client.get(HOME).content.decode()
    assert "查看全部 16 件" in page
