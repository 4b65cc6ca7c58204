"""One-time submission tokens: a double tap on a slow phone saves the record once.

A form carries a hidden random token; the model keeps it in a unique column, so the database
refuses a second insert with the same token whatever the timing (both taps may reach the server
together). ``save_once`` turns that refusal into a Chinese message saying the first one was saved.
"""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

TOKEN_FIELD = "submission_token"  # the model column
FORM_FIELD = "once_token"  # the hidden form input (a model form may not name a non-editable field)
DUPLICATE_CODE = "duplicate_submission"
DUPLICATE_MESSAGE = "这条记录刚才已经保存过了（重复提交），没有再保存一次。"


def submission_token_field():
    return models.UUIDField(
        "提交标识",
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="表单的一次性标识：同一表单重复提交时只保存一次",
    )


class SubmissionTokenFormMixin(forms.Form):
    """A hidden one-time token, fresh for every unbound form."""

    once_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields[FORM_FIELD].initial = uuid.uuid4()


class SubmissionTokenModelFormMixin(SubmissionTokenFormMixin):
    """For add forms (admin or page): a token already saved refuses the form with the message; a
    new one goes onto the instance. Admins list ``FORM_FIELD`` in their add fieldsets."""

    def clean(self):
        data = super().clean()
        token = data.get(FORM_FIELD)
        if token and self.instance.pk is None:
            if type(self.instance)._default_manager.filter(**{TOKEN_FIELD: token}).exists():
                raise ValidationError(DUPLICATE_MESSAGE, code=DUPLICATE_CODE)
            setattr(self.instance, TOKEN_FIELD, token)
        return data


def is_duplicate(error):
    """Whether a ValidationError is the refusal of a repeated submission."""
    return any(getattr(e, "code", None) == DUPLICATE_CODE for e in getattr(error, "error_list", [error]))


def _refuse():
    return ValidationError(DUPLICATE_MESSAGE, code=DUPLICATE_CODE)


def save_once(instance):
    """Insert ``instance`` unless a row with its submission token exists (checked by the database)."""
    manager = type(instance)._default_manager
    token = getattr(instance, TOKEN_FIELD)
    if token and manager.filter(**{TOKEN_FIELD: token}).exists():
        raise _refuse()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        # The other tap committed first (the unique index made this insert wait for it).
        if token and manager.filter(**{TOKEN_FIELD: token}).exists():
            raise _refuse() from None
        raise
    return instance
