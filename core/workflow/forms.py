"""The form base of a transition page: the hidden version the user saw, and service errors on the form.

The version travels as text and is parsed in ``clean()``: a POST without it (or with a forged one)
is refused with a Chinese message on top of the form, never re-rendered silently.
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from core.workflow.engine import parse_version, workflow_for


class VersionedFormMixin:
    """A hidden ``version_field_name`` is required on every write; refused on top of the form."""

    version_field_name = "version"

    def clean(self):
        data = super().clean()
        data[self.version_field_name] = parse_version(data.get(self.version_field_name))
        return data


def version_field():
    return forms.CharField(widget=forms.HiddenInput, required=False)


class TransitionForm(VersionedFormMixin, forms.Form):
    """Base of one small form per transition; its cleaned data (less the version) goes to the service."""

    version = version_field()

    def __init__(self, *args, obj, user, **kwargs):
        self.obj, self.user = obj, user
        kwargs.setdefault("initial", {}).setdefault("version", getattr(obj, workflow_for(obj).version_field))
        super().__init__(*args, **kwargs)

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        data.pop("version")
        return data


def apply_errors(form, error):
    """Put a service ValidationError on the form: field errors where the field exists, others on top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for item in errors:
                target = name if name in form.fields and name != NON_FIELD_ERRORS else None
                form.add_error(target, ValidationError(item.messages))
    else:
        form.add_error(None, error)
