"""Pages of missions: the association's back-office
(/a/<association_slug>/volunteering/missions/...) and the public pages, no account
needed: /missions/ (search), /missions/<id>/, /missions/feed.atom and
/missions/embed/<slug>/ (a list for the association's website)."""

import copy

from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillon.associations.models import Module
from maillon.associations.selectors import association_by_slug
from maillon.core.forms import add_validation_error
from maillon.core.tenancy import association_required
from maillon.core.views import run_service
from maillon.members.permissions import Perm

from ..models import Audience, MissionStatus, Source
from . import search_cache, services
from .forms import MissionForm, MissionSearchForm, MissionStatusFilterForm
from .search import (
    public_mission_feed_items,
    public_mission_get,
    public_mission_search_rows,
    public_missions_of_association,
)
from .selectors import (
    mission_get,
    mission_list,
    mission_status_counts,
    mission_views_by_source,
)
from .services import mission_view_record, source_from

MISSIONS_PER_PAGE = getattr(settings, "MISSIONS_PER_PAGE", 25)


def _mission_fields(form: MissionForm) -> dict:
    data = dict(form.cleaned_data)
    data.pop("skills", None)
    return data


@association_required(Perm.VIEW_VOLUNTEERING, module=Module.VOLUNTEERING)
@require_safe
def mission_list_view(request, association_slug):
    form = MissionStatusFilterForm(request.GET)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    page = Paginator(
        mission_list(association=request.association, status=status), MISSIONS_PER_PAGE
    ).get_page(request.GET.get("page"))
    counts = mission_status_counts(association=request.association)
    embed_url = request.build_absolute_uri(
        reverse("missions:embed", kwargs={"slug": request.association.slug})
    )
    return render(
        request,
        "volunteering/missions/list.html",
        {
            "form": form,
            "page_obj": page,
            "status": status,
            "status_tabs": [
                (value, label, counts[value]) for value, label in MissionStatus.choices
            ],
            "embed_url": embed_url,
        },
    )


@association_required(Perm.MANAGE_MISSIONS, module=Module.VOLUNTEERING)
@require_http_methods(["GET", "POST"])
def mission_create_view(request, association_slug):
    form = MissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        publish = "publish" in request.POST
        try:
            mission = services.mission_create(
                association=request.association,
                actor=request.user,
                skills=form.cleaned_data["skills"],
                status=MissionStatus.PUBLISHED if publish else MissionStatus.DRAFT,
                **_mission_fields(form),
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            if publish:
                messages.success(request, _("The mission is published."))
            else:
                messages.success(request, _("The mission is saved as a draft."))
            return redirect(
                "volunteering:mission_detail",
                association_slug=association_slug,
                mission_id=mission.pk,
            )
    return render(
        request,
        "volunteering/missions/form.html",
        {"form": form, "title": _("New mission"), "is_new": True},
    )


@association_required(Perm.VIEW_VOLUNTEERING, module=Module.VOLUNTEERING)
@require_safe
def mission_detail_view(request, association_slug, mission_id):
    mission = mission_get(association=request.association, mission_id=mission_id)
    sources = dict(Source.choices)
    views = [
        (sources.get(source, source), total)
        for source, total in mission_views_by_source(mission=mission)
    ]
    return render(
        request,
        "volunteering/missions/detail.html",
        {
            "mission": mission,
            "views": views,
            "is_public": mission.status == MissionStatus.PUBLISHED
            and mission.audience == Audience.PUBLIC,
        },
    )


@association_required(Perm.MANAGE_MISSIONS, module=Module.VOLUNTEERING)
@require_http_methods(["GET", "POST"])
def mission_edit_view(request, association_slug, mission_id):
    mission = mission_get(association=request.association, mission_id=mission_id)
    # The form works on a copy: a refused change must not show in the page title.
    form = MissionForm(request.POST or None, instance=copy.copy(mission))
    if request.method == "POST" and form.is_valid():
        try:
            services.mission_update(
                association=request.association,
                actor=request.user,
                mission=mission,
                skills=form.cleaned_data["skills"],
                **_mission_fields(form),
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(
                "volunteering:mission_detail",
                association_slug=association_slug,
                mission_id=mission.pk,
            )
    return render(
        request,
        "volunteering/missions/form.html",
        {"form": form, "mission": mission, "title": _("Edit %(title)s") % {"title": mission}},
    )


def _lifecycle_view(service, done_message):
    @association_required(Perm.MANAGE_MISSIONS, module=Module.VOLUNTEERING)
    @require_POST
    def view(request, association_slug, mission_id):
        mission = mission_get(association=request.association, mission_id=mission_id)
        run_service(request, service, success=done_message(), mission=mission)
        return redirect(
            "volunteering:mission_detail", association_slug=association_slug, mission_id=mission.pk
        )

    view.__name__ = f"{service.__name__}_view"
    return view


mission_publish_view = _lifecycle_view(
    services.mission_publish, lambda: _("The mission is published.")
)
mission_mark_full_view = _lifecycle_view(
    services.mission_mark_full,
    lambda: _("The mission is marked as full: it no longer shows in the public search."),
)
mission_close_view = _lifecycle_view(services.mission_close, lambda: _("The mission is closed."))
mission_reopen_view = _lifecycle_view(
    services.mission_reopen, lambda: _("The mission is open again.")
)


# --- Public pages (no account needed) ------------------------------------------------------

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
    # account they are kept a minute, per language and query (search_cache).
    key, generation = None, 0
    if not request.user.is_authenticated:
        key = search_cache.key(query=query, page=page_number)
        context["content"], generation = search_cache.get(key)
    if context.get("content") is None:
        form = MissionSearchForm(request.GET)
        filters = form.filters()
        context.update(
            form=form, filters=filters, page=public_mission_search_rows(filters, page_number)
        )
        context["content"] = render_to_string(
            "missions/partials/search_content.html", context, request
        )
        if key is not None:
            search_cache.set(key, context["content"], generation)
    return render(request, "missions/search.html", context)


@require_safe
def mission_public_detail_view(request, mission_id):
    mission = public_mission_get(mission_id)
    source = source_from(request.GET.get("from"))
    if request.method == "GET":
        mission_view_record(mission=mission, source=source)
    return render(request, "missions/detail.html", {"mission": mission, "source": source})


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})  # any association's website may show it
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
            "missions": public_missions_of_association(association, limit=50),
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
        return public_mission_feed_items(obj["filters"])

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
