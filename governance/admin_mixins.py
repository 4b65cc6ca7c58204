"""Admin building blocks shared by the governance and households admins.

- ``UnitFilter``: a cascading 乡镇 → 村 → 片 → 组 → 邻 filter whose choices are only the children of
  the unit chosen one level up (never a dropdown of thousands).
- ``ProtectedDeleteMixin``: a delete (single or bulk) that something still holds is refused with
  a Chinese message that names what holds it.
- ``unit_chain``: the ancestor chain of a unit as a breadcrumb-like line of links.
- ``exact_search``: ID numbers and phones are normalised and matched exactly (indexed).
"""

from collections import Counter

from django.contrib import admin, messages
from django.core.cache import cache
from django.db import router
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.db.models.functions import Substr
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst

from core.admin_base import clean_selected_ids
from core.middleware import write_stamp
from core.scoping import sees_everything, user_unit
from core.validators import ID_PATTERN, LANDLINE_PATTERN, MOBILE_PATTERN, normalize_id_number, normalize_phone
from governance.models import Person, Unit
from governance.models.units import Level, level_above, level_depth, path_prefix_length

# The admin changelist of each level (the proxy model's name).
LEVEL_MODEL = {
    Level.COUNTY: "county",
    Level.TOWNSHIP: "township",
    Level.VILLAGE: "village",
    Level.AREA: "area",
    Level.VILLAGER_GROUP: "villagergroup",
    Level.NEIGHBORHOOD: "neighborhood",
}
FILTER_CHOICES_MAX = 300
# A list's unit filters keep their choices this long per scope, level and parent unit (issue 15):
# the unit tree changes seldom; the user's own edits show at once (the key holds their last write).
UNIT_FILTER_CACHE_SECONDS = 60


def ancestor_name(level, path_lookup="path"):
    """Name of the ancestor at ``level`` of the row's unit, as a subquery on the indexed path."""
    length = path_prefix_length(level)
    ancestor = Unit._base_manager.filter(path=Substr(OuterRef(path_lookup), 1, length))
    return Subquery(ancestor.values("name")[:1])


def with_village_label(queryset, path_lookup="path"):
    """Annotate ``village_name`` so that a unit's str() reads "虎溪村 · 第3邻" (see Unit.__str__)."""
    return queryset.annotate(village_name=ancestor_name(Level.VILLAGE, path_lookup))


def with_person_label(queryset):
    """Annotate ``village_name`` so that a person's str() reads "王伟（虎溪村）" (see Person.__str__)."""
    return queryset.annotate(village_name=F("village__name"))


