"""Scoping for custom (non-admin) views: the same ``restrict(user)`` path as the admin, 404 outside it.

Function views call ``get_for_user_or_404(request.user, Model, pk=...)`` or ``restrict_queryset``
(both from core/scoping.py, re-exported here);
class-based views mix in ``ScopedObjectMixin`` (DetailView/UpdateView/DeleteView) or
``ScopedListMixin`` (ListView). Both require login and fail closed like the queryset method.
"""

from django.contrib.auth.mixins import LoginRequiredMixin

from core.scoping import get_for_user_or_404, restrict_queryset

__all__ = ["ScopedListMixin", "ScopedObjectMixin", "ScopedQuerysetMixin", "get_for_user_or_404", "restrict_queryset"]


class ScopedQuerysetMixin(LoginRequiredMixin):
    """Class-based views: ``get_queryset`` goes through the user's scope."""

    def get_queryset(self):
        return restrict_queryset(super().get_queryset(), self.request.user)


class ScopedListMixin(ScopedQuerysetMixin):
    """For ListView: only rows in scope are listed and counted."""


class ScopedObjectMixin(ScopedQuerysetMixin):
    """For DetailView/UpdateView/DeleteView: an object outside the scope answers 404."""

    def get_object(self, queryset=None):
        if queryset is None:  # the view's own queryset; get_for_user_or_404 scopes it once
            queryset = super(ScopedQuerysetMixin, self).get_queryset()
        lookups = {}
        if self.pk_url_kwarg in self.kwargs:
            lookups["pk"] = self.kwargs[self.pk_url_kwarg]
        slug = self.kwargs.get(self.slug_url_kwarg)
        if slug is not None:
            lookups[self.get_slug_field()] = slug
        if not lookups:
            raise AttributeError(f"{type(self).__name__} needs a pk or a slug in the URL")
        return get_for_user_or_404(self.request.user, queryset, **lookups)
