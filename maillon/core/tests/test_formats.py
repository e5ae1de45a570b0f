"""English dates read day/month/year, as the French ones do."""

import datetime

from django import forms
from django.utils import formats, translation

DAY = datetime.date(2026, 12, 6)
MOMENT = datetime.datetime(2026, 12, 6, 18, 30)


class _DateForm(forms.Form):
    day = forms.DateField()
    moment = forms.DateTimeField(required=False)


def test_english_dates_are_day_month_year():
    with translation.override("en"):
        assert formats.date_format(DAY) == "6 December 2026"
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == "06/12/2026"
        assert formats.date_format(MOMENT, "DATETIME_FORMAT") == "6 December 2026, 18:30"
        assert formats.date_format(MOMENT, "SHORT_DATETIME_FORMAT") == "06/12/2026 18:30"
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1


def test_english_typed_dates_are_read_day_first_and_iso_still_works():
    with translation.override("en"):
        typed = _DateForm({"day": "05/10/2026", "moment": "05/10/2026 09:15"})
        assert typed.is_valid(), typed.errors
        assert typed.cleaned_data["day"] == datetime.date(2026, 10, 5)
        assert typed.cleaned_data["moment"].date() == datetime.date(2026, 10, 5)
        iso = _DateForm({"day": "2026-10-05"})
        assert iso.is_valid(), iso.errors
        assert iso.cleaned_data["day"] == datetime.date(2026, 10, 5)


def test_french_dates_are_unchanged():
    with translation.override("fr"):
        assert formats.date_format(DAY) == "6 décembre 2026"
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == "06/12/2026"
