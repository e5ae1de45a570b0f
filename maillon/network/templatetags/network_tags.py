from django import template
from django.utils.translation import get_language

from maillon.strategy.engine.scoring import level_label

register = template.Library()


@register.filter
def cells(row, today):
    return row.cells(today)


@register.filter
def level_name(code: str) -> str:
    return level_label(code, (get_language() or "fr")[:2])
