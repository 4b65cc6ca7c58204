"""The contact rule (seed 002), defined once: how often a household must be contacted.

A special-care household (any care category) is contacted at least every 7 days, every other
household at least every 30 days. A household visited last on day D complies on days
D … D + interval − 1 and is due from D + interval on (``due_on``); never visited means due. The
due list, the contact status on the phone, the compliance report and ``Household.contact_interval``
all derive from ``contact_interval`` below (tests/households/test_contact_rule.py pins them together).
"""

import datetime

from django.db.models import Case, DateField, F, Q, When
from django.db.models.functions import Cast

WEEKLY = datetime.timedelta(days=7)
MONTHLY = datetime.timedelta(days=30)
KINDS = (True, False)  # is_special


def contact_interval(is_special):
    """Weekly for a special-care household, monthly otherwise."""
    return WEEKLY if is_special else MONTHLY


def window_start(as_of, is_special):
    """A household complies as of ``as_of`` if visited after this day (and not after ``as_of``)."""
    return as_of - contact_interval(is_special)


def due_on(last_visit, is_special):
    """The day the next contact falls due (None when never visited: due at once)."""
    return None if last_visit is None else last_visit + contact_interval(is_special)


def due_q(today, last_visit="last_visit"):
    """Rows (annotated ``is_special`` and ``last_visit``) due for contact as of ``today``."""
    q = Q(**{f"{last_visit}__isnull": True})
    for special in KINDS:
        q |= Q(is_special=special, **{f"{last_visit}__lte": window_start(today, special)})
    return q


def due_on_expression(last_visit="last_visit"):
    """``due_on`` in the database, for ordering the due list (NULL when never visited).

    Cast back to a date: PostgreSQL's date + interval is a timestamp.
    """
    whens = [
        When(is_special=special, then=Cast(F(last_visit) + contact_interval(special), DateField())) for special in KINDS
    ]
    return Case(*whens, output_field=DateField())
