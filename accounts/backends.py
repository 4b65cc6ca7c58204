"""Model permissions come from the user's role, in one table, instead of per-user grants.

Row-level limits (which units) are the scoping mechanism's job; this only says which kinds of
object a role may view, add, change or delete.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from accounts.models import Role

ALL = {"view", "add", "change", "delete"}
READ = {"view"}

# app label (or "app_label.model") → actions; the most specific entry wins.
ROLE_PERMISSIONS = {
    Role.COUNTY: {
        "governance": READ,
        "households": READ,
        "grievances": READ,
        "disputes": READ,
        "training": READ,
        "deliberation": READ,
        "accounts.user": READ,
        "accounts.accesslog": READ,
        "auditlog.logentry": READ,
    },
    Role.TOWNSHIP: {
        "governance": ALL,
        "governance.county": READ,
        "governance.township": {"view", "change"},
        "households": ALL,
        "grievances": ALL,
        "disputes": ALL,
        "training": ALL,
        "deliberation": ALL,
        "accounts.user": ALL,
        "households.carecategory": READ,
        # The township's own logs (scoped by the acting user's unit; see core/admin.py).
        "accounts.accesslog": READ,
        "auditlog.logentry": READ,
    },
    Role.VILLAGE: {
        "governance": ALL,
        "governance.county": READ,
        "governance.township": READ,
        "governance.village": {"view", "change"},
        "households": ALL,
        "grievances": ALL,
        "disputes": ALL,
        "training": READ,
        "deliberation": ALL,
        # Village work of 队伍建设: its own trainings and meetings, the rating ballots, the assessment
        # score of its people; it proposes adjustments and nominates awards, the township decides.
        "training.trainingsession": ALL,
        "training.attendance": ALL,
        "training.mentorship": ALL,
        "training.meeting": ALL,
        "training.rating": ALL,
        "training.evaluation": {"view", "add", "change"},
        "training.adjustment": {"view", "add"},
        "training.award": {"view", "add"},
        "accounts.user": ALL,
        "households.carecategory": READ,
    },
    Role.LEADER: {
        "households.household": READ,
        "households.resident": READ,
        "households.visit": {"view", "add"},
        "grievances.grievance": {"view", "add"},
        # 事后敲门回访: the 邻长 records the household's satisfaction (grievances.services.record_revisit).
        "grievances.revisit": {"view", "add"},
        # 排查 and 履行回访 on the phone: the 邻长 reports risks found in their 邻 and revisits the
        # parties of a mediated dispute (disputes.services); the dispute itself they only see.
        "disputes.riskreport": {"view", "add"},
        "disputes.zeroreport": {"view", "add"},
        "disputes.dispute": READ,
        "disputes.fulfilmentrevisit": {"view", "add"},
        # 群众议事: the 邻长 records the opinions heard from households; the matters they only see
        # (a representative looks at those open for notice on the phone).
        "deliberation.opinion": {"view", "add"},
        "deliberation.matter": READ,
        "governance.neighborhood": READ,
        "governance.villagergroup": READ,
    },
}
# Roles that may also export reports and lists.
EXPORT_ROLES = {Role.COUNTY, Role.TOWNSHIP, Role.VILLAGE}


def role_allows(role, app_label, model_name, action):
    table = ROLE_PERMISSIONS.get(role, {})
    actions = table.get(f"{app_label}.{model_name}", table.get(app_label, set()))
    return action in actions


class RoleBackend(ModelBackend):
    def get_user(self, user_id):
        """The signed-in user with their unit, in one query: every page reads the unit to scope its rows."""
        try:
            user = get_user_model()._default_manager.select_related("unit").get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def has_perm(self, user_obj, perm, obj=None):
        if not user_obj.is_active:
            return False
        if user_obj.is_superuser:
            return True
        if perm == "accounts.export":
            return user_obj.role in EXPORT_ROLES and user_obj.unit_id is not None
        try:
            app_label, codename = perm.split(".", 1)
            action, model_name = codename.split("_", 1)
        except ValueError:
            return False
        if user_obj.unit_id is None:
            return False
        return role_allows(user_obj.role, app_label, model_name, action)

    def has_module_perms(self, user_obj, app_label):
        if not user_obj.is_active:
            return False
        if user_obj.is_superuser:
            return True
        table = ROLE_PERMISSIONS.get(user_obj.role, {})
        return user_obj.unit_id is not None and any(key.split(".")[0] == app_label for key in table)


# Roles a user of each role may give to the accounts they create or edit (never above their own).
GRANTABLE_ROLES = {
    Role.COUNTY: [],
    Role.TOWNSHIP: [Role.TOWNSHIP, Role.VILLAGE, Role.LEADER],
    Role.VILLAGE: [Role.LEADER],
    Role.LEADER: [],
}


def grantable_roles(user):
    """The roles ``user`` may assign; everything for a superuser, nothing for a user without a unit."""
    if user.is_active and user.is_superuser:
        return list(Role)
    if not user.is_active or user.unit_id is None:
        return []
    return list(GRANTABLE_ROLES.get(user.role, []))
