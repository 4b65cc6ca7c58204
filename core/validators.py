"""Resident ID (GB 11643) and phone number normalisation and validation.

Normalisation happens before validation so that what users paste from WeChat or Excel
(full-width digits, spaces, a lower-case x) is stored in one canonical form, which the
unique constraints then compare.
"""

import datetime
import re
import unicodedata
from operator import mul

from django.core.exceptions import ValidationError

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
_ZERO_WEIGHTED = ord("0") * sum(ID_WEIGHTS)  # what the ASCII code of "0" adds to the weighted sum of the codes
ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_PATTERN = re.compile(r"^0\d{2,3}-\d{7,8}$")
# Regexes used by the database check constraints (portable across SQLite and PostgreSQL).
ID_DB_REGEX = r"^[0-9]{17}[0-9X]$"
PHONE_DB_REGEX = r"^(1[3-9][0-9]{9}|0[0-9]{2,3}-[0-9]{7,8})$"


def _fold(value):
    """Full-width to half-width, drop all white space (``str.split`` splits on what ``\\s`` matches)."""
    value = str(value or "")
    if not value.isascii():  # NFKC leaves ASCII as it is: skip it for what is already plain
        value = unicodedata.normalize("NFKC", value)
    return "".join(value.split())


def normalize_id_number(value):
    return _fold(value).upper()


def id_check_char(first17):
    """GB 11643 check character; for plain ASCII digits from their byte values (~4× faster on a
    county-size import), else digit by digit as ``int`` reads them (other scripts' digits too)."""
    if len(first17) == 17 and first17.isascii() and first17.isdigit():
        return ID_CHECK_CHARS[(sum(map(mul, first17.encode(), ID_WEIGHTS)) - _ZERO_WEIGHTED) % 11]
    return ID_CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def id_birth_date(number):
    """Birth date encoded in a normalised 18-character ID, or None if it is not a real date."""
    try:
        return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def id_gender(number):
    """'male' or 'female' from the 17th digit (odd is male)."""
    return "male" if int(number[16]) % 2 else "female"


def validate_id_number(value):
    number = normalize_id_number(value)
    if not number:
        return
    if len(number) == 15 and number.isdigit():
        raise ValidationError("这是15位的第一代身份证号，请填写18位的第二代身份证号。", code="id_first_generation")
    if not ID_PATTERN.match(number):
        raise ValidationError("身份证号应为18位：前17位是数字，最后一位是数字或X。", code="id_format")
    birth = id_birth_date(number)
    if birth is None:
        raise ValidationError("身份证号中的出生日期不是有效日期。", code="id_birth_date")
    if birth > datetime.date.today() or birth.year < 1900:
        raise ValidationError("身份证号中的出生日期不合理（早于1900年或晚于今天）。", code="id_birth_date")
    if id_check_char(number[:17]) != number[17]:
        raise ValidationError("身份证号校验位不正确，请核对后重新填写。", code="id_check_digit")


def normalize_phone(value):
    """Mobile numbers as 11 digits; landlines as area code, hyphen, local number."""
    phone = _fold(value).replace("(", "").replace(")", "")
    if phone.startswith("+86"):
        phone = phone[3:]
    digits = phone.replace("-", "")
    if MOBILE_PATTERN.match(digits):
        return digits
    if "-" not in phone and digits.startswith("0") and 10 <= len(digits) <= 12:
        # Without a hyphen the split is ambiguous: 3-digit codes (010, 020-029) are Beijing,
        # Guangzhou and the other large cities; everything else has a 4-digit code.
        code_len = 3 if digits[1] in "12" else 4
        return f"{digits[:code_len]}-{digits[code_len:]}"
    return phone


def validate_phone(value):
    phone = normalize_phone(value)
    if phone and not (MOBILE_PATTERN.match(phone) or LANDLINE_PATTERN.match(phone)):
        raise ValidationError(
            "电话号码格式不正确：请填写11位手机号，或带区号的固定电话（如 0746-1234567）。",
            code="phone_format",
        )
