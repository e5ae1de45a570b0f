"""Inviting a person of the register, and the page their email link opens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maillon.core.tenancy import association_required
from maillon.core.views import flash_refusal, run_service

from ..permissions import Perm
from ..register.selectors import person_get
from ..register.views import person_detail_redirect
from . import services
from .forms import InvitationForm
from .selectors import invitation_for_token


@association_required(Perm.MANAGE_MEMBERS)
@require_POST
def member_invite(request, association_slug, person_id):
    person = person_get(association=request.association, person_id=person_id)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid email address."))
        return person_detail_redirect(request, person)
    email = form.cleaned_data["email"]
    run_service(
        request,
        services.invitation_send,
        success=_("An invitation has been sent to %(email)s.") % {"email": email},
        person=person,
        email=email,
    )
    return person_detail_redirect(request, person)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept_view(request, token):
    invitation = invitation_for_token(token)
    if invitation is None:
        raise Http404
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            flash_refusal(request, error)
            return redirect("me:home")
        messages.success(
            request, _("Welcome to %(association)s!") % {"association": invitation.association.name}
        )
        return redirect("backoffice:dashboard", association_slug=invitation.association.slug)
    return render(request, "members/invitation_accept.html", {"invitation": invitation})
