"""Malformed ids (``abc``, a 23-digit number) in admin URLs and posts: a Chinese message or an
ignored parameter, never a 500 (the same on SQLite, which overflows, and PostgreSQL)."""

import pytest
from django.contrib.messages import get_messages

from accounts.models import AccessLog
from households.models import Household
from tests.core import scope_matrix as sm

BIG = "1" * 23
BAD = ["abc", BIG, "1,2"]


def relations(model):
    return [f for f in model._meta.get_fields() if f.is_relation and f.concrete and f.editable]


@pytest.fixture
def superuser_client(client, cast):
    client.force_login(cast.users["superuser"])
    return client


@pytest.mark.parametrize("bad", ["abc", BIG])
def test_every_admin_survives_malformed_ids_in_filters_add_urls_and_posts(superuser_client, bad):
    for model in sm.registered_models():
        opts = model._meta
        base = f"/admin/{opts.app_label}/{opts.model_name}/"
        names = [f.name for f in relations(model)]
        if not names:
            continue
        filters = "&".join(f"{name}={bad}&{name}__id__exact={bad}&{name}__pk__in=1,{bad}" for name in names)
        initial = "&".join(f"{name}={bad}" for name in names)
        for url in [f"{base}?{filters}", f"{base}add/?{initial}"]:
            response = superuser_client.get(url)
            assert response.status_code in (200, 302, 403), url
        response = superuser_client.post(f"{base}add/", dict.fromkeys(names, bad))
        assert response.status_code in (200, 403), base


@pytest.mark.parametrize("bad", BAD)
def test_household_add_url_with_a_malformed_village_opens_the_empty_form(client, cast, bad):
    client.force_login(cast.users["township"])
    response = client.get(f"/admin/households/household/add/?village={bad}&neighborhood={bad}")
    assert response.status_code == 200
    assert 'name="village"' in response.content.decode()


@pytest.mark.parametrize("bad", BAD)
def test_household_post_with_a_malformed_village_is_a_chinese_error(client, cast, bad):
    client.force_login(cast.users["township"])
    before = Household.objects.count()
    data = {
        "village": bad,
        "neighborhood": bad,
        "head_name": "赵大",
        "residents-TOTAL_FORMS": "0",
        "residents-INITIAL_FORMS": "0",
        "residents-MIN_NUM_FORMS": "0",
        "residents-MAX_NUM_FORMS": "1000",
    }
    response = client.post("/admin/households/household/add/", data)
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert Household.objects.count() == before


@pytest.mark.parametrize("param", ["village__id__exact", "village", "village__exact", "neighborhood__id__exact"])
@pytest.mark.parametrize("bad", BAD)
def test_malformed_changelist_filter_is_ignored_with_a_message(client, cast, param, bad):
    client.force_login(cast.users["village"])
    response = client.get(f"/admin/households/household/?{param}={bad}")
    assert response.status_code == 200
    assert response.context["cl"].result_count == Household.objects.restrict(cast.users["village"]).count()
    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "的值无效，已忽略该条件" in text


@pytest.mark.parametrize("bad", BAD)
def test_malformed_export_filter_is_not_a_500(client, cast, bad):
    client.force_login(cast.users["township"])
    status, rows = sm.export_rows(client, Household, f"?village__id__exact={bad}")
    assert status == 200
    assert len(rows) == Household.objects.restrict(cast.users["township"]).count()
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT).count() == 1


def test_unknown_export_filter_exports_nothing_with_a_message(client, cast):
    client.force_login(cast.users["township"])
    status, rows = sm.export_rows(client, Household, "?care_categories__id__exact=abc")
    assert status == 200 and rows == []


@pytest.mark.parametrize("bad", [*BAD, ""])
def test_autocomplete_with_a_malformed_term_answers(client, cast, bad):
    client.force_login(cast.users["township"])
    for model, field in [("household", "village"), ("household", "neighborhood"), ("resident", "household")]:
        url = "/admin/autocomplete/"
        params = {"term": bad, "app_label": "households", "model_name": model, "field_name": field}
        assert client.get(url, params).status_code == 200
