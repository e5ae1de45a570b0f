"""The letters to print for people without email, and the unsubscribe link of an
emailed reminder."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillon.core.tenancy import association_required

from ..permissions import Perm
from . import services
from .pdf import reminder_letters_document
from .selectors import fee_reminder_for_token, letters_to_print


@association_required(Perm.MANAGE_FEES)
@require_safe
def reminder_letters(request, association_slug):
    letters = letters_to_print(association=request.association)[:500]
    return render(request, "members/fee_reminder_letters.html", {"letters": letters})


@association_required(Perm.MANAGE_FEES)
@require_POST
def reminder_letters_pdf(request, association_slug):
    """The batch as one PDF; the letters are then marked printed."""
    letters = services.fee_reminder_letters_print(
        association=request.association, actor=request.user
    )
    pdf = reminder_letters_document(association=request.association, letters=letters)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{association_slug}-relances-cotisation.pdf"'
    )
    return response


@require_http_methods(["GET", "POST"])
def reminders_off(request, token):
    """GET asks for confirmation (mail scanners follow links), POST turns them off."""
    reminder = fee_reminder_for_token(token=token)
    if reminder is None:
        raise Http404
    done = False
    if request.method == "POST":
        services.fee_reminders_turn_off(reminder=reminder)
        done = True
    return render(
        request,
        "members/fee_reminders_off.html",
        {"association": reminder.association, "done": done},
    )
