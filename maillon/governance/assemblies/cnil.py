"""Risk level of an online vote, after the CNIL's recommendation on internet voting
(délibération n° 2019-053 of 25 April 2019).

Pure: no database. Ten yes/no questions, one point per unfavourable answer;
0–2 points → level 1, 3–6 → level 2, 7–10 → level 3. Each level calls for the
objectives of the levels below it plus its own. For each objective we also say,
plainly, what Maillon provides (see docs/governance-threat-model.md).

Nothing of the wizard is stored in its own table: the answers, points and level go
into one audit entry when the bureau records an assessment, so the association can
show later which level it assessed and when.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

YES = "yes"
NO = "no"


@dataclass(frozen=True)
class Question:
    code: str
    label: StrOrPromise  # gettext_lazy: English msgid, French in the catalogue
    unfavourable: str  # YES or NO: the answer that scores one point
    help: StrOrPromise = ""


QUESTIONS: tuple[Question, ...] = (
    Question(
        "can_postpone",
        _("Could the vote be postponed if something went wrong?"),
        NO,
    ),
    Question("under_50_voters", _("Are there fewer than 50 voters?"), NO),
    Question("under_1000_voters", _("Are there fewer than 1,000 voters?"), NO),
    Question(
        "other_channels",
        _("Can voters also vote another way (in the room, by post, by proxy)?"),
        NO,
    ),
    Question(
        "decision_power",
        _("Will the people elected (or the decision taken) hold decision-making power?"),
        YES,
        _("For example a board elected with powers over the association's budget."),
    ),
    Question("all_in_france", _("Are all voters in France?"), NO),
    Question("all_in_eu", _("Are all voters in the European Union?"), NO),
    Question(
        "known_threats",
        _("Are specific threats against this vote known (conflict, pressure, attacks)?"),
        YES,
    ),
    Question(
        "proof_required",
        _("Must the regularity of the vote be formally proven (e.g. likely legal challenge)?"),
        YES,
    ),
    Question(
        "legal_obligation",
        _("Is the vote a legal obligation (required by law, not only by the statutes)?"),
        YES,
    ),
)

QUESTION_CODES = tuple(q.code for q in QUESTIONS)


class Provided:
    """How far Maillon itself meets an objective."""

    YES = "yes"
    PARTLY = "partly"
    NO = "no"


@dataclass(frozen=True)
class Objective:
    code: str
    level: int  # first level that calls for it
    label: StrOrPromise
    maillon: str  # Provided.*
    how: StrOrPromise  # what Maillon does (or does not do) about it


OBJECTIVES: tuple[Objective, ...] = (
    Objective(
        "secrecy",
        1,
        _("Ballot secrecy, from the voter's device to the count."),
        Provided.PARTLY,
        _(
            "Secret ballots are stored with no voter reference and no timestamp. The choice "
            "is sent over HTTPS but is not encrypted on the voter's device: the server "
            "sees it in clear while recording it."
        ),
    ),
    Objective(
        "separation",
        1,
        _("Strict separation of the list of who voted (émargement) from the ballots."),
        Provided.YES,
        _("Who voted and what was voted are two tables with no link between them."),
    ),
    Objective(
        "authentication",
        1,
        _("Voter authentication, with credentials used for the vote."),
        Provided.PARTLY,
        _(
            "Voters sign in with their personal account; there are no credentials "
            "dedicated to one vote."
        ),
    ),
    Objective(
        "no_partial_count",
        1,
        _("No partial count while the vote is open."),
        Provided.YES,
        _("Results of assembly polls are only counted and shown once the poll is closed."),
    ),
    Objective(
        "two_channels",
        2,
        _("Authentication through two channels (e.g. password and one-time code)."),
        Provided.PARTLY,
        _(
            "Two-factor authentication (one-time codes) is available to every account and "
            "can be required of the bureau; it is not required of every voter."
        ),
    ),
    Objective(
        "sealing_logging",
        2,
        _("Sealing of the voter list and ballot box, and logging of every operation."),
        Provided.PARTLY,
        _(
            "Every operation is written to the audit log; there is no cryptographic seal "
            "of the ballot box."
        ),
    ),
    Objective(
        "replayable_count",
        2,
        _("A count that can be replayed from the ballots."),
        Provided.YES,
        _(
            "The published ballot list (with receipts) can be recounted with the "
            "open-source tally tool."
        ),
    ),
    Objective(
        "expertise",
        2,
        _("An independent expert review of the system."),
        Provided.NO,
        _("Maillon has not been reviewed by an independent expert."),
    ),
    Objective(
        "third_party_verifiability",
        3,
        _("Verifiability of the vote with third-party tools (end-to-end)."),
        Provided.NO,
        _("Maillon offers no end-to-end verifiable voting (no encryption, no mixnet)."),
    ),
)


@dataclass(frozen=True)
class Assessment:
    points: int
    level: int
    unfavourable: tuple[str, ...]  # codes of the questions that scored

    @property
    def objectives(self) -> tuple[Objective, ...]:
        return objectives_for_level(self.level)

    @property
    def needs_more_than_maillon(self) -> bool:
        """True when an objective of this level is not fully met by Maillon."""
        return any(o.maillon != Provided.YES for o in self.objectives if o.level >= 2)


def level_for_points(points: int) -> int:
    if not 0 <= points <= len(QUESTIONS):
        raise ValueError(f"points out of range: {points}")
    if points <= 2:
        return 1
    if points <= 6:
        return 2
    return 3


def risk_score(answers: Mapping[str, str | bool]) -> tuple[int, int]:
    """(points, level) for ``answers``: question code → "yes"/"no" (or True/False).
    Every question must be answered."""
    assessment = assess(answers)
    return assessment.points, assessment.level


def assess(answers: Mapping[str, str | bool]) -> Assessment:
    scored = []
    for question in QUESTIONS:
        if question.code not in answers:
            raise ValueError(f"missing answer: {question.code}")
        answer = _normalise(answers[question.code])
        if answer == question.unfavourable:
            scored.append(question.code)
    points = len(scored)
    return Assessment(points=points, level=level_for_points(points), unfavourable=tuple(scored))


def objectives_for_level(level: int) -> tuple[Objective, ...]:
    if level not in (1, 2, 3):
        raise ValueError(f"unknown level: {level}")
    return tuple(o for o in OBJECTIVES if o.level <= level)


def _normalise(value: str | bool) -> str:
    if value is True:
        return YES
    if value is False:
        return NO
    if value in (YES, NO):
        return value
    raise ValueError(f"answer must be yes or no, not {value!r}")
