"""Units named in a spreadsheet row, found inside the importer's scope.

A row names its place by a name path (乡镇/村/片/组/邻, or only the part below the importer's own
unit) or by a 12-digit division code. All units under the importer's unit are read once; every
lookup is then a dictionary access, so an import costs no query per row. A name outside the
importer's scope is "not found", never "belongs to someone else".
"""

from collections import defaultdict

from core.importing.columns import fold
from core.scoping import user_unit
from governance.models.units import Level, Unit, level_depth


class UnitLookupError(ValueError):
    """``column`` (a column key) names what could not be found; ``str()`` is the Chinese reason."""

    def __init__(self, column, reason):
        super().__init__(reason)
        self.column = column


class UnitIndex:
    def __init__(self, user):
        self.user = user
        rows = Unit.objects.restrict(user).values_list("id", "parent_id", "level", "name", "division_code", "path")
        self.units = {}
        self.by_code = {}
        self.villages = defaultdict(list)
        self.neighborhoods = defaultdict(lambda: defaultdict(list))  # village id → folded name → 邻 ids
        self.below = defaultdict(lambda: defaultdict(list))  # (village id, level) → folded name → unit ids
        for pk, parent_id, level, name, code, path in rows:
            self.units[pk] = (parent_id, level, name, path)
            if code:
                self.by_code[code] = pk
            if level == Level.VILLAGE:
                self.villages[fold(name)].append(pk)
        for pk, (_parent, level, name, _path) in self.units.items():
            if level in (Level.AREA, Level.VILLAGER_GROUP, Level.NEIGHBORHOOD):
                village = self._village_of(pk)
                if village is not None:
                    self.below[(village, level)][fold(name)].append(pk)
                    if level == Level.NEIGHBORHOOD:
                        self.neighborhoods[village][fold(name)].append(pk)
        unit = user_unit(user)
        self.home_village = None
        if unit is not None and level_depth(unit.level) >= level_depth(Level.VILLAGE):
            self.home_village = self._village_of(unit.pk) if unit.pk in self.units else None
        self._cache = {}

    def _village_of(self, pk):
        while pk is not None and pk in self.units:
            parent, level, _name, _path = self.units[pk]
            if level == Level.VILLAGE:
                return pk
            pk = parent
        return None

    def _name(self, pk):
        return self.units[pk][2] if pk in self.units else ""

    def _ancestor_name(self, pk, level):
        while pk is not None and pk in self.units:
            parent, unit_level, name, _path = self.units[pk]
            if unit_level == level:
                return fold(name)
            pk = parent
        return None

    def path(self, pk):
        return self.units[pk][3]

    def resolve(self, *, township="", village="", area="", group="", neighborhood="", code=""):
        """(village id, 邻 id or None), or raise UnitLookupError. Cached per distinct name path."""
        key = (township, village, area, group, neighborhood, code)
        if key not in self._cache:
            try:
                self._cache[key] = self._resolve(*key)
            except UnitLookupError as error:
                self._cache[key] = error
        result = self._cache[key]
        if isinstance(result, UnitLookupError):
            raise result
        return result

    def _resolve(self, township, village, area, group, neighborhood, code):
        township, village, area, group, neighborhood = map(fold, (township, village, area, group, neighborhood))
        if code:
            code = fold(code)
            pk = self.by_code.get(code)
            if pk is None:
                raise UnitLookupError("division_code", f"区划代码“{code}”不存在，或不在您的管辖范围内。")
            level = self.units[pk][1]
            if level == Level.NEIGHBORHOOD:
                return self._village_of(pk), pk
            if level != Level.VILLAGE:
                raise UnitLookupError(
                    "division_code", f"区划代码“{code}”是{Level(level).label}，请填写村/社区或邻的代码。"
                )
            village_pk = pk
        elif village:
            candidates = self.villages.get(village, [])
            if township:
                candidates = [pk for pk in candidates if self._ancestor_name(pk, Level.TOWNSHIP) in (township, None)]
            if not candidates:
                raise UnitLookupError("village", f"村/社区“{village}”不存在，或不在您的管辖范围内。")
            if len(candidates) > 1:
                raise UnitLookupError("village", f"村/社区“{village}”有重名，请同时填写乡镇/街道。")
            village_pk = candidates[0]
        elif self.home_village is not None:
            village_pk = self.home_village
        else:
            raise UnitLookupError("village", "请填写村/社区（或区划代码）。")
        if not neighborhood:
            return village_pk, None
        found = self.neighborhoods[village_pk].get(neighborhood, [])
        if group:
            found = [pk for pk in found if self._ancestor_name(pk, Level.VILLAGER_GROUP) == group]
        if area:
            found = [pk for pk in found if self._ancestor_name(pk, Level.AREA) == area]
        name = self._name(village_pk)
        if not found:
            raise UnitLookupError("neighborhood", f"{name}没有名为“{neighborhood}”的邻。")
        if len(found) > 1:
            raise UnitLookupError("neighborhood", f"{name}有多个名为“{neighborhood}”的邻，请同时填写组。")
        return village_pk, found[0]

    def find_below(self, village_pk, level, name, *, area="", group=""):
        """The 片/组/邻 (``level``) named ``name`` in the village, narrowed by its 片 and 组 names; raises
        UnitLookupError under the column of ``level`` (area, group or neighborhood)."""
        column = {Level.AREA: "area", Level.VILLAGER_GROUP: "group", Level.NEIGHBORHOOD: "neighborhood"}[level]
        label = Level(level).label
        name, area, group = fold(name), fold(area), fold(group)
        if not name:
            raise UnitLookupError(column, f"请填写{label}。")
        found = self.below[(village_pk, level)].get(name, [])
        if group and level == Level.NEIGHBORHOOD:
            found = [pk for pk in found if self._ancestor_name(pk, Level.VILLAGER_GROUP) == group]
        if area and level != Level.AREA:
            found = [pk for pk in found if self._ancestor_name(pk, Level.AREA) == area]
        if not found:
            raise UnitLookupError(column, f"{self._name(village_pk)}没有名为“{name}”的{label}。")
        if len(found) > 1:
            reason = f"{self._name(village_pk)}有多个名为“{name}”的{label}，请同时填写上一级的名称。"
            raise UnitLookupError(column, reason)
        return found[0]

    def level_of(self, pk):
        return self.units[pk][1]

    def check_in_transaction(self, village_ids, neighborhood_villages):
        """Inside the confirm's transaction: lock the villages, and re-check every unit is still in scope
        and every 邻 ({邻 id: village id}) still under its village. Returns a Chinese reason, or '' when all holds."""
        villages = list(
            Unit.objects.restrict(self.user).select_for_update().filter(pk__in=sorted(village_ids)).order_by("pk")
            .values_list("pk", "path")
        )  # fmt: skip
        if len(villages) != len(set(village_ids)):
            return "导入期间有村/社区被调整或已不在您的管辖范围内，未导入任何数据，请重新上传预览。"
        paths = dict(villages)
        current = dict(
            Unit.objects.restrict(self.user).filter(pk__in=list(neighborhood_villages)).values_list("pk", "path")
        )
        for neighborhood_id, village_id in neighborhood_villages.items():
            if not current.get(neighborhood_id, "").startswith(paths.get(village_id, "\0")):
                return "导入期间有邻被调整或已不在您的管辖范围内，未导入任何数据，请重新上传预览。"
        return ""
