"""Valid, unique ID numbers and phone numbers for factories and tests."""

import datetime
import itertools

from core.validators import id_check_char

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
