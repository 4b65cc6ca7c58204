"""The one scoping mechanism: every queryset a user can reach goes through ``restrict(user)``.

A model opts in by using ``ScopedQuerySet`` (via ``ScopedManager``) and declaring how its rows
map onto the unit tree, either ``scope_path = "<lookup to a Unit>"`` or a ``scope_q(unit)``
classmethod for the few models that need more. Scoping is fail-closed: an anonymous or inactive
user, or a user without a unit, gets an empty queryset. Superusers see everything.
"""

from django.apps import apps
from django.db import models
from django.http import Http404

from core.audit import AuditedQuerySetMixin


def user_unit(user):
    """The unit a user works in, or None when the user may see nothing."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return getattr(user, "unit", None)


def sees_everything(user):
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def unit_q(lookup, unit):
    """Rows whose ``lookup`` (a path to a Unit, '' for Unit itself) lies at or under ``unit``.

    For related rows the units are matched by id (``IN (SELECT id … WHERE path LIKE …)``): the
    database then reads the few thousand units once and uses the row table's foreign-key index,
    instead of joining every row to its unit to test the path (a full scan on SQLite).
    """
    if not lookup:
        return models.Q(path__startswith=unit.path)
    units = apps.get_model("governance", "Unit")._base_manager.filter(path__startswith=unit.path)
    return models.Q(**{f"{lookup}__in": units.values("pk")})


class ScopedQuerySet(AuditedQuerySetMixin, models.QuerySet):
    def restrict(self, user):
        """Only rows under the user's unit; nothing at all for a user without one."""
        if sees_everything(user):
            return self
        unit = user_unit(user)
        if unit is None:
            return self.none()
        return self.filter(self.model.scope_q(unit))

    def get_for_user_or_404(self, user, **lookups):
        """Fetch one row the user may see; 404 (never 403) for everything else."""
        try:
            return self.restrict(user).get(**lookups)
        except (self.model.DoesNotExist, ValueError, TypeError):
            raise Http404("没有找到该记录，或您无权查看。") from None


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    pass


class ScopedModel(models.Model):
    """Abstract base: rows reach the unit tree through ``scope_path`` (a lookup to a Unit)."""

    scope_path = None

    objects = ScopedManager()

    class Meta:
        abstract = True

    @classmethod
    def scope_q(cls, unit):
        if cls.scope_path is None:
            raise NotImplementedError(f"{cls.__name__} must declare scope_path or scope_q")
        return unit_q(cls.scope_path, unit)
