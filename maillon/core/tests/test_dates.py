"""Impossible dates say that the day does not exist (issue 10 item 10), in forms as in
the member import."""

import datetime

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from maillon.core.dates import is_impossible_date
from maillon.members.register.forms import PersonForm


@pytest.mark.parametrize(
    ("text", "impossible"),
    [
        ("31/02/1990", True),
        ("29/02/2023", True),
        ("29/02/2024", False),
        ("31/04/1990", True),
        ("1990-02-30", True),
        ("07/14/1980", False),  # month 14: a format problem (American order)
        ("00/01/1990", False),
        ("pas une date", False),
        ("", False),
    ],
)
def test_impossible_dates_are_told_apart_from_bad_formats(text, impossible):
    assert is_impossible_date(text) is impossible


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_a_real_date_is_never_impossible(day):
    assert not is_impossible_date(day.strftime("%d/%m/%Y"))
    assert not is_impossible_date(day.isoformat())


@pytest.mark.parametrize("value", ["31/02/1990", "1990-02-31"])
def test_the_register_form_says_the_date_does_not_exist(value):
    with translation.override("en"):
        form = PersonForm(data={"first_name": "Léa", "last_name": "Martin", "birth_date": value})
        assert not form.is_valid()
        assert form.errors["birth_date"] == [
            "This date does not exist: check the day and the month."
        ]


def test_a_badly_written_date_still_asks_for_the_format():
    with translation.override("en"):
        form = PersonForm(data={"first_name": "Léa", "last_name": "Martin", "birth_date": "hier"})
        assert not form.is_valid()
        assert "does not exist" not in form.errors["birth_date"][0]


def test_other_forms_say_it_too():
    from maillon.volunteering.engagement.forms import PeriodForm

    with translation.override("en"):
        form = PeriodForm(data={"start": "30/02/2025", "end": "2025-03-31"})
        assert not form.is_valid()
        assert form.errors["start"] == ["This date does not exist: check the day and the month."]
