"""Factories for user accounts: ``user_for(unit)`` gives the role that matches the unit's level."""

import factory

from accounts.models import Role, User


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
