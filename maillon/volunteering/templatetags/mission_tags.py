"""Template helpers of missions: labels of time slots, the open missions of an
association on its public page (``{% association_missions association %}``), a
mission's place and dates, and the search result card."""

import functools
from html import escape

from django import template
from django.urls import reverse
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from ..missions.search import ResultRow, public_missions_of_association
from ..models import ScheduleKind, Source, TimeSlot

register = template.Library()

ASSOCIATION_PAGE_LIMIT = 10


@register.filter
def time_slot_labels(mission) -> str:
    labels = dict(TimeSlot.choices)
    return ", ".join(str(labels[s]) for s in mission.time_slots or [] if s in labels)


@register.inclusion_tag("missions/partials/association_missions.html")
def association_missions(association):
    missions = public_missions_of_association(association, limit=ASSOCIATION_PAGE_LIMIT + 1)
    return {
        "association": association,
        "missions": missions[:ASSOCIATION_PAGE_LIMIT],
        "has_more": len(missions) > ASSOCIATION_PAGE_LIMIT,
        "source": Source.ASSOCIATION_PAGE,
    }


# --- place, dates and the result card, in Python ----------------------------------------------
# The search page shows 20 results: rendered through included templates they cost
# several milliseconds of CPU per page (docs/benchmarks.md, "Public mission search").
# The partial templates place.html and dates.html call these too, so there is one wording.


def place_text(mission) -> str:
    department = mission.department
    if mission.city or department:
        text = mission.city
        if department:
            text = f"{text} ({department.code})"
        if mission.is_remote:
            text = f"{text} · {gettext('or remote')}"
        return text
    return gettext("Remote") if mission.is_remote else "—"


def _date(value) -> str:
    return _date_in(get_language(), value)


@functools.lru_cache(maxsize=4096)
def _date_in(language: str | None, value) -> str:
    """A date as the active language writes it (``language`` keys the cache: 20 cards
    of a page share few dates, and formatting one costs more than finding it)."""
    return formats.date_format(value, "DATE_FORMAT")


def dates_text(mission) -> str:
    start, end = mission.start_date, mission.end_date
    if mission.schedule_kind == ScheduleKind.ONE_OFF:
        if end and end != start:
            text = gettext("From %(start)s to %(end)s") % {"start": _date(start), "end": _date(end)}
        else:
            text = gettext("On %(date)s") % {"date": _date(start) if start else ""}
    else:
        text = str(mission.get_schedule_kind_display())
        if start and end:
            text += ", " + gettext("from %(start)s to %(end)s") % {
                "start": _date(start),
                "end": _date(end),
            }
        elif start:
            text += ", " + gettext("from %(start)s") % {"start": _date(start)}
        elif end:
            text += ", " + gettext("until %(end)s") % {"end": _date(end)}
    if mission.schedule_note:
        text += f" · {mission.schedule_note}"
    return text


@register.simple_tag
def mission_place(mission) -> str:
    return place_text(mission)


@register.simple_tag
def mission_dates(mission) -> str:
    return dates_text(mission)


def _detail_url_prefix() -> str:
    """The mission page's URL up to its id (one ``reverse`` per page, not per card)."""
    url = reverse("missions:detail", kwargs={"mission_id": 0})
    return url[: url.rindex("0/")]


@register.simple_tag
def mission_card(mission, source) -> str:
    url = reverse("missions:detail", kwargs={"mission_id": mission.pk})
    return _card(mission, source, url)


@register.simple_tag
def mission_cards(missions, source) -> str:
    """The result cards of a search page: ``mission_card`` for each, with the URL
    prefix and the language looked up once."""
    prefix = _detail_url_prefix()
    return mark_safe(  # noqa: S308 - each card escapes its values
        "".join(_card(mission, source, f"{prefix}{mission.pk}/") for mission in missions)
    )


def _card(mission, source, url: str) -> str:
    if isinstance(mission, ResultRow):
        english = (get_language() or "fr").startswith("en")
        pairs = ([mission.cause_labels] if mission.cause_labels else []) + mission.skill_labels
        badges = [pair[1] if english else pair[0] for pair in pairs]
        association_name = mission.association_name
    else:
        badges = [mission.cause.label] if mission.cause_id else []
        badges += [skill.label for skill in mission.skills.all()]
        association_name = mission.association.name
    badge_html = (
        "<p>" + " ".join(f'<span class="badge">{_e(b)}</span>' for b in badges) + "</p>"
        if badges
        else ""
    )
    return mark_safe(  # noqa: S308 - every value is escaped
        f'<article class="card"><h3><a href="{_e(url)}?from={_e(source)}">'
        f"{_e(mission.title)}</a></h3>"
        f'<p class="muted">{_e(association_name)} · {_e(place_text(mission))}</p>'
        f"<p>{_e(dates_text(mission))}</p>{badge_html}</article>"
    )


def _e(value) -> str:
    """What ``format_html`` does to a value (``conditional_escape``), without a
    SafeString per value: text marked safe is kept, anything else is escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value), quote=True)
