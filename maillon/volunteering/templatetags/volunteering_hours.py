"""``{{ entry.hours|hours }}``: hours as in messages and PDFs ("3,5", not "3,50")."""

from django import template

from maillon.volunteering.hours.formatting import hours_text

register = template.Library()


@register.filter
def hours(value) -> str:
    return hours_text(value)
