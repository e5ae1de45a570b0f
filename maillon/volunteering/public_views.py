"""Public mission pages, no account needed: /missions/ (search), /missions/<id>/,
/missions/feed.atom and /missions/embed/<slug>/ (a list for the association's website)."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from maillon.associations.models import Module
from maillon.associations.selectors import association_by_slug

from . import mission_search_cache
from .mission_forms import MissionSearchForm
from .mission_search import (
    association_public_missions,
    mission_feed_items,
    mission_search_rows,
    public_mission_get,
)
from .mission_services import mission_view_record, source_from
from .models import Source

# Query-string keys the feed link keeps (not the page).
FEED_KEYS = ("q", "skill", "cause", "department", "remote", "date", "association", "sort")


def _page_number(value) -> int:
    try:
        return max(1, min(int(value), 10_000))
    except (TypeError, ValueError):
        return 1


def _search_query(request) -> str:
    query = request.GET.copy()
    for key in list(query):
        if key not in FEED_KEYS:
            del query[key]
    return query.urlencode()


@require_safe
def mission_search_view(request):
    query = _search_query(request)
    page_number = _page_number(request.GET.get("page"))
    context = {
        "feed_url": reverse("missions:feed") + (f"?{query}" if query else ""),
        "source": Source.SEARCH,
    }
    # The search form and its results hold nothing personal: for visitors without an
    # account they are kept a minute, per language and query (mission_search_cache).
    key = None
    if not request.user.is_authenticated:
        key = mission_search_cache.key(query=query, page=page_number)
        context["content"] = mission_search_cache.get(key)
    if context.get("content") is None:
        form = MissionSearchForm(request.GET)
        filters = form.filters()
        context.update(form=form, filters=filters, page=mission_search_rows(filters, page_number))
        context["content"] = render_to_string(
            "missions/partials/search_content.html", context, request
        )
        if key is not None:
            mission_search_cache.set(key, context["content"])
    return render(request, "missions/search.html", context)


@require_safe
def mission_public_detail_view(request, mission_id):
    mission = public_mission_get(mission_id)
    source = source_from(request.GET.get("from"))
    if request.method == "GET":
        mission_view_record(mission=mission, source=source)
    return render(request, "missions/detail.html", {"mission": mission, "source": source})


@xframe_options_exempt
@require_safe
def mission_embed_view(request, slug):
    """A compact page of the association's open missions, for an <iframe> on its own
    website; links open the mission's page in a new tab, counted as "website"."""
    association = association_by_slug(slug)
    if association is None or not association.has_module(Module.VOLUNTEERING):
        raise Http404
    return render(
        request,
        "missions/embed.html",
        {
            "association": association,
            "missions": association_public_missions(association, limit=50),
            "source": Source.WEBSITE,
        },
    )


class MissionSearchFeed(Feed):
    """The 50 newest missions of any search, as Atom: /missions/feed.atom?<query>."""

    feed_type = Atom1Feed

    def get_object(self, request):
        # The instance serves every request: the search travels in ``obj``, not on self.
        return {
            "filters": MissionSearchForm(request.GET).filters(),
            "query": _search_query(request),
        }

    def title(self, obj):
        if obj["filters"].q:
            return _("Volunteer missions: %(query)s") % {"query": obj["filters"].q}
        return _("Volunteer missions")

    def subtitle(self, obj):
        return _("The newest volunteer missions published on Maillon for this search.")

    def link(self, obj):
        query = obj["query"]
        return reverse("missions:search") + (f"?{query}" if query else "")

    def items(self, obj):
        return mission_feed_items(obj["filters"])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        place = _("Remote") if item.is_remote and not item.city else item.city
        text = Truncator(item.description).words(80)
        return f"{item.association.name} · {place}\n\n{text}" if place else text

    def item_link(self, item):
        return reverse("missions:detail", kwargs={"mission_id": item.pk})

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.association.name

    def item_categories(self, item):
        return [skill.label for skill in item.skills.all()]
