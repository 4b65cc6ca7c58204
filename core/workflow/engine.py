"""Declarations of a lifecycle and the one function that runs a step of it.

A ``Workflow`` names the model, its status and version fields, its event model and its table of
``Transition``s (label, source statuses, target status or a function deciding it, optional guard).
``Workflow.run`` is the only place that locks the row, checks permission, version and legality,
changes the status, bumps the version and writes the event row; the app's service passes in the
``apply`` callable that sets the use case's own fields and returns the timeline note.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

NOT_FOUND = "没有找到{noun}，或您无权办理。"
NO_PERMISSION = "您没有办理{name}的权限。"
STALE = "{noun}刚刚已被他人办理（当前状态：{status}），您的提交未保存。请刷新页面查看最新情况后再操作。"
STALE_EDIT = "{noun}刚刚已被他人更新，您的修改未保存。请刷新页面后重试。"
ILLEGAL = "当前状态为“{status}”，不能执行“{label}”。"
EDIT_CLOSED = "当前状态为“{status}”，不能再修改{what}。"
UNKNOWN = "未知的办理操作。"
BAD_VERSION = "页面缺少版本信息，您的提交未保存。请刷新页面后重试。"

_registry = {}


@dataclass(frozen=True)
class Transition:
    """One step: where it may start, where it leads, and what extra state it needs."""

    label: str
    sources: tuple
    # The status it leads to, or ``function(obj, data) -> status`` when the outcome decides it.
    target: object
    # ``function(obj) -> bool``: extra legality beyond the source status.
    guard: Callable | None = None
    # The event's action when the step ends in a given status under another name (e.g. 重新办理).
    event_actions: dict = field(default_factory=dict)
    # A permission of its own (e.g. a 邻长 may record a revisit but change nothing else); default:
    # the workflow's.
    permission: str = ""

    def target_for(self, obj, data=None):
        return self.target(obj, data or {}) if callable(self.target) else self.target


@dataclass(frozen=True)
class Edit:
    """Corrections outside the table: same lock, version check and timeline; the status stays."""

    action: str
    sources: tuple
    what: str  # the refusal names it: "不能再修改{what}"


@dataclass(eq=False)
class Workflow:
    """The lifecycle of one model. Declaring it registers it (for the generated coverage test).

    The model needs a scoped manager ``objects`` (``restrict(user)``), a status field with choices
    and an integer version field; the event model subclasses ``core.workflow.models.WorkflowEvent``.
    """

    model: type
    transitions: dict
    event_model: type
    event_fk: str  # the event model's foreign key to ``model``
    noun: str  # "该诉求": used in the messages
    status_field: str = "status"
    version_field: str = "version"
    edit: Edit | None = None
    timeline_title: str = "办理记录"
    permission: str = ""  # default: the model's change permission
    performers: dict = field(default_factory=dict, init=False)

    def __post_init__(self):
        _registry[self.label] = self

    # ------------------------------------------------------------------ reading

    @property
    def label(self):
        return self.model._meta.label_lower

    @property
    def subject_arg(self):
        """The keyword the app's services take the object by (``grievance=`` for Grievance)."""
        return self.model._meta.model_name

    @property
    def permission_name(self):
        return self.permission or f"{self.model._meta.app_label}.change_{self.model._meta.model_name}"

    def permission_for(self, action):
        """The permission a step needs: its own, else the workflow's."""
        transition = self.transitions.get(action)
        return (transition.permission if transition is not None else "") or self.permission_name

    def status_of(self, obj):
        return getattr(obj, self.status_field)

    def status_label(self, obj):
        return getattr(obj, f"get_{self.status_field}_display")()

    def is_legal(self, obj, action):
        transition = self.transitions.get(action)
        if transition is None or self.status_of(obj) not in transition.sources:
            return False
        return transition.guard is None or bool(transition.guard(obj))

    def allowed_actions(self, obj):
        """The transitions legal from the object's current state, in table order."""
        return [action for action in self.transitions if self.is_legal(obj, action)]

    def action_label(self, action):
        """An event action's Chinese name (the event model's choices), e.g. 不满意，重新办理."""
        return dict(self.event_model._meta.get_field("action").flatchoices).get(action, action)

    def events(self, obj):
        return self.event_model.objects.filter(**{self.event_fk: obj}).select_related("actor")

    def check(self):
        """Declaration problems for developers: a transition that no service performs."""
        return [f"{self.label}: no service performs {a!r}" for a in self.transitions if a not in self.performers]

    # ------------------------------------------------------------------ the services

    def performs(self, action):
        """Decorator: this service function runs ``action`` (the admin's transition page calls it)."""

        def register(function):
            self.performers[action] = function
            return function

        return register

    def perform(self, action, **kwargs):
        """Run the service registered for ``action`` with the page's keyword arguments."""
        if action not in self.performers:
            raise ValidationError(UNKNOWN)
        return self.performers[action](**kwargs)

    # ------------------------------------------------------------------ writing

    def run(self, action, *, user, obj, apply, data=None, expected_version=None):
        """Run one transition in one transaction and return the saved object.

        ``apply(locked)`` sees the row already at its target status, sets the use case's fields,
        may refuse with a ValidationError (nothing is then written) and returns the event note.
        ``data`` is what a target function decides on (e.g. the satisfaction of a revisit).
        ``expected_version`` None skips the version check (programmatic callers, not pages).
        """
        transition = self.transitions.get(action)
        if transition is None:
            raise ValidationError(UNKNOWN)
        with transaction.atomic():
            locked = self._lock(user, obj, expected_version, STALE, self.permission_for(action))
            if not self.is_legal(locked, action):
                raise ValidationError(ILLEGAL.format(status=self.status_label(locked), label=transition.label))
            before, from_status = _snapshot(locked), self.status_of(locked)
            target = transition.target_for(locked, data)
            setattr(locked, self.status_field, target)
            note = apply(locked)
            action = transition.event_actions.get(target, action)
            return self._commit(locked, before, user=user, action=action, from_status=from_status, note=note)

    def update(self, *, user, obj, apply, expected_version=None):
        """Correct fields of an object whose status allows it (``edit``); the status stays.

        ``apply(locked)`` sets the fields and returns the note, or None when nothing changed
        (then nothing is written and the version stays).
        """
        if self.edit is None:
            raise ValueError(f"{self.label} declares no edit")
        with transaction.atomic():
            locked = self._lock(user, obj, expected_version, STALE_EDIT, self.permission_name)
            if self.status_of(locked) not in self.edit.sources:
                raise ValidationError(EDIT_CLOSED.format(status=self.status_label(locked), what=self.edit.what))
            before, status = _snapshot(locked), self.status_of(locked)
            note = apply(locked)
            if note is None:
                return locked
            return self._commit(locked, before, user=user, action=self.edit.action, from_status=status, note=note)

    def record_event(self, obj, *, user, action, from_status="", note=""):
        """The timeline row; written by ``run``/``update`` and by the app's creation service."""
        return self.event_model.objects.create(
            **{self.event_fk: obj},
            action=action,
            from_status=from_status,
            to_status=self.status_of(obj),
            actor=user,
            note=note or "",
        )

    def _lock(self, user, obj, expected_version, stale_message, permission):
        """The row locked for this transaction, through the user's scope, after permission and version."""
        locked = (
            self.model.objects.restrict(user).select_for_update(of=("self",)).filter(pk=getattr(obj, "pk", obj)).first()
        )
        if locked is None:
            raise ValidationError(NOT_FOUND.format(noun=self.noun))
        if not user.has_perm(permission):
            raise ValidationError(NO_PERMISSION.format(name=self.model._meta.verbose_name))
        if expected_version is not None and getattr(locked, self.version_field) != parse_version(expected_version):
            raise ValidationError(stale_message.format(noun=self.noun, status=self.status_label(locked)))
        return locked

    def _commit(self, obj, before, *, user, action, from_status, note):
        setattr(obj, self.version_field, getattr(obj, self.version_field) + 1)
        obj.full_clean()
        changed = [f.name for f in obj._meta.concrete_fields if getattr(obj, f.attname) != before[f.attname]]
        touched = [f.name for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)]
        obj.save(update_fields=list(dict.fromkeys([*changed, self.status_field, self.version_field, *touched])))
        self.record_event(obj, user=user, action=action, from_status=from_status, note=note)
        return obj


def _snapshot(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def parse_version(value):
    """The version a page posted, as an int; a missing or forged one is refused in Chinese."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError(BAD_VERSION) from None


def registered_workflows():
    """Every declared workflow (the apps' services modules declare them)."""
    autodiscover_modules("services")
    return list(_registry.values())


def workflow_for(obj_or_model):
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    if model._meta.label_lower not in _registry:
        autodiscover_modules("services")
    return _registry[model._meta.label_lower]


def allowed_actions(obj):
    """The legal transitions of any object whose model has a workflow."""
    return workflow_for(obj).allowed_actions(obj)
