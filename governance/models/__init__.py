from governance.models.people import Person, Posting
from governance.models.units import (
    Area,
    County,
    Neighborhood,
    Township,
    Unit,
    Village,
    VillagerGroup,
)

__all__ = ["Area", "County", "Neighborhood", "Person", "Posting", "Township", "Unit", "Village", "VillagerGroup"]