class VillageLabelMixin:
    """Foreign keys to units and people show as "村 · 邻" and "姓名（村）": names repeat a lot."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        queryset = getattr(field, "queryset", None)
        if queryset is not None and issubclass(queryset.model, Unit):
            field.queryset = with_village_label(queryset)
        elif queryset is not None and issubclass(queryset.model, Person):
            field.queryset = with_person_label(queryset)
        return field


def unit_admin_url(unit, action="change"):
    try:
        if action == "change":
            return reverse(f"admin:governance_{LEVEL_MODEL[unit.level]}_change", args=[unit.pk])
        return reverse(f"admin:governance_{LEVEL_MODEL[unit.level]}_changelist")
    except (KeyError, NoReverseMatch):
        return ""


def unit_chain(user, unit, include_self=True):
    """'蓝山县 › 塔峰镇 › 虎溪村 …' with links to the units ``user`` may open (in scope and permitted)."""
    if unit is None or not unit.pk:
        return "—"
    chain = [*unit.ancestors(), unit] if include_self else unit.ancestors()
    visible = set()
    if user is not None:
        in_scope = Unit.objects.restrict(user).filter(pk__in=[u.pk for u in chain])
        visible = set(in_scope.values_list("pk", flat=True))
    parts = []
    for u in chain:
        label = f"{u.name}（{u.get_level_display()}）"
        may_open = u.pk in visible and user.has_perm(f"governance.view_{LEVEL_MODEL.get(u.level, '')}")
        url = unit_admin_url(u) if may_open else ""
        parts.append((format_html('<a href="{}">{}</a>', url, label) if url else label,))
    return format_html_join(" › ", "{}", parts)


def exact_search(term, *, id_fields=(), phone_fields=()):
    """A Q for an ID number or phone typed in any form, or None when the term is neither."""
    id_number = normalize_id_number(term)
    if id_fields and ID_PATTERN.match(id_number):
        return _any(id_fields, id_number)
    phone = normalize_phone(term)
    if phone_fields and (MOBILE_PATTERN.match(phone) or LANDLINE_PATTERN.match(phone)):
        return _any(phone_fields, phone)
    return None


def _any(fields, value):
    q = Q()
    for field in fields:
        q |= Q(**{field: value})
    return q


class UnitFilter(admin.SimpleListFilter):
    """Filter rows by a unit of one level; choices are the children of the unit chosen above.

    The anchor is the deepest unit chosen in a higher-level filter, or else the user's own unit
    (a township officer starts with the villages of the township). Choosing a unit clears the
    deeper filters, so a stale 组 never survives a change of 村.
    """

    level = None
    lookup = None  # path from the filtered model to a Unit ('' for Unit itself)
    levels = ()  # all levels of this cascade, shallow to deep

    def __init__(self, request, params, model, model_admin):
        self.request = request
        super().__init__(request, params, model, model_admin)

    def chosen_units(self):
        """Units chosen in any filter of the cascade, scoped, in one query per request."""
        cache = getattr(self.request, "_unit_filter_cache", None)
        if cache is None:
            ids = {}
            for level in self.levels:
                pks = clean_selected_ids(Unit, [self.request.GET.get(level, "")])
                if pks:
                    ids[level] = pks.pop()
            units = Unit.objects.restrict(self.request.user).filter(pk__in=ids.values()) if ids else []
            by_pk = {u.pk: u for u in units}
            cache = {level: by_pk[pk] for level, pk in ids.items() if pk in by_pk and by_pk[pk].level == level}
            self.request._unit_filter_cache = cache
        return cache

    def anchor(self):
        chosen = self.chosen_units()
        above = [lvl for lvl in self.levels if level_depth(lvl) < level_depth(self.level) and lvl in chosen]
        if above:
            return chosen[above[-1]]
        return user_unit(self.request.user)

    def lookups(self, request, model_admin):
        current = self.chosen_units().get(self.level)
        anchor = self.anchor()
        scope = "all" if sees_everything(request.user) else getattr(user_unit(request.user), "pk", None)
        key = f"unit-filter:{scope}:{self.level}:{getattr(anchor, 'pk', None)}:{write_stamp(request)}"
        choices = cache.get(key)
        if choices is None:
            choices = self.unit_choices(request, anchor)
            cache.set(key, choices, UNIT_FILTER_CACHE_SECONDS)
        choices = list(choices)
        if current is not None and str(current.pk) not in {pk for pk, _ in choices}:
            choices.append((str(current.pk), current.name))
        return choices

    def unit_choices(self, request, anchor):
        """(id, name) of the units of this level under the anchor, in the user's scope (one query)."""
        units = Unit.objects.restrict(request.user).filter(level=self.level).only("id", "name").order_by("path")
        if anchor is not None and anchor.level == level_above(self.level):
            return [(str(u.pk), u.name) for u in units.filter(parent=anchor)[:FILTER_CHOICES_MAX]]
        if anchor is None and sees_everything(request.user) and self.level == self.levels[0]:
            return [(str(u.pk), u.name) for u in units[:FILTER_CHOICES_MAX]]
        return []

    def has_output(self):
        """Also when only a unit outside the choices is asked for: it then filters to nothing."""
        return bool(self.lookup_choices) or bool(self.value())

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        unit = self.chosen_units().get(self.level)
        if unit is None:
            return queryset.none()
        prefix = f"{self.lookup}__" if self.lookup else ""
        return queryset.filter(**{f"{prefix}path__startswith": unit.path})

    def choices(self, changelist):
        deeper = [lvl for lvl in self.levels if level_depth(lvl) > level_depth(self.level)]
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name, *deeper]),
            "display": "全部",
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}, deeper),
                "display": title,
            }


def unit_filters(lookup, levels, lookups_by_level=None):
    """One UnitFilter class per level; ``lookups_by_level`` overrides ``lookup`` for some levels."""
    lookups_by_level = lookups_by_level or {}
    return [
        type(
            f"{level.title().replace('_', '')}UnitFilter",
            (UnitFilter,),
            {
                "level": level,
                "title": Level(level).label,
                "parameter_name": level,
                "lookup": lookups_by_level.get(level, lookup),
                "levels": tuple(levels),
            },
        )
        for level in levels
    ]


class ViewerMixin:
    """Remember who opens a change page, so the ancestor chain links only what they may open."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj._viewer = request.user
        return obj


class ProtectedDeleteMixin:
    """Refuse deleting what is still held by other rows, and say in Chinese what holds it."""

    def get_deleted_objects(self, objs, request):
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            self.message_user(request, protected_message(objs, protecting_rows(objs)), messages.ERROR)
        return to_delete, model_count, perms_needed, protected


def protecting_rows(objs):
    """The rows that keep ``objs`` from being deleted (PROTECT or RESTRICT), as Django's Collector finds them."""
    objs = list(objs)
    if not objs:
        return []
    collector = Collector(using=router.db_for_write(type(objs[0])))
    try:
        collector.collect(objs)
    except ProtectedError as error:
        return list(error.protected_objects)
    except RestrictedError as error:
        return list(error.restricted_objects)
    return []


def protected_message(objs, holders):
    """'无法删除“虎溪村”：仍有 户 2 条、行政单元 1 条 关联在它名下 …'."""
    names = "、".join(f"“{obj}”" for obj in list(objs)[:5])
    if len(objs) > 5:
        names += f"等{len(objs)}条记录"
    counts = Counter(capfirst(row._meta.verbose_name) for row in holders)
    # The Collector returns a set: sort so the sentence is the same every time.
    held_by = "、".join(f"{label} {count} 条" for label, count in sorted(counts.items()))
    return f"无法删除{names}：仍有{held_by}关联在它名下。请先将这些记录转移、办理离任或删除，然后再删除。"
