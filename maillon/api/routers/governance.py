"""Assemblies, polls and ballots through the API: the same selectors and services as
the governance pages, so permissions, the vote's rules and the audit log are the same.

Casting is idempotent: the client sends an ``Idempotency-Key`` header (any unique
string it keeps for the retries of one vote). A retry with the same key gets the
first request's receipt and adds no ballot, whether the first answer was lost, the
worker was killed after the commit, or two copies race (the unique constraints of
``ballot_cast`` decide). A second vote under another key is refused with 409."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Status

from maillon.governance.assemblies.selectors import assembly_get, assembly_list, my_roll_entry
from maillon.governance.models import AssemblyStatus, Poll, PollStatus, VoteChannel
from maillon.governance.polls import ballots as ballot_services
from maillon.governance.polls import results
from maillon.governance.polls import selectors as poll_selectors
from maillon.governance.polls.ballots import AlreadyVoted
from maillon.members.permissions import Perm

from ..schemas.common import ErrorOut, ValidationErrorOut
from ..schemas.governance import (
    AssemblyDetailOut,
    AssemblyListQuery,
    AssemblyOut,
    AssemblyPageOut,
    BallotIn,
    PollOptionOut,
    PollOut,
    PollResultOut,
    PollSummaryOut,
    ReceiptOut,
    VoterSeatOut,
    result_out,
)
from ..tenancy import association_endpoint

router = Router(tags=["governance"])

MODULE = "governance"
MAX_KEY_LENGTH = 100  # IdempotencyKey.key
READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
CAST_ERRORS = {**READ_ERRORS, 400: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut}


def _require_module(request: HttpRequest) -> None:
    if not request.association.has_module(MODULE):
        raise PermissionDenied(
            _("General assemblies and votes are switched off for this association.")
        )


def _prepares_assemblies(request: HttpRequest) -> bool:
    return Perm.MANAGE_ASSEMBLIES in request.permissions


def _poll_visible_to(request: HttpRequest, poll: Poll) -> bool:
    """Who does not prepare assemblies sees neither a poll not opened yet nor the
    polls of a draft assembly."""
    if _prepares_assemblies(request):
        return True
    if poll.status == PollStatus.CREATED:
        return False
    return poll.assembly is None or poll.assembly.status != AssemblyStatus.DRAFT


def _poll_for(request: HttpRequest, poll_id: int) -> Poll:
    """Access helper: a poll of the association the caller may see, or 404."""
    poll = poll_selectors.poll_get(association=request.association, poll_id=poll_id)
    if not _poll_visible_to(request, poll):
        raise Http404
    return poll


def _messages(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


# --- Assemblies -------------------------------------------------------------------------


@router.get(
    "/{slug}/assemblies",
    response={200: AssemblyPageOut, **READ_ERRORS},
    operation_id="assemblies_list",
    summary="List assemblies",
    description="General assemblies and board meetings, the most recent first. Drafts "
    "only for who prepares assemblies (`governance.manage`). Needs `governance.take_part`.",
)
@association_endpoint(Perm.TAKE_PART)
def assemblies_list(request: HttpRequest, slug: str, filters: Query[AssemblyListQuery]):
    _require_module(request)
    assemblies = assembly_list(
        association=request.association, include_drafts=_prepares_assemblies(request)
    )
    page, page_size = filters.page, filters.page_size
    count = assemblies.count()
    start = (page - 1) * page_size
    return AssemblyPageOut(
        count=count,
        page=page,
        page_size=page_size,
        next=page + 1 if start + page_size < count else None,
        previous=page - 1 if page > 1 else None,
        items=[AssemblyOut.from_assembly(a) for a in assemblies[start : start + page_size]],
    )


@router.get(
    "/{slug}/assemblies/{assembly_id}",
    response={200: AssemblyDetailOut, **READ_ERRORS},
    operation_id="assemblies_get",
    summary="Assembly detail",
    description="One assembly with its polls and the caller's entry on the electoral roll. "
    "Needs `governance.take_part`.",
)
@association_endpoint(Perm.TAKE_PART)
def assemblies_get(request: HttpRequest, slug: str, assembly_id: int):
    _require_module(request)
    assembly = assembly_get(
        association=request.association,
        assembly_id=assembly_id,
        include_drafts=_prepares_assemblies(request),
    )
    polls = poll_selectors.polls_of_assembly(association=request.association, assembly=assembly)
    for poll in polls:
        poll.assembly = assembly
    entry = my_roll_entry(assembly=assembly, user=request.user)
    return AssemblyDetailOut.from_assembly(
        assembly,
        polls=[
            PollSummaryOut(
                id=p.pk, title=p.title, kind=p.kind, status=p.status, is_secret=p.is_secret
            )
            for p in polls
            if _poll_visible_to(request, p)
        ],
        my_roll_entry=entry.pk if entry else None,
    )


# --- Polls ------------------------------------------------------------------------------


@router.get(
    "/{slug}/polls/{poll_id}",
    response={200: PollOut, **READ_ERRORS},
    operation_id="polls_get",
    summary="Poll detail",
    description="A poll with its options and whom the caller may vote for. No count of "
    "any kind before the poll is closed: see `polls_results`. Needs `governance.take_part`.",
)
@association_endpoint(Perm.TAKE_PART)
def polls_get(request: HttpRequest, slug: str, poll_id: int):
    _require_module(request)
    poll = _poll_for(request, poll_id)
    seats = poll_selectors.voter_seats(poll=poll, person=request.person)
    return PollOut(
        id=poll.pk,
        assembly_id=poll.assembly_id,
        title=poll.title,
        resolution=poll.resolution,
        kind=poll.kind,
        status=poll.status,
        is_secret=poll.is_secret,
        allow_vote_change=poll.allow_vote_change,
        seats=poll.seats,
        min_choices=poll.min_choices,
        max_choices=poll.max_choices,
        grades=list(poll.grades or []),
        options=[PollOptionOut(id=o.pk, label=o.label) for o in poll.options.all()],
        can_vote=poll.status == PollStatus.OPEN
        and ballot_services.voting_window_open(poll.assembly),
        my_seats=[
            VoterSeatOut(
                entry_id=seat.entry.pk,
                name=str(seat.entry.person),
                is_proxy=seat.is_proxy,
                has_voted=seat.has_voted,
            )
            for seat in seats
        ],
        opened_at=poll.opened_at,
        closed_at=poll.closed_at,
        published_at=poll.published_at,
    )


def _seat(request: HttpRequest, poll: Poll, on_behalf_of: int | None):
    """The roll entry the ballot is for and the channel: the caller's own entry
    (online), or a represented member's (by proxy; the service checks the proxy)."""
    if on_behalf_of is None:
        # The caller's active person, resolved by the tenancy decorator.
        entry = poll_selectors.own_roll_entry_for_cast(poll=poll, person=request.person)
        if entry is None:
            raise PermissionDenied(_("You are not on the electoral roll of this assembly."))
        return entry, VoteChannel.ONLINE
    entry = poll_selectors.roll_entry_get(poll=poll, entry_id=on_behalf_of)
    own = entry.person.user_id == request.user.pk
    return entry, VoteChannel.ONLINE if own else VoteChannel.PROXY


