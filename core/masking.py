"""Server-side masking of personal data: pages, exports and the audit log never show it whole.

The birth date (digits 7-14) of an ID number is hidden; so are the middle digits of a phone.
Which fields are personal: every ``IdNumberField`` and ``PhoneField`` (``is_masked_field``),
except the few public office numbers listed in ``MASK_EXEMPT``.
"""

import re

# Public numbers printed on contact cards: not personal data.
MASK_EXEMPT = {"governance.Unit.contact_phone"}

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


def is_masked_field(model_field):
    """True for a model field whose value is personal data shown masked."""
    from core.fields import IdNumberField, PhoneField

    if not isinstance(model_field, IdNumberField | PhoneField):
        return False
    model = getattr(model_field, "model", None)
    label = f"{model._meta.concrete_model._meta.label}.{model_field.name}" if model is not None else ""
    return label not in MASK_EXEMPT


def masked_fields(model):
    """{field name: model field} of the masked fields of ``model``."""
    return {f.name: f for f in model._meta.concrete_fields if is_masked_field(f)}


def mask_value(model_field, value):
    """The masked display of ``value`` held in ``model_field``."""
    from core.fields import IdNumberField

    if not value:
        return value or ""
    return mask_id_number(value) if isinstance(model_field, IdNumberField) else mask_phone(value)


def looks_masked(value):
    return MASK_CHAR in str(value or "")
