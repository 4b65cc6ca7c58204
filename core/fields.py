"""Model fields that normalise on the way in, so forms, imports and services all agree.

Both are personal data by default (masked in pages, exports and the audit log, see
core/masking.py); ``personal=False`` declares a public number (a village office's phone).
"""

from django.db import models

from core.validators import normalize_id_number, normalize_phone, validate_id_number, validate_phone


class IdNumberField(models.CharField):
    description = "居民身份证号（18位）"

    def __init__(self, *args, personal=True, **kwargs):
        self.personal = personal
        kwargs.setdefault("max_length", 18)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        if args:
            kwargs["verbose_name"], args = args[0], args[1:]
        kwargs.setdefault("verbose_name", "身份证号")
        super().__init__(*args, **kwargs)
        self.validators.append(validate_id_number)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        if not self.personal:
            kwargs["personal"] = False
        return name, path, args, kwargs

    def to_python(self, value):
        return normalize_id_number(super().to_python(value))

    def get_prep_value(self, value):
        return normalize_id_number(super().get_prep_value(value))

    def formfield(self, **kwargs):
        # The form's max_length must allow pasted spaces before normalisation.
        field = super().formfield(**kwargs)
        field.max_length = 40
        for v in list(field.validators):
            if getattr(v, "code", "") == "max_length":
                field.validators.remove(v)
        field.widget.attrs["maxlength"] = 40
        return field


class PhoneField(models.CharField):
    description = "电话号码"

    def __init__(self, *args, personal=True, **kwargs):
        self.personal = personal
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        if args:
            kwargs["verbose_name"], args = args[0], args[1:]
        kwargs.setdefault("verbose_name", "联系电话")
        super().__init__(*args, **kwargs)
        self.validators.append(validate_phone)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        if not self.personal:
            kwargs["personal"] = False
        return name, path, args, kwargs

    def to_python(self, value):
        return normalize_phone(super().to_python(value))

    def get_prep_value(self, value):
        return normalize_phone(super().get_prep_value(value))
