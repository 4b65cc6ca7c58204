"""The shape of a demo county and the unit tree planned in memory with explicit pks and paths.

Pks are taken from the current maximum id so that every ``path`` can be computed before the
insert: the whole tree then goes in with one ``bulk_create`` (a few batched INSERTs), and
PostgreSQL's id sequence is moved past the new rows afterwards.
"""

from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max

from demo.names import ROAD_WORDS, TOWNSHIP_STEMS, VILLAGE_STEMS, cn_number
from governance.models import Unit
from governance.models.units import Level


@dataclass(frozen=True)
class CountySpec:
    """How big a demo county is; ranges are inclusive (lo, hi) per parent."""

    name: str
    division_code: str
    townships: int
    villages: int  # in all, spread over the townships
    communities: int  # how many of the villages are 社区, the county seat's township first
    areas: tuple = (2, 3)
    groups: tuple = (2, 3)
    neighborhoods: tuple = (2, 4)
    households: tuple = (6, 12)
    # Things a demo should show: 邻 outside 5–15 households, households in no 邻, a 邻 without
    # an active 邻长, and leaders replaced after 劝辞/罢免 (history kept, then a 补选 posting).
    small_neighborhoods: int = 0
    large_neighborhoods: int = 0
    unlinked_households: int = 0
    vacant_neighborhoods: int = 0
    adjustments: int = 0
    seed: int = 2026

    @property
    def region(self):
        return self.division_code[:6]


DEMO = CountySpec(
    name="湘南县",
    division_code="431198000000",
    townships=2,
    villages=5,
    communities=1,
    small_neighborhoods=2,
    large_neighborhoods=1,
    unlinked_households=5,
    vacant_neighborhoods=1,
    adjustments=4,
)

# Seed 002 (蓝山县): 14 townships, 223 villages/communities, 8,328 邻, 102,700 households.
COUNTY = CountySpec(
    name="潇源县",
    division_code="431199000000",
    townships=14,
    villages=223,
    communities=12,
    areas=(3, 4),
    groups=(3, 4),
    neighborhoods=(2, 4),
    households=(10, 15),
    small_neighborhoods=40,
    large_neighborhoods=20,
    unlinked_households=200,
    vacant_neighborhoods=30,
    adjustments=138,
    seed=2027,
)


@dataclass
class VillagePlan:
    """One village's units; ``neighborhoods`` holds (neighborhood, group number) pairs."""

    unit: Unit
    township: Unit
    areas: list = field(default_factory=list)
    groups: list = field(default_factory=list)  # (group unit, area unit)
    neighborhoods: list = field(default_factory=list)  # (neighborhood unit, group unit, group number)

    @property
    def is_community(self):
        return self.unit.kind == Unit.Kind.COMMUNITY


@dataclass
class TreePlan:
    county: Unit
    townships: list
    villages: list  # VillagePlan
    units: list  # every Unit, parents before children


class _PkCounter:
    def __init__(self):
        self.next = (Unit.objects.aggregate(m=Max("id"))["m"] or 0) + 1

    def take(self):
        pk, self.next = self.next, self.next + 1
        return pk


def _unit(counter, units, parent, level, name, **extra):
    unit = Unit(pk=counter.take(), parent=parent, level=level, name=name, **extra)
    unit.path = f"{parent.path if parent else ''}{unit.pk:08d}/"
    units.append(unit)
    return unit


def _spread(total, parts):
    """``total`` split into ``parts`` near-equal integers, larger parts first."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def plan_tree(spec, rng):
    """All units of the county in memory, with pks, paths and division codes (no query but max id)."""
    counter = _PkCounter()
    units = []
    county = _unit(counter, units, None, Level.COUNTY, spec.name, division_code=spec.division_code)
    township_stems = rng.sample(TOWNSHIP_STEMS, spec.townships)
    village_stems = rng.sample(VILLAGE_STEMS * (spec.villages // len(VILLAGE_STEMS) + 1), spec.villages)
    village_counts = _spread(spec.villages, spec.townships)
    community_counts = _spread(spec.communities, max(1, (spec.communities + 7) // 8))
    townships, villages, stem_index = [], [], 0
    for t_index, count in enumerate(village_counts):
        communities = community_counts[t_index] if t_index < len(community_counts) else 0
        suffix = "街道" if communities >= 3 else rng.choice(["镇", "镇", "乡"])
        code = f"{spec.region}{(1 + t_index) if suffix == '街道' else (100 + t_index):03d}000"
        township = _unit(counter, units, county, Level.TOWNSHIP, township_stems[t_index] + suffix, division_code=code)
        townships.append(township)
        used_names = set()
        for v_index in range(count):
            # The first village of each township is a 村, so "a village in township 1" is a real village.
            is_community = 0 < v_index <= communities or (communities and count == 1)
            stem = village_stems[stem_index]
            stem_index += 1
            kind_suffix = "社区" if is_community else "村"
            name = stem + kind_suffix
            for k in range(2, 100):  # a stem used twice in one township: 虎溪村, 虎溪二村, …
                if name not in used_names:
                    break
                name = f"{stem}{cn_number(k)}{kind_suffix}"
            used_names.add(name)
            village = _unit(
                counter,
                units,
                township,
                Level.VILLAGE,
                name,
                kind=Unit.Kind.COMMUNITY if is_community else Unit.Kind.VILLAGE,
                division_code=f"{code[:9]}{(1 + v_index) if is_community else (200 + v_index):03d}",
                contact_phone=f"0746-{rng.randint(2000000, 8999999)}",
            )
            villages.append(_plan_village(counter, units, spec, rng, village, township))
    return TreePlan(county, townships, villages, units)


def _plan_village(counter, units, spec, rng, village, township):
    plan = VillagePlan(village, township)
    community = village.kind == Unit.Kind.COMMUNITY
    group_no = 0
    for a in range(1, rng.randint(*spec.areas) + 1):
        area = _unit(
            counter, units, village, Level.AREA, f"第{cn_number(a)}片区" if community else f"第{cn_number(a)}片"
        )
        plan.areas.append(area)
        for _ in range(rng.randint(*spec.groups)):
            group_no += 1
            group_name = f"第{cn_number(group_no)}网格" if community else f"{cn_number(group_no)}组"
            group = _unit(counter, units, area, Level.VILLAGER_GROUP, group_name)
            plan.groups.append((group, area))
            for n in range(1, rng.randint(*spec.neighborhoods) + 1):
                short = f"{cn_number(group_no)}网格" if community else group_name
                neighborhood = _unit(counter, units, group, Level.NEIGHBORHOOD, f"{short}第{cn_number(n)}邻")
                plan.neighborhoods.append((neighborhood, group, group_no))
    return plan


def address(rng, plan, group_no, house_no):
    if plan.is_community:
        return f"{plan.unit.name[:-2]}{rng.choice(ROAD_WORDS)}路{house_no}号"
    return f"{plan.unit.name}{cn_number(group_no)}组{house_no}号"


def insert_tree(tree):
    """Insert every planned unit in a few batched INSERTs; then move PostgreSQL's sequence on."""
    Unit.objects.bulk_create(tree.units, batch_size=1000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Unit]):
                cursor.execute(sql)
