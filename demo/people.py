"""Made-up people: valid, unique 18-character ID numbers, birth dates, phones and names.

Every ID number is built from the county's region code, a birth date and a sequence number
with the right parity for the gender, and ends with the GB 11643 check character.
"""

import datetime
from dataclasses import dataclass

from core.validators import id_check_char
from demo.names import person_name, surname
from governance.models import Person
from households.models import Resident

# Ages are counted from a fixed day so that the same seed always gives the same people.
REFERENCE_DATE = datetime.date(2026, 7, 1)
MOBILE_PREFIXES = "130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 158 159 173 177 180 186 187 188 189 199"
MOBILE_PREFIXES = MOBILE_PREFIXES.split()


@dataclass(eq=False)
class Someone:
    """A generated person before they become a Resident (and maybe a Person on the roster)."""

    name: str
    male: bool
    birth: datetime.date
    id_number: str
    phone: str = ""

    @property
    def age(self):
        return (REFERENCE_DATE - self.birth).days // 365

    @property
    def family_name(self):
        return self.name[:2] if self.name[:2] == "欧阳" else self.name[:1]


class PeopleMaker:
    """Generates people for one county; ID numbers never repeat, even across runs."""

    def __init__(self, rng, region):
        self.rng = rng
        self.region = region
        self.used = set(
            Resident.objects.filter(id_number__startswith=region).values_list("id_number", flat=True).iterator()
        )
        self.used.update(Person.objects.filter(id_number__startswith=region).values_list("id_number", flat=True))

    def birth_date(self, age):
        return REFERENCE_DATE - datetime.timedelta(days=age * 365 + self.rng.randint(1, 364))

    def id_number(self, birth, male):
        rng = self.rng
        while True:
            order = rng.randrange(0, 1000, 2) + (1 if male else 0)
            if order > 999:
                continue
            first17 = f"{self.region}{birth:%Y%m%d}{order:03d}"
            number = first17 + id_check_char(first17)
            if number not in self.used:
                self.used.add(number)
                return number

    def mobile(self):
        return f"{self.rng.choice(MOBILE_PREFIXES)}{self.rng.randint(0, 99999999):08d}"

    def someone(self, age, male, family=None, phone_share=0.0):
        birth = self.birth_date(age)
        phone = self.mobile() if 18 <= age <= 70 and self.rng.random() < phone_share else ""
        name = person_name(self.rng, male, family or surname(self.rng))
        return Someone(name, male, birth, self.id_number(birth, male), phone)
