import pytest
from django.db import IntegrityError, transaction

from governance.models import Unit, Village
from tests.factories import CountyFactory, NeighborhoodFactory, TownshipFactory, VillageFactory


@pytest.mark.django_db
def test_path_nests_under_parent_and_under_query_is_one_prefix_match():
    neighborhood = NeighborhoodFactory()
    chain = neighborhood.ancestors()
    assert [u.level for u in chain] == ["county", "township", "village", "area", "villager_group"]
    assert neighborhood.path.startswith(chain[2].path)
    assert set(Unit.objects.under(chain[2])) == {*chain[2:], neighborhood}


@pytest.mark.django_db
def test_moving_a_unit_rewrites_its_subtree():
    neighborhood = NeighborhoodFactory()
    village = neighborhood.ancestors()[2]
    other = VillageFactory(parent=village.parent)
    area = neighborhood.ancestors()[3]
    area.parent = other
    area.save()
    neighborhood.refresh_from_db()
    assert neighborhood.path.startswith(other.path)
    assert not Unit.objects.under(village, include_self=False).exists()


@pytest.mark.django_db
def test_names_are_unique_within_parent_in_the_database():
    township = TownshipFactory()
    VillageFactory(parent=township, name="虎溪村")
    VillageFactory(parent=TownshipFactory(parent=township.parent), name="虎溪村")  # other parent: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        Village.objects.create(parent=township, name="虎溪村")


@pytest.mark.django_db
def test_division_code_must_be_12_digits_and_unique():
    county = CountyFactory(division_code="431127000000")
    with pytest.raises(IntegrityError), transaction.atomic():
        TownshipFactory(parent=county, division_code="43112710")
    with pytest.raises(IntegrityError), transaction.atomic():
        TownshipFactory(parent=county, division_code="431127000000")


@pytest.mark.django_db
def test_only_a_county_may_be_a_root():
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(level="township", name="无上级镇")


@pytest.mark.django_db
def test_the_path_range_matches_exactly_the_units_under_a_path(cast):
    """``under_path_q`` (an index range, for correlated subqueries) selects what a prefix match selects."""
    from django.db.models import Count, OuterRef, Subquery, Value

    from governance.models.units import under_path_q

    for _ in range(3):
        NeighborhoodFactory(parent=cast.branches[1].group)
    subtree = Unit.objects.filter(under_path_q(OuterRef("path"))).order_by().values(k=Value(1))
    counted = Unit.objects.annotate(under=Subquery(subtree.annotate(n=Count("pk")).values("n")))
    for unit in counted:
        by_prefix = set(Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))
        by_range = set(Unit.objects.filter(under_path_q(Value(unit.path))).values_list("pk", flat=True))
        assert by_range == by_prefix and unit.under == len(by_prefix), unit
