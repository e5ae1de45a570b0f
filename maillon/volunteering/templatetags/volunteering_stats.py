"""{% response_stats association %}: an association's public response rate and median
response time to applications (filled in by the applications part)."""

from django import template

register = template.Library()


@register.simple_tag
def response_stats(association):
    return ""
