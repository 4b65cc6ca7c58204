from households.models.households import CareCategory, Household, Resident
from households.models.tallies import VisitDay
from households.models.visits import Visit

__all__ = ["CareCategory", "Household", "Resident", "Visit", "VisitDay"]
