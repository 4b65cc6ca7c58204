"""Household compositions (2–5 members) and special-care categories at realistic rates.

Rates aim at 15–20% of households with at least one category: 留守儿童 only in households with
children whose parents are away, 孤寡/空巢/五保 only for old couples, the rest spread evenly.
"""

from dataclasses import dataclass, field

from households.models import CareCategory, Resident

Rel = Resident.Relation
Code = CareCategory.Code

# (kind, weight); see _members for what each kind holds.
KINDS = [("nuclear", 30), ("middle", 27), ("three_generations", 22), ("old_couple", 14), ("left_behind", 7)]
KIND_NAMES = [k for k, _ in KINDS]
KIND_WEIGHTS = [w for _, w in KINDS]
# Categories any household may have, with their rate.
GENERAL_RATES = [
    (Code.MINIMUM_LIVING, 0.025),
    (Code.SERIOUS_ILLNESS, 0.02),
    (Code.MONITORED, 0.015),
    (Code.HARDSHIP, 0.015),
]


@dataclass
class Member:
    someone: object
    relation: str


@dataclass
class FamilyPlan:
    members: list
    categories: list = field(default_factory=list)

    @property
    def head(self):
        return self.members[0].someone


def make_family(maker):
    """One household's members (head first) and its care categories."""
    rng = maker.rng
    kind = rng.choices(KIND_NAMES, KIND_WEIGHTS)[0]
    members, categories = _members(maker, kind), []
    if kind == "left_behind" and rng.random() < 0.8:
        categories.append(Code.LEFT_BEHIND_CHILD)
    if kind == "old_couple":
        roll = rng.random()
        if roll < 0.08:
            categories.append(Code.LONELY_ELDERLY)
            if rng.random() < 0.4:
                categories.append(Code.FIVE_GUARANTEES)
        elif roll < 0.53 and members[0].someone.age >= 65:
            categories.append(Code.EMPTY_NEST)
    for code, rate in GENERAL_RATES:
        if rng.random() < rate:
            categories.append(code)
    return FamilyPlan(members, categories)


def _members(maker, kind):
    rng = maker.rng
    male_head = rng.random() < 0.9
    if kind == "nuclear":
        head_age = rng.randint(26, 45)
    elif kind == "middle":
        head_age = rng.randint(42, 62)
    elif kind == "three_generations":
        head_age = rng.randint(50, 68)
    else:
        head_age = rng.randint(60, 86)
    head = maker.someone(head_age, male_head, phone_share=0.9)
    members = [Member(head, Rel.HEAD)]
    spouse_age = max(20, head_age + rng.randint(-4, 2) * (1 if male_head else -1))
    has_spouse = rng.random() < (0.8 if kind == "old_couple" else 0.92)
    if has_spouse or kind == "old_couple":
        members.append(Member(maker.someone(spouse_age, not male_head, phone_share=0.6), Rel.SPOUSE))
    family = head.family_name if male_head else None

    def child(age, relation=Rel.CHILD):
        return Member(maker.someone(age, rng.random() < 0.52, family=family, phone_share=0.5), relation)

    if kind == "nuclear":
        oldest = max(0, min(head_age - 22, 17))
        members += [child(rng.randint(0, oldest)) for _ in range(rng.choices([1, 2, 3], [50, 38, 12])[0])]
    elif kind == "middle":
        members += [child(rng.randint(16, max(16, head_age - 22))) for _ in range(rng.randint(0, 2))]
        if head_age < 55 and rng.random() < 0.25:
            members.append(Member(maker.someone(head_age + rng.randint(24, 30), rng.random() < 0.4), Rel.PARENT))
    elif kind == "three_generations":
        son_age = rng.randint(22, max(22, head_age - 22))
        members.append(Member(maker.someone(son_age, True, family=family, phone_share=0.8), Rel.CHILD))
        if rng.random() < 0.7:
            members.append(Member(maker.someone(son_age + rng.randint(-3, 2), False, phone_share=0.8), Rel.OTHER))
        grandchild_family = members[-1].someone.family_name if members[-1].relation == Rel.CHILD else None
        members.append(
            Member(maker.someone(rng.randint(0, 12), rng.random() < 0.52, family=grandchild_family), Rel.GRANDCHILD)
        )
    elif kind == "left_behind":
        # Grandparents raising grandchildren while the parents work away.
        members += [
            Member(maker.someone(rng.randint(3, 15), rng.random() < 0.52, family=family), Rel.GRANDCHILD)
            for _ in range(rng.randint(1, 2))
        ]
    while len(members) < 2:
        members.append(child(rng.randint(16, max(16, head_age - 22))))
    return members[:5]


def phone_of(plan):
    """The household's phone: the head's, else another adult's (about 1 in 10 have none)."""
    for member in plan.members:
        if member.someone.phone:
            return member.someone.phone
    return ""
