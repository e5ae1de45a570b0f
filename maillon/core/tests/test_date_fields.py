"""Every date a person types in a form says when the day does not exist (31/02/1990)
rather than that the format is wrong: no form of the project keeps Django's plain
DateField (issue 10, item 10)."""

import importlib
import inspect
import pkgutil

from django import forms
from django.utils import translation

import maillon
from maillon.core.forms import DateField


def project_forms():
    for info in pkgutil.walk_packages(maillon.__path__, "maillon."):
        if not info.name.endswith("forms") or ".tests" in info.name:
            continue
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def test_the_walk_finds_the_forms_with_dates():
    names = {cls.__name__ for cls in project_forms()}
    assert {"MissionForm", "ActionForm", "MeasurementForm", "DonationForm"} <= names


def test_no_form_keeps_the_plain_date_field():
    plain = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in project_forms()
        for name, field in cls.base_fields.items()
        if type(field) is forms.DateField
    ]
    assert not plain, plain


def test_a_model_form_names_an_impossible_day():
    from maillon.strategy.plan.forms import MeasurementForm

    field = MeasurementForm.base_fields["date"]
    assert isinstance(field, DateField)
    with translation.override("fr"):
        form = MeasurementForm(data={"date": "31/02/2026", "value": "3"})
        assert not form.is_valid()
        assert "n’existe pas" in str(form.errors["date"])
