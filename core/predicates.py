"""Evaluate a rule written once as filter keywords on a loaded row, so a list and a row agree.

A rule such as "overdue" is declared as ``{"status__in": [...], "due_date__lt": today}``: the
database filters with ``Q(**terms)`` and a page asks ``matches(obj, terms)`` of a row it holds.
Only lookups on the row's own fields, with the operators below, are supported.
"""

import operator

OPERATORS = {
    "exact": operator.eq,
    "in": lambda value, choices: value in choices,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}


def matches(obj, terms):
    """Whether ``obj`` satisfies every ``field__op=value`` term (a NULL compares false, as in SQL)."""
    for key, expected in terms.items():
        name, _, op = key.partition("__")
        value = getattr(obj, name)
        if op and value is None:
            return False
        if not OPERATORS[op or "exact"](value, expected):
            return False
    return True
