"""The county workbook makes a fixed number of queries whatever the number of townships: every topic
groups the whole county by village in one query per source (grievances, disputes and deliberation
included), then splits the rows by township in Python."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.county import county_sheets
from tests.conftest import build_branch
from tests.factories import GrievanceFactory, TownshipFactory
from tests.factories.disputes import make_dispute

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
WORKBOOK_QUERIES = 44  # before (one sheet fewer): 58 with 2 townships, 88 with 4


def add_townships(cast, n):
    for i in range(n):
        township = TownshipFactory(parent=cast.county, name=f"新增镇{i}")
        branch = build_branch(township, f"新增村{i}")
        GrievanceFactory(household=branch.households[0], received_on=datetime.date(2026, 3, 2))
        make_dispute(branch, received_on=datetime.date(2026, 3, 5), parties=False)


def workbook_queries(cast):
    with CaptureQueriesContext(connection) as queries:
        sheets = county_sheets(cast.users["county"], cast.county, START, END, END)
    return len(queries), sheets


def test_the_workbook_s_queries_do_not_grow_with_the_townships(cast, django_assert_max_num_queries):
    two, _ = workbook_queries(cast)
    add_townships(cast, 2)
    with django_assert_max_num_queries(WORKBOOK_QUERIES):
        four, sheets = workbook_queries(cast)
    print(f"county workbook queries: 2 townships {two}, 4 townships {four}")
    assert four == two
    grievances = next(s for s in sheets if s.title == "群众诉求办理情况统计")
    assert [s.subtotal.name for s in grievances.sections][-2:] == ["新增镇0小计", "新增镇1小计"]
    assert grievances.total["collected"] == 2
