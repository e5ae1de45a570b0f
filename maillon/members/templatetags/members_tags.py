from django import template

from maillon.members.models import Role

register = template.Library()


@register.filter
def role_label(value: str) -> str:
    return dict(Role.choices).get(value, value)
