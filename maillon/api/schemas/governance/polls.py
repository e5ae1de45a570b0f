"""Shapes of the polls API: a poll, casting a ballot, results.

Nothing here carries a count before a poll is closed: a poll's output has its
options and the caller's own seats, never how many voted what."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import StrictInt, StrictStr

from ..common import BodySchema

# --- Polls ------------------------------------------------------------------------------


class PollOptionOut(Schema):
    id: int
    label: str


class VoterSeatOut(Schema):
    entry_id: int = Field(
        description="Roll entry; give it as `on_behalf_of` to vote for a represented member."
    )
    name: str
    is_proxy: bool = Field(description="True for a member whose proxy the caller holds.")
    has_voted: bool


class PollOut(Schema):
    id: int
    assembly_id: int | None
    title: str
    resolution: str
    kind: str = Field(
        description="`yes_no` (choice `yes`, `no` or `abstain`), `single`, `multiple`, "
        "`approval`, `election` (a list of option ids), `ranked`, `condorcet` (option ids "
        "in order of preference) or `majority_judgment` (`{option id: grade index}`)."
    )
    status: str = Field(description="`created`, `open`, `closed` or `published`.")
    is_secret: bool
    allow_vote_change: bool
    seats: int = Field(description="Seats to fill (elections, ranked choice).")
    min_choices: int
    max_choices: int | None
    grades: list[str] = Field(description="Majority judgment: grades from worst to best.")
    options: list[PollOptionOut]
    can_vote: bool = Field(description="The poll takes ballots now.")
    my_seats: list[VoterSeatOut] = Field(
        description="Whom the caller may vote for: themselves first, then each member "
        "whose proxy they hold."
    )
    opened_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    published_at: datetime.datetime | None


# --- Ballots ----------------------------------------------------------------------------


Choice = StrictStr | StrictInt | list[StrictInt | StrictStr] | dict[str, StrictInt] | None


class BallotIn(BodySchema):
    # Strict: a JSON boolean or a number with a fraction is no choice of any kind.
    choice: Choice = Field(
        None,
        description="What is voted, by the poll's kind (see the poll's `kind`), or "
        '`"blank"` for a blank ballot. A ballot carries an explicit choice: a missing, '
        "null or empty choice is refused (422), never cast as a blank ballot.",
    )
    on_behalf_of: int | None = Field(
        None,
        description="Roll entry of the member represented (a proxy the caller holds); "
        "null to vote for oneself.",
    )


class ReceiptOut(Schema):
    receipt: str = Field(
        description="The ballot's receipt code: once the results are published it "
        "appears in the ballot list, so the voter can check their ballot was counted."
    )


# --- Results ----------------------------------------------------------------------------


class ResultRowOut(Schema):
    key: str = Field(description="Option id, or `yes`/`no`/`abstain`.")
    label: str
    online: int | str | None = Field(description="Ballots cast on the platform.")
    room: int | str | None = Field(description="Counted in the room (hybrid assemblies).")
    total: int | str | None
    percentage: str = Field(description="Share of the votes cast, one decimal, as text.")
    elected: bool


class PollResultOut(Schema):
    poll_id: int
    status: str
    kind: str
    method: str = Field(description="Counting method of the tally engine.")
    ballots: int = Field(description="Ballots counted, weights included.")
    blank: int
    winners: list[str]
    adopted: bool | None = Field(description="Yes/no polls: the resolution is adopted.")
    tie: bool
    rows: list[ResultRowOut]
    majority: dict[str, Any] | None = Field(description="Yes/no polls: how the majority applied.")
    quorum: dict[str, Any] | None


def result_out(poll, rows: list[dict]) -> PollResultOut:
    result = poll.result or {}
    return PollResultOut(
        poll_id=poll.pk,
        status=poll.status,
        kind=poll.kind,
        method=str(result.get("method", "")),
        ballots=int(result.get("ballots", 0)),
        blank=int(result.get("blank", 0)),
        winners=[str(w) for w in result.get("winners", [])],
        adopted=result.get("adopted"),
        tie=bool(result.get("tie", False)),
        rows=[ResultRowOut(**row) for row in rows],
        majority=result.get("majority"),
        quorum=result.get("quorum"),
    )
