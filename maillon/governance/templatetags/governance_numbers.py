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
