"""Model fields that normalise on the way in, so forms, imports and services all agree.

Both are personal data by default (masked in pages, exports and the audit log, see
core/masking.py); ``personal=False`` declares a public number (a village office's phone).
"""

from django.db import models

from core.validators import normalize_id_number, normalize_phone, validate_id_number, validate_phone


class NormalizedNumberField(models.CharField):
    """A blank-able text field holding a number kept in one normal form, with its own validator."""

    default_max_length = None
    default_verbose_name = ""
    validator = None

    def __init__(self, *args, personal=True, **kwargs):
        self.personal = personal
        kwargs.setdefault("max_length", self.default_max_length)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        if args:
            kwargs["verbose_name"], args = args[0], args[1:]
        kwargs.setdefault("verbose_name", self.default_verbose_name)
        super().__init__(*args, **kwargs)
        self.validators.append(type(self).validator)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        if not self.personal:
            kwargs["personal"] = False
        return name, path, args, kwargs

    @staticmethod
    def normalize(value):
        return value

    def to_python(self, value):
        return self.normalize(super().to_python(value))

    def get_prep_value(self, value):
        return self.normalize(super().get_prep_value(value))


class IdNumberField(NormalizedNumberField):
    description = "居民身份证号（18位）"
    default_max_length = 18
    default_verbose_name = "身份证号"
    validator = staticmethod(validate_id_number)
    normalize = staticmethod(normalize_id_number)

    def formfield(self, **kwargs):
        # The form's max_length must allow pasted spaces before normalisation.
        field = super().formfield(**kwargs)
        field.max_length = 40
        for v in list(field.validators):
            if getattr(v, "code", "") == "max_length":
                field.validators.remove(v)
        field.widget.attrs["maxlength"] = 40
        return field


class PhoneField(NormalizedNumberField):
    description = "电话号码"
    default_max_length = 20
    default_verbose_name = "联系电话"
    validator = staticmethod(validate_phone)
    normalize = staticmethod(normalize_phone)
