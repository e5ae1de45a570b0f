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
