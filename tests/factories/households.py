"""Factories for households and residents."""

import factory

from governance.models import Village
from households.models import Household, Resident
from tests.factories.governance import NeighborhoodFactory
from tests.factories.ids import make_id_number, make_mobile


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
