"""Registries and helpers for the scoping test matrix (tests/core/test_scope_matrix.py).

Every model registered in the admin, and every model whose manager is a ScopedQuerySet, needs an
entry in MODEL_FACTORIES (or, for the few unscoped admins, in UNSCOPED_ADMINS). A factory takes a
``Branch`` of the ``cast`` fixture and returns ``(obj, anchor)``: a new row and the unit it hangs
on. The matrix expects a user to reach exactly the rows whose anchor lies at or under the user's
unit: that is the spec, stated independently of the code's ``scope_q``.

Every non-admin URL pattern needs an entry in CUSTOM_VIEWS naming the test that proves its scoping.
"""

import csv
import datetime
import io

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import AccessLog, User
from core.admin_export import ScopedExportMixin
from core.scoping import ScopedQuerySet
from deliberation.models import (
    Ballot,
    Consultation,
    Matter,
    MatterEvent,
    Notice,
    Objection,
    Opinion,
    Suggestion,
    SupervisionEntry,
    SurveyAnswer,
    Vote,
)
from disputes.models import (
    Agreement,
    CommitteeMember,
    Dispute,
    DisputeEvent,
    DisputeParty,
    FulfilmentRevisit,
    MediationCommittee,
    MediationSession,
    RiskReport,
    ScreeningRound,
    ZeroReport,
)
from governance.models import Area, County, Neighborhood, Person, Posting, Township, Unit, Village, VillagerGroup
from grievances.models import Grievance, GrievanceCategory, GrievanceEvent, Revisit
from households.models import CareCategory, Household, Resident, Visit, VisitDay
from tests.factories import (
    CountyFactory,
    HouseholdFactory,
    NeighborhoodFactory,
    PersonFactory,
    PostingFactory,
    ResidentFactory,
    TownshipFactory,
    user_for,
)
from tests.factories import deliberation as delib_factories
from tests.factories import disputes as dispute_factories
from tests.factories.training import (
    AdjustmentFactory,
    AttendanceFactory,
    AwardFactory,
    EvaluationFactory,
    EvaluationRoundFactory,
    MeetingFactory,
    RatingFactory,
    TrainingSessionFactory,
)
from training.models import (
    Adjustment,
    AdjustmentEvent,
    Attendance,
    Award,
    Evaluation,
    EvaluationPolicy,
    EvaluationRound,
    Meeting,
    MeetingMatter,
    Mentorship,
    Rating,
    TrainingSession,
)

ROLES = ["superuser", "county", "township", "township2", "village", "village2", "leader"]


def _new_neighborhood(branch):
    unit = NeighborhoodFactory(parent=branch.group)
    return Unit.objects.get(pk=unit.pk), unit


def _grievance(branch):
    today = datetime.date.today()
    return Grievance.objects.create(
        village=branch.village,
        household=branch.households[0],
        category=GrievanceCategory.objects.order_by("pk").first(),
        description="路灯坏了",
        received_on=today,
        due_date=today,
    )


def _visit_day(branch):
    day = datetime.date(2020, 1, 2)
    Visit.objects.create(household=branch.households[0], visitor=PersonFactory(village=branch.village), visited_on=day)
    return VisitDay.objects.get(village=branch.village, day=day)


