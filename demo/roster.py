"""The 三长 roster of one village: 片长, 组长 (网格员), 邻长, 村民代表, 五老 and 后备.

Leaders are picked from the village's own generated residents, so a 邻长's Person carries the
same name, ID number and phone as the resident. Some postings end (劝辞, 罢免, 联审未通过…) and
are followed by a 补选 posting; a few 邻 lose their 邻长 and wait for a by-election.
"""

import datetime

from governance.models import Person, Posting

Role = Posting.Role
Method = Posting.SelectionMethod
End = Posting.EndReason

LAUNCH = datetime.date(2024, 7, 1)  # the 三长制 started in the villages (seed 002: 去年7月份以来)
REPRESENTATIVES_ELECTED = datetime.date(2021, 5, 20)  # 村民代表 are elected with the village committee
NEIGHBORHOOD_METHODS = [
    (Method.MASS_RECOMMENDED, 30),
    (Method.RECOMMENDED, 25),
    (Method.COMMITTEE_REVIEWED, 15),
    (Method.APPOINTED, 15),
    (Method.SELF_NOMINATED, 8),
    (Method.REGISTERED, 7),
]
END_REASONS = [(End.PERSUADED, 35), (End.FAILED_REVIEW, 25), (End.DISMISSED, 15), (End.TERM_ENDED, 10)]
ELDER_NOTES = ["老干部", "老战士", "老专家", "老教师", "老模范"]
PARTY_SHARE = {
    Role.AREA_LEADER: 0.85,
    Role.GROUP_LEADER: 0.55,
    Role.NEIGHBORHOOD_LEADER: 0.37,
    Role.REPRESENTATIVE: 0.4,
    Role.ELDER_MEDIATOR: 0.7,
}


def _weighted(rng, pairs):
    return rng.choices([v for v, _ in pairs], [w for _, w in pairs])[0]


def _education(rng, age):
    E = Person.Education
    if age < 35:
        return rng.choice([E.SENIOR, E.COLLEGE, E.COLLEGE, E.BACHELOR])
    if age < 55:
        return rng.choice([E.JUNIOR, E.JUNIOR, E.SENIOR, E.COLLEGE])
    return rng.choice([E.PRIMARY, E.JUNIOR, E.JUNIOR])


