import re

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

from maillon.core.render_memo import RenderMemo

register = template.Library()

# The back-office navigation, per language, association (name, slug, modules),
# permissions and open section: see maillon.core.render_memo.
ASSOCIATION_NAV = RenderMemo(size=1024)


# Fragments of the layout, per language and the values their tag names.
LAYOUT_FRAGMENTS = RenderMemo(size=256)

#: What a kept fragment may not read: it would differ between requests.
_PER_REQUEST = re.compile(r"\b(csrf_token|request|messages|perms)\b")
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")


class KeptFragmentNode(template.Node):
    def __init__(self, nodelist, name: str, values: list) -> None:
        self.nodelist = nodelist
        self.name = name
        self.values = values

    def render(self, context) -> str:
        key = (
            self.name,
            get_language(),
            get_script_prefix(),
            get_urlconf(),
            *(value.resolve(context) for value in self.values),
        )
        return LAYOUT_FRAGMENTS.get_or_render(key, lambda: self.nodelist.render(context))


@register.tag
def kept(parser, token):
    """``{% kept "name" value ... %}...{% endkept %}``: the enclosed template rendered
    once per process for each language and combination of the values named (see
    ``maillon.core.render_memo``), for the layout's parts that every page repeats.
    What is inside may read nothing but those values, fixed settings and the
    language: no CSRF token, request, messages, nor anything about the person."""
    bits = token.split_contents()[1:]
    if not bits or bits[0][0] not in "\"'":
        raise template.TemplateSyntaxError("{% kept %} needs a quoted name first")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    for node in nodelist.get_nodes_by_type(template.Node):
        if isinstance(node, template.base.TextNode):
            continue
        code = _QUOTED.sub("", node.token.contents)  # the tag or variable, not its texts
        if isinstance(node, CsrfTokenNode) or _PER_REQUEST.search(code):
            raise template.TemplateSyntaxError(f"{{% kept %}} cannot hold {node.token.contents}")
    return KeptFragmentNode(nodelist, bits[0][1:-1], [parser.compile_filter(b) for b in bits[1:]])


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
