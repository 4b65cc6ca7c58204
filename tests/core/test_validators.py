import datetime

import pytest
from django.core.exceptions import ValidationError

from core.validators import normalize_id_number, normalize_phone, validate_id_number, validate_phone
from tests.factories import make_id_number

VALID = "11010519491231002X"


def test_valid_id_with_x_check_digit():
    validate_id_number(VALID)


def test_lower_case_x_and_full_width_digits_are_normalised():
    full_width = "１１０１０５ １９４９１２３１ ００２ｘ"
    assert normalize_id_number(full_width) == VALID
    validate_id_number(full_width)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("110105194912310021", "id_check_digit"),
        ("110105194902300026", "id_birth_date"),
        ("110105491231002", "id_first_generation"),
        ("11010519491231002", "id_format"),
        ("1101051949123100AX", "id_format"),
    ],
)
def test_invalid_ids_are_refused_with_a_reason(value, code):
    with pytest.raises(ValidationError) as info:
        validate_id_number(value)
    assert info.value.code == code


def test_future_birth_date_is_refused():
    future = make_id_number(birth=datetime.date.today() + datetime.timedelta(days=30))
    with pytest.raises(ValidationError) as info:
        validate_id_number(future)
    assert info.value.code == "id_birth_date"


def test_first_generation_message_asks_for_18_digits():
    with pytest.raises(ValidationError) as info:
        validate_id_number("110105491231002")
    assert "18位" in info.value.messages[0]


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("138 0013 8000", "13800138000"),
        ("１３８００１３８０００", "13800138000"),
        ("+86 13800138000", "13800138000"),
        ("0746-1234567", "0746-1234567"),
        ("07461234567", "0746-1234567"),
        ("010-12345678", "010-12345678"),
    ],
)
def test_phone_normalisation(raw, normalised):
    assert normalize_phone(raw) == normalised
    validate_phone(raw)


@pytest.mark.parametrize("bad", ["12345", "23800138000", "1380013800", "0746-12345", "abc"])
def test_bad_phones_are_refused(bad):
    with pytest.raises(ValidationError):
        validate_phone(bad)
