"""factory_boy factories for the object graph, one module per app; import them from here."""

from tests.factories.accounts import UserFactory, user_for
from tests.factories.governance import (
    AreaFactory,
    CountyFactory,
    NeighborhoodFactory,
    PersonFactory,
    PostingFactory,
    TownshipFactory,
    VillageFactory,
    VillagerGroupFactory,
)
from tests.factories.grievances import GrievanceEventFactory, GrievanceFactory, RevisitFactory, category
from tests.factories.households import HouseholdFactory, ResidentFactory
from tests.factories.ids import make_id_number, make_mobile

__all__ = [
    "AreaFactory",
    "CountyFactory",
    "GrievanceEventFactory",
    "GrievanceFactory",
    "HouseholdFactory",
    "NeighborhoodFactory",
    "PersonFactory",
    "PostingFactory",
    "ResidentFactory",
    "RevisitFactory",
    "TownshipFactory",
    "UserFactory",
    "VillageFactory",
    "VillagerGroupFactory",
    "category",
    "make_id_number",
    "make_mobile",
    "user_for",
]
