"""Pages of assemblies. Thin: parse input, call a selector or a service, render.
Every POST redirects (with a message) so that pages work without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillon.associations.models import Module
from maillon.core.forms import add_validation_error
from maillon.core.tenancy import association_required
from maillon.core.views import run_service
from maillon.members.permissions import Perm

from ..models import AgendaItem, AssemblyStatus, Minutes, Proxy, RollEntry
from ..polls.selectors import polls_of_assembly
from . import cnil, letters, services
from .forms import (
    AgendaItemForm,
    AssemblyForm,
    CnilRiskForm,
    DocumentForm,
    EntryForm,
    MoveForm,
    PaperProxyForm,
    ProxyGiveForm,
    RollSearchForm,
    RollWeightsForm,
)
from .selectors import (
    agenda_item_get,
    assembly_get,
    assembly_list,
    assembly_page,
    convocation_polls,
    document_get,
    letter_recipients,
    proxy_get,
    proxy_holder_choices,
    proxy_list,
    proxy_summary,
    quorum_status,
    roll_entry_get,
    roll_rows,
)

MODULE = Module.GOVERNANCE


def _assembly(request, assembly_id):
    return assembly_get(
        association=request.association,
        assembly_id=assembly_id,
        include_drafts=Perm.MANAGE_ASSEMBLIES in request.permissions,
    )


def _to_assembly(request, assembly):
    return redirect(
        "governance:assembly", association_slug=request.association.slug, assembly_id=assembly.pk
    )


# --- list, detail, create, edit ---------------------------------------------------------


@association_required(Perm.TAKE_PART, module=MODULE)
@require_safe
def assemblies(request, association_slug):
    qs = assembly_list(
        association=request.association,
        include_drafts=Perm.MANAGE_ASSEMBLIES in request.permissions,
    )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "governance/assembly_list.html", {"page_obj": page})


@association_required(Perm.TAKE_PART, module=MODULE)
@require_safe
def assembly(request, association_slug, assembly_id):
    assembly = _assembly(request, assembly_id)
    data = assembly_page(association=request.association, assembly=assembly, user=request.user)
    proxy_form = None
    if data.holder_choices or (data.my_entry and data.my_proxy is None):
        proxy_form = ProxyGiveForm(holders=data.holder_choices)
    return render(
        request,
        "governance/assembly_detail.html",
        {
            "assembly": assembly,
            "data": data,
            "proxy_form": proxy_form,
            "quorum": data.quorum,
            "proxies": proxy_summary(assembly=assembly) if data.quorum else None,
            "polls": polls_of_assembly(
                association=request.association,
                assembly=assembly,
                permissions=request.permissions,
            ),
            "has_minutes": Minutes.objects.filter(assembly=assembly).exists(),
            "can_manage": Perm.MANAGE_ASSEMBLIES in request.permissions,
            "can_record": Perm.RECORD_FOR_MEMBERS in request.permissions,
        },
    )


@association_required(Perm.TAKE_PART, module=MODULE)
@require_safe
def assembly_quorum(request, association_slug, assembly_id):
    assembly = _assembly(request, assembly_id)
    return render(
        request,
        "governance/partials/assembly_quorum.html",
        {
            "assembly": assembly,
            "quorum": quorum_status(assembly=assembly),
            "proxies": proxy_summary(assembly=assembly),
        },
    )


@association_required(Perm.MANAGE_ASSEMBLIES, module=MODULE)
@require_http_methods(["GET", "POST"])
def assembly_create(request, association_slug):
    form = AssemblyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.assembly_create(
                association=request.association, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The assembly has been created. Now set its agenda."))
            return _to_assembly(request, created)
    return render(
        request,
        "governance/assembly_form.html",
        {"form": form, "title": _("Prepare an assembly")},
    )


@association_required(Perm.MANAGE_ASSEMBLIES, module=MODULE)
@require_http_methods(["GET", "POST"])
def assembly_edit(request, association_slug, assembly_id):
    assembly = _assembly(request, assembly_id)
    initial = {f: getattr(assembly, f) for f in AssemblyForm.Meta.fields}
    form = AssemblyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.assembly_update(
                association=request.association,
                actor=request.user,
                assembly=assembly,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return _to_assembly(request, assembly)
    return render(
        request,
        "governance/assembly_form.html",
        {"form": form, "assembly": assembly, "title": _("Edit “%(title)s”") % {"title": assembly}},
    )


# --- lifecycle buttons --------------------------------------------------------------------


def _transition(service, success):
    @association_required(Perm.MANAGE_ASSEMBLIES, module=MODULE)
    @require_POST
    def view(request, association_slug, assembly_id):
        assembly = _assembly(request, assembly_id)
        run_service(request, service, success=success, assembly=assembly)
        return _to_assembly(request, assembly)

    return view


assembly_open = _transition(services.assembly_open, gettext_lazy("The assembly is in session."))
assembly_close = _transition(services.assembly_close, gettext_lazy("The assembly is closed."))
assembly_approve_minutes = _transition(
    services.assembly_approve_minutes, gettext_lazy("The minutes are approved.")
)


@association_required(Perm.MANAGE_ASSEMBLIES, module=MODULE)
@require_POST
def assembly_convene(request, association_slug, assembly_id):
    assembly = _assembly(request, assembly_id)
    outcome = run_service(request, services.assembly_convene, assembly=assembly)
    if not outcome.ok:
        return _to_assembly(request, assembly)
    assembly = outcome.value
    messages.success(
        request, _("The assembly is convened: the emails are on their way and the roll is frozen.")
    )
    if assembly.late_convocation:
        messages.warning(
            request,
            _(
                "The convocation is later than the notice period of the statutes: the "
                "assembly's decisions could be challenged."
            ),
        )
    return _to_assembly(request, assembly)


@association_required(Perm.MANAGE_ASSEMBLIES, module=MODULE)
@require_POST
def assembly_remind(request, association_slug, assembly_id):
    assembly = _assembly(request, assembly_id)
    outcome = run_service(request, services.assembly_send_reminder, assembly=assembly)
    if outcome.ok:
        messages.success(
            request,
            ngettext(
                "A reminder is on its way to %(count)s person.",
                "A reminder is on its way to %(count)s people.",
                outcome.value,
            )
            % {"count": outcome.value},
        )
    return _to_assembly(request, assembly)


# --- agenda and documents -----------------------------------------------------------------


@association_required(Perm.MANAGE_ASSEMBLIES, module=MODULE)
@require_http_methods(["GET", "POST"])
def agenda_item_create(request, association_slug, assembly_id):
    assembly = _assembly(request, assembly_id)
    form = AgendaItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_create(
                association=request.association,
                actor=request.user,
                assembly=assembly,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The item has been added to the agenda."))
            return _to_assembly(request, assembly)
    return render(
        request,
        "governance/assembly_form.html",
        {"form": form, "assembly": assembly, "title": _("Add an agenda item")},
    )


@association_required(Perm.MANAGE_ASSEMBLIES, module=MODULE)
@require_http_methods(["GET", "POST"])
def agenda_item_edit(request, association_slug, assembly_id, item_id):
    assembly = _assembly(request, assembly_id)
    item = agenda_item_get(association=request.association, assembly=assembly, item_id=item_id)
    form = AgendaItemForm(
        request.POST or None, initial={"title": item.title, "description": item.description}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_update(
                association=request.association, actor=request.user, item=item, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return _to_assembly(request, assembly)
    return render(
        request,
        "governance/assembly_form.html",
        {"form": form, "assembly": assembly, "title": _("Edit an agenda item")},
    )


@association_required(Perm.MANAGE_ASSEMBLIES, module=MODULE)
@require_POST
def agenda_item_delete(request, association_slug, assembly_id, item_id):
    assembly = _assembly(request, assembly_id)
    item = agenda_item_get(association=request.association, assembly=assembly, item_id=item_id)
    run_service(
        request, services.agenda_item_delete, success=_("The item has been removed."), item=item
    )
    return _to_assembly(request, assembly)


@association_required(Perm.MANAGE_ASSEMBLIES, module=MODULE)
@require_POST
def agenda_item_move(request, association_slug, assembly_id, item_id):
    assembly = _assembly(request, assembly_id)
    item = agenda_item_get(association=request.association, assembly=assembly, item_id=item_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Move an item up or down."))
        return _to_assembly(request, assembly)
    run_service(
        request,
        services.agenda_item_move,
        success=_("The agenda has been reordered."),
        item=item,
        direction=form.cleaned_data["direction"],
    )
    return _to_assembly(request, assembly)


@association_required(Perm.MANAGE_ASSEMBLIES, module=MODULE)
@require_http_methods(["GET", "POST"])
def document_upload(request, association_slug, assembly_id):
    assembly = _assembly(request, assembly_id)
    form = DocumentForm(request.POST or None, request.FILES or None, assembly=assembly)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_add(
                association=request.association,
                actor=request.user,
                assembly=assembly,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The document has been added."))
            return _to_assembly(request, assembly)
    return render(
        request,
        "governance/assembly_form.html",
        {"form": form, "assembly": assembly, "title": _("Add a document"), "multipart": True},
    )


@association_required(Perm.TAKE_PART, module=MODULE)
@require_safe
def document_download(request, association_slug, assembly_id, document_id):
    assembly = _assembly(request, assembly_id)
    document = document_get(
        association=request.association, assembly=assembly, document_id=document_id
    )
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1])


@association_required(Perm.MANAGE_ASSEMBLIES, module=MODULE)
@require_POST
def document_delete(request, association_slug, assembly_id, document_id):
    assembly = _assembly(request, assembly_id)
    document = document_get(
        association=request.association, assembly=assembly, document_id=document_id
    )
    run_service(
        request,
        services.document_delete,
        success=_("The document has been removed."),
        document=document,
    )
    return _to_assembly(request, assembly)


# --- roll, letters, attendance sheet ------------------------------------------------------


@association_required(Perm.MANAGE_ASSEMBLIES, module=MODULE)
@require_http_methods(["GET", "POST"])
def assembly_roll(request, association_slug, assembly_id):
    assembly = _assembly(request, assembly_id)
    search = RollSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    page = Paginator(roll_rows(assembly=assembly, search=query), 100).get_page(
        request.GET.get("page")
    )
    editable = assembly.status == AssemblyStatus.CONVENED
    form = RollWeightsForm(
        request.POST if request.method == "POST" else None, entries=list(page.object_list)
    )
    if request.method == "POST":
        if form.is_valid():
            outcome = run_service(
                request, services.roll_set_weights, assembly=assembly, weights=form.weights()
            )
            if outcome.ok:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s weight changed.", "%(count)s weights changed.", outcome.value
                    )
                    % {"count": outcome.value},
                )
                return redirect(request.get_full_path())
        else:
            messages.error(request, _("A weight is a whole number of at least 1."))
    rows = [(entry, form[f"weight_{entry.pk}"]) for entry in page.object_list]
    return render(
        request,
        "governance/assembly_roll.html",
        {
            "assembly": assembly,
            "page_obj": page,
            "rows": rows,
            "search": search,
            "editable": editable,
        },
    )


@association_required(Perm.RECORD_FOR_MEMBERS, module=MODULE)
@require_safe
def assembly_letters(request, association_slug, assembly_id):
    assembly = _assembly(request, assembly_id)
    pdf = letters.convocation_letters_pdf(
        assembly=assembly,
        entries=list(letter_recipients(assembly=assembly)),
        agenda=list(AgendaItem.objects.filter(assembly=assembly).order_by("position", "id")),
        polls=convocation_polls(assembly=assembly),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="convocations-{assembly.pk}.pdf"'
    return response


@association_required(Perm.RECORD_FOR_MEMBERS, module=MODULE)
@require_safe
def assembly_attendance_pdf(request, association_slug, assembly_id):
    assembly = _assembly(request, assembly_id)
    pdf = letters.attendance_sheet_pdf(
        assembly=assembly,
        rows=list(roll_rows(assembly=assembly)),
        quorum=quorum_status(assembly=assembly),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="attendance-{assembly.pk}.pdf"'
    return response


# --- proxies ----------------------------------------------------------------------------


@association_required(Perm.TAKE_PART, module=MODULE)
@require_POST
def proxy_give(request, association_slug, assembly_id):
    assembly = _assembly(request, assembly_id)
    entry = (
        RollEntry.objects.filter(assembly=assembly, person__user=request.user)
        .select_related("person")
        .first()
    )
    if entry is None:
        messages.error(request, _("You are not on the roll of this assembly."))
        return _to_assembly(request, assembly)
    form = ProxyGiveForm(
        request.POST, holders=list(proxy_holder_choices(assembly=assembly, exclude=entry))
    )
    if not form.is_valid():
        messages.error(request, _("Choose who will represent you."))
        return _to_assembly(request, assembly)
    run_service(
        request,
        services.proxy_give,
        success=_("Your proxy has been recorded. You can revoke it until the assembly opens."),
        assembly=assembly,
        giver_entry=entry,
        holder_entry=form.cleaned_data["holder"],
    )
    return _to_assembly(request, assembly)


@association_required(Perm.TAKE_PART, module=MODULE)
@require_POST
def proxy_revoke(request, association_slug, assembly_id):
    """A member revokes their own proxy."""
    assembly = _assembly(request, assembly_id)
    proxy = (
        Proxy.objects.filter(
            assembly=assembly, giver__person__user=request.user, revoked_at__isnull=True
        )
        .select_related("giver__person")
        .first()
    )
    if proxy is None:
        messages.info(request, _("You have no proxy to revoke."))
        return _to_assembly(request, assembly)
    run_service(
        request, services.proxy_revoke, success=_("Your proxy has been revoked."), proxy=proxy
    )
    return _to_assembly(request, assembly)


@association_required(Perm.RECORD_FOR_MEMBERS, module=MODULE)
@require_POST
def proxy_revoke_for_member(request, association_slug, assembly_id, proxy_id):
    """The secretary revokes a proxy for a member (e.g. a paper proxy withdrawn)."""
    assembly = _assembly(request, assembly_id)
    proxy = proxy_get(association=request.association, assembly=assembly, proxy_id=proxy_id)
    run_service(
        request, services.proxy_revoke, success=_("The proxy has been revoked."), proxy=proxy
    )
    return _to_assembly(request, assembly)


def _paper_form(request, assembly, data=None):
    entries = RollEntry.objects.filter(assembly=assembly, may_vote=True).select_related("person")
    return PaperProxyForm(
        data,
        givers=entries,
        holders=proxy_holder_choices(assembly=assembly),
        prefix="paper",
    )


@association_required(Perm.RECORD_FOR_MEMBERS, module=MODULE)
@require_safe
def proxies(request, association_slug, assembly_id):
    assembly = _assembly(request, assembly_id)
    page = Paginator(proxy_list(assembly=assembly), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "governance/assembly_proxies.html",
        {
            "assembly": assembly,
            "page_obj": page,
            "form": _paper_form(request, assembly)
            if assembly.status == AssemblyStatus.CONVENED
            else None,
        },
    )


@association_required(Perm.RECORD_FOR_MEMBERS, module=MODULE)
@require_POST
def proxy_record_paper(request, association_slug, assembly_id):
    assembly = _assembly(request, assembly_id)
    form = _paper_form(request, assembly, request.POST)
    back = redirect(
        "governance:proxies", association_slug=association_slug, assembly_id=assembly.pk
    )
    if not form.is_valid():
        messages.error(request, _("Choose the member who gives the proxy and its holder."))
        return back
    run_service(
        request,
        services.proxy_record_paper,
        success=_("The paper proxy has been recorded."),
        assembly=assembly,
        giver_entry=form.cleaned_data["giver"],
        holder_entry=form.cleaned_data["holder"],
    )
    return back


# --- attendance -------------------------------------------------------------------------


@association_required(Perm.TAKE_PART, module=MODULE)
@require_POST
def check_in(request, association_slug, assembly_id):
    assembly = _assembly(request, assembly_id)
    run_service(
        request,
        services.attendance_check_in,
        success=_("You are checked in. Welcome!"),
        assembly=assembly,
    )
    return _to_assembly(request, assembly)


@association_required(Perm.RECORD_FOR_MEMBERS, module=MODULE)
@require_http_methods(["GET", "POST"])
def attendance(request, association_slug, assembly_id):
    assembly = _assembly(request, assembly_id)
    search = RollSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    if request.method == "POST":
        form = EntryForm(request.POST)
        if form.is_valid():
            entry = roll_entry_get(
                association=request.association,
                assembly=assembly,
                entry_id=form.cleaned_data["entry"],
            )
            run_service(
                request,
                services.attendance_record,
                success=_("%(name)s is checked in.") % {"name": entry.person},
                assembly=assembly,
                entry=entry,
            )
        return redirect(request.get_full_path())
    page = Paginator(roll_rows(assembly=assembly, search=query), 50).get_page(
        request.GET.get("page")
    )
    context = {"assembly": assembly, "page_obj": page, "search": search}
    template = (
        "governance/partials/assembly_attendance_rows.html"
        if getattr(request, "htmx", False)
        else "governance/assembly_attendance.html"
    )
    return render(request, template, context)


# --- CNIL risk wizard ------------------------------------------------------------------------


@association_required(Perm.MANAGE_ASSEMBLIES, module=MODULE)
@require_http_methods(["GET", "POST"])
def cnil_wizard(request, association_slug, assembly_id):
    assembly = _assembly(request, assembly_id)
    form = CnilRiskForm(request.POST or None)
    assessment = None
    if request.method == "POST" and form.is_valid():
        assessment = services.cnil_assessment_record(
            association=request.association,
            actor=request.user,
            assembly=assembly,
            answers=form.cleaned_data,
        )
    return render(
        request,
        "governance/cnil_wizard.html",
        {
            "assembly": assembly,
            "form": form,
            "assessment": assessment,
            "objectives": assessment.objectives if assessment else cnil.OBJECTIVES,
            "provided": cnil.Provided,
        },
    )
