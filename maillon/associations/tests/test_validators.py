"""RNA and SIREN/SIRET numbers: what a secretary types from the prefecture's receipt
or the INSEE notice is accepted, a typo is refused. No database needed."""

import pytest
from django.core.exceptions import ValidationError

from maillon.associations.validators import normalise_identifier, validate_rna, validate_siren


@pytest.mark.parametrize("value", ["W751234567", "w751234567", "W 751 234 567", "W751.234.567", ""])
def test_rna_accepts_a_w_and_nine_digits_as_typed(value):
    validate_rna(value)


@pytest.mark.parametrize("value", ["W12", "W7512345678", "751234567", "X751234567", "W75123456A"])
def test_rna_refuses_anything_else(value):
    with pytest.raises(ValidationError) as error:
        validate_rna(value)
    assert error.value.code == "invalid_rna"


@pytest.mark.parametrize(
    "value",
    [
        "732829320",  # passes the Luhn check
        "732 829 320",
        "732.829.320",
        "73282932000074",  # SIRET of the same company, also Luhn-valid
        "",
    ],
)
def test_siren_and_siret_pass_the_luhn_check(value):
    validate_siren(value)


@pytest.mark.parametrize(
    "value",
    [
        "732829321",  # one digit off: fails the Luhn check
        "73282932",  # too short
        "7328293200",  # ten digits: neither SIREN nor SIRET
        "73282932000075",  # SIRET with a wrong check digit
        "ABCDEFGHI",
    ],
)
def test_siren_refuses_typos(value):
    with pytest.raises(ValidationError) as error:
        validate_siren(value)
    assert error.value.code == "invalid_siren"


def test_identifiers_are_stored_without_spaces_dots_or_dashes():
    assert normalise_identifier(" w751-234.567 ") == "W751234567"
    assert normalise_identifier(None) == ""
