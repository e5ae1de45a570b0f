"""Pages of matching: the missions suggested to a volunteer
(/me/volunteering/suggestions/, no tenant scope: the signed-in person's own profile
and the network's public missions only) and the volunteers suggested for a mission
(back-office, in the association's scope).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from maillon.associations.models import Module
from maillon.core.tenancy import association_required
from maillon.core.views import run_service
from maillon.members.permissions import Perm

from ..profiles.selectors import profile_is_empty, profile_of
from . import reasons, services
from .selectors import (
    invitable_profile,
    mission_for_matching,
    mission_is_invitable,
    missions_for_volunteer,
    volunteers_for_mission,
)


def _cause_labels(mission) -> dict[str, str]:
    return {mission.cause.code: mission.cause.label} if mission.cause_id else {}


# --- the volunteer's own pages --------------------------------------------------------------


@login_required
@require_safe
def suggestions(request):
    profile = profile_of(request.user)
    if profile_is_empty(profile):
        return render(request, "volunteering/matching/suggestions.html", {"empty_profile": True})
    items = [
        {
            "mission": s.mission,
            "url": s.url,
            "score": s.match.score,
            "reasons": [
                reasons.reason_text(r, labels=_cause_labels(s.mission)) for r in s.match.reasons
            ],
        }
        for s in missions_for_volunteer(profile)
    ]
    return render(
        request, "volunteering/matching/suggestions.html", {"profile": profile, "items": items}
    )


# --- the association's back-office ----------------------------------------------------------


@association_required(Perm.MANAGE_MISSIONS, module=Module.VOLUNTEERING)
@require_safe
def mission_matches(request, association_slug, mission_id):
    mission = mission_for_matching(association=request.association, mission_id=mission_id)
    rows = [
        {
            "volunteer": v,
            "reasons": [
                reasons.reason_text(r, audience=reasons.ASSOCIATION, labels=_cause_labels(mission))
                for r in v.match.reasons
            ],
        }
        for v in volunteers_for_mission(association=request.association, mission=mission)
    ]
    return render(
        request,
        "volunteering/matching/mission_matches.html",
        {"mission": mission, "rows": rows, "can_invite": mission_is_invitable(mission)},
    )


@association_required(Perm.MANAGE_MISSIONS, module=Module.VOLUNTEERING)
@require_POST
def mission_invite(request, association_slug, mission_id):
    mission = mission_for_matching(association=request.association, mission_id=mission_id)
    back = redirect(
        "volunteering:mission_matches", association_slug=association_slug, mission_id=mission.pk
    )
    profile = invitable_profile(profile_id=request.POST.get("profile"))
    if profile is None:
        messages.error(request, _("This volunteer can no longer be invited."))
        return back
    run_service(
        request,
        services.mission_invitation_send,
        success=_("The invitation has been sent. The volunteer will get a link to the mission."),
        mission=mission,
        profile=profile,
    )
    return back
