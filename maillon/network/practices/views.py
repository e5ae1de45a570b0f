"""Practice sheets: the association's own (``/a/<slug>/practices/``), the shared
library (``/practices/``, its Atom feed), and the network's moderation
(``/n/<slug>/practices/``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from maillon.associations.models import Module
from maillon.core.tenancy import association_required
from maillon.core.views import flash_refusal, run_service
from maillon.members.permissions import Perm, permissions_for_roles
from maillon.members.roles.selectors import my_associations as roles_of
from maillon.strategy.plan.selectors import completed_diagnostic_get
from maillon.taxonomy.models import Sector

from ..memberships.selectors import member_networks
from ..models import NetworkRoleKind
from ..scope import network_required
from . import selectors, services
from .content import domain_choices, labels, pitfall_choices
from .forms import (
    AdoptPracticeForm,
    EndorseForm,
    ModerateForm,
    PracticeSearchForm,
    PracticeSheetForm,
    PublishForm,
    QuestionForm,
)

MODULE = Module.NETWORK


def _detail(request, sheet):
    return redirect(
        "practices_backoffice:detail",
        association_slug=request.association.slug,
        sheet_id=sheet.pk,
    )


# --- the association's own sheets --------------------------------------------------------


@association_required(Perm.VIEW_STRATEGY, module=MODULE)
@require_safe
def sheet_list(request, association_slug: str):
    can_write = Perm.MANAGE_STRATEGY in request.permissions
    return render(
        request,
        "network/practices/own_list.html",
        {
            "sheets": list(selectors.practice_sheets_of(association=request.association)),
            "actions": selectors.finished_actions(association=request.association)
            if can_write
            else [],
            "can_write": can_write,
        },
    )


@association_required(Perm.MANAGE_STRATEGY, module=MODULE)
def sheet_create(request, association_slug: str):
    action, initial = None, {}
    if request.GET.get("action") or request.POST.get("action"):
        action, initial = selectors.sheet_prefill_from_action(
            association=request.association,
            action_id=request.GET.get("action") or request.POST.get("action"),
        )
    engagement_id = request.GET.get("engagement") or request.POST.get("engagement")
    if engagement_id:
        # Written after closing skilled help: the request, its outcome, its handover.
        from ..help.engagements.selectors import practice_sheet_prefill

        initial = {
            **initial,
            **practice_sheet_prefill(association=request.association, engagement_id=engagement_id),
        }
    form = PracticeSheetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        extra = {}
        if action is not None:
            extra = {
                "source_action": action,
                "recommendation_code": initial["recommendation_code"],
                "evidence": initial["evidence"],
            }
        outcome = run_service(
            request,
            services.practice_sheet_create,
            success=_("Sheet saved as a draft."),
            **{**form.service_fields(), **extra},
        )
        if outcome.ok:
            return _detail(request, outcome.value)
    return render(
        request,
        "network/practices/form.html",
        {"form": form, "action": action, "initial": initial, "sheet": None},
    )


@association_required(Perm.VIEW_STRATEGY, module=MODULE)
@require_safe
def sheet_detail(request, association_slug: str, sheet_id: int):
    sheet = selectors.practice_sheet_get(association=request.association, sheet_id=sheet_id)
    endorsements, questions = selectors.public_sheet_thread(sheet=sheet)
    return render(
        request,
        "network/practices/own_detail.html",
        {
            "sheet": sheet,
            "revisions": selectors.sheet_revisions(association=request.association, sheet=sheet),
            "endorsements": endorsements,
            "questions": questions,
            "domains": labels(sheet.domains, domain_choices()),
            "pitfalls": labels(sheet.pitfalls, pitfall_choices()),
            "can_write": Perm.MANAGE_STRATEGY in request.permissions,
        },
    )


@association_required(Perm.MANAGE_STRATEGY, module=MODULE)
def sheet_edit(request, association_slug: str, sheet_id: int):
    sheet = selectors.practice_sheet_get(association=request.association, sheet_id=sheet_id)
    form = PracticeSheetForm(
        request.POST or None,
        instance=sheet,
        initial={
            "tool_kinds": sheet.tool_kinds,
            "pitfalls": sheet.pitfalls,
            "domains": sheet.domains,
        },
    )
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        sheet.refresh_from_db()  # the form wrote into the instance; the service compares
        outcome = run_service(
            request,
            services.practice_sheet_update,
            success=_("New version saved."),
            sheet=sheet,
            **fields,
        )
        if outcome.ok:
            return _detail(request, sheet)
    return render(request, "network/practices/form.html", {"form": form, "sheet": sheet})


@association_required(Perm.MANAGE_STRATEGY, module=MODULE)
def sheet_publish(request, association_slug: str, sheet_id: int):
    sheet = selectors.practice_sheet_get(association=request.association, sheet_id=sheet_id)
    networks = member_networks(association=request.association)
    form = PublishForm(
        request.POST or None,
        networks=networks,
        initial={"visibility": sheet.visibility, "networks": list(sheet.networks.all())},
    )
    if request.method == "POST" and form.is_valid():
        outcome = run_service(
            request,
            services.practice_sheet_publish,
            success=_("Saved: the sheet is visible as you chose."),
            sheet=sheet,
            visibility=form.cleaned_data["visibility"],
            networks=list(form.cleaned_data["networks"]),
        )
        if outcome.ok:
            return _detail(request, sheet)
    return render(request, "network/practices/publish.html", {"form": form, "sheet": sheet})


@association_required(Perm.MANAGE_STRATEGY, module=MODULE)
@require_safe
def sheet_questions(request, association_slug: str, sheet_id: int):
    sheet = selectors.practice_sheet_get(association=request.association, sheet_id=sheet_id)
    return render(
        request,
        "network/practices/questions.html",
        {
            "sheet": sheet,
            "questions": selectors.questions_to_moderate_across_associations(sheet=sheet),
        },
    )


@require_POST
@association_required(Perm.MANAGE_STRATEGY, module=MODULE)
def question_moderate(request, association_slug: str, sheet_id: int, question_id: int):
    sheet = selectors.practice_sheet_get(association=request.association, sheet_id=sheet_id)
    question = selectors.question_get_across_associations(sheet=sheet, question_id=question_id)
    form = ModerateForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            services.practice_question_moderate,
            success=_("Done."),
            question=question,
            publish=form.cleaned_data["decision"] == "publish",
            answer=form.cleaned_data["answer"],
        )
    return redirect(
        "practices_backoffice:questions", association_slug=association_slug, sheet_id=sheet.pk
    )


def _readable_sheet(request, sheet_id):
    return selectors.public_practice_sheet_get(
        sheet_id=sheet_id,
        network_ids=selectors.my_network_ids(user=request.user),
        association=getattr(request, "association", None),
    )


@require_POST
@association_required(Perm.MANAGE_STRATEGY, module=MODULE)
def sheet_endorse(request, association_slug: str, sheet_id: int):
    sheet = _readable_sheet(request, sheet_id)
    form = EndorseForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            services.practice_endorse,
            success=_("Thank you: your experience is added to the sheet."),
            sheet=sheet,
            outcome=form.cleaned_data["outcome"],
        )
    return redirect("practices:detail", sheet_id=sheet.pk)


@require_POST
@association_required(Perm.MANAGE_STRATEGY, module=Module.STRATEGY)
def sheet_adopt(request, association_slug: str, sheet_id: int):
    """ "Adopt this practice": from the sheet's page (a new action titled like the
    sheet) or under a diagnostic recommendation (that recommendation, linked to the
    sheet). Either way the plan's action shows the sheet that inspired it."""
    sheet = _readable_sheet(request, sheet_id)
    form = AdoptPracticeForm(request.POST)
    diagnostic, code = None, ""
    if form.is_valid() and form.cleaned_data["diagnostic_id"]:
        diagnostic = completed_diagnostic_get(
            association=request.association, diagnostic_id=form.cleaned_data["diagnostic_id"]
        )
        code = form.cleaned_data["recommendation_code"]
    outcome = run_service(
        request,
        services.practice_adopt,
        sheet=sheet,
        diagnostic=diagnostic,
        recommendation_code=code,
    )
    if not outcome.ok:
        return redirect("practices:detail", sheet_id=sheet.pk)
    messages.success(
        request,
        _("“%(title)s” is now in your action plan, inspired by “%(sheet)s”.")
        % {"title": outcome.value.action.title, "sheet": sheet.title},
    )
    return redirect("strategy:plan", association_slug=association_slug)


