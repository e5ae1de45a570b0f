"""Poll pages: create/edit on an assembly, detail with the ballot form(s), the
lifecycle buttons, the secretary's recording, the room's counts, results (after
close for the bureau, after publication for everyone), exports, the published
ballot list and receipt verification.

Before close no page shows any count; the detail page shows how many have voted
(the émargement, not a partial result). Results of a poll that is not visible yet
answer 404, like an object that does not exist."""

from __future__ import annotations

import csv
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillon.associations.models import Module
from maillon.core.forms import add_validation_error
from maillon.core.tenancy import association_required
from maillon.core.views import flash_refusal, refusal_text, run_service
from maillon.members.permissions import Perm

from .. import formatting
from ..models import PollKind, PollStatus
from . import ballots, results, selectors, services, ties
from .forms import OPEN, SECRET, BallotForm, PollForm, RecordForm, RoomCountsForm, VerifyForm

MODULE = Module.GOVERNANCE
NOTHING_CHOSEN_ON_THE_PAGE = gettext_lazy(
    "Nothing was chosen: choose an answer, or “Blank vote” to cast a blank ballot."
)
BALLOTS_PER_PAGE = 100
YES_NO_LABELS = {
    "yes": gettext_lazy("Yes"),
    "no": gettext_lazy("No"),
    "abstain": gettext_lazy("Abstain"),
}


def _poll(request, poll_id):
    """The poll named in the URL, if the caller may see it (404 otherwise)."""
    return selectors.poll_get(
        association=request.association, poll_id=poll_id, permissions=request.permissions
    )


def _detail(request, poll):
    return redirect("governance:poll_detail", request.association.slug, poll.pk)


