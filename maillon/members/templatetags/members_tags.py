from django import template

from maillon.members.display import display_name
from maillon.members.models import Role

register = template.Library()


@register.filter
def role_label(value: str) -> str:
    return dict(Role.choices).get(value, value)


@register.filter
def person_name(user, association=None) -> str:
    """``{{ user|person_name:current_association }}``: a name, the email only when no
    name is known (see ``maillon.members.display.display_name``)."""
    return display_name(user, association)