@require_POST
@association_required(Perm.VIEW_BACKOFFICE, module=MODULE)
def sheet_ask(request, association_slug: str, sheet_id: int):
    sheet = _readable_sheet(request, sheet_id)
    form = QuestionForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            services.practice_question_ask,
            success=_("Your question is sent; it will show once the authors publish it."),
            sheet=sheet,
            body=form.cleaned_data["body"],
        )
    return redirect("practices:detail", sheet_id=sheet.pk)


# --- the shared library ------------------------------------------------------------------


def _search(request):
    form = PracticeSearchForm(request.GET or None, sectors=Sector.objects.all())
    filters = selectors.PracticeFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.PracticeFilters(**form.cleaned_data)
    return form, filters


@require_safe
def library(request):
    form, filters = _search(request)
    sheets = selectors.public_practice_sheets(
        network_ids=selectors.my_network_ids(user=request.user), filters=filters
    )
    page = Paginator(sheets, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "network/practices/library.html", {"form": form, "page_obj": page})


@require_safe
def library_detail(request, sheet_id: int):
    sheet = _readable_sheet(request, sheet_id)
    endorsements, questions = selectors.public_sheet_thread(sheet=sheet)
    my_associations = []
    if request.user.is_authenticated:
        my_associations = [
            a
            for a, roles in roles_of(user=request.user)
            if a.pk != sheet.association_id
            and a.has_module(MODULE)
            and Perm.MANAGE_STRATEGY in permissions_for_roles(roles)
        ]
        for association in my_associations:
            association.strategy_on = association.has_module(Module.STRATEGY)
    return render(
        request,
        "network/practices/library_detail.html",
        {
            "sheet": sheet,
            "endorsements": endorsements,
            "questions": questions,
            "domains": labels(sheet.domains, domain_choices()),
            "pitfalls": labels(sheet.pitfalls, pitfall_choices()),
            "my_associations": my_associations,
            "endorse_form": EndorseForm(),
            "question_form": QuestionForm(),
        },
    )


class PracticeFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Practice sheets")
    subtitle = gettext_lazy("Practices shared by associations")

    def link(self):
        return reverse("practices:library")

    def items(self):
        return selectors.public_feed_sheets()

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.problem

    def item_link(self, item):
        return reverse("practices:detail", kwargs={"sheet_id": item.pk})

    def item_pubdate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.association.name


feed = require_safe(PracticeFeed())


# --- the network's moderation -------------------------------------------------------------


@require_safe
@network_required()
def network_sheets(request):
    return render(
        request,
        "network/practices/network_list.html",
        {
            "network": request.network,
            "shares": selectors.network_sheets_across_associations(network=request.network),
            "can_moderate": request.network_role != NetworkRoleKind.STAFF,
        },
    )


@require_POST
@network_required(NetworkRoleKind.HEAD, NetworkRoleKind.COORDINATOR)
def network_moderate(request, share_id: int):
    share = selectors.network_share_get_across_associations(
        network=request.network, share_id=share_id
    )
    change = request.POST.get("change")
    kwargs = {
        "feature": {"featured": True},
        "unfeature": {"featured": False},
        "hide": {"hidden": True},
        "show": {"hidden": False},
    }.get(change)
    if kwargs is not None:
        try:
            services.practice_sheet_moderate(
                network=request.network, actor=request.user, share=share, **kwargs
            )
        except ValidationError as error:
            flash_refusal(request, error)
        else:
            messages.success(request, _("Done."))
    return redirect("network:practices", network_slug=request.network.slug)