@association_required(Perm.MANAGE_ASSEMBLIES, module=MODULE)
@require_http_methods(["GET", "POST"])
def poll_create(request, association_slug, assembly_id):
    assembly = selectors.assembly_for_polls_get(
        association=request.association, assembly_id=assembly_id
    )
    defaults = services.default_rules(association=request.association, assembly=assembly)
    form = PollForm(
        request.POST or None,
        initial=defaults,
        assembly=assembly,
        resolutions_secret_ballot=defaults["resolutions_secret_ballot"],
    )
    if request.method == "POST" and form.is_valid():
        try:
            poll = services.poll_create(
                association=request.association,
                actor=request.user,
                assembly=assembly,
                **form.service_kwargs(),
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The poll has been created."))
            return _detail(request, poll)
    return render(
        request,
        "governance/poll_form.html",
        {"form": form, "assembly": assembly, "title": _("New poll")},
    )


@association_required(Perm.MANAGE_ASSEMBLIES, module=MODULE)
@require_http_methods(["GET", "POST"])
def poll_edit(request, association_slug, poll_id):
    poll = _poll(request, poll_id)
    if poll.status != PollStatus.CREATED:
        messages.error(request, _("A poll can no longer be changed once it has been opened."))
        return _detail(request, poll)
    initial = {name: getattr(poll, name) for name in PollForm.base_fields if hasattr(poll, name)}
    initial["options"] = "\n".join(o.label for o in poll.options.all())
    initial["grades"] = "\n".join(poll.grades or [])
    initial["is_secret"] = SECRET if poll.is_secret else OPEN
    defaults = services.default_rules(association=request.association, assembly=poll.assembly)
    form = PollForm(
        request.POST or None,
        initial=initial,
        assembly=poll.assembly,
        resolutions_secret_ballot=defaults["resolutions_secret_ballot"],
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.poll_update(
                association=request.association,
                actor=request.user,
                poll=poll,
                **form.service_kwargs(),
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The poll has been saved."))
            return _detail(request, poll)
    return render(
        request,
        "governance/poll_form.html",
        {"form": form, "assembly": poll.assembly, "poll": poll, "title": _("Edit the poll")},
    )


@association_required(Perm.MANAGE_ASSEMBLIES, module=MODULE)
@require_POST
def poll_delete(request, association_slug, poll_id):
    poll = _poll(request, poll_id)
    if not run_service(
        request, services.poll_delete, success=_("The poll has been deleted."), poll=poll
    ).ok:
        return _detail(request, poll)
    return redirect("backoffice:dashboard", request.association.slug)


def _ballot_forms(request, poll, seats, data=None):
    options = list(poll.options.all())
    return [
        (seat, BallotForm(data, poll=poll, options=options, prefix=f"e{seat.entry.pk}"))
        for seat in seats
    ]


@association_required(Perm.TAKE_PART, module=MODULE)
@require_safe
def poll_detail(request, association_slug, poll_id):
    poll = _poll(request, poll_id)
    seats = selectors.voter_seats(poll=poll, person=request.person)
    pending = [s for s in seats if not s.has_voted or poll.allow_vote_change]
    return render(
        request,
        "governance/poll_detail.html",
        _detail_context(request, poll, seats, _ballot_forms(request, poll, pending)),
    )


def _detail_context(request, poll, seats, ballot_forms):
    return {
        "poll": poll,
        "options": list(poll.options.all()),
        "seats": seats,
        "ballot_forms": ballot_forms,
        "can_vote": poll.status == PollStatus.OPEN and ballots.voting_window_open(poll.assembly),
        "idempotency_key": uuid.uuid4().hex,
        "participation_count": selectors.participation_count(poll=poll),
        "can_manage": Perm.MANAGE_ASSEMBLIES in request.permissions,
        "can_record": Perm.RECORD_FOR_MEMBERS in request.permissions,
        "results_visible": selectors.results_visible(poll=poll, permissions=request.permissions),
        "room_counts_possible": poll.kind in results.ROOM_COUNT_KINDS,
    }


@association_required(Perm.TAKE_PART, module=MODULE)
@require_POST
def poll_vote(request, association_slug, poll_id):
    """Casts a ballot for each seat (own, then each represented member) where
    something was chosen, a blank vote included; a seat left untouched is not voted
    and the receipt page says so. With "same choice for all", the first ballot's
    choice goes to every seat. Nothing chosen at all: the ballots are shown again."""
    # Kept a few seconds per process: what the forms check never changes once the
    # poll is open; ``ballot_cast`` reads the poll's state again under its lock.
    poll = selectors.poll_for_vote_get(
        association=request.association, poll_id=poll_id, permissions=request.permissions
    )
    seats = selectors.voter_seats(poll=poll, person=request.person)
    if not seats:
        messages.error(request, _("You are not on the electoral roll of this assembly."))
        return _detail(request, poll)
    # Every seat, voted or not: a retry of a counted vote gets its receipt again.
    forms = _ballot_forms(request, poll, seats, request.POST)
    if not all(form.is_valid() for _seat, form in forms):
        return _vote_again(request, poll, seats, forms)
    shown = _shown_seats(request, poll, seats)
    if request.POST.get("same_for_all") == "on":
        first = next((form for seat, form in forms if seat.entry.pk in shown), None)
        if first is not None and first.choice() is not None:
            forms = [(s, first if s.entry.pk in shown else f) for s, f in forms]
    chosen = [(seat, form) for seat, form in forms if form.choice() is not None]
    if not chosen:
        if all(seat.has_voted for seat in seats) and not poll.allow_vote_change:
            messages.info(request, _("Your vote has already been recorded."))
            return _detail(request, poll)
        forms[0][1].add_error(None, NOTHING_CHOSEN_ON_THE_PAGE)
        pending = [(s, f) for s, f in forms if not s.has_voted or poll.allow_vote_change]
        return _vote_again(request, poll, seats, pending)
    key = request.POST.get("idempotency_key")  # the service normalises it
    outcomes = [_cast_seat(request, poll, seat, form, key) for seat, form in chosen]
    untouched = [
        s for s, form in forms if form.choice() is None and s.entry.pk in shown and not s.has_voted
    ]
    # Rendered, not redirected: the receipt is kept nowhere but on the voter's screen.
    return render(
        request,
        "governance/poll_receipt.html",
        {"poll": poll, "outcomes": outcomes, "untouched": untouched},
    )


def _shown_seats(request, poll, seats) -> set[int]:
    """The roll entries whose ballots were on the page the voter submitted (those
    voted before it are not); without that list, the seats still open."""
    shown = {int(v) for v in request.POST.getlist("shown") if v.isdigit()}
    if shown:
        return shown
    return {s.entry.pk for s in seats if not s.has_voted or poll.allow_vote_change}


def _vote_again(request, poll, seats, forms):
    poll = _poll(request, poll.pk)  # its state as it is now
    return render(
        request, "governance/poll_detail.html", _detail_context(request, poll, seats, forms)
    )


def _cast_seat(request, poll, seat, form, key) -> dict:
    try:
        receipt = ballots.ballot_cast(
            association=request.association,
            actor=request.user,
            poll=poll,
            entry=seat.entry,
            choice=form.choice(),
            idempotency_key=key,
            # Resolved by the tenancy middleware in this request; checked by the service.
            actor_person=request.person,
            actor_permissions=request.permissions,
        )
    except (ValidationError, PermissionDenied) as error:
        text = refusal_text(error) if isinstance(error, ValidationError) else str(error)
        return {"seat": seat, "error": text or _("This vote was refused.")}
    return {"seat": seat, "receipt": receipt}


@association_required(Perm.RECORD_FOR_MEMBERS, module=MODULE)
@require_http_methods(["GET", "POST"])
def poll_record(request, association_slug, poll_id):
    poll = _poll(request, poll_id)
    entries = selectors.roll_for_recording(poll=poll)
    options = list(poll.options.all())
    form = RecordForm(request.POST or None, entries=entries)
    ballot = BallotForm(request.POST or None, poll=poll, options=options, prefix="b")
    if request.method == "POST" and form.is_valid() and ballot.is_valid():
        entry = selectors.roll_entry_get(poll=poll, entry_id=form.cleaned_data["entry"])
        receipt = _record(request, poll, entry, form, ballot)
        if receipt is not None:
            return render(
                request,
                "governance/poll_receipt.html",
                {"poll": poll, "outcomes": [{"entry": entry, "receipt": receipt}], "record": True},
            )
    return render(
        request,
        "governance/poll_record.html",
        {
            "poll": poll,
            "form": form,
            "ballot": ballot,
            "idempotency_key": uuid.uuid4().hex,
            "open": poll.status == PollStatus.OPEN,
        },
    )


def _record(request, poll, entry, form, ballot) -> str | None:
    """The receipt of the ballot recorded for ``entry``, or None (the refusal shown)."""
    if ballot.choice() is None:
        ballot.add_error(None, NOTHING_CHOSEN_ON_THE_PAGE)
        return None
    try:
        return ballots.ballot_cast(
            association=request.association,
            actor=request.user,
            poll=poll,
            entry=entry,
            choice=ballot.choice(),
            channel=form.cleaned_data["channel"],
            idempotency_key=request.POST.get("idempotency_key"),
            actor_person=request.person,
            actor_permissions=request.permissions,
        )
    except ValidationError as error:
        flash_refusal(request, error)
    return None


def _keys_labels(poll):
    if poll.kind == PollKind.YES_NO:
        return list(YES_NO_LABELS.items())
    return [(str(o.pk), o.label) for o in poll.options.all()]


@association_required(Perm.RECORD_FOR_MEMBERS, module=MODULE)
@require_http_methods(["GET", "POST"])
def poll_room_counts(request, association_slug, poll_id):
    poll = _poll(request, poll_id)
    if poll.kind not in results.ROOM_COUNT_KINDS:
        messages.info(request, _("Enter the room's paper ballots of this kind of poll one by one."))
        return redirect("governance:poll_record", request.association.slug, poll.pk)
    form = RoomCountsForm(
        request.POST or None,
        keys_labels=_keys_labels(poll),
        initial_counts=poll.room_counts,
        multi_mark=poll.kind in results.MULTI_MARK_KINDS,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.poll_set_room_counts(
                association=request.association,
                actor=request.user,
                poll=poll,
                counts=form.counts(),
            )
        except ValidationError as error:
            # Shown on the form, with the figures as entered.
            add_validation_error(form, error)
        else:
            messages.success(request, _("The room's counts have been saved."))
            return _detail(request, poll)
    return render(
        request,
        "governance/poll_room_counts.html",
        {
            "poll": poll,
            "form": form,
            "room": selectors.room_voters(poll=poll),
            "seats": poll.seats if poll.kind == PollKind.ELECTION else None,
        },
    )


@association_required(Perm.MANAGE_ASSEMBLIES, module=MODULE)
@require_POST
def poll_open(request, association_slug, poll_id):
    poll = _poll(request, poll_id)
    run_service(request, services.poll_open, success=_("The poll is open."), poll=poll)
    return _detail(request, poll)


@association_required(Perm.MANAGE_ASSEMBLIES, module=MODULE)
@require_POST
def poll_close(request, association_slug, poll_id):
    poll = _poll(request, poll_id)
    run_service(request, services.poll_close, success=_("The poll is closed."), poll=poll)
    return _detail(request, poll)


@association_required(Perm.MANAGE_ASSEMBLIES, module=MODULE)
@require_POST
def poll_publish(request, association_slug, poll_id):
    poll = _poll(request, poll_id)
    run_service(request, services.poll_publish, success=_("The results are published."), poll=poll)
    return _detail(request, poll)


def _poll_with_results(request, poll_id):
    poll = _poll(request, poll_id)
    if not selectors.results_visible(poll=poll, permissions=request.permissions):
        raise Http404
    return poll


def _label(result, key_or_label):
    if result.get("kind") == PollKind.YES_NO:
        return YES_NO_LABELS.get(key_or_label, key_or_label)
    return key_or_label


def _rows(result):
    rows = results.result_rows(result)
    for row in rows:
        row["label"] = _label(result, row["label"])
    return rows


def _recount(poll, result):
    """The ``tally`` command that re-counts the ballots file, when the result names
    its candidates as the file does (results frozen before did not)."""
    options = result.get("options") or []
    if result.get("kind") != PollKind.YES_NO and not (options and options[0].get("name")):
        return None
    spec = results.spec_for_poll(poll, poll.options.all())
    return results.tally_command(spec, result, results.ballots_filename(poll.pk))


@association_required(Perm.TAKE_PART, module=MODULE)
@require_safe
def poll_results(request, association_slug, poll_id):
    poll = _poll_with_results(request, poll_id)
    result = poll.result
    labels = {str(o["key"]): o["label"] for o in result.get("options") or []}
    labels.update({o["name"]: o["label"] for o in result.get("options") or [] if o.get("name")})
    command = _recount(poll, result)
    return render(
        request,
        "governance/poll_results.html",
        {
            "poll": poll,
            "result": result,
            "rows": _rows(result),
            "winners": [_label(result, w) for w in result.get("winners", [])],
            "ties": ties.tie_lines(result, lambda name: labels.get(name, name)),
            "recount": command,
            "can_manage": Perm.MANAGE_ASSEMBLIES in request.permissions,
        },
    )


@association_required(Perm.TAKE_PART, module=MODULE)
@require_safe
def poll_results_csv(request, association_slug, poll_id):
    poll = _poll_with_results(request, poll_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="poll-{poll.pk}-results.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Option"), _("Online"), _("Room"), _("Total"), _("Percentage")])
    # Numbers as a spreadsheet of the reader's language reads them (decimal comma in
    # French, the file being separated by semicolons).
    for row in _rows(poll.result):
        writer.writerow(
            [
                row["label"],
                row["online"],
                row["room"],
                row["total"],
                formatting.decimal(row["percentage"]) if row["percentage"] else "",
            ]
        )
    writer.writerow([_("Ballots"), "", "", poll.result.get("ballots", 0), ""])
    writer.writerow([_("Blank"), "", "", poll.result.get("blank", 0), ""])
    return response


@association_required(Perm.TAKE_PART, module=MODULE)
@require_safe
def poll_ballots_csv(request, association_slug, poll_id):
    """Every ballot counted (online, recorded, then the room's), as the ``tally``
    command reads them (TALLY.md): anyone can re-count the result, lot included.
    No receipt and no voter: only what was counted."""
    poll = _poll_with_results(request, poll_id)
    spec = results.spec_for_poll(poll, poll.options.all())
    text = results.tally_csv(spec, selectors.ballots_for_count(poll=poll), poll.room_counts)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{results.ballots_filename(poll.pk)}"'
    return response


@association_required(Perm.TAKE_PART, module=MODULE)
@require_safe
def poll_results_json(request, association_slug, poll_id):
    poll = _poll_with_results(request, poll_id)
    data = {"poll": {"id": poll.pk, "title": poll.title, "status": poll.status}, **poll.result}
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="poll-{poll.pk}-results.json"'
    return response


def _published_poll(request, poll_id):
    poll = _poll(request, poll_id)
    if poll.status != PollStatus.PUBLISHED:
        raise Http404
    return poll


def _choice_text(poll, labels, choice):
    if poll.kind == PollKind.YES_NO:
        return str(YES_NO_LABELS.get(choice, _("Blank vote"))) if choice else _("Blank vote")
    if not choice:
        return _("Blank vote")
    if poll.kind == PollKind.MAJORITY_JUDGMENT:
        return ", ".join(
            f"{labels.get(k, k)}: {poll.grades[int(v)]}" for k, v in sorted(choice.items())
        )
    sep = " > " if poll.kind in (PollKind.RANKED, PollKind.CONDORCET) else ", "
    return sep.join(labels.get(str(x), str(x)) for x in choice)


@association_required(Perm.TAKE_PART, module=MODULE)
@require_safe
def poll_ballots(request, association_slug, poll_id):
    poll = _published_poll(request, poll_id)
    labels = {str(o.pk): o.label for o in poll.options.all()}
    page = Paginator(selectors.published_ballots(poll=poll), BALLOTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [
        {"receipt": r, "choice": _choice_text(poll, labels, c), "weight": w}
        for r, c, w in page.object_list
    ]
    return render(
        request, "governance/poll_ballots.html", {"poll": poll, "page": page, "rows": rows}
    )


@association_required(Perm.TAKE_PART, module=MODULE)
@require_safe
def poll_verify(request, association_slug, poll_id):
    poll = _published_poll(request, poll_id)
    form = VerifyForm(request.GET or None)
    found = None
    if form.is_valid():
        found = selectors.receipt_published(poll=poll, receipt=form.cleaned_data["receipt"])
    return render(
        request, "governance/poll_verify.html", {"poll": poll, "form": form, "found": found}
    )


@association_required(Perm.TAKE_PART, module=MODULE)
@require_safe
def assembly_ballot(request, association_slug, assembly_id):
    """The convocation's "vote online" link: straight to the first ballot of the
    assembly the member has still to cast, or to the assembly's page when none is open
    for them (yet, or any more)."""
    assembly = selectors.assembly_for_polls_get(
        association=request.association, assembly_id=assembly_id
    )
    if ballots.voting_window_open(assembly):
        polls = selectors.polls_of_assembly(
            association=request.association, assembly=assembly, permissions=request.permissions
        )
        for poll in polls:
            if poll.status != PollStatus.OPEN:
                continue
            seats = selectors.voter_seats(poll=poll, person=request.person)
            if any(not seat.has_voted for seat in seats):
                url = reverse("governance:poll_detail", args=[request.association.slug, poll.pk])
                return redirect(url + "#ballot")
    messages.info(request, _("No vote is waiting for you in this assembly right now."))
    return redirect("governance:assembly", request.association.slug, assembly.pk)
