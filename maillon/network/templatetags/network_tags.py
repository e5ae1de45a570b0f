from django import template

register = template.Library()


@register.inclusion_tag("network/practices/partials/like_yours.html", takes_context=True)
def practice_sheets_like_yours(context, recommendation):
    """Under a ``peer_exchange`` or ``network`` recommendation of the diagnostic's
    results: "N sheets from associations like yours", with links to the first ones.
    The candidate sheets are read once per page (a fixed number of queries however
    many recommendations the page shows)."""
    from maillon.network.practices.selectors import (
        my_network_ids,
        sheets_like_yours_across_associations,
        sheets_on_topic,
    )

    request = context.get("request")
    association = getattr(request, "association", None)
    if association is None or recommendation.help not in ("peer_exchange", "network"):
        return {"count": 0, "sheets": []}
    if not hasattr(request, "_sheets_like_yours"):
        request._sheets_like_yours = sheets_like_yours_across_associations(
            association=association, network_ids=my_network_ids(user=request.user)
        )
    sheets = sheets_on_topic(
        request._sheets_like_yours,
        recommendation_code=recommendation.code,
        domain=recommendation.domain,
    )
    item = context.get("item")
    diagnostic = context.get("diagnostic")
    adopt = bool(
        context.get("can_adopt") and diagnostic is not None and not getattr(item, "adopted", True)
    )
    return {
        "count": len(sheets),
        "sheets": sheets[:3],
        "code": recommendation.code,
        "adopt": adopt,
        "association_slug": association.slug,
        "diagnostic_id": getattr(diagnostic, "pk", None),
    }


@register.inclusion_tag("network/practices/partials/inspired_by.html", takes_context=True)
def inspired_by(context, action):
    """ "Inspired by: <sheet>" on an action of the plan adopted from a practice sheet.
    The association's adoptions are read once per page."""
    from maillon.network.practices.selectors import adoptions_by_action

    request = context.get("request")
    association = getattr(request, "association", None)
    if association is None:
        return {"sheet": None}
    if not hasattr(request, "_practice_adoptions"):
        request._practice_adoptions = adoptions_by_action(association=association)
    return {"sheet": request._practice_adoptions.get(action.pk)}


@register.simple_tag(takes_context=True)
def on_a_network_team(context) -> bool:
    """Whether the signed-in person is on the team of an active network (the main
    menu and "My space" then link to their networks). One query per page at most."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if not hasattr(request, "_on_a_network_team"):
        from maillon.network.networks.selectors import on_a_network_team as lookup

        request._on_a_network_team = lookup(user=user)
    return request._on_a_network_team
