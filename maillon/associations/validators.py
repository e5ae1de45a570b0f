import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.fr import siren, siret

RNA_RE = re.compile(r"^W\d{9}$")


def normalise_identifier(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "").upper()


def validate_rna(value: str) -> None:
    if value and not RNA_RE.match(normalise_identifier(value)):
        raise ValidationError(
            _("An RNA number is a W followed by 9 digits, e.g. W751234567."), code="invalid_rna"
        )


def validate_siren(value: str) -> None:
    """Accepts a SIREN (9 digits) or a SIRET (14 digits), both Luhn-checked."""
    value = normalise_identifier(value)
    if not value:
        return
    if len(value) == 14 and siret.is_valid(value):
        return
    if len(value) == 9 and siren.is_valid(value):
        return
    raise ValidationError(
        _("This is not a valid SIREN (9 digits) or SIRET (14 digits) number."),
        code="invalid_siren",
    )
