"""The phone pages that take an object id, run through the matrix helper for every role.

Each row is made in all four branches of the cast; a role gets 404 on rows outside its unit and a
page (or a refusal that names nothing, 403) on its own. Listed in CUSTOM_VIEWS (tests/core/scope_matrix.py).
"""

from governance.models import Neighborhood
from households.models import Household
from tests.core import scope_matrix as sm
from tests.factories import NeighborhoodFactory


def test_household_card_is_scoped(client, cast):
    sm.check_object_view(client, cast, Household, lambda h: f"/m/household/{h.pk}/card/", roles=sm.ROLES[1:])


def test_visit_form_is_scoped(client, cast):
    sm.check_object_view(
        client, cast, Household, lambda h: f"/m/household/{h.pk}/visit/", roles=sm.ROLES[1:], allowed=(200, 403)
    )


def test_unit_cards_are_scoped(client, cast):
    """Cards print for a 组 or a 邻; a new 邻 per branch stands for the unit."""
    sm.check_object_view(
        client,
        cast,
        Neighborhood,
        lambda n: f"/m/cards/{n.pk}/",
        roles=sm.ROLES[1:],
        factory=lambda b: (lambda n: (n, n))(NeighborhoodFactory(parent=b.group)),
    )
