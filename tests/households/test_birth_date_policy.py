"""Issue 14 #6, one personal-data policy: the birth date (what ID masking hides) is never shown.

Lists, the household page, the resident page and exports show the age; the history leaves the
birth date out; the full ID number (and so the birth date) only through the logged reveal.
"""

import datetime

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from households.models import Resident
from tests.core import scope_matrix as sm
from tests.factories import ResidentFactory, make_id_number

BIRTH = datetime.date(1994, 4, 6)


@pytest.fixture
def resident(cast):
    return ResidentFactory(household=cast.branches[0].households[0], id_number=make_id_number(birth=BIRTH))


def shown_dates(html):
    return [text for text in ("1994-04-06", "1994年4月6日", "April 6, 1994", "1994/04/06") if text in html]


def test_pages_show_the_age_not_the_birth_date(client, cast, resident):
    client.force_login(cast.users["village"])
    age = resident.age()
    pages = [
        reverse("admin:households_household_change", args=[resident.household_id]),
        reverse("admin:households_resident_change", args=[resident.pk]),
        reverse("admin:households_resident_changelist"),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert not shown_dates(html), url
        assert f"{age}岁" in html, url


def test_the_resident_export_has_the_age_and_no_birth_date(client, cast, resident):
    client.force_login(cast.users["village"])
    _, rows = sm.export_rows(client, Resident)
    row = next(r for r in rows if r["编号"] == str(resident.pk))
    assert "出生日期" not in row and row["年龄"] == str(resident.age())
    assert not shown_dates(str(rows))


def test_the_history_leaves_the_birth_date_out(cast, resident):
    entry = LogEntry.objects.get_for_object(resident).get()
    assert "birth_date" not in entry.changes_dict and "id_number" in entry.changes_dict


@pytest.mark.parametrize(
    ("birth", "today", "age"),
    [
        (datetime.date(2008, 12, 1), datetime.date(2026, 11, 30), 17),
        (datetime.date(2008, 11, 30), datetime.date(2026, 11, 30), 18),
        (datetime.date(2008, 2, 29), datetime.date(2026, 2, 28), 17),  # a 29 February birthday
        (datetime.date(2008, 2, 29), datetime.date(2026, 3, 1), 18),
    ],
)
def test_age_in_full_years(birth, today, age):
    assert Resident(birth_date=birth).age(today) == age
