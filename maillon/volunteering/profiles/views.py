"""Pages of the volunteer profile: the signed-in person edits their own profile
(/me/volunteering/profile/, no tenant scope: the profile belongs to the person), and
the unsubscribe link of the mission alerts (no sign-in: its secret token)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from maillon.core.forms import add_validation_error

from . import services
from .forms import VolunteerProfileForm
from .selectors import profile_by_alert_token, profile_of


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
            services.volunteer_profile_save(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Your volunteer profile has been saved."))
            return redirect("volunteer:suggestions")
    return render(request, "volunteering/matching/profile.html", {"form": form, "profile": profile})


# Mail clients send the one-click unsubscribe (RFC 8058) as a POST without any CSRF
# token; the secret token in the URL is what authorises it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def alerts_stop(request, token):
    profile = profile_by_alert_token(token)
    if profile is None:
        raise Http404
    if request.method == "POST":
        services.volunteer_alerts_stop(profile=profile)
        return render(request, "volunteering/matching/alerts_stopped.html", {"profile": profile})
    return render(request, "volunteering/matching/alerts_stop.html", {"profile": profile})