MODEL_FACTORIES = {
    Unit: _new_neighborhood,
    County: lambda b: (lambda c: (c, c))(CountyFactory()),
    Township: lambda b: (lambda t: (t, t))(TownshipFactory(parent=b.village.parent.parent)),
    Village: lambda b: (b.village, b.village),
    Area: lambda b: (b.area, b.area),
    VillagerGroup: lambda b: (b.group, b.group),
    Neighborhood: lambda b: (b.neighborhood, b.neighborhood),
    Person: lambda b: (PersonFactory(village=b.village), b.village),
    Posting: lambda b: (
        PostingFactory(person=PersonFactory(village=b.village), unit=b.neighborhood),
        b.neighborhood,
    ),
    Household: lambda b: (HouseholdFactory(neighborhood=b.neighborhood, village=b.village), b.neighborhood),
    Resident: lambda b: (ResidentFactory(household=b.households[0]), b.neighborhood),
    User: lambda b: (user_for(b.neighborhood), b.neighborhood),
    Visit: lambda b: (
        Visit.objects.create(
            household=b.households[0], visitor=PersonFactory(village=b.village), visited_on=datetime.date.today()
        ),
        b.neighborhood,
    ),
    # The tally row a visit makes (households.tallies): a village's, on a day of its own.
    VisitDay: lambda b: (_visit_day(b), b.village),
    Grievance: lambda b: (_grievance(b), b.neighborhood),
    GrievanceEvent: lambda b: (
        GrievanceEvent.objects.create(grievance=_grievance(b), action="登记", to_status=Grievance.Status.REGISTERED),
        b.neighborhood,
    ),
    Revisit: lambda b: (
        Revisit.objects.create(
            grievance=_grievance(b),
            revisited_on=datetime.date.today(),
            satisfaction=Revisit.Satisfaction.values[0],
        ),
        b.neighborhood,
    ),
    # Disputes hang on their household's 邻 (below village level), like grievances; committees and
    # rounds on their village; risk reports on the 组/邻 where they were found; 零报告 on its 邻.
    MediationCommittee: lambda b: (dispute_factories.committee_for(b.village), b.village),
    CommitteeMember: lambda b: (dispute_factories.committee_for(b.village).members.first(), b.village),
    Dispute: lambda b: (dispute_factories.make_dispute(b), b.neighborhood),
    DisputeParty: lambda b: (dispute_factories.make_dispute(b).parties.first(), b.neighborhood),
    DisputeEvent: lambda b: (dispute_factories.make_event(dispute_factories.make_dispute(b)), b.neighborhood),
    MediationSession: lambda b: (dispute_factories.make_session(dispute_factories.make_dispute(b)), b.neighborhood),
    Agreement: lambda b: (
        dispute_factories.make_agreement(dispute_factories.make_dispute(b, "succeeded")),
        b.neighborhood,
    ),
    FulfilmentRevisit: lambda b: (
        dispute_factories.make_revisit(dispute_factories.make_dispute(b, "succeeded")),
        b.neighborhood,
    ),
    ScreeningRound: lambda b: (dispute_factories.make_round(b), b.village),
    RiskReport: lambda b: (dispute_factories.make_risk(b), b.neighborhood),
    ZeroReport: lambda b: (dispute_factories.make_zero_report(b), b.neighborhood),
    TrainingSession: lambda b: (TrainingSessionFactory(organiser=b.village), b.village),
    Attendance: lambda b: (AttendanceFactory(person=PersonFactory(village=b.village)), b.village),
    Mentorship: lambda b: (
        Mentorship.objects.create(
            mentor=PersonFactory(village=b.village),
            mentee=PersonFactory(village=b.village),
            start_date=datetime.date.today(),
        ),
        b.village,
    ),
    Meeting: lambda b: (MeetingFactory(unit=b.area), b.area),
    MeetingMatter: lambda b: (
        MeetingMatter.objects.create(meeting=MeetingFactory(unit=b.area), grievance=_grievance(b)),
        b.area,
    ),
    Rating: lambda b: (RatingFactory(meeting=MeetingFactory(unit=b.group), household=b.households[0]), b.group),
    EvaluationPolicy: lambda b: (lambda c: (EvaluationPolicy.objects.create(county=c), c))(CountyFactory()),
    EvaluationRound: lambda b: (EvaluationRoundFactory(unit=b.village), b.village),
    Evaluation: lambda b: (
        EvaluationFactory(posting=PostingFactory(person=PersonFactory(village=b.village), unit=b.neighborhood)),
        b.village,
    ),
    Adjustment: lambda b: (
        AdjustmentFactory(posting=PostingFactory(person=PersonFactory(village=b.village), unit=b.neighborhood)),
        b.neighborhood,
    ),
    AdjustmentEvent: lambda b: (
        AdjustmentEvent.objects.create(
            adjustment=AdjustmentFactory(
                posting=PostingFactory(person=PersonFactory(village=b.village), unit=b.neighborhood)
            ),
            action="propose",
            to_status="proposed",
        ),
        b.neighborhood,
    ),
    Award: lambda b: (AwardFactory(person=PersonFactory(village=b.village)), b.village),
    # 群众议事: opinions hang on their household's 邻 (or the village without one); a matter and
    # everything its steps leave behind on the village.
    Opinion: lambda b: (delib_factories.make_opinion(b), b.neighborhood),
    Matter: lambda b: (delib_factories.make_matter(b), b.village),
    MatterEvent: lambda b: (delib_factories.make_event(delib_factories.make_matter(b)), b.village),
    Consultation: lambda b: (delib_factories.make_consultation(delib_factories.make_matter(b)), b.village),
    Suggestion: lambda b: (delib_factories.make_suggestion(delib_factories.make_matter(b)), b.village),
    Notice: lambda b: (delib_factories.make_notice(delib_factories.make_matter(b)), b.village),
    Objection: lambda b: (delib_factories.make_objection(delib_factories.make_matter(b)), b.village),
    Vote: lambda b: (delib_factories.make_vote(delib_factories.make_matter(b)), b.village),
    Ballot: lambda b: (delib_factories.make_ballot(delib_factories.make_matter(b)), b.village),
    SupervisionEntry: lambda b: (delib_factories.make_supervision(delib_factories.make_matter(b)), b.village),
    SurveyAnswer: lambda b: (
        delib_factories.make_survey(delib_factories.make_matter(b), b.households[0]),
        b.village,
    ),
    AccessLog: lambda b: (
        AccessLog.objects.create(user=user_for(b.neighborhood), unit=b.neighborhood, action=AccessLog.Action.EXPORT),
        b.neighborhood,
    ),
}

