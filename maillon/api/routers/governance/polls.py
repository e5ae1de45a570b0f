"""Polls, ballots and results through the API: the same selectors and services as
the poll pages, so who may see a poll, the vote's rules, the voting channel and the
audit log are the same.

Casting is idempotent: the client sends an ``Idempotency-Key`` header (any unique
string it keeps for the retries of one vote). A retry with the same key gets the
first request's receipt and adds no ballot, whether the first answer was lost, the
worker was killed after the commit, or two copies race (the unique constraints of
``ballot_cast`` decide). A second vote under another key is refused with 409."""

import json

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status

from maillon.associations.models import Module
from maillon.core.idempotency import KeyReused
from maillon.governance.models import Poll, PollStatus
from maillon.governance.polls import ballots, results, selectors
from maillon.members.permissions import Perm

from ...errors import READ_ERRORS, WRITE_ERRORS, conflict
from ...idempotency import checked_key, idempotency_key_header
from ...schemas.common import ErrorOut
from ...schemas.governance.polls import (
    BallotIn,
    PollOptionOut,
    PollOut,
    PollResultOut,
    ReceiptOut,
    VoterSeatOut,
    result_out,
)
from ...tenancy import association_endpoint

router = Router(tags=["governance"])

CAST_ERRORS = {**WRITE_ERRORS, 409: ErrorOut}
#: The API's content type (``NinjaAPI.get_content_type``).
JSON_CONTENT_TYPE = "application/json; charset=utf-8"


def _poll(request: HttpRequest, poll_id: int) -> Poll:
    """Access helper: a poll of the association the caller may see, or 404."""
    return selectors.poll_get(
        association=request.association, poll_id=poll_id, permissions=request.permissions
    )


@router.get(
    "/{slug}/polls/{poll_id}",
    response={200: PollOut, **READ_ERRORS},
    operation_id="polls_get",
    summary="Poll detail",
    description="A poll with its options and whom the caller may vote for. No count of "
    "any kind before the poll is closed: see `polls_results`. Needs `governance.take_part`.",
)
@association_endpoint(Perm.TAKE_PART, module=Module.GOVERNANCE)
def polls_get(request: HttpRequest, slug: str, poll_id: int):
    poll = _poll(request, poll_id)
    seats = selectors.voter_seats(poll=poll, person=request.person)
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
        can_vote=poll.status == PollStatus.OPEN and ballots.voting_window_open(poll.assembly),
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


@router.post(
    "/{slug}/polls/{poll_id}/ballots",
    response={201: ReceiptOut, **CAST_ERRORS},
    operation_id="ballots_cast",
    summary="Cast a ballot",
    description="Casts the caller's ballot, or a represented member's with `on_behalf_of`. "
    "The `Idempotency-Key` header is required (400 without it): a retry with the same key "
    "answers 201 with the same receipt and counts once; the same key with another choice "
    "answers 422; another ballot for the same member under another key answers 409. A "
    "poll that does not take ballots (not open, closed, assembly not in session) answers "
    "409; an invalid choice 422. Needs "
    "`governance.take_part`.",
)
@association_endpoint(Perm.TAKE_PART, module=Module.GOVERNANCE)
def ballots_cast(
    request: HttpRequest,
    slug: str,
    poll_id: int,
    payload: BallotIn,
    idempotency_key: str | None = idempotency_key_header(required=True, what="vote"),
):
    # The poll first: an outsider's request answers 404 whatever its headers. Its
    # options are not needed here (``ballot_cast`` reads what it needs under lock).
    poll = selectors.poll_for_cast_get(
        association=request.association, poll_id=poll_id, permissions=request.permissions
    )
    key = checked_key(idempotency_key, required=True)
    try:
        receipt = ballots.ballot_cast(
            association=request.association,
            actor=request.user,
            poll=poll,
            # The caller's own seat, or the member named by ``on_behalf_of`` (a proxy,
            # worked out by the service): both read under the poll's lock, 403 if
            # the caller is not on the roll, 404 for an entry not on this poll's roll.
            entry=payload.on_behalf_of,
            choice=payload.choice,
            idempotency_key=key,
            # Resolved by the tenancy decorator in this request; checked by the service.
            actor_person=request.person,
            actor_permissions=request.permissions,
        )
    except ballots.AlreadyVoted as error:
        raise conflict(error) from None
    except KeyReused:
        raise  # 422: the key came with another choice
    except ValidationError as error:
        # A poll that stopped taking ballots is a conflict with its state, not bad
        # input; re-read it, as it may have closed while this request was waiting.
        fresh = selectors.poll_for_cast_get(
            association=request.association,
            poll_id=poll.pk,
            permissions=request.permissions,
            fresh=True,
        )
        if fresh.status != PollStatus.OPEN or not ballots.voting_window_open(fresh.assembly):
            raise conflict(error) from None
        raise
    # What ninja writes for ``ReceiptOut`` (one string), without validating a string
    # the service made: the API's most frequent answer in an election.
    return HttpResponse(
        json.dumps({"receipt": receipt}), status=201, content_type=JSON_CONTENT_TYPE
    )


@router.get(
    "/{slug}/polls/{poll_id}/results",
    response={200: PollResultOut, **READ_ERRORS},
    operation_id="polls_results",
    summary="Poll results",
    description="The count frozen when the poll closed. Visible to everyone once "
    "published, to who prepares assemblies (`governance.manage`) from the close; "
    "before that it answers 404, like the results page. Needs `governance.take_part`.",
)
@association_endpoint(Perm.TAKE_PART, module=Module.GOVERNANCE)
def polls_results(request: HttpRequest, slug: str, poll_id: int):
    poll = _poll(request, poll_id)
    if not selectors.results_visible(poll=poll, permissions=request.permissions):
        return Status(404, ErrorOut(detail=_("The results of this poll are not published yet.")))
    return result_out(poll, results.result_rows(poll.result or {}))
