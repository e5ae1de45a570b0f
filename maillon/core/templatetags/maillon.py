from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

from maillon.core.render_memo import RenderMemo

register = template.Library()

# The back-office navigation, per language, association (name, slug, modules),
# permissions and open section: see maillon.core.render_memo.
ASSOCIATION_NAV = RenderMemo(size=1024)


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


@register.simple_tag(takes_context=True)
def association_nav(context) -> str:
    """``components/association_nav.html`` for the current association, rendered once
    per process for each combination of what it shows (a role or module change makes
    a new key, so it is never stale)."""
    association = context.get("current_association")
    if association is None:
        return ""
    request = context.get("request")
    permissions = frozenset(context.get("current_permissions") or ())
    match = getattr(request, "resolver_match", None)
    key = (
        get_language(),
        get_script_prefix(),
        get_urlconf(),
        association.pk,
        association.slug,
        association.name,
        tuple(association.enabled_modules or ()),
        permissions,
        getattr(match, "app_name", None),
        getattr(match, "url_name", None),
    )
    return ASSOCIATION_NAV.get_or_render(
        key,
        lambda: render_to_string(
            "components/association_nav.html",
            {
                "current_association": association,
                "current_permissions": permissions,
                "request": request,
            },
        ),
    )
