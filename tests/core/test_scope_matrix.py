"""The scoping matrix: every admin-registered model × every role, generated from the registries.

For each model a row is made in each of the four branches of the ``cast``; a user must reach
exactly the rows whose anchor unit lies under theirs (tests/core/scope_matrix.py: ``sees``) through
every door: changelist and count, change/delete/history pages, change and delete POSTs,
autocomplete from every FK that points at the model, list-filter choices, ``?fk__id__exact=``
filters and the export. New models and new URLs fail here until they are added to the registries.
"""

import pytest
from django.contrib import admin
from django.contrib.admin.filters import RelatedFieldListFilter
from django.test import RequestFactory

from core.admin_base import ScopedModelAdmin
from core.scoping import restrict_queryset
from tests.core import scope_matrix as sm

SCOPED_ADMIN_MODELS = [m for m in sm.registered_models() if m in sm.MODEL_FACTORIES]
UNSCOPED_ADMIN_MODELS = [m for m in sm.registered_models() if m not in sm.MODEL_FACTORIES]


def label(model):
    return model._meta.label


def perms_of(user, model):
    request = RequestFactory().get("/")
    request.user = user
    model_admin = admin.site._registry[model]
    return {
        "view": model_admin.has_view_or_change_permission(request),
        "change": model_admin.has_change_permission(request),
        "delete": model_admin.has_delete_permission(request),
    }


def hidden_unit_names(cast, user):
    """Names of the cast's villages whose whole branch lies outside the user's unit."""
    return [b.village.name for b in cast.branches if not sm.sees(user, b.neighborhood)]


# --- the registries cover everything ------------------------------------------------------------


def test_every_registered_model_is_in_the_matrix():
    missing = [label(m) for m in sm.registered_models() if m not in sm.MODEL_FACTORIES and not sm.unscoped_policy(m)]
    assert not missing, f"Add these admin models to MODEL_FACTORIES in tests/core/scope_matrix.py: {missing}"


def test_every_scoped_model_has_a_factory():
    missing = [label(m) for m in sm.scoped_models() if m not in sm.MODEL_FACTORIES]
    assert not missing, f"Add these ScopedQuerySet models to MODEL_FACTORIES in tests/core/scope_matrix.py: {missing}"


def test_scoped_models_use_the_scoped_admin_base():
    wrong = [label(m) for m in SCOPED_ADMIN_MODELS if not isinstance(admin.site._registry[m], ScopedModelAdmin)]
    assert not wrong, f"These admins must derive from core.admin_base.ScopedModelAdmin: {wrong}"


def test_no_admin_uses_raw_id_fields():
    """A raw-id widget looks up the label of whatever id it is given, unscoped: use autocomplete_fields."""
    offenders = [label(m) for m, a in admin.site._registry.items() if a.raw_id_fields]
    offenders += [
        f"{label(m)} inline {i.__name__}" for m, a in admin.site._registry.items() for i in a.inlines if i.raw_id_fields
    ]
    assert not offenders, f"Replace raw_id_fields with autocomplete_fields in: {offenders}"


def test_every_custom_url_is_listed_with_its_scoping_test():
    missing = [route for route in sm.non_admin_url_patterns() if route not in sm.CUSTOM_VIEWS]
    assert not missing, (
        f"Add these URL patterns to CUSTOM_VIEWS in tests/core/scope_matrix.py with a scoping test: {missing}"
    )


def test_root_redirect_shows_no_data(client, cast):
    client.force_login(cast.users["village"])
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert response.content == b""


# --- the queryset method itself ------------------------------------------------------------------


@pytest.mark.parametrize("role", sm.ROLES)
@pytest.mark.parametrize("model", list(sm.MODEL_FACTORIES), ids=label)
def test_restrict_matches_the_spec(cast, model, role):
    rows = sm.build_rows(cast, model)
    user = cast.users[role]
    reachable = set(model._default_manager.restrict(user).values_list("pk", flat=True))
    for obj, anchor in rows:
        assert (obj.pk in reachable) == sm.sees(user, anchor), (role, obj)


@pytest.mark.parametrize("model", list(sm.MODEL_FACTORIES), ids=label)
def test_restrict_fails_closed(cast, model, django_user_model):
    sm.build_rows(cast, model)
    no_unit = django_user_model.objects.create_user("nounit", password="Sanzhang-test-2026", is_staff=True)
    inactive = cast.users["township"]
    inactive.is_active = False
    inactive.save()
    for user in (no_unit, inactive):
        assert not model._default_manager.restrict(user).exists()
        if model in admin.site._registry:
            assert not any(perms_of(user, model).values())


# --- every door of every scoped admin ----------------------------------------------------------


