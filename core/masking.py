"""Server-side masking of personal data: pages, exports and the audit log never show it whole.

The birth date (digits 7-14) of an ID number is hidden; so are the middle digits of a phone.
Which fields are personal is defined once, by the field: every ``IdNumberField`` and
``PhoneField`` unless declared ``personal=False`` (a public office number printed on contact
cards). Admin pages, exports (also through related paths such as ``household__phone``) and the
audit log all ask ``personal_fields`` / ``field_masker``.
"""

import re

MASK_CHAR = "*"
_PHONE_LIKE = re.compile(r"^[0-9+\-() ]{3,20}$")


def mask_id_number(value):
    value = str(value or "")
    if len(value) < 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value):
    value = str(value or "")
    if not value:
        return ""
    if len(value) == 11 and value.isdigit():
        return value[:3] + "****" + value[-4:]
    if len(value) <= 4:
        return "*" * len(value)
    return value[:-8] + "****" + value[-4:] if len(value) > 8 else "*" * (len(value) - 4) + value[-4:]


def mask_for_audit(value):
    """AUDITLOG_MASK_CALLABLE: one function for every masked field in the audit log.

    ID numbers and phones keep their outer digits; anything else (a password hash) is hidden whole.
    """
    value = str(value or "")
    if value in ("None", ""):
        return value
    if len(value) in (15, 18) and value[:-1].isdigit():
        return mask_id_number(value)
    if _PHONE_LIKE.match(value):
        return mask_phone(value)
    return "******"


def is_personal_field(model_field):
    """True for a model field holding personal data (shown masked everywhere)."""
    return getattr(model_field, "personal", False) is True


def personal_fields(model):
    """{field name: model field} of the personal-data fields of ``model``."""
    return {f.name: f for f in model._meta.concrete_fields if is_personal_field(f)}


def field_masker(model_field):
    """The masking function for a model field's values, or None when it is not personal data."""
    if not is_personal_field(model_field):
        return None
    from core.fields import IdNumberField

    return mask_id_number if isinstance(model_field, IdNumberField) else mask_phone


def mask_value(model_field, value):
    """The masked display of ``value`` held in ``model_field``."""
    if not value:
        return value or ""
    mask = field_masker(model_field) or mask_phone
    return mask(value)


def looks_masked(value):
    return MASK_CHAR in str(value or "")
