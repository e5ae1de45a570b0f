"""Quorum of an assembly: a pure function, no database.

The quorum counts members *present or represented* (DOMAIN.md §2), in voting
weight (a federation may weight its members' votes). Rounding: the required weight
is ``ceil(fraction × eligible weight)``; with 10 members and a quarter, 3 are needed
(2.5 rounded up), because "at least a quarter" cannot be met by 2. A fraction of 0
means no quorum; a second convocation holds without quorum when the statutes say so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class QuorumStatus:
    required: int
    present: int
    represented: int
    reached: bool
    not_required: bool

    @property
    def counted(self) -> int:
        return self.present + self.represented

    @property
    def missing(self) -> int:
        return max(0, self.required - self.counted)


def compute_quorum(
    *,
    eligible_weight: int,
    present_weight: int,
    represented_weight: int,
    fraction: Decimal,
    second_convocation_without_quorum: bool,
    is_second_convocation: bool,
) -> QuorumStatus:
    if min(eligible_weight, present_weight, represented_weight) < 0:
        raise ValueError("weights cannot be negative")
    fraction = Decimal(fraction)
    if not Decimal(0) <= fraction <= Decimal(1):
        raise ValueError("the quorum fraction lies between 0 and 1")
    # Decimal arithmetic: 0.333 × 300 must not become 99.90000000000001.
    required = math.ceil(fraction * eligible_weight)
    not_required = fraction == 0 or (is_second_convocation and second_convocation_without_quorum)
    reached = not_required or present_weight + represented_weight >= required
    return QuorumStatus(
        required=0 if not_required else required,
        present=present_weight,
        represented=represented_weight,
        reached=reached,
        not_required=not_required,
    )