# Admins that are not row-scoped, and why. "reference": the same rows for every role that may view
# them; "superuser": no role may open them; "by_actor": rows whose actor is a user in scope;
# a set of roles: only those (county-wide) roles may.
UNSCOPED_ADMINS = {
    Group: "superuser",
    CareCategory: "reference",
    "grievances.GrievanceCategory": "reference",
    "axes.AccessAttempt": "superuser",
    "axes.AccessLog": "superuser",
    "axes.AccessFailureLog": "superuser",
    "auditlog.LogEntry": "by_actor",  # rows of actors the user may see (core/admin.py)
    "django_tasks_database.DBTaskResult": "superuser",  # the background-job queue (django-tasks-db)
}

# Non-admin URL patterns → the test (module::function) that proves their scoping.
CUSTOM_VIEWS = {
    "": "tests/core/test_scope_matrix.py::test_root_redirect_shows_no_data",
    "favicon.ico": "tests/core/test_error_pages.py::test_the_favicon_is_served_without_data",
    "m/": "tests/mobile/test_mobile_login.py::test_a_leader_logs_in_and_lands_on_the_phone_menu",  # a menu, no rows
    "m/login/": "tests/mobile/test_mobile_login.py::test_the_login_page_is_the_phone_template_not_the_admins",
    "m/logout/": "tests/mobile/test_mobile_login.py::test_logout_is_a_post_and_returns_to_the_login_page",
    "m/due/": "tests/mobile/test_mobile_due_list.py::test_a_unit_of_another_village_is_404",
    "m/household/<int:pk>/visit/": "tests/core/test_scope_custom_views.py::test_visit_form_is_scoped",
    "m/household/<int:pk>/card/": "tests/core/test_scope_custom_views.py::test_household_card_is_scoped",
    "m/revisits/": "tests/mobile/test_mobile_revisits.py::test_awaiting_revisit_is_the_leaders_households_oldest_first",
    "m/reported/": "tests/mobile/test_mobile_revisits.py::test_reported_is_what_the_user_registered",
    "m/grievance/<int:pk>/revisit/": "tests/mobile/test_mobile_revisits.py::test_another_villages_grievance_is_404",
    "m/compliance/": "tests/households/test_contact_compliance.py::test_township_rows_are_its_villages_only",
    "m/cards/": "tests/households/test_contact_cards.py::test_the_cards_index_offers_the_units_of_the_user",
    "m/cards/<int:pk>/": "tests/core/test_scope_custom_views.py::test_unit_cards_are_scoped",
    "reports/grievances/": "tests/reports/test_report_scoping.py::test_report_pages_are_scoped",
    "reports/grievances/export/": "tests/reports/test_report_scoping.py::test_report_exports_are_scoped",
    "reports/compliance/": "tests/reports/test_report_scoping.py::test_report_pages_are_scoped",
    "reports/compliance/export/": "tests/reports/test_report_scoping.py::test_report_exports_are_scoped",
    "reports/overview/": "tests/reports/test_overview_scoping.py::test_the_unit_page_is_scoped",
    "reports/overview/print/": "tests/reports/test_overview_scoping.py::test_the_brief_is_scoped",
    "reports/county/": "tests/exports/test_county_report.py::test_a_township_user_gets_only_their_township",
    "reports/county/export/": "tests/exports/test_county_report.py::test_a_township_user_gets_only_their_township",
    "exports/": "tests/exports/test_jobs.py::test_only_the_requester_downloads",  # lists the user's own jobs
    "exports/<int:pk>/download/": "tests/exports/test_jobs.py::test_only_the_requester_downloads",
    "m/disputes/": "tests/disputes/test_dispute_phone.py::test_the_phone_lists_are_the_leaders_own",
    "m/household/<int:pk>/risk/": "tests/disputes/test_dispute_phone.py::test_risk_form_is_scoped",
    "m/dispute/<int:pk>/revisit/": "tests/disputes/test_dispute_phone.py::test_revisit_form_is_scoped",
    "m/disputes/screening/": "tests/disputes/test_zero_reports.py::test_the_phone_offers_only_current_own_rounds",
    "reports/disputes/": "tests/disputes/test_dispute_reports.py::test_the_statistics_page_is_scoped",
    "reports/disputes/export/": "tests/disputes/test_dispute_reports.py::test_the_statistics_export_is_scoped",
    "m/training/": "tests/training/test_attendance.py::test_my_training_shows_only_my_rows",
    "m/training/check-in/<str:token>/": "tests/training/test_attendance.py::test_qr_check_in_page",
    "reports/training/": "tests/training/test_training_stats.py::test_the_statistics_page_is_scoped",
    "reports/training/export/": "tests/training/test_training_stats.py::test_the_statistics_export_is_scoped",
    "reports/training/session/<int:pk>/": "tests/training/test_attendance.py::test_attendance_page_is_scoped",
    "reports/training/meeting/<int:pk>/": "tests/training/test_meetings.py::test_meeting_page_is_scoped",
    "reports/training/rounds/new/": "tests/training/test_evaluations.py::test_round_pages",
    "reports/training/round/<int:pk>/": "tests/training/test_evaluations.py::test_round_page_is_scoped",
    "reports/training/award/<int:pk>/": "tests/training/test_awards_and_record.py::test_award_page_is_scoped",
    "reports/training/person/<int:pk>/": "tests/training/test_awards_and_record.py::test_person_record_is_scoped",
    "reports/deliberation/": "tests/deliberation/test_deliberation_reports.py::test_the_statistics_page_is_scoped",
    "reports/deliberation/export/": "tests/deliberation/test_deliberation_reports.py::test_the_export_is_scoped",
    "m/deliberation/": "tests/deliberation/test_deliberation_phone.py::test_the_notice_list_is_the_users_village_only",
    "m/household/<int:pk>/opinion/": "tests/deliberation/test_deliberation_phone.py::test_opinion_form_is_scoped",
}


