"""Factories for the unit tree, the roster and its postings."""

import datetime

import factory

from governance.models import Area, County, Neighborhood, Person, Posting, Township, Village, VillagerGroup
from tests.factories.ids import make_mobile


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County

    name = factory.Sequence(lambda n: f"测试县{n}")


class TownshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Township

    parent = factory.SubFactory(CountyFactory)
    name = factory.Sequence(lambda n: f"测试镇{n}")


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    parent = factory.SubFactory(TownshipFactory)
    name = factory.Sequence(lambda n: f"测试村{n}")
    kind = Village.Kind.VILLAGE


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    parent = factory.SubFactory(VillageFactory)
    name = factory.Sequence(lambda n: f"第{n}片")


class VillagerGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VillagerGroup

    parent = factory.SubFactory(AreaFactory)
    name = factory.Sequence(lambda n: f"第{n}组")


class NeighborhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighborhood

    parent = factory.SubFactory(VillagerGroupFactory)
    name = factory.Sequence(lambda n: f"第{n}邻")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    village = factory.SubFactory(VillageFactory)
    name = factory.Sequence(lambda n: f"王{n}")
    phone = factory.LazyFunction(make_mobile)


class PostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Posting

    person = factory.SubFactory(PersonFactory)
    unit = factory.SubFactory(NeighborhoodFactory)
    role = Posting.Role.NEIGHBORHOOD_LEADER
    start_date = datetime.date(2025, 1, 1)
