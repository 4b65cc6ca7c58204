"""Server-side masking of personal data: pages, exports and the audit log never show it whole.

The birth date (digits 7-14) of an ID number is hidden; so are the middle digits of a phone.
"""


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
    """AUDITLOG_MASK_CALLABLE: one function for every masked field in the audit log."""
    value = str(value or "")
    if value in ("None", ""):
        return value
    if len(value) in (15, 18):
        return mask_id_number(value)
    return mask_phone(value)
