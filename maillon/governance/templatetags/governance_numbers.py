"""``{% load governance_numbers %}``: the numbers of governance pages in the active
language (see :mod:`maillon.governance.formatting`)."""

from django import template

from maillon.governance import formatting

register = template.Library()


@register.filter
def count(value):
    return formatting.count(value)


@register.filter
def percent(value):
    return formatting.percent(value)


@register.filter
def share(value):
    """A fraction (0.667) as a percentage ("66,7 %")."""
    return formatting.share(value)
