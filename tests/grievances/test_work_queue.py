"""The admin home page shows each user's grievance work queue, scoped to their units."""

import datetime

import pytest
from django.urls import reverse

from grievances.models import Grievance
from tests.factories import GrievanceFactory

pytestmark = pytest.mark.django_db

S = Grievance.Status


@pytest.fixture
def queue_data(cast):
    today = datetime.date.today()
    ours, theirs = cast.branches[0], cast.branches[2]

    def g(branch, description, **kwargs):
        kwargs.setdefault("received_on", today - datetime.timedelta(days=20))
        kwargs.setdefault("due_date", today + datetime.timedelta(days=20))
        return GrievanceFactory(household=branch.households[0], description=description, **kwargs)

    g(ours, "虎溪村新登记：水渠堵塞需要疏通", status=S.REGISTERED)
    g(ours, "虎溪村超期：危房改造补助", status=S.VERIFIED, due_date=today - datetime.timedelta(days=2))
    g(ours, "虎溪村本周到期：低保复核", status=S.IN_PROGRESS, handling_mode="on_spot", due_date=today)
    g(ours, "虎溪村待回访：路灯已修", status=S.RESOLVED, handling_mode="on_spot", resolved_on=today)
    g(ours, "虎溪村待答复：桥梁加固", status=S.IN_PROGRESS, handling_mode="escalated", escalated_to="县交通局")
    g(ours, "虎溪村已归档事项", status=S.ARCHIVED, handling_mode="on_spot", resolved_on=today)
    g(theirs, "新圩村新登记：垃圾清运", status=S.REGISTERED)
    return cast


def section(page, key):
    start = page.index(f'id="queue-{key}"')
    end = page.find('class="work-queue-section"', start + 1)
    return page[start : end if end != -1 else len(page)]


def test_village_cadre_sees_each_section_with_its_grievances(client, queue_data):
    client.force_login(queue_data.users["village"])
    page = client.get(reverse("admin:index")).content.decode()
    assert "待核实（新登记）" in page
    assert "水渠堵塞" in section(page, "new")
    assert "危房改造" in section(page, "overdue")
    assert "低保复核" in section(page, "due_soon")
    assert "路灯已修" in section(page, "awaiting_revisit")
    assert "桥梁加固" in section(page, "awaiting_reply")
    assert "已归档事项" not in page
    assert "垃圾清运" not in page  # another township's village


def test_village2_does_not_see_village_grievances(client, queue_data):
    client.force_login(queue_data.users["village2"])
    page = client.get(reverse("admin:index")).content.decode()
    assert "垃圾清运" in section(page, "new")
    assert "水渠堵塞" not in page
    assert "危房改造" not in page


def test_county_sees_all_townships(client, queue_data):
    client.force_login(queue_data.users["county"])
    page = section(client.get(reverse("admin:index")).content.decode(), "new")
    assert "水渠堵塞" in page
    assert "垃圾清运" in page


def test_queue_query_count_does_not_grow_with_rows(client, queue_data, django_assert_max_num_queries):
    client.force_login(queue_data.users["village"])
    url = reverse("admin:index")
    client.get(url)
    # 14 for the page and the grievance queue, 2 for the (empty) dispute queue below it.
    with django_assert_max_num_queries(16):
        client.get(url)
    branch = queue_data.branches[0]
    GrievanceFactory.create_batch(20, household=branch.households[1], status=S.REGISTERED)
    with django_assert_max_num_queries(16):
        page = client.get(url).content.decode()
    assert "查看全部 21 件" in page


def test_section_title_links_to_the_filtered_changelist(client, queue_data):
    client.force_login(queue_data.users["village"])
    page = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:grievances_grievance_changelist") + "?deadline=overdue" in page


def test_a_leaders_admin_home_shows_only_what_they_can_do(client, cast):
    """Issue 14 #3: no 待核实/超期 queue for a 组长/邻长 (they cannot verify or handle); their revisits."""
    from tests.factories import GrievanceFactory

    GrievanceFactory(household=cast.branches[0].households[0])  # 待核实, in the leader's 邻
    client.force_login(cast.users["leader"])
    page = client.get("/admin/").content.decode()
    assert "待核实" not in page and "?deadline=" not in page
    assert "/m/revisits/" in page and "待回访（0）" in page
