"""Pages of consultations: member proposals and quick polls. Thin: parse input, call
a selector or a service, render. Every page works without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillon.associations.models import Module
from maillon.core.forms import add_validation_error
from maillon.core.tenancy import association_required
from maillon.core.views import run_service
from maillon.members.permissions import Perm

from ..models import PollStatus, ProposalStatus
from . import services
from .forms import (
    AttachWaitingForm,
    CommentForm,
    DatePollForm,
    ProposalForm,
    QuickPollAnswerForm,
    QuickPollForm,
)
from .selectors import (
    agenda_item_of,
    next_general_assembly,
    proposal_get,
    proposal_list,
    quick_poll_counts,
    quick_poll_get,
    quick_poll_list,
    upcoming_general_assemblies,
    waiting_proposals,
)

MODULE = Module.GOVERNANCE


def _home(request):
    return redirect("governance:consultations", association_slug=request.association.slug)


def _can_manage(request) -> bool:
    return Perm.MANAGE_ASSEMBLIES in request.permissions


# --- consultations home and proposals ------------------------------------------------------


@association_required(Perm.TAKE_PART, module=MODULE)
@require_safe
def consultations(request, association_slug):
    association = request.association
    can_manage = _can_manage(request)
    return render(
        request,
        "governance/consultation_list.html",
        {
            "proposals": proposal_list(association=association, person=request.person),
            "quick_polls": quick_poll_list(association=association),
            "threshold": association.statutes.proposal_support_threshold,
            "can_manage": can_manage,
            "waiting": list(waiting_proposals(association=association)) if can_manage else [],
            "next_assembly": next_general_assembly(association=association) if can_manage else None,
        },
    )


@association_required(Perm.TAKE_PART, module=MODULE)
@require_http_methods(["GET", "POST"])
def proposal_create(request, association_slug):
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(
                association=request.association, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Your proposal is published. Members can support it."))
            return redirect(
                "governance:proposal_detail",
                association_slug=association_slug,
                proposal_id=proposal.pk,
            )
    return render(request, "governance/consultation_proposal_form.html", {"form": form})


@association_required(Perm.TAKE_PART, module=MODULE)
@require_safe
def proposal_detail(request, association_slug, proposal_id):
    association = request.association
    proposal = proposal_get(association=association, proposal_id=proposal_id, person=request.person)
    return render(
        request,
        "governance/consultation_proposal_detail.html",
        {
            "proposal": proposal,
            "threshold": association.statutes.proposal_support_threshold,
            "agenda_item": agenda_item_of(proposal=proposal),
            "is_open": proposal.status == ProposalStatus.OPEN,
            "comment_form": CommentForm(),
        },
    )


def _proposal_page(request, proposal):
    return redirect(
        "governance:proposal_detail",
        association_slug=request.association.slug,
        proposal_id=proposal.pk,
    )


@association_required(Perm.TAKE_PART, module=MODULE)
@require_POST
def proposal_support(request, association_slug, proposal_id):
    proposal = proposal_get(association=request.association, proposal_id=proposal_id)
    outcome = run_service(request, services.proposal_support, proposal=proposal)
    if outcome.ok:
        proposal = outcome.value
        if proposal.status == ProposalStatus.ON_AGENDA:
            messages.success(
                request,
                _("Thank you. The proposal has enough support for the next general assembly."),
            )
        else:
            messages.success(request, _("Thank you for your support."))
    return _proposal_page(request, proposal)


@association_required(Perm.TAKE_PART, module=MODULE)
@require_POST
def proposal_unsupport(request, association_slug, proposal_id):
    proposal = proposal_get(association=request.association, proposal_id=proposal_id)
    run_service(
        request,
        services.proposal_unsupport,
        success=_("Your support has been withdrawn."),
        proposal=proposal,
    )
    return _proposal_page(request, proposal)


@association_required(Perm.TAKE_PART, module=MODULE)
@require_POST
def proposal_comment(request, association_slug, proposal_id):
    proposal = proposal_get(association=request.association, proposal_id=proposal_id)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a comment first."))
        return _proposal_page(request, proposal)
    run_service(
        request,
        services.proposal_comment_add,
        success=_("Your comment is published."),
        proposal=proposal,
        body=form.cleaned_data["body"],
    )
    return _proposal_page(request, proposal)


@association_required(Perm.MANAGE_ASSEMBLIES, module=MODULE)
@require_POST
def proposals_attach(request, association_slug):
    form = AttachWaitingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a general assembly."))
        return _home(request)
    assembly = (
        upcoming_general_assemblies(association=request.association)
        .filter(pk=form.cleaned_data["assembly_id"])
        .first()
    )
    if assembly is None:
        messages.error(request, _("Choose a general assembly that is still in preparation."))
        return _home(request)
    outcome = run_service(request, services.proposals_attach_waiting, assembly=assembly)
    if outcome.ok:
        messages.success(
            request,
            ngettext(
                "%(count)s proposal added to the agenda of “%(assembly)s”.",
                "%(count)s proposals added to the agenda of “%(assembly)s”.",
                len(outcome.value),
            )
            % {"count": len(outcome.value), "assembly": assembly.title},
        )
    return _home(request)


# --- quick polls -------------------------------------------------------------------------


def _quick_poll_page(request, poll):
    return redirect(
        "governance:quick_poll_detail",
        association_slug=request.association.slug,
        poll_id=poll.pk,
    )


@association_required(Perm.MANAGE_ASSEMBLIES, module=MODULE)
@require_http_methods(["GET", "POST"])
def quick_poll_create(request, association_slug):
    form = QuickPollForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            poll = services.quick_poll_create(
                association=request.association,
                actor=request.user,
                title=data["title"],
                question=data["question"],
                labels=data["options"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The poll is open."))
            return _quick_poll_page(request, poll)
    return render(
        request,
        "governance/consultation_poll_form.html",
        {"form": form, "title": _("New quick poll")},
    )


@association_required(Perm.MANAGE_ASSEMBLIES, module=MODULE)
@require_http_methods(["GET", "POST"])
def date_poll_create(request, association_slug):
    form = DatePollForm(request.POST or None, time_zone=request.association.time_zone)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            poll = services.date_poll_create(
                association=request.association,
                actor=request.user,
                title=data["title"],
                question=data["question"],
                moments=data["dates"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The date poll is open."))
            return _quick_poll_page(request, poll)
    return render(
        request,
        "governance/consultation_poll_form.html",
        {"form": form, "title": _("New date poll")},
    )


@association_required(Perm.TAKE_PART, module=MODULE)
@require_safe
def quick_poll_detail(request, association_slug, poll_id):
    poll = quick_poll_get(association=request.association, poll_id=poll_id)
    mine = services.quick_poll_my_answer(
        association=request.association, actor=request.user, poll=poll
    )
    form = QuickPollAnswerForm(initial={"options": [str(i) for i in mine or []]}, poll=poll)
    return render(
        request,
        "governance/consultation_poll_detail.html",
        {
            "poll": poll,
            "counts": quick_poll_counts(poll=poll),
            "form": form,
            "has_answered": mine is not None,
            "is_open": poll.status == PollStatus.OPEN,
            "can_manage": _can_manage(request),
        },
    )


@association_required(Perm.TAKE_PART, module=MODULE)
@require_POST
def quick_poll_answer(request, association_slug, poll_id):
    poll = quick_poll_get(association=request.association, poll_id=poll_id)
    form = QuickPollAnswerForm(request.POST, poll=poll)
    if not form.is_valid():
        messages.error(request, _("Choose among the poll's options."))
        return _quick_poll_page(request, poll)
    run_service(
        request,
        services.quick_poll_answer,
        success=_("Your answer is recorded."),
        poll=poll,
        option_ids=form.cleaned_data["options"],
    )
    return _quick_poll_page(request, poll)


@association_required(Perm.MANAGE_ASSEMBLIES, module=MODULE)
@require_POST
def quick_poll_close(request, association_slug, poll_id):
    poll = quick_poll_get(association=request.association, poll_id=poll_id)
    run_service(request, services.quick_poll_close, success=_("The poll is closed."), poll=poll)
    return _quick_poll_page(request, poll)
