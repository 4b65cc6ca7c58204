"""Build a whole demo county in bulk: the unit tree, households with residents, and the roster.

The number of queries does not grow with the county beyond the batched INSERTs: units go in with
explicit pks and paths (see ``units.insert_tree``); households, residents, care-category links,
people and postings are buffered and written with ``bulk_create`` whenever the buffer is full.
"""

import random
import time
from dataclasses import dataclass, field

from auditlog.context import disable_auditlog
from django.db import connection

from demo.households import make_family, phone_of
from demo.people import PeopleMaker
from demo.roster import VillageRoster
from demo.units import address, insert_tree, plan_tree
from governance.models import Person, Posting, Unit
from households.models import Household, Resident

BATCH = 2000
FLUSH_EVERY = 20_000  # households per buffered write (keeps memory flat for the county scale)


def analyze(models=None):
    """Fresh planner statistics on PostgreSQL after a bulk load (autovacuum would only get to it later).

    ``models=None``: the roster and household tables; ``"all"``: every table (after the apps' seeders,
    e.g. a year of visits: without it the planner takes a million rows for a few thousand and sorts
    them on disk)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if models == "all":
            cursor.execute("ANALYZE")
            return
        models = models or [Unit, Household, Household.care_categories.through, Resident, Person, Posting]
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models))


@dataclass
class Flags:
    small: set = field(default_factory=set)
    large: set = field(default_factory=set)
    vacant: set = field(default_factory=set)
    adjusted: set = field(default_factory=set)
    unlinked: dict = field(default_factory=dict)  # village pk → households without a 邻


@dataclass
class BuildStats:
    households: int = 0
    residents: int = 0
    people: int = 0
    postings: int = 0
    timings: dict = field(default_factory=dict)


class CountyBuilder:
    def __init__(self, spec, stdout=None, flush_every=FLUSH_EVERY):
        self.spec = spec
        self.rng = random.Random(spec.seed)
        self.stdout = stdout
        self.flush_every = flush_every
        self.stats = BuildStats()
        self._households, self._residents, self._links, self._people, self._postings = [], [], [], [], []

    def log(self, message):
        if self.stdout is not None:
            self.stdout.write(message)

    @disable_auditlog()  # synthetic demo data: no audit history (it would be one LogEntry per row)
    def build(self):
        """Create the county and everything under it; returns the county Unit."""
        started = time.perf_counter()
        tree = plan_tree(self.spec, self.rng)
        insert_tree(tree)
        self.stats.timings["units"] = time.perf_counter() - started
        self.log(f"  行政单元 {len(tree.units):,} 个（{self.stats.timings['units']:.1f} 秒）")
        self.maker = PeopleMaker(self.rng, self.spec.region)
        flags = self._flags(tree)
        for plan in tree.villages:
            self._village(plan, flags)
            if len(self._households) >= self.flush_every:
                self.flush()
        self.flush()
        analyze()
        self.stats.timings["total"] = time.perf_counter() - started
        return tree.county

    def _flags(self, tree):
        spec, rng = self.spec, self.rng
        neighborhoods = [nb.pk for plan in tree.villages for nb, _, _ in plan.neighborhoods]
        wanted = spec.small_neighborhoods + spec.large_neighborhoods + spec.vacant_neighborhoods + spec.adjustments
        chosen = rng.sample(neighborhoods, min(wanted, len(neighborhoods)))
        cuts = [spec.small_neighborhoods, spec.large_neighborhoods, spec.vacant_neighborhoods]
        small, rest = chosen[: cuts[0]], chosen[cuts[0] :]
        large, rest = rest[: cuts[1]], rest[cuts[1] :]
        vacant, adjusted = rest[: cuts[2]], rest[cuts[2] :]
        unlinked = {}
        for _ in range(spec.unlinked_households):
            village = rng.choice(tree.villages).unit.pk
            unlinked[village] = unlinked.get(village, 0) + 1
        return Flags(set(small), set(large), set(vacant), set(adjusted), unlinked)

    def _size(self, neighborhood, flags):
        if neighborhood.pk in flags.small:
            return self.rng.randint(3, 4)
        if neighborhood.pk in flags.large:
            return self.rng.randint(16, 18)
        return self.rng.randint(*self.spec.households)

    def _village(self, plan, flags):
        maker, rng = self.maker, self.rng
        roster = VillageRoster(maker, plan.unit, flags.vacant, flags.adjusted)
        by_neighborhood, by_group = {}, {}
        for neighborhood, group, _ in plan.neighborhoods:
            families = [make_family(maker) for _ in range(self._size(neighborhood, flags))]
            by_neighborhood[neighborhood.pk] = families
            by_group.setdefault(group.pk, []).extend(families)
        by_area = {}
        for group, area in plan.groups:
            by_area.setdefault(area.pk, []).extend(by_group.get(group.pk, []))
        for area in plan.areas:
            roster.area_leader(area, by_area.get(area.pk, []))
        for group, _ in plan.groups:
            roster.group_leader(group, by_group.get(group.pk, []), plan.is_community)
        for neighborhood, _, _ in plan.neighborhoods:
            roster.neighborhood_leader(neighborhood, by_neighborhood[neighborhood.pk])
        for group, _ in plan.groups:
            roster.representatives(group, by_group.get(group.pk, []))
        everyone = [f for families in by_neighborhood.values() for f in families]
        roster.elders_and_reserves(everyone)
        # Households are written after the roster, which may have given a leader a phone.
        house_numbers = {}
        for neighborhood, group, group_no in plan.neighborhoods:
            for family in by_neighborhood[neighborhood.pk]:
                house_numbers[group.pk] = house_numbers.get(group.pk, 0) + rng.randint(1, 3)
                self._household(plan, neighborhood, family, address(rng, plan, group_no, house_numbers[group.pk]))
        for _ in range(flags.unlinked.get(plan.unit.pk, 0)):
            family = make_family(maker)
            group_no = rng.randint(1, max(1, len(plan.groups)))
            self._household(plan, None, family, address(rng, plan, group_no, rng.randint(100, 199)))
        self._people.extend(roster.people.values())
        self._postings.extend(roster.postings)

    def _household(self, plan, neighborhood, family, where):
        household = Household(
            village_id=plan.unit.pk,
            neighborhood_id=neighborhood.pk if neighborhood else None,
            head_name=family.head.name,
            address=where,
            phone=phone_of(family),
            resident_count=len(family.members),  # its residents are bulk-inserted (Resident.save is not run)
        )
        self._households.append(household)
        for member in family.members:
            someone = member.someone
            self._residents.append(
                Resident(
                    household=household,
                    name=someone.name,
                    id_number=someone.id_number,
                    relation=member.relation,
                    birth_date=someone.birth,
                    gender="male" if someone.male else "female",
                    phone=someone.phone,
                )
            )
        self._links.extend((household, code) for code in family.categories)

    def flush(self):
        """Write the buffered rows: a fixed handful of batched INSERTs per flush."""
        if not self._households and not self._people:
            return
        Through = Household.care_categories.through
        Household.objects.bulk_create(self._households, batch_size=BATCH)
        Resident.objects.bulk_create(self._residents, batch_size=BATCH)
        Through.objects.bulk_create(
            [Through(household_id=h.pk, carecategory_id=code) for h, code in self._links], batch_size=BATCH
        )
        Person.objects.bulk_create(self._people, batch_size=BATCH)
        Posting.objects.bulk_create(self._postings, batch_size=BATCH)
        self.stats.households += len(self._households)
        self.stats.residents += len(self._residents)
        self.stats.people += len(self._people)
        self.stats.postings += len(self._postings)
        self.log(f"  已写入 {self.stats.households:,} 户、{self.stats.residents:,} 名居民")
        self._households, self._residents, self._links, self._people, self._postings = [], [], [], [], []
