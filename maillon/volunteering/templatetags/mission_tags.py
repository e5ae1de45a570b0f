"""Template helpers of missions: labels of time slots, and the open missions of an
association on its public page (``{% association_missions association %}``)."""

from django import template

from ..mission_search import association_public_missions
from ..models import Source, TimeSlot

register = template.Library()

ASSOCIATION_PAGE_LIMIT = 10


@register.filter
def time_slot_labels(mission) -> str:
    labels = dict(TimeSlot.choices)
    return ", ".join(str(labels[s]) for s in mission.time_slots or [] if s in labels)


@register.inclusion_tag("missions/partials/association_missions.html")
def association_missions(association):
    missions = association_public_missions(association, limit=ASSOCIATION_PAGE_LIMIT + 1)
    return {
        "association": association,
        "missions": missions[:ASSOCIATION_PAGE_LIMIT],
        "has_more": len(missions) > ASSOCIATION_PAGE_LIMIT,
        "source": Source.ASSOCIATION_PAGE,
    }
