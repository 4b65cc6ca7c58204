"""Server-side masking of personal data: pages, exports and the audit log never show it whole.

The birth date (digits 7-14) of an ID number is hidden; so are the middle digits of a phone.
Which fields are personal is defined once, by the field: every ``IdNumberField`` and
``PhoneField`` unless declared ``personal=False`` (a public office number printed on contact
cards). Admin pages, exports (also through related paths such as ``household__phone``) and the
audit log all ask ``personal_fields`` / ``field_masker``.
"""

import re
import unicodedata

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


# Numbers inside free text (a search term, a filter value): 18/15-digit IDs, mobiles, landlines.
_NUMBER_IN_TEXT = re.compile(
    r"(?<![0-9])(?:(?P<id>[0-9]{17}[0-9Xx]|[0-9]{15})|(?P<phone>1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}))(?![0-9])"
)


def mask_numbers_in_text(value):
    """``value`` with every ID number and phone in it masked (typed in any form: full-width, spaces)."""
    from core.validators import ID_PATTERN, LANDLINE_PATTERN, MOBILE_PATTERN, normalize_id_number, normalize_phone

    text = str(value)
    whole_id = normalize_id_number(text)
    if ID_PATTERN.match(whole_id) or (len(whole_id) == 15 and whole_id.isdigit()):
        return mask_id_number(whole_id)
    whole_phone = normalize_phone(text)
    if MOBILE_PATTERN.match(whole_phone) or LANDLINE_PATTERN.match(whole_phone):
        return mask_phone(whole_phone)
    text = unicodedata.normalize("NFKC", text)

    def replace(match):
        return mask_id_number(match.group("id").upper()) if match.group("id") else mask_phone(match.group("phone"))

    return _NUMBER_IN_TEXT.sub(replace, text)


def mask_numbers_in(data):
    """A copy of JSON-like ``data`` (dicts, lists, strings) with the numbers in every string masked."""
    if isinstance(data, dict):
        return {mask_numbers_in(key): mask_numbers_in(item) for key, item in data.items()}
    if isinstance(data, list | tuple):
        return [mask_numbers_in(item) for item in data]
    if isinstance(data, str):
        return mask_numbers_in_text(data)
    return data
