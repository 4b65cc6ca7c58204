"""Scoping for custom (non-admin) views: the same ``restrict(user)`` path as the admin, 404 outside it.

Function views call ``get_for_user_or_404(request.user, Model, pk=...)`` or ``scoped_queryset``;
class-based views mix in ``ScopedObjectMixin`` (DetailView/UpdateView/DeleteView) or
``ScopedListMixin`` (ListView). Both require login and fail closed like the queryset method.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404

from core.admin_base import OUT_OF_SCOPE, restrict_queryset


def scoped_queryset(user, model_or_queryset):
    """The rows of a model (or of a queryset) that ``user`` may see."""
    queryset = model_or_queryset
    if not hasattr(queryset, "model"):
        queryset = model_or_queryset._default_manager.all()
    return restrict_queryset(queryset, user)


def get_for_user_or_404(user, model_or_queryset, **lookups):
    """One row the user may see; 404 (never 403) for a missing, foreign or malformed id."""
    queryset = scoped_queryset(user, model_or_queryset)
    try:
        return queryset.get(**lookups)
    except (
        queryset.model.DoesNotExist,
        queryset.model.MultipleObjectsReturned,
        ValidationError,
        ValueError,
        TypeError,
    ):
        # ValidationError: a malformed id on some fields (UUID, date) fails before the query
        raise Http404(OUT_OF_SCOPE) from None


class ScopedQuerysetMixin(LoginRequiredMixin):
    """Class-based views: ``get_queryset`` goes through the user's scope."""

    def get_queryset(self):
        return scoped_queryset(self.request.user, super().get_queryset())


class ScopedListMixin(ScopedQuerysetMixin):
    """For ListView: only rows in scope are listed and counted."""


class ScopedObjectMixin(ScopedQuerysetMixin):
    """For DetailView/UpdateView/DeleteView: an object outside the scope answers 404."""

    def get_object(self, queryset=None):
        queryset = self.get_queryset() if queryset is None else scoped_queryset(self.request.user, queryset)
        lookups = {}
        if self.pk_url_kwarg in self.kwargs:
            lookups["pk"] = self.kwargs[self.pk_url_kwarg]
        slug = self.kwargs.get(self.slug_url_kwarg)
        if slug is not None:
            lookups[self.get_slug_field()] = slug
        if not lookups:
            raise AttributeError(f"{type(self).__name__} needs a pk or a slug in the URL")
        return get_for_user_or_404(self.request.user, queryset, **lookups)
