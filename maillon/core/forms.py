from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .dates import is_impossible_date


def add_validation_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: field errors on their field when
    the form has it, the rest at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class DateField(forms.DateField):
    """A date field whose message says when the day does not exist (31/02/1990)
    rather than that the format is wrong."""

    default_error_messages = {
        "impossible": _("This date does not exist: check the day and the month."),
    }

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            if isinstance(value, str) and is_impossible_date(value):
                raise ValidationError(
                    self.error_messages["impossible"], code="impossible"
                ) from None
            raise


def day_checked_formfield(db_field, **kwargs):
    """``Meta.formfield_callback`` of a model form: a date column gets the
    :class:`DateField` above, which names an impossible day (31/02) as such."""
    if type(db_field) is models.DateField:
        kwargs.setdefault("form_class", DateField)
    return db_field.formfield(**kwargs)
