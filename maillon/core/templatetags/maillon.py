from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs):
    """The current query string with some parameters replaced (for pagination links
    that keep the filters)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.filter
def greeting_name(value):
    """``{{ registration.first_name|greeting_name }}``: see core.text.greeting_name."""
    from maillon.core.text import greeting_name as shorten

    return shorten(str(value or ""))


@register.filter
def elapsed(value):
    """``{{ date|elapsed }}``: the time since ``date`` as Django's ``timesince`` says
    it ("2 jours, 3 heures"), but "less than a minute" under a minute rather than
    "0 minutes" ("Sans réponse depuis moins d’une minute")."""
    if not value:
        return ""
    from django.utils import timezone
    from django.utils.timesince import timesince
    from django.utils.translation import gettext

    now = timezone.now()
    if (now - value).total_seconds() < 60:
        return gettext("less than a minute")
    return timesince(value, now)
