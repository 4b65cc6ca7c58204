"""The registers run a fixed number of queries; the printable 公示 and 表决结果 are scoped and complete."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deliberation.models import Matter
from tests.core import scope_matrix as sm
from tests.factories.deliberation import make_ballot, make_matter, make_opinion

pytestmark = pytest.mark.django_db
S = Matter.Status
LISTS = ["/admin/deliberation/matter/", "/admin/deliberation/opinion/"]


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", LISTS)
def test_the_register_runs_the_same_queries_for_2_or_12_rows(client, cast, url):
    branch = cast.branches[0]
    client.force_login(cast.users["village"])
    for _ in range(2):
        make_matter(branch, S.NOTICE)
        make_opinion(branch)
    few = count(client, url)
    for _ in range(10):
        make_matter(branch, S.CLOSED)
        make_opinion(branch)
    assert count(client, url) == few


def test_the_matter_page_runs_the_same_queries_for_few_or_many_rows(client, cast):
    branch = cast.branches[0]
    client.force_login(cast.users["village"])
    small = make_matter(branch, S.CLOSED)
    url = reverse("admin:deliberation_matter_change", args=[small.pk])
    few = count(client, url)
    big = make_matter(branch, S.CLOSED)
    for _ in range(5):
        make_opinion(branch, matter=big)
    assert count(client, reverse("admin:deliberation_matter_change", args=[big.pk])) == few


@pytest.mark.parametrize("document", ["notice", "vote"])
def test_the_print_pages_are_scoped(client, cast, document):
    sm.check_object_view(
        client, cast, Matter, lambda m: reverse("admin:deliberation_matter_print", args=[m.pk, document]),
        roles=["superuser", "county", "township", "township2", "village", "village2"],
        factory=lambda b: (make_matter(b, S.DECIDED), b.village),
    )  # fmt: skip


def test_the_printed_notice_and_vote_record(client, cast):
    branch = cast.branches[0]
    matter = make_matter(branch, S.DECIDED)
    make_ballot(matter)
    client.force_login(cast.users["village"])
    notice = client.get(reverse("admin:deliberation_matter_print", args=[matter.pk, "notice"])).content.decode()
    assert "公　示" in notice and matter.title in notice and "共7天" in notice and "路面加宽（代表0）" in notice
    assert "style=" not in notice and "<script" not in notice
    vote = client.get(reverse("admin:deliberation_matter_print", args=[matter.pk, "vote"])).content.decode()
    assert "表决结果公告" in vote and "表决结果：通过" in vote and "村民代表会议" in vote
    assert "过半数" in vote and "style=" not in vote


def test_no_print_before_its_step(client, cast):
    matter = make_matter(cast.branches[0], S.CONSULTING)
    client.force_login(cast.users["village"])
    for document in ("notice", "vote", "other"):
        assert client.get(reverse("admin:deliberation_matter_print", args=[matter.pk, document])).status_code == 404
