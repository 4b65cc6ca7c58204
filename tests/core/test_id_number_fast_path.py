"""The faster ID-number check (ASCII fast paths in core.validators) accepts and refuses exactly what the
digit-by-digit original did, with the same reason, over many generated numbers and pasted forms."""

import datetime
import random
import re
import unicodedata

import pytest
from django.core.exceptions import ValidationError

from core import validators
from core.validators import ID_CHECK_CHARS, ID_WEIGHTS, id_check_char, validate_id_number


def original_check_char(first17):
    return ID_CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def original_fold(value):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value or "")))


def code(validate, value):
    try:
        validate(value)
    except ValidationError as error:
        return error.code
    return None


def original_validate(value, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(validators, "_fold", original_fold)
        patch.setattr(validators, "id_check_char", original_check_char)
        return code(validate_id_number, value)


def generated(count=20_000, seed=11643):
    """Valid numbers, their wrong check characters, random digit strings, and the forms pasted from
    Excel or WeChat: lower-case x, full-width digits, inner and odd spaces, other scripts' digits."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        birth = datetime.date(1890, 1, 1) + datetime.timedelta(days=rng.randrange(60_000))
        first17 = f"{rng.randrange(110000, 660000)}{birth:%Y%m%d}{rng.randrange(1000):03d}"
        valid = first17 + original_check_char(first17)
        noise = "".join(rng.choice("0123456789X") for _ in range(18))
        out += [valid, first17 + rng.choice(ID_CHECK_CHARS + "x"), noise]
        if n % 10 == 0:
            out += [
                valid.lower(),
                valid.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")),
                f" {valid[:6]} {valid[6:14]}\u3000{valid[14:]}\t",
                valid[:6] + "\u00a0" + valid[6:],
                valid.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
                valid[:15],
                valid[:17],
                "",
            ]
    return out


def test_the_check_character_is_the_original_for_every_17_digit_prefix():
    rng = random.Random(7)
    for _ in range(50_000):
        first17 = "".join(rng.choice("0123456789") for _ in range(17))
        assert id_check_char(first17) == original_check_char(first17)
    arabic = "١١٠١٠٥١٩٤٩١٢٣١٠٠٢"[:17]
    assert id_check_char(arabic) == original_check_char(arabic)
    with pytest.raises(ValueError):
        id_check_char("1101051949123100")  # 16 characters, as zip(strict=True) refused


def test_validate_accepts_and_refuses_exactly_as_the_original(monkeypatch):
    values = generated()
    assert sum(code(validate_id_number, v) is None for v in values) > 10_000  # most generated numbers are valid
    for value in values:
        assert code(validate_id_number, value) == original_validate(value, monkeypatch), value


def test_folding_is_the_original_for_ids_and_phones():
    phones = ["138 0013 8000", "１３８００１３８０００", "+86 13800138000", "(0746) 1234567", "0746\u00a01234567"]
    phones.append("\x1c1\x1f3")  # ASCII separators: white space to both
    for value in [*generated(2_000, seed=3), *phones, None, 13800138000]:
        assert validators._fold(value) == original_fold(value)
