"""Changing a person's roles, from their page."""

from django.contrib import messages
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillon.core.tenancy import association_required
from maillon.core.views import run_service

from ..permissions import Perm
from ..register.selectors import person_get
from ..register.views import person_detail_redirect
from .forms import RolesForm
from .services import person_set_roles


@association_required(Perm.MANAGE_ROLES)
@require_POST
def member_roles(request, association_slug, person_id):
    person = person_get(association=request.association, person_id=person_id)
    form = RolesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose valid roles."))
        return person_detail_redirect(request, person)
    run_service(
        request,
        person_set_roles,
        success=_("The roles have been saved."),
        person=person,
        roles=form.cleaned_data["roles"],
    )
    return person_detail_redirect(request, person)
