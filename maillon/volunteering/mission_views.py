"""Back-office of missions: /a/<association_slug>/volunteering/missions/..."""

import copy

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillon.associations.models import Module
from maillon.core.forms import add_validation_error
from maillon.core.tenancy import association_required
from maillon.members.permissions import Perm

from . import mission_services as services
from .mission_forms import MissionForm, MissionStatusFilterForm
from .mission_selectors import (
    mission_get,
    mission_list,
    mission_status_counts,
    mission_views_by_source,
)
from .models import Audience, MissionStatus, Source

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
        try:
            service(association=request.association, actor=request.user, mission=mission)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done_message())
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
