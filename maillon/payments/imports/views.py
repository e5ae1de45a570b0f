"""The reconciliation page: HelloAsso payers matched to members by hand, or sent to
the member import's preview."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from maillon.core.tenancy import association_required
from maillon.core.views import run_service
from maillon.members.permissions import Perm
from maillon.members.register.selectors import person_get

from ..helloasso.client import HelloAssoError
from . import services
from .selectors import candidates_by_order, imported_order_get, orders_to_reconcile


@association_required(Perm.MANAGE_FEES)
@require_safe
def reconcile(request, association_slug):
    orders = list(orders_to_reconcile(association=request.association)[:50])
    candidates = candidates_by_order(association=request.association, orders=orders)
    rows = [(order, candidates[order.pk]) for order in orders]
    return render(request, "payments/reconcile.html", {"rows": rows})


@association_required(Perm.MANAGE_FEES)
@require_POST
def reconcile_match(request, association_slug, order_id):
    order = imported_order_get(association=request.association, order_id=order_id)
    person = person_get(association=request.association, person_id=request.POST.get("person"))
    run_service(
        request,
        services.imported_order_match,
        success=_("The fee of %(name)s has been recorded.") % {"name": person},
        imported=order,
        person=person,
    )
    return redirect("payments:reconcile", association_slug=association_slug)


@association_required(Perm.IMPORT_MEMBERS)
@require_POST
def reconcile_import(request, association_slug):
    outcome = run_service(request, services.unmatched_orders_to_member_import)
    if outcome.ok and outcome.value is not None:
        return redirect(
            "members:import_preview",
            association_slug=association_slug,
            import_id=outcome.value.pk,
        )
    return redirect("payments:reconcile", association_slug=association_slug)


@association_required(Perm.MANAGE_FEES)
@require_POST
def pull(request, association_slug):
    try:
        counts = services.helloasso_orders_pull(association=request.association)
    except HelloAssoError:
        messages.error(request, _("HelloAsso cannot be reached right now. Try again later."))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s new HelloAsso order.",
                "%(count)s new HelloAsso orders.",
                counts["new"],
            )
            % {"count": counts["new"]},
        )
    return redirect("payments:reconcile", association_slug=association_slug)
