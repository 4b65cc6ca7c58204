"""A Chinese summary of a seeded county, counted in a few grouped queries."""

from django.db.models import Count, Exists, OuterRef, Q

from governance.models import Neighborhood, Person, Posting, Unit
from governance.models.units import NEIGHBORHOOD_MAX, NEIGHBORHOOD_MIN, Level, NeighborhoodSize, neighborhood_size_q
from households.models import Household, Resident


def county_counts(county):
    under = county.path
    levels = dict(Unit.objects.under(county).values_list("level").annotate(n=Count("id")).order_by())
    households = Household.objects.filter(village__path__startswith=under)
    active = Posting.objects.filter(unit__path__startswith=under, end_date__isnull=True)
    roles = {
        row["role"]: row
        for row in active.values("role")
        .annotate(n=Count("id"), party=Count("id", filter=Q(person__is_party_member=True)))
        .order_by()
    }
    leader = Posting.objects.filter(unit=OuterRef("pk"), role=Posting.Role.NEIGHBORHOOD_LEADER, end_date__isnull=True)
    sized = (
        Neighborhood.objects.filter(path__startswith=under)
        .annotate(n=Count("households"), has_leader=Exists(leader))
        .aggregate(
            small=Count("id", filter=neighborhood_size_q(NeighborhoodSize.SMALL, count="n")),
            large=Count("id", filter=neighborhood_size_q(NeighborhoodSize.LARGE, count="n")),
            vacant=Count("id", filter=Q(has_leader=False)),
        )
    )
    people = Person.objects.filter(village__path__startswith=under).aggregate(
        n=Count("id"), party=Count("id", filter=Q(is_party_member=True)), reserve=Count("id", filter=Q(is_reserve=True))
    )
    return {
        "levels": levels,
        "households": households.count(),
        "special": households.special().count(),
        "no_neighborhood": households.filter(neighborhood__isnull=True).count(),
        "residents": Resident.objects.filter(household__village__path__startswith=under).count(),
        "roles": roles,
        "ended": Posting.objects.filter(unit__path__startswith=under, end_date__isnull=False).count(),
        "people": people,
        **sized,
    }


def county_summary(county):
    c = county_counts(county)
    lv = c["levels"]
    roles = c["roles"]

    def role(code):
        row = roles.get(code, {"n": 0, "party": 0})
        return f"{Posting.Role(code).label} {row['n']:,} 名（党员 {row['party']:,}）"

    share = c["special"] / c["households"] * 100 if c["households"] else 0
    lines = [
        f"{county.name}（{county.division_code}）概况：",
        f"  乡镇/街道 {lv.get(Level.TOWNSHIP, 0):,} 个，村/社区 {lv.get(Level.VILLAGE, 0):,} 个，"
        f"片 {lv.get(Level.AREA, 0):,} 个，组/网格 {lv.get(Level.VILLAGER_GROUP, 0):,} 个，"
        f"邻 {lv.get(Level.NEIGHBORHOOD, 0):,} 个",
        f"  户 {c['households']:,} 户（特殊群体户 {c['special']:,} 户，占 {share:.1f}%），居民 {c['residents']:,} 人",
        "  在任：" + "，".join(role(code) for code in Posting.Role.values),
        f"  花名册 {c['people']['n']:,} 人（党员 {c['people']['party']:,}，后备 {c['people']['reserve']:,}），"
        f"历史任职 {c['ended']:,} 条",
        f"  需关注：少于{NEIGHBORHOOD_MIN}户的邻 {c['small']} 个，多于{NEIGHBORHOOD_MAX}户的邻 {c['large']} 个，"
        f"无在任邻长的邻 {c['vacant']} 个，未编入邻的户 {c['no_neighborhood']} 户",
    ]
    return "\n".join(lines)
