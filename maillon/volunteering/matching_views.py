"""Views of volunteer profiles, matching and mission alerts.

/me/volunteering/... pages run with no tenant scope: they read the signed-in person's
own profile and the network's public missions only. The back-office page of a
mission's matches runs in the association's scope.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillon.associations.models import Module
from maillon.core.forms import add_validation_error
from maillon.core.tenancy import association_required
from maillon.members.permissions import Perm

from . import matching, matching_services, profile_services
from .matching_selectors import (
    invitable_profile,
    mission_for_matching,
    mission_is_invitable,
    missions_for_volunteer,
    profile_by_alert_token,
    profile_is_empty,
    profile_of,
    volunteers_for_mission,
)
from .profile_forms import VolunteerProfileForm


def _cause_labels(mission) -> dict[str, str]:
    return {mission.cause.code: mission.cause.label} if mission.cause_id else {}


# --- the volunteer's own pages --------------------------------------------------------------


def _profile_initial(profile) -> dict:
    if profile is None:
        return {}
    return {
        "skills": list(profile.skills.all()),
        "causes": list(profile.causes.all()),
        "availability": profile.availability,
        "postal_code": profile.postal_code,
        "remote_ok": profile.remote_ok,
        "birth_date": profile.birth_date,
        "about": profile.about,
        "visible_to_associations": profile.visible_to_associations,
        "alerts_enabled": profile.alerts_enabled,
        "alert_frequency": profile.alert_frequency,
    }


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    profile = profile_of(request.user)
    form = VolunteerProfileForm(request.POST or None, initial=_profile_initial(profile))
    if request.method == "POST" and form.is_valid():
        try:
            profile_services.volunteer_profile_save(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Your volunteer profile has been saved."))
            return redirect("volunteer:suggestions")
    return render(request, "volunteering/matching/profile.html", {"form": form, "profile": profile})


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
                matching.reason_text(r, labels=_cause_labels(s.mission)) for r in s.match.reasons
            ],
        }
        for s in missions_for_volunteer(profile)
    ]
    return render(
        request, "volunteering/matching/suggestions.html", {"profile": profile, "items": items}
    )


# Mail clients send the one-click unsubscribe (RFC 8058) as a POST without any CSRF
# token; the secret token in the URL is what authorises it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def alerts_stop(request, token):
    profile = profile_by_alert_token(token)
    if profile is None:
        raise Http404
    if request.method == "POST":
        profile_services.volunteer_alerts_stop(profile=profile)
        return render(request, "volunteering/matching/alerts_stopped.html", {"profile": profile})
    return render(request, "volunteering/matching/alerts_stop.html", {"profile": profile})


# --- the association's back-office ----------------------------------------------------------


@association_required(Perm.MANAGE_MISSIONS, module=Module.VOLUNTEERING)
@require_safe
def mission_matches(request, association_slug, mission_id):
    mission = mission_for_matching(association=request.association, mission_id=mission_id)
    rows = [
        {
            "volunteer": v,
            "reasons": [
                matching.reason_text(
                    r, audience=matching.ASSOCIATION, labels=_cause_labels(mission)
                )
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
    try:
        matching_services.mission_invitation_send(
            association=request.association, actor=request.user, mission=mission, profile=profile
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The invitation has been sent. The volunteer will get a link to the mission."),
        )
    return back
