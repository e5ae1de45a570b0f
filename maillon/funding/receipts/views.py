"""Tax receipts: settings, the list with the yearly summary, issuing one for a gift,
the yearly batch and its progress, a receipt's page and PDF, cancelling; the donor's
own receipts (/me/funding/receipts/) and the signed download link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_scopes import scope

from maillon.associations.models import Module
from maillon.core.forms import add_validation_error
from maillon.core.tenancy import association_required
from maillon.core.views import flash_refusal, run_service
from maillon.members.permissions import Perm

from ..donations.selectors import donation_get
from ..models import BatchStatus, ReceiptKind, ReceiptStatus
from . import delivery, selectors, services
from .forms import BatchForm, ReceiptCancelForm, ReceiptSettingsForm
from .links import receipt_for_token, receipt_token
from .signature import signature_bytes

MODULE = Module.FUNDING
PER_PAGE = 50


@association_required(Perm.MANAGE_FUNDING, module=MODULE)
@require_http_methods(["GET", "POST"])
def receipt_settings(request, association_slug):
    settings = selectors.funding_settings(association=request.association)
    initial = {f: getattr(settings, f) for f in services.SETTINGS_FIELDS}
    if not settings.pk:
        initial["object"] = request.association.purpose
    form = ReceiptSettingsForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        image = fields.pop("signature", None)
        remove = fields.pop("remove_signature", False)
        try:
            with transaction.atomic():
                services.funding_settings_update(
                    association=request.association, actor=request.user, **fields
                )
                if image or remove:
                    services.funding_settings_signature_set(
                        association=request.association,
                        actor=request.user,
                        image=image or None,
                    )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The settings have been saved."))
            return redirect("funding:receipts", association_slug=association_slug)
    if "remove_signature" in form.fields and not settings.signature_path:
        del form.fields["remove_signature"]
    return render(
        request,
        "funding/form.html",
        {
            "form": form,
            "title": _("Tax receipt settings"),
            "signature_url": (
                reverse("funding:receipt_signature", args=[association_slug])
                if settings.signature_path
                else ""
            ),
        },
    )


@association_required(Perm.MANAGE_FUNDING, module=MODULE)
@require_safe
def receipt_signature(request, association_slug):
    """The signature image on file (private: only who manages the receipts sees it)."""
    settings = selectors.funding_settings(association=request.association)
    content = signature_bytes(settings.signature_path)
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@association_required(Perm.MANAGE_FUNDING, module=MODULE)
@require_safe
def receipt_list(request, association_slug):
    association = request.association
    receipts = selectors.receipt_list(association=association)
    page = Paginator(receipts, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "funding/receipts.html",
        {
            "page_obj": page,
            "summary": selectors.yearly_summary(association=association),
            "settings": selectors.funding_settings(association=association),
            "batch_form": BatchForm(initial={"gift_year": timezone.localdate().year - 1}),
        },
    )


@association_required(Perm.MANAGE_FUNDING, module=MODULE)
@require_POST
def receipt_issue(request, association_slug, donation_id):
    donation = donation_get(association=request.association, donation_id=donation_id)
    outcome = run_service(request, services.receipt_issue, donation=donation)
    if outcome.ok:
        messages.success(
            request, _("Receipt n° %(number)s issued.") % {"number": outcome.value.number}
        )
    return redirect(
        "funding:donation_detail", association_slug=association_slug, donation_id=donation.pk
    )


@association_required(Perm.MANAGE_FUNDING, module=MODULE)
@require_POST
def batch_start(request, association_slug):
    form = BatchForm(request.POST)
    if not form.is_valid():
        flash_refusal(request, ValidationError(_("Give the year of the gifts.")))
        return redirect("funding:receipts", association_slug=association_slug)
    outcome = run_service(
        request, services.receipt_batch_start, gift_year=form.cleaned_data["gift_year"]
    )
    if not outcome.ok:
        return redirect("funding:receipts", association_slug=association_slug)
    return redirect(
        "funding:batch_progress", association_slug=association_slug, batch_id=outcome.value.pk
    )


@association_required(Perm.MANAGE_FUNDING, module=MODULE)
@require_http_methods(["GET", "POST"])
def receipt_letters(request, association_slug):
    """Receipts of donors without email, to post: the list, and (POST) the printable
    batch of letters in one PDF; a receipt printed once leaves the list."""
    if request.method == "POST":
        try:
            count, content = delivery.receipt_letters_print(
                association=request.association, actor=request.user
            )
        except ValidationError as error:
            flash_refusal(request, error)
            return redirect("funding:receipt_letters", association_slug=association_slug)
        if not count:
            messages.info(request, _("No receipt is waiting to be posted."))
            return redirect("funding:receipt_letters", association_slug=association_slug)
        response = HttpResponse(content, content_type="application/pdf")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="recus-a-poster-{stamp}.pdf"'
        return response
    receipts = list(selectors.receipts_to_print(association=request.association))
    pending = selectors.receipts_to_email(association=request.association).count()
    return render(
        request, "funding/receipt_letters.html", {"receipts": receipts, "pending": pending}
    )


@association_required(Perm.MANAGE_FUNDING, module=MODULE)
@require_POST
def receipt_emails(request, association_slug):
    """Send the receipts never emailed to donors who have an email (in a task)."""
    try:
        count = delivery.receipts_email_pending(association=request.association, actor=request.user)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s receipt is being emailed.",
                "%(count)s receipts are being emailed.",
                count,
            )
            % {"count": count},
        )
    return redirect("funding:receipt_letters", association_slug=association_slug)


@association_required(Perm.MANAGE_FUNDING, module=MODULE)
@require_safe
def batch_progress(request, association_slug, batch_id):
    batch = selectors.batch_get(association=request.association, batch_id=batch_id)
    context = {
        "batch": batch,
        "is_running": batch.status in (BatchStatus.QUEUED, BatchStatus.RUNNING),
    }
    template = (
        "funding/partials/batch_progress.html" if request.htmx else "funding/batch_progress.html"
    )
    return render(request, template, context)


@association_required(Perm.MANAGE_FUNDING, module=MODULE)
@require_safe
def receipt_detail(request, association_slug, receipt_id):
    receipt = selectors.receipt_get(association=request.association, receipt_id=receipt_id)
    link = request.build_absolute_uri(
        reverse("funding_public:receipt", kwargs={"token": receipt_token(receipt)})
    )
    return render(
        request,
        "funding/receipt_detail.html",
        {
            "receipt": receipt,
            "cancellation": selectors.receipt_cancellation(receipt),
            "can_cancel": receipt.kind == ReceiptKind.RECEIPT
            and receipt.status == ReceiptStatus.VALID,
            "cancel_form": ReceiptCancelForm(),
            "link": link,
            "gifts": receipt.data.get("lines", []),
        },
    )


@association_required(Perm.MANAGE_FUNDING, module=MODULE)
@require_POST
def receipt_cancel(request, association_slug, receipt_id):
    receipt = selectors.receipt_get(association=request.association, receipt_id=receipt_id)
    form = ReceiptCancelForm(request.POST)
    if not form.is_valid():
        flash_refusal(request, ValidationError(_("Give the reason of the cancellation.")))
    else:
        outcome = run_service(
            request, services.receipt_cancel, receipt=receipt, reason=form.cleaned_data["reason"]
        )
        if outcome.ok:
            messages.success(
                request,
                _("Receipt n° %(number)s cancelled by document n° %(cancellation)s.")
                % {"number": receipt.number, "cancellation": outcome.value.number},
            )
    return redirect(
        "funding:receipt_detail", association_slug=association_slug, receipt_id=receipt.pk
    )


def pdf_response(receipt) -> HttpResponse:
    storage = selectors.private_storage()
    content = None
    if receipt.file_path and receipt.status == ReceiptStatus.VALID:
        try:
            with storage.open(receipt.file_path, "rb") as handle:
                content = handle.read()
        except FileNotFoundError:
            content = None
    if content is None:  # cancelled (stamped) or not stored yet: drawn from its frozen data
        content = services.render_pdf(receipt)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="recu-fiscal-{receipt.number}.pdf"'
    return response


@association_required(Perm.MANAGE_FUNDING, module=MODULE)
@require_safe
def receipt_pdf(request, association_slug, receipt_id):
    receipt = selectors.receipt_get(association=request.association, receipt_id=receipt_id)
    return pdf_response(receipt)


@require_safe
def receipt_by_link(request, token):
    """The donor's signed link (in the receipt email or given by the treasurer)."""
    receipt = receipt_for_token(token)
    if receipt is None:
        raise Http404
    with scope(association=receipt.association):
        return pdf_response(receipt)


@login_required
@require_safe
def my_receipts(request):
    return render(
        request, "funding/my_receipts.html", {"receipts": selectors.my_receipts(user=request.user)}
    )


@login_required
@require_safe
def my_receipt_pdf(request, receipt_id):
    receipt = selectors.my_receipt_get(user=request.user, receipt_id=receipt_id)
    with scope(association=receipt.association):
        return pdf_response(receipt)
