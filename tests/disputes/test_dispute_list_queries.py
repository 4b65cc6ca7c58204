"""The dispute registers (人民调解登记簿, 排查登记簿) run a fixed number of queries whatever the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.disputes import make_dispute, make_risk

LISTS = ["/admin/disputes/dispute/", "/admin/disputes/riskreport/"]


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", LISTS)
def test_the_register_runs_the_same_queries_for_2_or_12_rows(client, cast, url):
    branch = cast.branches[0]
    client.force_login(cast.users["village"])
    for _ in range(2):
        make_dispute(branch)
        make_risk(branch)
    few = count(client, url)
    for _ in range(10):
        make_dispute(branch)
        make_risk(branch)
    assert count(client, url) == few
