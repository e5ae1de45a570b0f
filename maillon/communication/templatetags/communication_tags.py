from django import template

from maillon.communication.selectors import public_latest_posts

register = template.Library()


@register.inclusion_tag("communication/partials/latest_news.html")
def latest_news(association, limit: int = 3):
    """The latest public posts of ``association`` (nothing when its news module is
    off or it has published none), for its public page."""
    return {
        "association": association,
        "posts": public_latest_posts(association=association, limit=limit),
    }