def unscoped_policy(model):
    return UNSCOPED_ADMINS.get(model, UNSCOPED_ADMINS.get(model._meta.label))


def registered_models():
    return sorted(admin.site._registry, key=lambda m: m._meta.label)


def scoped_models():
    """Every model whose default manager returns a ScopedQuerySet."""
    return [m for m in apps.get_models() if isinstance(m._default_manager.all(), ScopedQuerySet)]


def sees(user, anchor):
    """The spec: a user reaches a row iff its anchor unit lies at or under the user's unit."""
    if user.is_superuser:
        return True
    return user.unit is not None and anchor.path.startswith(user.unit.path)


def build_rows(cast, model):
    """One row per branch; returns [(obj, anchor)]."""
    return [MODEL_FACTORIES[model](branch) for branch in cast.branches]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def view_on_site_url(obj):
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return reverse("admin:view_on_site", args=[content_type.pk, obj.pk])


def related_fields_to(model):
    """(source model, field) for every FK/M2M on a registered model that points at ``model``."""
    found = []
    for source in registered_models():
        for field in source._meta.get_fields():
            if field.is_relation and not field.auto_created and field.concrete and field.related_model is model:
                found.append((source, field))
    return found


def changelist_pks(response):
    return set(response.context["cl"].queryset.values_list("pk", flat=True))