@router.post(
    "/{slug}/polls/{poll_id}/ballots",
    response={201: ReceiptOut, **CAST_ERRORS},
    operation_id="ballots_cast",
    summary="Cast a ballot",
    description="Casts the caller's ballot, or a represented member's with `on_behalf_of`. "
    "The `Idempotency-Key` header is required (400 without it): a retry with the same key "
    "answers 201 with the same receipt and counts once; another ballot for the same "
    "member under another key answers 409. A poll that does not take ballots (not open, "
    "closed, assembly not in session) answers 409; an invalid choice 422. Needs "
    "`governance.take_part`.",
)
@association_endpoint(Perm.TAKE_PART)
def ballots_cast(
    request: HttpRequest,
    slug: str,
    poll_id: int,
    payload: BallotIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        description="A unique string per vote, the same for each retry of that vote "
        f"(at most {MAX_KEY_LENGTH} characters), e.g. a UUID.",
    ),
):
    _require_module(request)
    # The poll first: an outsider's request answers 404 whatever its headers. Its
    # options are not needed here (``ballot_cast`` reads what it needs under lock).
    poll = poll_selectors.poll_for_cast_get(association=request.association, poll_id=poll_id)
    if not _poll_visible_to(request, poll):
        raise Http404
    key = (idempotency_key or "").strip()
    if not key:
        return Status(400, ErrorOut(detail=_("The Idempotency-Key header is required.")))
    if len(key) > MAX_KEY_LENGTH:
        return Status(
            400,
            ErrorOut(
                detail=_("The Idempotency-Key header is at most %(max)s characters long.")
                % {"max": MAX_KEY_LENGTH}
            ),
        )
    entry, channel = _seat(request, poll, payload.on_behalf_of)
    try:
        receipt = ballot_services.ballot_cast(
            association=request.association,
            actor=request.user,
            poll=poll,
            entry=entry,
            choice=payload.choice,
            channel=channel,
            idempotency_key=key,
            # Resolved by the tenancy decorator in this request; checked by the service.
            actor_person=request.person,
            actor_permissions=request.permissions,
        )
    except AlreadyVoted as error:
        return Status(409, ErrorOut(detail=_messages(error)))
    except ValidationError as error:
        # A poll that stopped taking ballots is a conflict with its state, not bad
        # input; re-read it, as it may have closed while this request was waiting.
        fresh = poll_selectors.poll_for_cast_get(association=request.association, poll_id=poll.pk)
        if fresh.status != PollStatus.OPEN or not ballot_services.voting_window_open(
            fresh.assembly
        ):
            return Status(409, ErrorOut(detail=_messages(error)))
        raise
    return Status(201, ReceiptOut(receipt=receipt))


@router.get(
    "/{slug}/polls/{poll_id}/results",
    response={200: PollResultOut, **READ_ERRORS},
    operation_id="polls_results",
    summary="Poll results",
    description="The count frozen when the poll closed. Visible to everyone once "
    "published, to who prepares assemblies (`governance.manage`) from the close; "
    "before that it answers 404, like the results page. Needs `governance.take_part`.",
)
@association_endpoint(Perm.TAKE_PART)
def polls_results(request: HttpRequest, slug: str, poll_id: int):
    _require_module(request)
    poll = _poll_for(request, poll_id)
    if not poll_selectors.results_visible(poll=poll, permissions=request.permissions):
        return Status(404, ErrorOut(detail=_("The results of this poll are not published yet.")))
    return result_out(poll, results.result_rows(poll.result or {}))