class VillageRoster:
    """Collects the Person and Posting objects of one village (not yet saved)."""

    def __init__(self, maker, village, vacant, adjusted):
        self.maker, self.rng, self.village = maker, maker.rng, village
        self.vacant, self.adjusted = vacant, adjusted  # sets of neighbourhood pks
        self.people = {}  # id_number → Person
        self.leaders = set()  # id_numbers already holding a leader role
        self.postings = []

    def person(self, someone, role, **extra):
        person = self.people.get(someone.id_number)
        if person is None:
            if not someone.phone:
                someone.phone = self.maker.mobile()  # a roster person is reachable; the resident gets it too
            person = Person(
                village_id=self.village.pk,
                name=someone.name,
                gender="male" if someone.male else "female",
                phone=someone.phone,
                id_number=someone.id_number,
                is_party_member=self.rng.random() < PARTY_SHARE.get(role, 0.4),
                education=_education(self.rng, someone.age),
                **extra,
            )
            self.people[someone.id_number] = person
        return person

    def post(self, someone, role, unit, start, method, end=None, reason="", note=""):
        person = self.person(someone, role)
        self.postings.append(
            Posting(
                person=person,
                role=role,
                unit_id=unit.pk,
                start_date=start,
                end_date=end,
                end_reason=reason,
                selection_method=method,
                note=note,
            )
        )
        return person

    def pick(self, families, lo=28, hi=70, leader=True):
        """A resident of these families in the age range, not yet a leader (heads first)."""
        pool = [m.someone for f in families for m in f.members if lo <= m.someone.age <= hi]
        fresh = [s for s in pool if s.id_number not in self.leaders] or pool
        if not fresh:
            return None
        head_ids = {id(f.head) for f in families}
        heads = [s for s in fresh if id(s) in head_ids]
        chosen = self.rng.choice(heads if heads and self.rng.random() < 0.7 else fresh)
        if leader:
            self.leaders.add(chosen.id_number)
        return chosen

    def start(self):
        return LAUNCH + datetime.timedelta(days=self.rng.randint(0, 60))

    def area_leader(self, area, families):
        someone = self.pick(families, 30, 55)
        if someone:
            method = self.rng.choice([Method.COMMITTEE_REVIEWED, Method.PARTY_FILED])
            self.post(someone, Role.AREA_LEADER, area, self.start(), method, note="村两委干部分片包干")

    def group_leader(self, group, families, community):
        someone = self.pick(families, 32, 65)
        if someone is None:
            return
        start = self.start()
        self.post(someone, Role.GROUP_LEADER, group, start, Method.APPOINTED)
        if community:
            self.post(someone, Role.GRID_WORKER, group, start, Method.APPOINTED, note="社区专职网格员")

    def neighborhood_leader(self, neighborhood, families):
        rng = self.rng
        someone = self.pick(families)
        if someone is None:
            return
        start = self.start()
        method = _weighted(rng, NEIGHBORHOOD_METHODS)
        if neighborhood.pk in self.vacant:
            end = datetime.date(2026, 5, 1) + datetime.timedelta(days=rng.randint(0, 50))
            note = "本人外出务工，申请辞去邻长职务，待补选"
            self.post(someone, Role.NEIGHBORHOOD_LEADER, neighborhood, start, method, end, End.OTHER, note)
            return
        if neighborhood.pk in self.adjusted:
            end = datetime.date(2025, 3, 1) + datetime.timedelta(days=rng.randint(0, 420))
            reason = _weighted(rng, END_REASONS)
            self.post(someone, Role.NEIGHBORHOOD_LEADER, neighborhood, start, method, end, reason, "动态调整")
            successor = self.pick(families) or someone
            start = end + datetime.timedelta(days=rng.randint(7, 30))
            self.post(successor, Role.NEIGHBORHOOD_LEADER, neighborhood, start, Method.BY_ELECTION, note="足额补选")
            return
        self.post(someone, Role.NEIGHBORHOOD_LEADER, neighborhood, start, method)

    def representatives(self, group, families):
        """1–2 村民代表 per 组; about half are already 组长 or 邻长 (择优推选)."""
        rng = self.rng
        chosen = set()
        for _ in range(rng.randint(1, 2)):
            pool = [m.someone for f in families for m in f.members if 25 <= m.someone.age <= 72]
            if not pool:
                return
            leaders = [s for s in pool if s.id_number in self.leaders]
            someone = rng.choice(leaders if leaders and rng.random() < 0.5 else pool)
            if someone.id_number in chosen:
                continue
            chosen.add(someone.id_number)
            method = rng.choice([Method.MASS_RECOMMENDED, Method.COMMITTEE_REVIEWED])
            self.post(someone, Role.REPRESENTATIVE, group, REPRESENTATIVES_ELECTED, method)

    def elders_and_reserves(self, families):
        rng = self.rng
        for _ in range(rng.randint(2, 3)):
            someone = self.pick(families, 62, 85, leader=False)
            if someone and someone.id_number not in self.people:
                person = self.person(someone, Role.ELDER_MEDIATOR, note=rng.choice(ELDER_NOTES))
                self.postings.append(
                    Posting(
                        person=person,
                        role=Role.ELDER_MEDIATOR,
                        unit_id=self.village.pk,
                        start_date=self.start(),
                        selection_method=Method.COMMITTEE_REVIEWED,
                        note="人民调解委员会成员",
                    )
                )
        for _ in range(rng.randint(1, 2)):
            someone = self.pick(families, 22, 35, leader=False)
            if someone and someone.id_number not in self.people:
                person = self.person(someone, None, is_reserve=True, note="后备人选")
                person.education = rng.choice([Person.Education.COLLEGE, Person.Education.BACHELOR])