def autocomplete_ids(client, source, field):
    """Every id the autocomplete offers for ``source.field`` (all pages); None if refused."""
    ids, page = set(), 1
    while True:
        response = client.get(
            reverse("admin:autocomplete"),
            {"app_label": source._meta.app_label, "model_name": source._meta.model_name, "field_name": field.name,
             "term": "", "page": page},
        )  # fmt: skip
        if response.status_code != 200:
            return None
        data = response.json()
        ids.update(str(item["id"]) for item in data["results"])
        if not data["pagination"]["more"]:
            return ids
        page += 1


def export_rows(client, model, params=""):
    """POST the admin export form for CSV; returns (status, list of dict rows)."""
    model_admin = admin.site._registry[model]
    formats = model_admin.get_export_formats()
    csv_index = next(i for i, f in enumerate(formats) if f.__name__ == "CSV")
    resource = model_admin.resource_classes[0]
    data = {"format": csv_index, "resource": 0}
    for name in resource().get_export_order():
        data[f"{resource.__name__.lower()}_{name}"] = "on"
    response = client.post(admin_url(model, "export") + params, data)
    if response.status_code != 200 or "attachment" not in response.get("Content-Disposition", ""):
        return response.status_code, []
    text = response.content.decode("utf-8-sig")
    return response.status_code, list(csv.DictReader(io.StringIO(text)))


def has_export(model):
    return isinstance(admin.site._registry.get(model), ScopedExportMixin)


def non_admin_url_patterns(resolver=None, prefix=""):
    """Route strings of every URL pattern outside the admin."""
    resolver = resolver or get_resolver()
    routes = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if getattr(pattern, "namespace", None) == "admin" or getattr(pattern, "app_name", None) == "admin":
                continue
            routes.extend(non_admin_url_patterns(pattern, route))
        elif isinstance(pattern, URLPattern):
            routes.append(route)
    return routes


def check_object_view(client, cast, model, url_for, roles=ROLES, allowed=(200,), factory=None):
    """For custom views (phone pages …): every role gets 404 on other units' rows and ``allowed`` on its own.

    ``url_for(obj)`` builds the view's URL for one row; ``factory`` overrides MODEL_FACTORIES[model].
    Use it from the test named in CUSTOM_VIEWS::

        def test_household_card_scoping(client, cast):
            sm.check_object_view(client, cast, Household, lambda h: reverse("households:card", args=[h.pk]),
                                 roles=["village", "leader"])
    """
    rows = [(factory or MODEL_FACTORIES[model])(branch) for branch in cast.branches]
    for role in roles:
        user = cast.users[role]
        client.force_login(user)
        for obj, anchor in rows:
            status = client.get(url_for(obj)).status_code
            if sees(user, anchor):
                assert status in allowed, (role, obj, status)
            else:
                assert status == 404, (role, obj, status)
