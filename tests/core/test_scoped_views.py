"""The helpers custom views use: get_for_user_or_404, ScopedListMixin, ScopedObjectMixin."""

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.views.generic import DetailView, ListView

from core.views import ScopedListMixin, ScopedObjectMixin, get_for_user_or_404
from households.models import CareCategory, Household


class HouseholdDetail(ScopedObjectMixin, DetailView):
    model = Household


class HouseholdList(ScopedListMixin, ListView):
    model = Household


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.parametrize("pk", ["abc", "99999999999999999999", None])
def test_get_for_user_or_404_refuses_malformed_ids(cast, pk):
    with pytest.raises(Http404):
        get_for_user_or_404(cast.users["village"], Household, pk=pk)


def test_get_for_user_or_404_returns_own_rows_only(cast):
    own, foreign = cast.branches[0].households[0], cast.branches[1].households[0]
    assert get_for_user_or_404(cast.users["village"], Household, pk=own.pk) == own
    assert get_for_user_or_404(cast.users["leader"], Household.objects.all(), pk=own.pk) == own
    with pytest.raises(Http404):
        get_for_user_or_404(cast.users["village"], Household, pk=foreign.pk)
    assert get_for_user_or_404(cast.users["leader"], CareCategory, code="hardship").name == "生活困难"


def test_detail_view_answers_404_outside_scope(cast):
    own, foreign = cast.branches[0].households[0], cast.branches[2].households[0]
    view = HouseholdDetail.as_view()
    assert view(request_for(cast.users["village"]), pk=own.pk).context_data["object"] == own
    with pytest.raises(Http404):
        view(request_for(cast.users["village"]), pk=foreign.pk)


def test_list_view_lists_only_rows_in_scope(cast):
    response = HouseholdList.as_view()(request_for(cast.users["township"]))
    expected = {h.pk for b in cast.branches[:2] for h in b.households}
    assert {h.pk for h in response.context_data["object_list"]} == expected


def test_views_require_login(cast):
    from django.contrib.auth.models import AnonymousUser

    response = HouseholdList.as_view()(request_for(AnonymousUser()))
    assert response.status_code == 302 and "login" in response["Location"]


def test_check_object_view_helper_catches_a_leak(client, cast, settings):
    """The helper other apps use for their CUSTOM_VIEWS entries fails on an unscoped view."""
    from django.http import HttpResponse
    from django.urls import clear_url_caches, path

    from tests.core import scope_matrix as sm

    def leaky(request, pk):
        return HttpResponse(Household.objects.get(pk=pk).head_name)

    def scoped(request, pk):
        return HttpResponse(get_for_user_or_404(request.user, Household, pk=pk).head_name)

    module = type("urls", (), {"urlpatterns": [path("leaky/<int:pk>/", leaky), path("scoped/<int:pk>/", scoped)]})
    settings.ROOT_URLCONF = module
    clear_url_caches()
    sm.check_object_view(client, cast, Household, lambda h: f"/scoped/{h.pk}/", roles=["village", "township2"])
    with pytest.raises(AssertionError):
        sm.check_object_view(client, cast, Household, lambda h: f"/leaky/{h.pk}/", roles=["village"])