@pytest.mark.parametrize("role", sm.ROLES)
@pytest.mark.parametrize("model", SCOPED_ADMIN_MODELS, ids=label)
def test_admin_doors(client, cast, model, role):
    rows = sm.build_rows(cast, model)
    user = cast.users[role]
    perms = perms_of(user, model)
    client.force_login(user)
    visible = [obj for obj, anchor in rows if sm.sees(user, anchor)]
    hidden = [obj for obj, anchor in rows if not sm.sees(user, anchor)]

    response = client.get(sm.admin_url(model, "changelist"))
    if not perms["view"]:
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        listed = sm.changelist_pks(response)
        assert {o.pk for o in visible} <= listed
        assert not listed & {o.pk for o in hidden}
        assert response.context["cl"].result_count == len(listed)
        html = response.content.decode()
        for name in hidden_unit_names(cast, user):
            assert name not in html, f"{name} leaks into the {label(model)} changelist of {role}"
        check_filter_choices(response, user)
        for obj in visible:
            assert client.get(sm.admin_url(model, "change", obj.pk)).status_code == 200
            assert client.get(sm.admin_url(model, "history", obj.pk)).status_code == 200

    for obj in hidden:
        before = str(obj)
        expect = {"view": 404 if perms["view"] else 403, "change": 404 if perms["change"] else 403}
        assert client.get(sm.admin_url(model, "change", obj.pk)).status_code == expect["view"]
        assert client.post(sm.admin_url(model, "change", obj.pk), {}).status_code == expect["change"]
        assert client.get(sm.admin_url(model, "delete", obj.pk)).status_code == (404 if perms["delete"] else 403)
        assert client.post(sm.admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code in {403, 404}
        assert client.get(sm.admin_url(model, "history", obj.pk)).status_code == 404
        assert client.get(sm.view_on_site_url(obj)).status_code == 404  # the admin's /r/<ct>/<id>/ shortcut
        obj.refresh_from_db()
        assert str(obj) == before

    check_bulk_action(client, model, perms, visible, hidden)
    check_autocomplete(client, model, perms, hidden)
    check_fk_filters(client, model, perms, hidden)
    check_export(client, user, model, perms, visible, hidden)


def check_bulk_action(client, model, perms, visible, hidden):
    """A bulk delete of one own row plus one foreign row is refused whole."""
    if not (perms["delete"] and visible and hidden):
        return
    selection = [visible[0].pk, hidden[0].pk]
    response = client.post(
        sm.admin_url(model, "changelist"),
        {
            "action": "delete_selected",
            admin.helpers.ACTION_CHECKBOX_NAME: selection,
            "select_across": "0",
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert model._default_manager.filter(pk__in=selection).count() == 2


def check_filter_choices(response, user):
    """Every related list filter offers only rows the user may see."""
    for spec in response.context["cl"].filter_specs:
        if isinstance(spec, RelatedFieldListFilter):
            allowed = {str(pk) for pk in restrict_queryset(spec.field.related_model, user).values_list("pk", flat=True)}
            offered = {str(pk) for pk, _ in spec.lookup_choices}
            assert offered <= allowed, f"filter {spec.title} offers {offered - allowed}"


def check_autocomplete(client, model, perms, hidden):
    for source, field in sm.related_fields_to(model):
        ids = sm.autocomplete_ids(client, source, field)
        if not perms["view"]:
            assert ids is None, f"autocomplete {label(source)}.{field.name} answered without view permission"
        elif ids is not None:
            assert not ids & {str(o.pk) for o in hidden}, f"autocomplete {label(source)}.{field.name} leaks"


def check_fk_filters(client, model, perms, hidden):
    if not perms["view"]:
        return
    for field in model._meta.get_fields():
        if not (field.many_to_one and field.concrete):
            continue
        for obj in hidden:
            value = getattr(obj, field.attname)
            if value is None:
                continue
            response = client.get(sm.admin_url(model, "changelist"), {f"{field.name}__id__exact": value})
            if response.status_code == 302:  # the admin refused the lookup (?e=1)
                continue
            assert response.status_code == 200
            assert not sm.changelist_pks(response) & {o.pk for o in hidden}


def check_export(client, user, model, perms, visible, hidden):
    if not sm.has_export(model):
        return
    status, rows = sm.export_rows(client, model)
    if not (perms["view"] and user.has_perm("accounts.export")):
        assert status == 403
        return
    assert status == 200
    exported = {row["编号"] for row in rows}
    assert {str(o.pk) for o in visible} <= exported
    assert not exported & {str(o.pk) for o in hidden}


# --- admins that are not row-scoped --------------------------------------------------------------


@pytest.mark.parametrize("role", sm.ROLES)
@pytest.mark.parametrize("model", UNSCOPED_ADMIN_MODELS, ids=label)
def test_unscoped_admins_follow_their_policy(client, cast, model, role):
    policy = sm.unscoped_policy(model)
    user = cast.users[role]
    client.force_login(user)
    if policy == "by_actor":
        check_rows_by_actor(client, cast, model, user)
        return
    status = client.get(sm.admin_url(model, "changelist")).status_code
    if role == "superuser":
        assert status == 200
    elif policy == "superuser":
        assert status == 403
    elif policy == "reference":
        assert status in {200, 403}
        assert not perms_of(user, model)["change"] and not perms_of(user, model)["delete"]
    else:
        assert status == (200 if role in policy else 403)


def test_custom_views_name_existing_tests():
    import importlib
    from pathlib import Path

    for route, target in sm.CUSTOM_VIEWS.items():
        path, _, function = target.partition("::")
        assert Path(path).exists(), f"CUSTOM_VIEWS[{route!r}]: no file {path}"
        module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
        assert callable(getattr(module, function, None)), f"CUSTOM_VIEWS[{route!r}]: no test {target}"


def check_rows_by_actor(client, cast, model, user):
    """Log rows (one per branch, by a cadre of that branch) are listed only for actors in scope."""
    from django.contrib.contenttypes.models import ContentType

    from accounts.models import User

    content_type = ContentType.objects.get_for_model(cast.branches[0].households[0])
    for branch in cast.branches:
        household = branch.households[0]
        actor = sm.user_for(branch.village)
        model.objects.create(
            actor=actor, content_type=content_type, object_pk=str(household.pk), object_id=household.pk,
            object_repr=str(household), action=model.Action.UPDATE, changes={},
        )  # fmt: skip
    response = client.get(sm.admin_url(model, "changelist"))
    if not perms_of(user, model)["view"]:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    actors = set(response.context["cl"].queryset.values_list("actor_id", flat=True))
    reachable = set(User.objects.restrict(user).values_list("pk", flat=True))
    assert actors <= reachable | ({None} if user.is_superuser else set())
    assert not perms_of(user, model)["change"] and not perms_of(user, model)["delete"]
