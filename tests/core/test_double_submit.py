"""Issue 14 #11: a form submitted twice (a double click, a slow phone) saves once and says so."""

import re

from grievances.models import Grievance
from households.models import Household
from tests.factories import category


def token(html):
    return re.search(r'name="once_token" value="([^"]+)"', html).group(1)


def test_a_new_household_posted_twice_is_saved_once(client, cast):
    client.force_login(cast.users["village"])
    url = "/admin/households/household/add/"
    data = {
        "village": cast.branches[0].village.pk,
        "head_name": "重复户",
        "once_token": token(client.get(url).content.decode()),
        "residents-TOTAL_FORMS": "0",
        "residents-INITIAL_FORMS": "0",
    }
    assert client.post(url, data).status_code == 302
    second = client.post(url, data)
    assert Household.objects.filter(head_name="重复户").count() == 1
    assert "刚才已经保存过了" in second.content.decode()


def test_a_new_grievance_posted_twice_is_registered_once(client, cast):
    client.force_login(cast.users["village"])
    url = "/admin/grievances/grievance/add/"
    data = {
        "household": cast.branches[0].households[0].pk,
        "channel": "walk_in",
        "category": category().pk,
        "description": "桥头护栏断了",
        "urgency": "normal",
        "once_token": token(client.get(url).content.decode()),
    }
    assert client.post(url, data).status_code == 302
    second = client.post(url, data, follow=True)
    assert Grievance.objects.filter(description="桥头护栏断了").count() == 1
    assert "刚才已经保存过了" in second.content.decode()
