from households.models.households import CareCategory, Household, Resident

__all__ = ["CareCategory", "Household", "Resident"]
