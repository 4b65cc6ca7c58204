"""Demo logins, one per role, all with the same password (shown by ``make run``)."""

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from accounts.models import Role, User
from governance.models import Posting, Township, Unit, Village

DEMO_PASSWORD = "Sanzhang@2026"


def demo_units(county):
    """The units the demo users work in, found in the database (so a re-run finds the same)."""
    townships = list(Township.objects.filter(path__startswith=county.path).order_by("path")[:2])
    villages = [
        Village.objects.filter(path__startswith=t.path, kind=Unit.Kind.VILLAGE).order_by("path").first()
        for t in townships
    ]
    posting = (
        Posting.objects.filter(
            role=Posting.Role.NEIGHBORHOOD_LEADER, end_date__isnull=True, unit__path__startswith=villages[0].path
        )
        .select_related("person", "unit")
        .order_by("unit__path")
        .first()
    )
    return townships, villages, posting


@transaction.atomic
def ensure_demo_users(county):
    """Create or reset the demo users; returns [(username, role label, unit name)]."""
    townships, villages, leader_posting = demo_units(county)
    leader = leader_posting.person
    # The village cadre is also the 片长 of the village's first 片 (the usual arrangement).
    area_leader = (
        Posting.objects.filter(
            role=Posting.Role.AREA_LEADER, end_date__isnull=True, unit__path__startswith=villages[0].path
        )
        .select_related("person")
        .order_by("unit__path")
        .first()
    )
    people = {"village": area_leader.person if area_leader else None, "leader": leader}
    specs = [
        ("admin", "", None, "周建华", "系统管理员（超级用户）"),
        ("county", Role.COUNTY, county, "蒋明华", None),
        ("township", Role.TOWNSHIP, townships[0], "欧阳丽", None),
        ("village", Role.VILLAGE, villages[0], people["village"].name if people["village"] else "唐志强", None),
        ("village2", Role.VILLAGE, villages[1], "黄秀英", None),
        ("leader", Role.LEADER, leader_posting.unit, leader.name, None),
    ]
    rows = []
    for username, role, unit, name, label in specs:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "role": role,
                "unit": unit,
                "name": name,
                "is_staff": True,
                "is_superuser": not role,
                "is_active": True,
                "phone": leader.phone if role == Role.LEADER else "",
                "person": people.get(username),
            },
        )
        validate_password(DEMO_PASSWORD, user)
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        unit_name = " / ".join(u.name for u in [*unit.ancestors()[1:], unit]) if unit else "全部"
        rows.append((username, label or Role(role).label, unit_name, name))
    return rows
