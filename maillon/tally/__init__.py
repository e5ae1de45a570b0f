"""Maillon's tally engine: counts ballots, pure Python, no Django.

The contract (file format, counting rules, JSON result) is TALLY.md; this package
is its reference implementation and is used both by the governance module and by
the ``tally`` command for paper ballots.

>>> from maillon.tally import tally
>>> r = tally("irv", ["Ali", "Béa", "Camille"],
...           [["Ali"], ["Ali"], ["Béa"], ["Béa"], ["Camille", "Béa"], []])
>>> r.winners, r.blank
(['Béa'], 1)

Modules: :mod:`~maillon.tally.methods` (``tally()`` and the method registry),
one module per method family (:mod:`~maillon.tally.choice`,
:mod:`~maillon.tally.ranked`, :mod:`~maillon.tally.schulze`,
:mod:`~maillon.tally.judgment`, :mod:`~maillon.tally.yesno`),
:mod:`~maillon.tally.tiebreak` (how ties are settled, the lot and its seed),
:mod:`~maillon.tally.result` (the result and its JSON),
:mod:`~maillon.tally.csvio` (reading CSV files) and :mod:`~maillon.tally.cli`.
"""

from maillon.tally.ballots import BallotCounts
from maillon.tally.choice import approval, plurality
from maillon.tally.csvio import BallotFile, CountedFile, count_file, read_ballots, read_file
from maillon.tally.errors import TallyInputError
from maillon.tally.judgment import DEFAULT_GRADES, majority_judgment
from maillon.tally.methods import METHODS, tally
from maillon.tally.ranked import irv, stv
from maillon.tally.result import Round, TallyResult, TieEvent
from maillon.tally.schulze import schulze
from maillon.tally.yesno import yes_no

__all__ = [
    "DEFAULT_GRADES",
    "METHODS",
    "BallotCounts",
    "BallotFile",
    "CountedFile",
    "Round",
    "TallyInputError",
    "TallyResult",
    "TieEvent",
    "approval",
    "count_file",
    "irv",
    "majority_judgment",
    "plurality",
    "read_ballots",
    "read_file",
    "schulze",
    "stv",
    "tally",
    "yes_no",
]
