"""A list's unit filters keep their choices a minute per scope, level and parent unit (issue 15):
a second look runs no query for them, other people's changes to the tree show within the minute,
the user's own at once, and no scope ever gets another's choices."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import Unit
from tests.factories import VillageFactory
from tests.governance.test_admin_navigation import filter_choices

pytestmark = pytest.mark.django_db
URL = reverse("admin:households_household_changelist")
NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def villages(client, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, params or {})
    assert response.status_code == 200
    head = 'SELECT "governance_unit"."id", "governance_unit"."name" FROM "governance_unit"'
    choice_queries = [q for q in ctx.captured_queries if q["sql"].startswith(head)]
    return filter_choices(response, "村/社区"), len(choice_queries)


def test_choices_are_kept_a_minute_then_read_again(client, cast):
    with time_machine.travel(NOW, tick=False) as clock:
        client.force_login(cast.users["township"])
        assert villages(client) == (["虎溪村", "大坪村"], 1)
        VillageFactory(parent=cast.townships[0], name="新建村")  # someone else's change
        assert villages(client) == (["虎溪村", "大坪村"], 0)
        clock.shift(datetime.timedelta(seconds=61))
        choices, queries = villages(client)
        assert "新建村" in choices and queries == 1


def test_the_users_own_change_shows_at_once(client, cast):
    village = cast.branches[0].village
    with time_machine.travel(NOW, tick=False):
        client.force_login(cast.users["township"])
        villages(client)
        change = reverse("admin:governance_village_change", args=[village.pk])
        response = client.post(
            change, {"parent": cast.townships[0].pk, "name": "虎溪新村", "kind": "village", "division_code": "",
                     "contact_phone": "", "postings-TOTAL_FORMS": "0", "postings-INITIAL_FORMS": "0"},
        )  # fmt: skip
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert Unit.objects.get(pk=village.pk).name == "虎溪新村"
        assert "虎溪新村" in villages(client)[0]


def test_each_scope_has_its_own_choices(client, cast):
    with time_machine.travel(NOW, tick=False):
        client.force_login(cast.users["township"])
        ours = villages(client)[0]
        client.force_login(cast.users["township2"])
        theirs = villages(client)[0]
    assert ours == ["虎溪村", "大坪村"]
    assert theirs and not set(theirs) & set(ours)
