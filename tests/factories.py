"""factory_boy factories for the object graph; valid ID numbers come from ``make_id_number``."""

import datetime
import itertools

import factory

from accounts.models import Role, User
from core.validators import id_check_char
from governance.models import Area, County, Neighborhood, Person, Posting, Township, Village, VillagerGroup
from households.models import Household, Resident

_serial = itertools.count(1)


def make_id_number(birth=datetime.date(1980, 5, 17), region="431127", serial=None, male=True):
    """A valid 18-character ID number with a unique sequence part."""
    seq = serial if serial is not None else next(_serial)
    order = (seq * 2 + (1 if male else 0)) % 1000
    first17 = f"{region}{birth:%Y%m%d}{order:03d}"
    return first17 + id_check_char(first17)


_mobile = itertools.count(10000000)


def make_mobile():
    return f"138{next(_mobile):08d}"


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


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household
        skip_postgeneration_save = True

    neighborhood = factory.SubFactory(NeighborhoodFactory)
    village = factory.LazyAttribute(lambda o: Village.objects.get(pk=o.neighborhood.ancestors()[2].pk))
    head_name = factory.Sequence(lambda n: f"张{n}")
    phone = factory.LazyFunction(make_mobile)

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.care_categories.add(*extracted)


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident

    household = factory.SubFactory(HouseholdFactory)
    name = factory.Sequence(lambda n: f"李{n}")
    id_number = factory.LazyFunction(make_id_number)
    relation = Resident.Relation.HEAD


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


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "Sanzhang-test-2026")

    @factory.post_generation
    def _save(self, create, extracted, **kwargs):
        if create:
            self.save()


def user_for(unit, role=None, **kwargs):
    """A staff user with the role that matches ``unit``'s level."""
    if role is None:
        role = {
            "county": Role.COUNTY,
            "township": Role.TOWNSHIP,
            "village": Role.VILLAGE,
        }.get(unit.level, Role.LEADER)
    return UserFactory(unit=unit, role=role, **kwargs)
