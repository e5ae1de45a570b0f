"""Pages of an assembly's minutes: read (members: once approved), generate from the
records, edit, download as PDF."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillon.associations.models import Module
from maillon.core.forms import add_validation_error
from maillon.core.tenancy import association_required
from maillon.core.views import run_service
from maillon.members.permissions import Perm

from . import pdf, services
from .forms import MinutesForm
from .selectors import assembly_for_minutes_get, minutes_of

MODULE = Module.GOVERNANCE


def _can_manage(request) -> bool:
    return Perm.MANAGE_ASSEMBLIES in request.permissions


def _minutes_visible(request, minutes) -> bool:
    """Members read approved minutes; the bureau also reads drafts."""
    return _can_manage(request) or (minutes is not None and minutes.approved_at is not None)


@association_required(Perm.TAKE_PART, module=MODULE)
@require_safe
def minutes_detail(request, association_slug, assembly_id):
    assembly = assembly_for_minutes_get(association=request.association, assembly_id=assembly_id)
    minutes = minutes_of(assembly=assembly)
    return render(
        request,
        "governance/minutes_detail.html",
        {
            "assembly": assembly,
            "minutes": minutes if _minutes_visible(request, minutes) else None,
            "can_manage": _can_manage(request),
        },
    )


@association_required(Perm.MANAGE_ASSEMBLIES, module=MODULE)
@require_POST
def minutes_generate(request, association_slug, assembly_id):
    assembly = assembly_for_minutes_get(association=request.association, assembly_id=assembly_id)
    run_service(
        request,
        services.minutes_generate,
        success=_("The minutes have been generated. Review and edit them."),
        assembly=assembly,
    )
    return redirect(
        "governance:minutes_detail", association_slug=association_slug, assembly_id=assembly.pk
    )


@association_required(Perm.MANAGE_ASSEMBLIES, module=MODULE)
@require_http_methods(["GET", "POST"])
def minutes_edit(request, association_slug, assembly_id):
    assembly = assembly_for_minutes_get(association=request.association, assembly_id=assembly_id)
    minutes = minutes_of(assembly=assembly)
    detail = redirect(
        "governance:minutes_detail", association_slug=association_slug, assembly_id=assembly.pk
    )
    if minutes is None:
        messages.info(request, _("Generate the minutes first."))
        return detail
    initial = {
        "body": minutes.body,
        "president_name": minutes.president_name,
        "secretary_name": minutes.secretary_name,
    }
    form = MinutesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_update(
                association=request.association,
                actor=request.user,
                minutes=minutes,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The minutes have been saved."))
            return detail
    return render(
        request,
        "governance/minutes_form.html",
        {"assembly": assembly, "minutes": minutes, "form": form},
    )


@association_required(Perm.TAKE_PART, module=MODULE)
@require_safe
def minutes_pdf_download(request, association_slug, assembly_id):
    assembly = assembly_for_minutes_get(association=request.association, assembly_id=assembly_id)
    minutes = minutes_of(assembly=assembly)
    if minutes is None:
        messages.info(request, _("There are no minutes for this assembly yet."))
        return redirect(
            "governance:minutes_detail",
            association_slug=association_slug,
            assembly_id=assembly.pk,
        )
    if not _minutes_visible(request, minutes):
        raise PermissionDenied
    content = pdf.minutes_document(minutes=minutes, language=get_language() or "fr")
    response = HttpResponse(content, content_type="application/pdf")
    name = slugify(f"{_('minutes')}-{assembly.title}")[:80] or "minutes"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response
