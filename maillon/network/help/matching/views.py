"""The helpers' side of matching that has a page of its own: the open help requests
that suit a skills volunteer, ``/me/volunteering/help-requests/`` (no tenant scope:
the signed-in person's own profile and the requests published to volunteers). The
association's side is a section of the request's page; the company's, of its space."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from maillon.volunteering.profiles.selectors import profile_is_empty, profile_of

from .selectors import requests_for_volunteer


@login_required
@require_safe
def requests_for_me(request):
    profile = profile_of(request.user)
    if profile_is_empty(profile):
        return render(request, "network/help/matching/for_volunteer.html", {"empty_profile": True})
    return render(
        request,
        "network/help/matching/for_volunteer.html",
        {"profile": profile, "items": requests_for_volunteer(profile=profile)},
    )
